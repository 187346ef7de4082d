// From Prometheus query results (Grafana data frames) to one row per SLO and group (route, model,
// ...): budget left, burn rates, release state, forecast and trend. Pure functions, no React.
//
// Series are identified by their metric name, looked up in this order:
//   1. the `__name__` label (present when the query selects series by name, e.g.
//      {__name__=~"slo:..."} or slo:period_burn_rate:ratio{...});
//   2. the value field's name (Grafana's dataplane frames name it after __name__);
//   3. the legend (field.config.displayNameFromDS, or the frame's name), so an aggregated query
//      with the legend set to the metric name works too;
//   4. the query's refId, when it is a metric name (or one of the short aliases below).
// A row is identified by the series' labels without __name__: every contract series of one SLO
// and group carries the same labels (slo, slo_service, the SLO's labels and its group-by labels).
//
// Grafana's Prometheus frames: one frame per series, fields [Time, Value], labels on Value; an
// instant query gives one point, a range query many. "Table" format (one frame, label columns,
// a "Value" or "Value #A" column) is read too. Any frame with several points for the budget
// remaining series gives the trend; the newest point of every series gives the current value.

import { DataFrame, Field, FieldType, Labels } from '@grafana/data';
import { SAMPLING_SERIES, samplingFromSeries, SamplingStatus } from '../../core/policy/sampling';
import { ReleaseState as Merged } from '../../core/policy/releaseState';
import { isManualMetric, manualActions, rowRelease } from './manual';
import { BudgetOptions, BurnWindow } from './types';

export const METRIC = {
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
  currentBurn: 'slo:current_burn_rate:ratio',
  periodBurn: 'slo:period_burn_rate:ratio',
  errorBudget: 'slo:error_budget:ratio',
  periodDays: 'slo:time_period:days',
  freeze: 'slo:release_freeze:bool',
  caution: 'slo:release_caution:bool',
} as const;

const ERROR_RATIO = /^slo:sli_error:ratio_rate(\d+[smhdw]|_calendar_month)$/;

/** Short names accepted as refIds (or legends) for the contract series. */
const ALIASES: Record<string, string> = {
  budget: METRIC.budgetRemaining,
  remaining: METRIC.budgetRemaining,
  current_burn: METRIC.currentBurn,
  period_burn: METRIC.periodBurn,
  error_budget: METRIC.errorBudget,
  period_days: METRIC.periodDays,
  freeze: METRIC.freeze,
  caution: METRIC.caution,
};

const KNOWN = new Set<string>([...Object.values(METRIC), ...SAMPLING_SERIES]);

export function metricName(candidate: string | undefined): string | undefined {
  if (!candidate) {
    return undefined;
  }
  const c = candidate.trim();
  if (KNOWN.has(c) || ERROR_RATIO.test(c) || isManualMetric(c)) {
    return c;
  }
  return ALIASES[c];
}

/** One series read from the frames: its metric, labels (without __name__) and finite points. */
export interface Series {
  metric: string;
  labels: Labels;
  refId?: string;
  points: Array<[number, number]>;
}

export interface ReadResult {
  series: Series[];
  /** Number series that are not contract series (wrong query, or a legend that is not a metric name). */
  ignored: number;
}

function num(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') {
    return undefined;
  }
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isNaN(t) ? num(v) : t;
  }
  if (v instanceof Date) {
    return v.getTime();
  }
  return undefined;
}

function values(f: Field): unknown[] {
  return Array.from((f.values ?? []) as ArrayLike<unknown>);
}

function withoutName(labels: Labels | undefined): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k !== '__name__') {
      out[k] = String(v);
    }
  }
  return out;
}

function nameOf(frame: DataFrame, field: Field, labels: Labels | undefined): string | undefined {
  return (
    metricName(labels?.__name__) ??
    metricName(field.name) ??
    metricName(field.config?.displayNameFromDS) ??
    metricName(frame.name) ??
    metricName(frame.refId)
  );
}

