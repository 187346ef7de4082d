// History at creation: the hourly rollup group of a new SLO starts empty, so for a whole period
// its sums would describe only the hours since creation while Prometheus holds the raw month. This
// module plans the backfill (pure): which rules of the rollup group read raw data (the base
// rollups: evaluated for the past with query_range of their own expr, the values equal what the
// live rule would have recorded) and which derive from rollups (the `_hourly` sums, covered hours,
// calendar month-to-date carries: computed here from the base values at the newest slot), and the
// slot instants to fill: every hour back from the newest slot at or before now, at the live group's
// phase (groupPhase.ts), so that the first live rollup continues the backfilled ones.

import { DAY, HOUR, parseDuration } from '../spec/duration';
import { Labels, Slo } from '../spec/types';
import { withRawInputs } from './rawExprs';
import { groupName } from './seriesNames';
import { quote } from '../promql/escape';
import { RecordingRule, RuleGroup } from './types';

export interface RollupRules {
  /** Rules that read raw (or other groups') series: evaluated for the past by query_range. */
  base: RecordingRule[];
  /** Rules computed from the base rollups: written once, at the newest backfilled slot. */
  derived: RecordingRule[];
}

const MONTH_MARKER = 'slo:calendar_month:number';

/** `name{slo="...", slo_service="..."}` of the SLO a rule belongs to, as the generated rules
 * select their own series (a composite's rules also read the same names of other SLOs). */
function ownSeries(name: string, rule: RecordingRule): string {
  return `${name}{slo=${quote(rule.labels?.slo ?? '')}, slo_service=${quote(rule.labels?.slo_service ?? '')}}`;
}

/** Splits the rollup group: a rule is derived when it reads a series the same group records for its SLO. */
export function classifyRollups(group: RuleGroup): RollupRules {
  const rules = group.rules.filter((r): r is RecordingRule => 'record' in r);
  const names = new Set(rules.map((r) => r.record));
  const reads = (r: RecordingRule) => [...names].some((n) => r.expr.includes(ownSeries(n, r)));
  return {
    base: rules.filter((r) => r.record !== MONTH_MARKER && !reads(r)),
    derived: rules.filter((r) => r.record === MONTH_MARKER || reads(r)),
  };
}

/** The SLO's rollup group among its generated groups. */
export function rollupGroup(groups: RuleGroup[], slo: Slo): RuleGroup | undefined {
  return groups.find((g) => g.name === groupName(slo, 'rollup'));
}

export interface HistoryPlan {
  /** Slot instants (s), oldest first, each `phase` seconds into an hour. */
  slots: number[];
  /** Hours of the period (rolling) or of the calendar month so far, including the newest slot. */
  periodHours: number;
}

/** Start (s, UTC) of the calendar month holding `t`. */
function monthStart(t: number): number {
  const d = new Date(t * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
}

/**
 * Slots to fill for `slo` at `nowS`: hourly instants at `phase` (s into the hour, from
 * groupPhase), from the newest at or before now back as far as the sums read (the period, and at
 * least the 3d window), not before `oldestS` (the data's retention), without the slots in `filled`
 * (instants that already hold a rollup: a rerun counts nothing twice).
 */
export function planHistory(slo: Slo, nowS: number, phase: number, opts: { oldestS?: number; filled?: Iterable<number> } = {}): HistoryPlan {
  const newest = Math.floor((nowS - phase) / HOUR) * HOUR + phase;
  const periodHours = slo.window.type === 'rolling' ? (slo.window.days * DAY) / HOUR : Math.floor((newest - monthStart(newest)) / HOUR) + 1;
  const hours = Math.max(periodHours, (3 * DAY) / HOUR);
  const filled = new Set([...(opts.filled ?? [])].map((t) => Math.round(t)));
  const slots: number[] = [];
  for (let i = hours - 1; i >= 0; i--) {
    const t = newest - i * HOUR;
    if ((opts.oldestS === undefined || t >= opts.oldestS) && !filled.has(Math.round(t))) {
      slots.push(t);
    }
  }
  return { slots, periodHours };
}

export interface Series {
  labels: Labels;
  /** [time (s), value], oldest first. */
  samples: Array<[number, number]>;
}

/** Labels of a series without its name: the key the derived rules group by. */
function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).filter(([k]) => k !== '__name__').sort(([a], [b]) => a.localeCompare(b)));
}

function unsupported(rule: RecordingRule): Error {
  return new Error(`history backfill: no way to compute ${rule.record} from its expr: ${rule.expr}`);
}

/**
 * Values of the derived rules at slot `t`, from the base rollups' samples (`base`, by record name:
 * backfilled and live alike). Each rule's expr is read for what it sums (sum_over_time,
 * count_over_time over a range; month-to-date carries over the slots of t's UTC month), so that
 * the numbers follow the rules as generated.
 */
