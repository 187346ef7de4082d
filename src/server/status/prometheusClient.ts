// Reads the contract series through the Prometheus HTTP API (works with Mimir and Thanos too).

import { Upstream, UpstreamError } from '../upstream';
import { UpstreamAuth } from '../upstreamAuth';
import { Sample } from '../../core/policy/status';
import { offThread } from '../offThread/offThread';
import { valueOf } from '../offThread/tasks';

export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

export class PrometheusClient {
  constructor(
    private readonly base: string,
    private readonly upstream: Upstream,
    /** Sent with every call: queries, the rules list and reloads. */
    private readonly auth?: UpstreamAuth
  ) {}

  private async call(path: string, params: Record<string, string>): Promise<any> {
    const res = await this.upstream.request(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      auth: this.auth,
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

  /** Name and file of every rule group Prometheus has loaded. The answer lists every rule (12 MB
   * for 1,000 SLOs), so the worker thread fetches and reads it. */
  async loadedRuleGroups(timeoutMs?: number): Promise<Array<{ name: string; file: string }>> {
    const req = { options: this.upstream.options, url: `${this.base}/api/v1/rules`, init: { auth: this.auth, timeoutMs } };
    return valueOf(await offThread.run('loadedRuleGroups', [req]));
  }

  /** Prometheus answers once every rule file is loaded: seconds for thousands of groups. */
  async reload(timeoutMs?: number): Promise<void> {
    const res = await this.upstream.request(`${this.base}/-/reload`, { method: 'POST', auth: this.auth, retry: false, timeoutMs });
    if (res.status !== 200) {
      throw new UpstreamError(`Prometheus rejected the rules (reload answered ${res.status}): ${res.body.trim().slice(0, 500)}`, res.status, res.body);
    }
  }
}
