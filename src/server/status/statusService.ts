// Status and gate answers from the contract series in Prometheus. Answers are cached briefly
// (statusCacheMs, refreshed in the background, see snapshotCache.ts) so that a busy dashboard or
// CI fleet costs Prometheus one query per service every few seconds and never waits for it while
// a recent answer exists. When Prometheus cannot be reached the error says so; nothing is made up.

import { decideGate, decideWithoutStates, GateDecision, ManualAction, OnNoData } from '../../core/policy/gate';
import { GroupStatus, groupStatuses, Sample, worstState } from '../../core/policy/status';
import { ReleaseState } from '../../core/policy/releaseState';
import { groupRelease, sloRelease } from '../../core/policy/sloRelease';
import { quote, regexOneOf } from '../../core/promql/escape';
import { periodSuffix } from '../../core/rules/seriesNames';
import { sloSelector } from '../../core/rules/sliSignals';
import { Slo } from '../../core/spec/types';
import { ServerMetrics } from '../metrics';
import { StoredSlo } from '../sloStore';
import { PrometheusClient, RangeSeries } from './prometheusClient';
import { SnapshotCache } from './snapshotCache';

export class StatusUnavailable extends Error {}

/** Samples by service, then by SLO name. */
function byServiceAndSlo(samples: Sample[]): Map<string, Map<string, Sample[]>> {
  const out = new Map<string, Map<string, Sample[]>>();
  for (const smp of samples) {
    let service = out.get(smp.metric.slo_service);
    if (!service) {
      out.set(smp.metric.slo_service, (service = new Map()));
    }
    let list = service.get(smp.metric.slo);
    if (!list) {
      service.set(smp.metric.slo, (list = []));
    }
    list.push(smp);
  }
  return out;
}

/** The contract series status and gate read; intermediate series (5m rates, rollups) are left out. */
const STATUS_SERIES =
  'slo:(sli_error:ratio_rate[0-9a-z_]+|period_burn_rate:ratio|period_error_budget_remaining:ratio|period_coverage:ratio|current_burn_rate:ratio|release_freeze:bool|release_caution:bool|sli_events:increase([0-9]+d|_calendar_month))';

export interface SloStatus {
  service: string;
  name: string;
  /** The policy's worst state; `release` is what to show (it counts manual freezes and overrides). */
  state: GroupStatus['state'];
  release: ReleaseState;
  groups: Array<GroupStatus & { release: ReleaseState }>;
  /** Undefined when Prometheus could not say which alerts fire (then `alertsError` says why): unknown, not none. */
  alerts?: Array<{ labels: Record<string, string>; state: string }>;
  alertsError?: string;
  /** When Prometheus was asked (ms since the epoch). */
  evaluatedAt: number;
}

/** One service's contract series as of one query, with the statuses computed from them. */
interface ServiceSnapshot {
  /** When Prometheus was asked. */
  at: number;
  samples: Map<string, Sample[]>;
  /** groupStatuses per SLO definition (the store keeps one object per stored text). */
  statuses: WeakMap<Slo, GroupStatus[]>;
}

export class StatusService {
  /**
   * By service: the status, gate and list answers of one service share one query per cacheMs,
   * and the statuses computed from it, so a cached answer costs no parsing or policy work.
   */
  private snapshots: SnapshotCache<ServiceSnapshot>;
  private alertsCache: SnapshotCache<Sample[]>;

  constructor(
    private readonly prometheus: PrometheusClient | undefined,
    private readonly metrics: ServerMetrics,
    cacheMs: number,
    private readonly now: () => number = Date.now
  ) {
    this.snapshots = new SnapshotCache(cacheMs, now);
    this.alertsCache = new SnapshotCache(cacheMs, now);
  }

  private client(): PrometheusClient {
    if (!this.prometheus) {
      throw new StatusUnavailable('no Prometheus URL is configured (BURNRATE_PROMETHEUS_URL)');
    }
    return this.prometheus;
  }

