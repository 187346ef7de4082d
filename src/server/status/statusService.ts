// Status and gate answers from the contract series in Prometheus. Answers are cached briefly
// (statusCacheMs) so that a busy dashboard or CI fleet costs Prometheus one query per service
// every few seconds. When Prometheus cannot be reached the error says so; nothing is made up.

import { decideGate, GateDecision, ManualAction } from '../../core/policy/gate';
import { GroupStatus, groupStatuses, Sample, worstState } from '../../core/policy/status';
import { quote, regexOneOf } from '../../core/promql/escape';
import { periodSuffix } from '../../core/rules/seriesNames';
import { sloSelector } from '../../core/rules/sliSignals';
import { ServerMetrics } from '../metrics';
import { StoredSlo } from '../sloStore';
import { PrometheusClient, RangeSeries } from './prometheusClient';

export class StatusUnavailable extends Error {}

/** The contract series status and gate read; intermediate series (5m rates, rollups) are left out. */
const STATUS_SERIES =
  'slo:(sli_error:ratio_rate[0-9a-z_]+|period_burn_rate:ratio|period_error_budget_remaining:ratio|current_burn_rate:ratio|release_freeze:bool|release_caution:bool|sli_events:increase([0-9]+d|_calendar_month))';

export interface SloStatus {
  service: string;
  name: string;
  state: GroupStatus['state'];
  groups: GroupStatus[];
  alerts: Array<{ labels: Record<string, string>; state: string }>;
  evaluatedAt: number;
}

export class StatusService {
  private cache = new Map<string, { at: number; value: Promise<Sample[]> }>();

  constructor(
    private readonly prometheus: PrometheusClient | undefined,
    private readonly metrics: ServerMetrics,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now
  ) {}

  private async query(q: string): Promise<Sample[]> {
    if (!this.prometheus) {
      throw new StatusUnavailable('no Prometheus URL is configured (BURNRATE_PROMETHEUS_URL)');
    }
    const hit = this.cache.get(q);
    if (hit && this.now() - hit.at < this.cacheMs) {
      return hit.value;
    }
    const started = process.hrtime.bigint();
    const value = this.prometheus.instant(q).finally(() => {
      this.metrics.statusQueries.observe({}, Number(process.hrtime.bigint() - started) / 1e9);
    });
    this.cache.set(q, { at: this.now(), value });
    try {
      return await value;
    } catch (e) {
      this.cache.delete(q);
      throw new StatusUnavailable(`Prometheus is unavailable: ${(e as Error).message}`);
    }
    finally {
      if (this.cache.size > 10000) {
        this.cache.clear();
      }
    }
  }

  /** Every contract series of the given service(s) in one query. */
  private serviceSamples(services: string[]): Promise<Sample[]> {
    const svc = services.length === 1 ? `slo_service=${quote(services[0])}` : `slo_service=~${quote(regexOneOf(services))}`;
    return this.query(`{__name__=~${quote(STATUS_SERIES)}, ${svc}}`);
  }

  async sloStatus(s: StoredSlo): Promise<SloStatus> {
    const [samples, alerts] = await Promise.all([this.serviceSamples([s.service]), this.query(`ALERTS${sloSelector(s.slo)}`)]);
    const groups = groupStatuses(s.slo, samples);
    return {
      service: s.service,
      name: s.name,
      state: groups.length ? worstState(groups.map((g) => g.state)) : 'no-data',
      groups,
      alerts: alerts.map((a) => ({ labels: a.metric, state: a.metric.alertstate ?? 'firing' })),
      evaluatedAt: this.now(),
    };
  }

  /** Summaries of many SLOs (list page): one query per distinct service. */
  async summaries(slos: StoredSlo[]): Promise<Map<string, GroupStatus[]>> {
    const services = [...new Set(slos.map((s) => s.service))];
    const samples = services.length ? await this.serviceSamples(services) : [];
    const bySlo = new Map<string, Sample[]>();
    for (const smp of samples) {
      const k = `${smp.metric.slo_service}/${smp.metric.slo}`;
      let list = bySlo.get(k);
      if (!list) {
        bySlo.set(k, (list = []));
      }
      list.push(smp);
    }
    return new Map(slos.map((s) => [`${s.service}/${s.name}`, groupStatuses(s.slo, bySlo.get(`${s.service}/${s.name}`) ?? [])]));
  }

  async gate(service: string, route: string | undefined, slos: StoredSlo[], actions: ManualAction[]): Promise<GateDecision> {
    const summaries = await this.summaries(slos);
    return decideGate({
      service,
      route,
      slos: slos.map((s) => ({ slo: s.slo, groups: summaries.get(`${s.service}/${s.name}`) ?? [] })),
      actions,
      now: this.now(),
    });
  }

  /** Budget remaining and burn rates over time, for charts. */
  async history(s: StoredSlo, startMs: number, endMs: number, stepSeconds: number): Promise<Record<string, RangeSeries[]>> {
    if (!this.prometheus) {
      throw new StatusUnavailable('no Prometheus URL is configured (BURNRATE_PROMETHEUS_URL)');
    }
    const sel = sloSelector(s.slo);
    const series = {
      budgetRemaining: `slo:period_error_budget_remaining:ratio${sel}`,
      currentBurnRate: `slo:current_burn_rate:ratio${sel}`,
      periodBurnRate: `slo:period_burn_rate:ratio${sel}`,
      errorRatio1h: `slo:sli_error:ratio_rate1h${sel}`,
      errorRatioPeriod: `slo:sli_error:ratio_rate${periodSuffix(s.slo)}${sel}`,
      events: `slo:sli_events:rate5m${sel}`,
    };
    try {
      const entries = await Promise.all(Object.entries(series).map(async ([k, q]) => [k, await this.prometheus!.range(q, startMs, endMs, stepSeconds)] as const));
      return Object.fromEntries(entries);
    } catch (e) {
      throw new StatusUnavailable(`Prometheus is unavailable: ${(e as Error).message}`);
    }
  }
}
