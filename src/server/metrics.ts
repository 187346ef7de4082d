// The server's own Prometheus metrics, in the text exposition format. Small on purpose: a handful
// of counters, gauges and histograms with fixed label sets.

type LabelValues = Record<string, string>;

function key(labels: LabelValues): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k].replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: string
  ) {}
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join('\n');
  }
}

export class Counter extends Metric {
  private values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: LabelValues = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: LabelValues = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`);
  }
}

export class Gauge extends Metric {
  private values = new Map<string, number>();
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(labels: LabelValues, value: number): void {
    this.values.set(key(labels), value);
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`);
  }
}

export class Histogram extends Metric {
  private series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    name: string,
    help: string,
    private readonly buckets: number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
  ) {
    super(name, help, 'histogram');
  }
  observe(labels: LabelValues, seconds: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    this.buckets.forEach((b, i) => {
      if (seconds <= b) {
        s!.counts[i]++;
      }
    });
    s.sum += seconds;
    s.count++;
  }
  lines(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.series) {
      const pre = k ? `${k},` : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${pre}le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${pre}le="+Inf"} ${s.count}`, `${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`, `${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return out;
  }
}

/**
 * The manual freezes and overrides in force, read at each scrape, so that dashboards (the budget
 * panel) show the same release state as the API: one series per action, its expiry as the value,
 * and a count that is always there, so that a panel can tell "no manual action" from "this server
 * is not scraped". Free-text reasons are label values: there are a handful of actions at a time.
 */
export interface ManualActionSource {
  (): Promise<Array<{ id: number; kind: string; service: string; route?: string; reason: string; expiresAt: number; createdBy: string }>>;
}

function leaderLines(leader: (() => boolean) | undefined): string {
  const name = 'burnrate_leader';
  return [
    `# HELP ${name} 1 on the server that runs rule delivery, history backfill and the GitOps folder (the leader of the servers sharing a PostgreSQL database; a server on SQLite always), else 0.`,
    `# TYPE ${name} gauge`,
    `${name} ${leader?.() === false ? 0 : 1}`,
  ].join('\n');
}

async function manualActionLines(source: ManualActionSource | undefined): Promise<string> {
  const actions = source ? await source() : [];
  const expiry = 'burnrate_manual_action_expiry_timestamp_seconds';
  const count = 'burnrate_manual_actions';
  return [
    `# HELP ${expiry} Manual freezes and overrides in force (until the value, Unix seconds), by service, route, kind, reason and who set them.`,
    `# TYPE ${expiry} gauge`,
    ...actions.map((a) => {
      const labels = { slo_service: a.service, ...(a.route !== undefined ? { route: a.route } : {}), kind: a.kind, reason: a.reason.slice(0, 200), created_by: a.createdBy, action_id: String(a.id) };
      return `${expiry}{${key(labels)}} ${a.expiresAt / 1000}`;
    }),
    `# HELP ${count} Manual freezes and overrides in force (always present, 0 when none).`,
    `# TYPE ${count} gauge`,
    `${count} ${source ? actions.length : 0}`,
  ].join('\n');
}

export class ServerMetrics {
  /** Set by the server once the action store exists. */
  manualActions?: ManualActionSource;
  /** Whether this server runs the background loops (set by the server; see leader.ts). */
  leader?: () => boolean;

  readonly requests = new Counter('burnrate_http_requests_total', 'HTTP requests by route, method and status code.');
  readonly requestDuration = new Histogram('burnrate_http_request_duration_seconds', 'HTTP request latency by route.');
  readonly syncs = new Counter('burnrate_rule_sync_total', 'Rule deliveries by target and result.');
  readonly syncLastSuccess = new Gauge('burnrate_rule_sync_last_success_timestamp_seconds', 'When rules last reached each target.');
  readonly syncDuration = new Histogram('burnrate_rule_sync_duration_seconds', 'Time to deliver and confirm rules, by target.');
  readonly syncStates = new Gauge('burnrate_rule_sync_slos', 'SLOs per target and sync state.');
  readonly statusQueries = new Histogram('burnrate_status_query_duration_seconds', 'Latency of Prometheus queries behind status and gate.');
  readonly slos = new Gauge('burnrate_slos', 'SLOs stored, by source (api or git).');

  async render(): Promise<string> {
    return (
      [this.requests, this.requestDuration, this.syncs, this.syncLastSuccess, this.syncDuration, this.syncStates, this.statusQueries, this.slos]
        .map((m) => m.render())
        .concat(await manualActionLines(this.manualActions))
        .concat(leaderLines(this.leader))
        .join('\n') + '\n'
    );
  }
}
