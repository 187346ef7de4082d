// Reads the contract series through the Prometheus HTTP API (works with Mimir and Thanos too).

import { Upstream, UpstreamError } from '../upstream';
import { Sample } from '../../core/policy/status';

export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

export class PrometheusClient {
  constructor(
    private readonly base: string,
    private readonly upstream: Upstream,
    private readonly headers: Record<string, string> = {}
  ) {}

  private async call(path: string, params: Record<string, string>): Promise<any> {
    const res = await this.upstream.request(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...this.headers },
      body: new URLSearchParams(params).toString(),
      // Status and gate answer within one timeout; the caller (or CI) retries if it wants.
      retry: false,
    });
    let parsed: any;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      throw new UpstreamError(`Prometheus answered ${res.status} with a body that is not JSON`, res.status, res.body);
    }
    if (parsed.status !== 'success') {
      throw new UpstreamError(`Prometheus query failed: ${parsed.errorType ?? ''} ${parsed.error ?? res.status}`, res.status, res.body);
    }
    return parsed.data;
  }

  async instant(query: string, time?: number): Promise<Sample[]> {
    const data = await this.call('/api/v1/query', { query, ...(time !== undefined ? { time: String(time / 1000) } : {}) });
    if (data.resultType !== 'vector') {
      throw new UpstreamError(`expected a vector, got ${data.resultType}`);
    }
    return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  async range(query: string, startMs: number, endMs: number, stepSeconds: number): Promise<RangeSeries[]> {
    const data = await this.call('/api/v1/query_range', { query, start: String(startMs / 1000), end: String(endMs / 1000), step: String(stepSeconds) });
    return (data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>).map((r) => ({
      metric: r.metric,
      values: r.values.map(([t, v]) => [t * 1000, Number(v)] as [number, number]),
    }));
  }

  /** Names of the rule groups Prometheus has loaded, with their health. */
  async ruleGroups(timeoutMs?: number): Promise<Array<{ name: string; file: string; rules: Array<{ name: string; health: string; lastError?: string }> }>> {
    const res = await this.upstream.request(`${this.base}/api/v1/rules`, { headers: this.headers, timeoutMs });
    const parsed = JSON.parse(res.body);
    if (parsed.status !== 'success') {
      throw new UpstreamError(`Prometheus /api/v1/rules failed: ${parsed.error ?? res.status}`);
    }
    return parsed.data.groups;
  }

  async reload(): Promise<void> {
    const res = await this.upstream.request(`${this.base}/-/reload`, { method: 'POST', headers: this.headers, retry: false });
    if (res.status !== 200) {
      throw new UpstreamError(`Prometheus rejected the rules (reload answered ${res.status}): ${res.body.trim().slice(0, 500)}`, res.status, res.body);
    }
  }
}