/** Reads every number series of the frames (time-series frames and table frames). */
export function readSeries(frames: DataFrame[] | undefined): ReadResult {
  const series: Series[] = [];
  let ignored = 0;
  for (const frame of frames ?? []) {
    const fields = frame.fields ?? [];
    const time = fields.find((f) => f.type === FieldType.time);
    const numbers = fields.filter((f) => f.type === FieldType.number);
    const strings = fields.filter((f) => f.type === FieldType.string);
    if (!numbers.length) {
      continue;
    }
    const times = time ? values(time).map(timeOf) : [];
    if (strings.length) {
      // Table format: one row per series, labels as string columns.
      const cols = strings.map((f) => ({ name: f.name, values: values(f) }));
      for (const field of numbers) {
        const vals = values(field);
        for (let i = 0; i < vals.length; i++) {
          const labels: Labels = {};
          for (const c of cols) {
            const v = c.values[i];
            if (v !== null && v !== undefined && v !== '') {
              labels[c.name] = String(v);
            }
          }
          const metric = nameOf(frame, field, labels);
          const v = num(vals[i]);
          if (!metric) {
            ignored++;
            continue;
          }
          if (v !== undefined) {
            series.push({ metric, labels: withoutName(labels), refId: frame.refId, points: [[times[i] ?? 0, v]] });
          }
        }
      }
      continue;
    }
    for (const field of numbers) {
      const metric = nameOf(frame, field, field.labels);
      if (!metric) {
        ignored++;
        continue;
      }
      const vals = values(field);
      const points: Array<[number, number]> = [];
      for (let i = 0; i < vals.length; i++) {
        const v = num(vals[i]);
        const t = time ? times[i] : i;
        if (v !== undefined && t !== undefined) {
          points.push([t, v]);
        }
      }
      if (points.length) {
        points.sort((a, b) => a[0] - b[0]);
        series.push({ metric, labels: withoutName(field.labels), refId: frame.refId, points });
      }
    }
  }
  return { series, ignored };
}

/** What the policy series say; `pending`: burn rates but no release state yet (before the first rollup). */
export type ReleaseState = 'freeze' | 'caution' | 'ship' | 'pending' | 'unknown';

export interface BudgetRow {
  key: string;
  slo: string;
  service: string;
  /** Labels besides slo and slo_service (group-by labels and the SLO's own labels). */
  labels: Labels;
  /** Share of the period's error budget left (1 = untouched, below 0 = overspent). */
  budgetRemaining?: number;
  /** Burn rate per window (1 = spending exactly the budget over the period). */
  burn: Partial<Record<BurnWindow, number>>;
  periodDays?: number;
  /** The policy series' state alone. */
  state: ReleaseState;
  /** What to show: the policy merged with the manual freezes and overrides (set by framesToRows). */
  release?: Merged;
  /** Seconds until the budget is spent at the forecast burn rate; Infinity when not burning. */
  forecastSeconds?: number;
  /** Which window the forecast used. */
  forecastWindow?: BurnWindow;
  /** Budget remaining over the panel's time range (from a range query). */
  trend: Array<[number, number]>;
  /** Quality SLIs: the sampled pass ratio over 1d with its interval, and whether it can decide. */
  sampling?: SamplingStatus;
  /** The objective, for the sampling's "not enough samples to tell 92% from 94%". */
  objective?: number;
  /** Human notes on what is missing for this row. */
  notes: string[];
}

interface Acc {
  labels: Labels;
  latest: Map<string, [number, number]>;
  trend: Array<[number, number]>;
}

function rowKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function burnFor(w: BurnWindow, get: (m: string) => number | undefined): number | undefined {
  const budget = get(METRIC.errorBudget);
  const fromRatio = (window: string) => {
    const r = get(`slo:sli_error:ratio_rate${window}`);
    return r !== undefined && budget !== undefined && budget > 0 ? r / budget : undefined;
  };
  if (w === '5m') {
    return get(METRIC.currentBurn) ?? fromRatio('5m');
  }
  if (w === 'period') {
    const p = get(METRIC.periodBurn);
    if (p !== undefined) {
      return p;
    }
    const rem = get(METRIC.budgetRemaining);
    return rem !== undefined ? 1 - rem : undefined;
  }
  return fromRatio(w);
}

export const BUDGET_PENDING = 'budget appears after the first hourly rollup';