export function deriveAt(derived: RecordingRule[], base: Map<string, Series[]>, t: number): Array<{ name: string; labels: Labels; value: number }> {
  const out: Array<{ name: string; labels: Labels; value: number }> = [];
  const perSeries = (source: string, from: number, count: boolean, rule: RecordingRule) => {
    for (const s of base.get(source) ?? []) {
      const inRange = s.samples.filter(([at]) => at > from + 1e-3 && at <= t + 1e-3);
      if (inRange.length > 0) {
        const value = count ? inRange.length : inRange.reduce((n, [, v]) => n + v, 0);
        const labels: Labels = { ...Object.fromEntries(JSON.parse(keyOf(s.labels))), ...rule.labels };
        out.push({ name: rule.record, labels, value });
      }
    }
  };
  for (const rule of derived) {
    if (rule.record === MONTH_MARKER) {
      const d = new Date(t * 1000);
      out.push({ name: rule.record, labels: { ...rule.labels }, value: d.getUTCMonth() + 1 + 12 * d.getUTCFullYear() });
      continue;
    }
    const window = /^(sum|count)_over_time\(([\w:]+)\{[^}]*\}\[(\w+)\]\)$/.exec(rule.expr);
    if (window) {
      const range = parseDuration(window[3]);
      if (range === undefined) {
        throw unsupported(rule);
      }
      perSeries(window[2], t - range, window[1] === 'count', rule);
      continue;
    }
    // The rollup's time (freshWindows.ts): the slot's instant wherever the rollup it marks has a value.
    const time = /^0 \* ([\w:]+)\{[^}]*\} \+ time\(\)$/.exec(rule.expr);
    if (time) {
      for (const s of base.get(time[1]) ?? []) {
        if (s.samples.some(([at]) => Math.abs(at - t) < 1e-3)) {
          out.push({ name: rule.record, labels: { ...Object.fromEntries(JSON.parse(keyOf(s.labels))), ...rule.labels }, value: t });
        }
      }
      continue;
    }
    // Month-to-date carries: `<hourly> + (carry)` adds the hour to the month so far.
    const carry = /^(\(0 \* )?([\w:]+)\{[^}]*\}( \+ 1\))?\n\+ \(/.exec(rule.expr);
    if (carry && rule.record.endsWith('month_to_date')) {
      perSeries(carry[2], monthStart(t) - 2e-3, carry[1] !== undefined, rule);
      continue;
    }
    throw unsupported(rule);
  }
  return out;
}

/** The short windows' inputs in the SLO's main group, and how far back the windows over them read. */
export interface ShortRatePlan {
  /** Rules of the main group that read raw data (the 5m rates): evaluated for the past. */
  rules: RecordingRule[];
  /** The group's interval (s): the rates are written at its instants. */
  intervalSeconds: number;
  /** The longest range any of the SLO's rules reads them over (the 6h window). */
  spanSeconds: number;
}

/**
 * The 5m, 30m, 1h and 6h windows sum the main group's 5m rates, which start at the SLO's
 * creation like the rollups: without their past, a new SLO's page and freeze windows hold only
 * the minutes since creation. Undefined when no rule reads them over a range.
 */
export function shortRatePlan(groups: RuleGroup[], slo: Slo): ShortRatePlan | undefined {
  const main = groups.find((g) => g.name === groupName(slo));
  const interval = main?.interval ? parseDuration(main.interval) : undefined;
  if (!main || interval === undefined) {
    return undefined;
  }
  const all = groups.flatMap((g) => g.rules);
  const recorded = all.flatMap((r) => ('record' in r ? [r.record] : []));
  // Its own recorded series only: a composite's 5m rates read its components' recorded ones.
  const readsRecorded = (r: RecordingRule) => recorded.some((n) => r.expr.includes(ownSeries(n, r)));
  /** The longest range any rule reads `name` over (0: never over a range). */
  const rangeOf = (name: string) => {
    const range = new RegExp(`${name.replace(/[.]/g, '\\.')}\\{[^}]*\\}\\[(\\w+)\\]`, 'g');
    return Math.max(0, ...all.flatMap((r) => [...r.expr.matchAll(range)].map((m) => parseDuration(m[1]) ?? 0)));
  };
  // The rates the windows read over a range. The bad-events 5m rate reads the 5m total recorded
  // just before it, which has no past yet: evaluated for the past, it reads the total's own expr.
  const rules = withRawInputs(main.rules).filter((r): r is RecordingRule => 'record' in r && rangeOf(r.record) > 0 && !readsRecorded(r));
  const span = Math.max(0, ...rules.map((r) => rangeOf(r.record)));
  return rules.length > 0 && span > 0 ? { rules, intervalSeconds: interval, spanSeconds: span } : undefined;
}

/** Instants of a group running every `stepS` at `phase` over the `spanS` up to now, oldest first, without `filled`. */
export function slotsBack(nowS: number, stepS: number, phase: number, spanS: number, filled: Iterable<number> = []): number[] {
  const newest = Math.floor((nowS - phase) / stepS) * stepS + phase;
  const have = new Set([...filled].map((t) => Math.round(t * 1000)));
  const out: number[] = [];
  for (let i = Math.ceil(spanS / stepS); i >= 0; i--) {
    const t = newest - i * stepS;
    if (!have.has(Math.round(t * 1000))) {
      out.push(t);
    }
  }
  return out;
}