  private async timed(q: string): Promise<Sample[]> {
    const started = process.hrtime.bigint();
    try {
      return await this.client().instant(q);
    } catch (e) {
      if (e instanceof StatusUnavailable) {
        throw e;
      }
      throw new StatusUnavailable(`Prometheus is unavailable: ${(e as Error).message}`);
    } finally {
      this.metrics.statusQueries.observe({}, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** Snapshots of the given services; the ones to (re)load are fetched together in one query. */
  private snapshotsOf(services: string[]): Map<string, Promise<ServiceSnapshot>> {
    return this.snapshots.get(services, (load) => {
      const sel = load.length === 1 ? `slo_service=${quote(load[0])}` : `slo_service=~${quote(regexOneOf(load))}`;
      const at = this.now();
      const all = this.timed(`{__name__=~${quote(STATUS_SERIES)}, ${sel}}`).then(byServiceAndSlo);
      return new Map(load.map((svc) => [svc, all.then((m) => ({ at, samples: m.get(svc) ?? new Map<string, Sample[]>(), statuses: new WeakMap() }))]));
    });
  }

  private async statusesOf(snapshot: Promise<ServiceSnapshot>, slo: Slo): Promise<GroupStatus[]> {
    const snap = await snapshot;
    let groups = snap.statuses.get(slo);
    if (!groups) {
      groups = groupStatuses(slo, snap.samples.get(slo.name) ?? []);
      snap.statuses.set(slo, groups);
    }
    return groups;
  }

  private alerts(service: string): Promise<Sample[]> {
    return this.alertsCache.get([service], () => new Map([[service, this.timed(`ALERTS{slo_service=${quote(service)}}`)]])).get(service)!;
  }

  async sloStatus(s: StoredSlo, actions: ManualAction[] = []): Promise<SloStatus> {
    const snapshot = this.snapshotsOf([s.service]).get(s.service)!;
    // The alerts are read apart: without them the budget and state still answer, and the alerts say unknown.
    const alerts = this.alerts(s.service).then(
      (a) => ({ alerts: a.filter((x) => x.metric.slo === s.name).map((x) => ({ labels: x.metric, state: x.metric.alertstate ?? 'firing' })) }),
      (e: Error) => ({ alertsError: `firing alerts are unknown: ${e.message}` })
    );
    const [groups, snap, alertAnswer] = await Promise.all([this.statusesOf(snapshot, s.slo), snapshot, alerts]);
    const now = this.now();
    return {
      service: s.service,
      name: s.name,
      state: groups.length ? worstState(groups.map((g) => g.state)) : 'no-data',
      release: sloRelease(s.slo, groups, actions, now),
      groups: groups.map((g) => ({ ...g, release: groupRelease(s.slo, g, actions, now) })),
      ...alertAnswer,
      // When the samples were asked for: a cached answer says how old it is.
      evaluatedAt: snap.at,
    };
  }

  /** Statuses of many SLOs (list page, gate), by "service/name". */
  async summaries(slos: StoredSlo[]): Promise<Map<string, GroupStatus[]>> {
    const snaps = this.snapshotsOf([...new Set(slos.map((s) => s.service))]);
    const groups = await Promise.all(slos.map((s) => this.statusesOf(snaps.get(s.service)!, s.slo)));
    return new Map(slos.map((s, i) => [`${s.service}/${s.name}`, groups[i]]));
  }

  async gate(service: string, route: string | undefined, slos: StoredSlo[], actions: ManualAction[], onNoData: OnNoData = 'unknown'): Promise<GateDecision> {
    let summaries: Map<string, GroupStatus[]>;
    try {
      summaries = await this.summaries(slos);
    } catch (e) {
      const manual = e instanceof StatusUnavailable ? decideWithoutStates({ service, route, actions, now: this.now(), why: e.message }) : undefined;
      if (!manual) {
        throw e;
      }
      return manual;
    }
    return decideGate({
      service,
      route,
      slos: slos.map((s) => ({ slo: s.slo, groups: summaries.get(`${s.service}/${s.name}`) ?? [] })),
      actions,
      now: this.now(),
      onNoData,
    });
  }

  /** Budget remaining and burn rates over time, for charts. */
  async history(s: StoredSlo, startMs: number, endMs: number, stepSeconds: number): Promise<Record<string, RangeSeries[]>> {
    const client = this.client();
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
      const entries = await Promise.all(Object.entries(series).map(async ([k, q]) => [k, await client.range(q, startMs, endMs, stepSeconds)] as const));
      return Object.fromEntries(entries);
    } catch (e) {
      throw new StatusUnavailable(`Prometheus is unavailable: ${(e as Error).message}`);
    }
  }
}
