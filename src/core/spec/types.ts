// The validated, normalised SLO model every other part works from. Parsing and validation
// (validate.ts) turn a document into these; generators never see raw user input.

export type Labels = Record<string, string>;

/** A PromQL counter selector, e.g. `http_requests_total{code=~"5.."}`, or an expression that
 * returns events per second and contains the `{{.window}}` placeholder (Sloth style). */
export type PromQuery = string;

/** A LogQL log query (stream selector plus pipeline); Burnrate wraps it in count_over_time. */
export type LogQuery = string;

export type SourceType = 'prometheus' | 'loki';

export interface Exclusion {
  /** Shown in status: what class of events is left out, e.g. "upstream provider failures". */
  name: string;
  label: string;
  /** Exact label values; escaped into a regex alternation. */
  values?: string[];
  /** An RE2 regex, used as is (anchored by Prometheus). */
  regex?: string;
}

export interface RatioSli {
  kind: 'ratio';
  source: SourceType;
  /** Exactly one of errors or good. */
  errors?: PromQuery | LogQuery;
  good?: PromQuery | LogQuery;
  total: PromQuery | LogQuery;
}

/** A raw error ratio (Sloth `raw` SLIs): no event counts, so long windows are time-weighted. */
export interface RawSli {
  kind: 'raw';
  source: 'prometheus';
  /** Error ratio expression with `{{.window}}`. */
  errorRatio: PromQuery;
}

export interface LatencySli {
  kind: 'latency';
  source: 'prometheus';
  /** Histogram base name, e.g. `gen_ai_server_time_to_first_token_seconds`. */
  metric: string;
  /** Extra label matchers inside braces, e.g. `job="gw",route!="/health"`. */
  matchers: string;
  /** Requests at or under this many units (seconds) are good. */
  threshold: number;
  native: boolean;
  /** Known bucket boundaries, if any: the threshold must be one of them. */
  buckets?: number[];
}

export interface TimesliceSli {
  kind: 'timeslice';
  source: 'prometheus';
  /** Slice length in seconds (60 = 1m slices). */
  sliceSeconds: number;
  /** A slice is good when the quantile of the histogram over it is at or under the threshold... */
  latency?: { metric: string; matchers: string; quantile: number; threshold: number };
  /** ...or when its good ratio is at least `target`. */
  ratio?: { errors?: PromQuery; good?: PromQuery; total: PromQuery; target: number };
}

export interface QualityComponent {
  name: string;
  good: PromQuery | LogQuery;
  total: PromQuery | LogQuery;
  weight: number;
}

export interface QualitySli {
  kind: 'quality';
  source: SourceType;
  components: QualityComponent[];
  /** Human review of the judge: agreed / reviewed, alerting under `minimum`. */
  agreement?: { agreed: PromQuery | LogQuery; reviewed: PromQuery | LogQuery; minimum: number };
}

export interface CostSli {
  kind: 'cost';
  source: 'prometheus';
  /** Counter of money spent. */
  cost: PromQuery;
  /** Counter of requests. */
  requests: PromQuery;
  /** Target cost per request, in `currency`. */
  target: number;
  currency: string;
}

/** One SLO a composite reads, by service and name, and how much each of its events counts. */
export interface CompositeComponent {
  /** The composite's own service when not given. */
  service?: string;
  slo: string;
  weight: number;
}

/** The weighted events of other SLOs (compositeRules.ts): bad = sum of weight x bad, total likewise. */
export interface CompositeSli {
  kind: 'composite';
  source: 'prometheus';
  components: CompositeComponent[];
}

export type Sli = RatioSli | RawSli | LatencySli | TimesliceSli | QualitySli | CostSli | CompositeSli;
export type SliKind = Sli['kind'];

export type TimeWindow = { type: 'rolling'; days: number } | { type: 'calendar'; unit: 'month' };

export interface AlertSeverityOptions {
  enabled: boolean;
  labels: Labels;
  annotations: Labels;
}

export interface AlertingOptions {
  name: string;
  labels: Labels;
  annotations: Labels;
  page: AlertSeverityOptions;
  ticket: AlertSeverityOptions;
  /** Minimum events in the short window before a burn alert may fire. */
  minEvents: number;
  /** Links put into annotations when set. */
  runbookUrl?: string;
  dashboardUrl?: string;
  sloUrl?: string;
}

export interface PolicyOptions {
  /** Freeze when the period's error budget remaining is at or below this ratio. */
  freezeBudgetRemaining: number;
  /** Freeze when the burn rate over `freezeBurnWindow` is above this. */
  freezeBurnRate: number;
  /** Window name: a contract window (`1h`, `1d`, ...) or `period`. */
  freezeBurnWindow: string;
  /** Caution when the burn rate over `cautionBurnWindow` is above this (and not frozen). */
  cautionBurnRate: number;
  cautionBurnWindow: string;
  /** Quality SLOs: freeze on the 95% interval's lower bound (`lowerBound`: the error ratio is above
   * the threshold with 95% confidence; where only the estimate is, caution) or on the estimate. */
  qualityDecideOn: 'lowerBound' | 'estimate';
  /** Quality SLOs whose judge agrees with people less than `agreement.minimum` over 1d: `caution`
   * turns their freezes into caution, `ignore` lets the judge's numbers decide as they stand. */
  untrustedJudge: 'caution' | 'ignore';
}

export interface Slo {
  name: string;
  service: string;
  description?: string;
  /** Objective as a ratio in (0,1). For cost SLOs this is unused (see CostSli.target). */
  objective: number;
  window: TimeWindow;
  labels: Labels;
  groupBy: string[];
  sli: Sli;
  exclude: Exclusion[];
  alerting: AlertingOptions;
  policy: PolicyOptions;
  /** Rule evaluation interval for the SLI and alert groups, in seconds. */
  evaluationSeconds: number;
  /** Where the definition came from (file and the document's index), for messages. */
  origin?: { file?: string; line?: number };
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** Field path, e.g. `slos[0].sli.latency.threshold`. */
  path?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line !== undefined ? String(d.line) : undefined, d.column !== undefined ? String(d.column) : undefined]
    .filter((x) => x !== undefined)
    .join(':');
  const path = d.path ? `${d.path}: ` : '';
  return `${where ? where + ': ' : ''}${d.severity}: ${path}${d.message}`;
}