/** Groups series into rows (unsorted). */
export function buildRows(read: ReadResult, options: Pick<BudgetOptions, 'windows' | 'forecastWindow'>): BudgetRow[] {
  const acc = new Map<string, Acc>();
  for (const s of read.series) {
    if (isManualMetric(s.metric)) {
      continue;
    }
    const key = rowKey(s.labels);
    let a = acc.get(key);
    if (!a) {
      a = { labels: s.labels, latest: new Map(), trend: [] };
      acc.set(key, a);
    }
    const last = s.points[s.points.length - 1];
    const prev = a.latest.get(s.metric);
    if (!prev || last[0] >= prev[0]) {
      a.latest.set(s.metric, last);
    }
    if (s.metric === METRIC.budgetRemaining && s.points.length > 1 && s.points.length > a.trend.length) {
      a.trend = s.points;
    }
  }
  const rows: BudgetRow[] = [];
  for (const [key, a] of acc) {
    const get = (m: string) => a.latest.get(m)?.[1];
    const { slo = '', slo_service: service = '', ...rest } = a.labels;
    const burn: Partial<Record<BurnWindow, number>> = {};
    for (const w of options.windows) {
      const b = burnFor(w, get);
      if (b !== undefined) {
        burn[w] = b;
      }
    }
    const budgetRemaining = get(METRIC.budgetRemaining);
    const periodDays = get(METRIC.periodDays);
    const freeze = get(METRIC.freeze);
    const caution = get(METRIC.caution);
    const burning = [...a.latest.keys()].some((m) => m === METRIC.currentBurn || ERROR_RATIO.test(m));
    const state: ReleaseState =
      freeze === 1 ? 'freeze' : caution === 1 ? 'caution' : freeze === 0 ? 'ship' : burning ? 'pending' : 'unknown';

    let forecastWindow: BurnWindow | undefined = options.forecastWindow;
    let forecastBurn = burnFor(options.forecastWindow, get);
    if (forecastBurn === undefined && options.forecastWindow !== '5m') {
      forecastWindow = '5m';
      forecastBurn = burnFor('5m', get);
    }
    let forecastSeconds: number | undefined;
    if (budgetRemaining !== undefined && budgetRemaining <= 0) {
      forecastSeconds = 0;
    } else if (budgetRemaining !== undefined && periodDays !== undefined && forecastBurn !== undefined) {
      forecastSeconds = forecastBurn > 0 ? (budgetRemaining * periodDays * 86400) / forecastBurn : Infinity;
    } else {
      forecastWindow = undefined;
    }

    const notes: string[] = [];
    if (budgetRemaining === undefined) {
      notes.push(
        burning ? BUDGET_PENDING : 'no budget series'
      );
    }
    if (freeze === undefined && caution === undefined) {
      notes.push('no release state yet');
    }
    const errorBudget = get(METRIC.errorBudget);
    rows.push({
      key,
      slo,
      service,
      labels: rest,
      budgetRemaining,
      burn,
      periodDays,
      state,
      forecastSeconds,
      forecastWindow,
      trend: a.trend,
      sampling: samplingFromSeries(new Map([...a.latest].map(([m, p]) => [m, p[1]]))),
      objective: errorBudget === undefined ? undefined : 1 - errorBudget,
      notes,
    });
  }
  return rows;
}

const STATE_RANK: Record<Merged['state'], number> = { freeze: 0, caution: 1, pending: 2, unknown: 3, ship: 3, 'no-data': 3 };
const rankOf = (r: BudgetRow) => STATE_RANK[r.release?.state ?? (r.state === 'unknown' ? 'no-data' : r.state)];

function labelText(r: BudgetRow): string {
  return `${r.service}\u0000${r.slo}\u0000${rowKey(r.labels)}`;
}

/** Sorts rows: worst first (freeze, caution, then least budget), by budget, or by name. */
export function sortRows(rows: BudgetRow[], order: BudgetOptions['sort']): BudgetRow[] {
  const budget = (r: BudgetRow) => (r.budgetRemaining === undefined ? Number.POSITIVE_INFINITY : r.budgetRemaining);
  const byName = (a: BudgetRow, b: BudgetRow) => (labelText(a) < labelText(b) ? -1 : labelText(a) > labelText(b) ? 1 : 0);
  const out = [...rows];
  out.sort((a, b) => {
    if (order === 'name') {
      return byName(a, b);
    }
    if (order === 'worst' && rankOf(a) !== rankOf(b)) {
      return rankOf(a) - rankOf(b);
    }
    return budget(a) - budget(b) || byName(a, b);
  });
  return out;
}

/** Frames to sorted rows, with the count of series the panel could not place. */
export function framesToRows(
  frames: DataFrame[] | undefined,
  options: Pick<BudgetOptions, 'windows' | 'forecastWindow' | 'sort'>,
  now = Date.now()
): { rows: BudgetRow[]; ignored: number; series: number; manualExported: boolean } {
  const read = readSeries(frames);
  const manual = manualActions(read.series);
  const rows = buildRows(read, options).map((r) => ({ ...r, release: rowRelease(r, manual.actions, now) }));
  return { rows: sortRows(rows, options.sort), ignored: read.ignored, series: read.series.length, manualExported: manual.exported };
}

/** The app's page of an SLO (react-router path inside the app, see src/constants.ts ROUTES.Detail). */
export function sloPath(appBase: string, service: string, slo: string): string {
  return `${appBase}/slos/${encodeURIComponent(service)}/${encodeURIComponent(slo)}`;
}

/** "2 h", "5 days", "> 30 days" (past the period: not spent within a window at this rate). */
export function forecastText(row: Pick<BudgetRow, 'forecastSeconds' | 'periodDays'>): string {
  const s = row.forecastSeconds;
  if (s === undefined) {
    return '–';
  }
  if (s === 0) {
    return 'spent';
  }
  if (!Number.isFinite(s) || (row.periodDays !== undefined && s > row.periodDays * 86400)) {
    return row.periodDays !== undefined ? `> ${fmtDays(row.periodDays)}` : 'not burning';
  }
  if (s < 3600) {
    return `${Math.max(1, Math.round(s / 60))} min`;
  }
  if (s < 2 * 86400) {
    return `${Math.round(s / 3600)} h`;
  }
  return `${Math.round(s / 86400)} days`;
}

function fmtDays(d: number): string {
  return `${Number(d.toFixed(1))} days`;
}
