// The 1d, 3d and period windows as they stand now, not as they stood at the last hourly rollup.
//
// The `:rollup` group sums its hourly rollups once an hour, at its offset t0, into sums S over
// (t0 - W, t0]; at t = t0 + a that trails real time by a, up to an hour. The window (t - W, t] is
//   S + tail(t) - tail(t - W)
// where tail(t) counts the events since the latest rollup, (t0, t], and tail(t - W), recorded a
// window earlier at the same offset in the hour, counts (t0 - W, t - W]: the start of the oldest
// rollup hour, which has slid out of the window since t0. Both edges come from the same recorded
// series the same way, so the window is as exact at its trailing edge as at its leading one; where
// no tail was recorded a window ago (the first window after these rules arrive, or hours filled in
// by a history backfill) nothing slides out: the window is up to an hour longer.
//
// The tail is kept by the `:period` group (every P = 3m) from the main group's 5m rates, and counts
// up to the newest of them, at x (e, the main group's interval, or less before now). The first
// evaluation after a rollup starts it at 5m rate x (x - t0). Each later one adds P x the average of
// the 5m rates recorded over the last P: every main sample counts once (when the two groups'
// offsets coincide, a sample on the boundary shifts weight between two samples but adds no time;
// a missed evaluation drops its P until the next rollup). Summed over an hour that telescopes to
// the counters' 5m moving average, which trails the counters by L = (5m - e) / 2, so the recorded
// tail also holds L x the newest 5m rate, and each evaluation takes the previous one's out. Where
// the counters run straight over the 5 minutes before x and before the restart, the tail is exactly
// the events in (t0, x] and the windows exactly (x - W, x]: right after a rollup the hourly sums,
// and after a step change the exact window again once the 5m rate has taken the step in.
//
// The `:period` group reads the rollup group's latest values (`latestRollup`). The rollup group
// commits each rule's samples separately, and records its time last: a query that sees this
// rollup's time sees its sums too (Prometheus's head isolation gives each query one snapshot),
// so the tail restarts from the same rollup the windows add it to. One race is left: when the
// rollup's time lands between the `:period` group's tail rule and its window rules (a few
// milliseconds once an hour), the windows hold the new sums and the previous hour's tail, and
// count that hour twice until the group's next evaluation, 3 minutes later. (Reading the rollup
// group as of a minute ago closes it, but then the windows trail by a minute more, and with every
// group at one instant, as promtool evaluates them, by a whole evaluation interval.)
//
// Left out, for the cost of a window evaluated every 3 minutes: checking that the tail a window
// ago counted from the rollup a window before this one. It did, unless a rollup was missed then
// (Prometheus down at the group's offset) or the group's offset moved (renamed group or rule
// file); then for one hour a window later the slid-out part is off by up to an hour's events, on
// top of the hour the sums themselves miss or double for the whole window (docs/metrics.md).

import { formatDuration, HOUR } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { Slo } from '../spec/types';
import { periodGroupSeconds } from './seriesNames';
import { E1H, E5, sloLabels, sloSelector, T1H, T5 } from './sliSignals';
import { RecordingRule } from './types';

/** When the latest hourly rollup ran (`:rollup` group, per group-by label set). */
export const ROLLUP_TIME = 'slo:sli_rollup_time:seconds';
/** Bad and total events since the latest hourly rollup (`:period` group). */
export const TAIL_E = 'slo:sli_error_events:increase_since_rollup';
export const TAIL_T = 'slo:sli_events:increase_since_rollup';

/** The rate-5m window, and how far the running sum of its samples trails the counters. */
const RATE_WINDOW = 300;

function rec(slo: Slo, name: string, expr: string): RecordingRule {
  return { record: name, expr, labels: sloLabels(slo) };
}

/** `:rollup` group, last (see above): the time of this rollup, where it has one. */
export function rollupTimeRule(slo: Slo): RecordingRule {
  return rec(slo, ROLLUP_TIME, `0 * ${T1H}${sloSelector(slo)} + time()`);
}

/** The latest value of a `:rollup` group series (as of `offset` seconds ago). */
export function latestRollup(name: string, slo: Slo, range = '90m', offset = 0): string {
  return `last_over_time(${name}${sloSelector(slo)}[${range}]${offset > 0 ? ` offset ${formatDuration(offset)}` : ''})`;
}

/**
 * `:period` group, first: the bad and total events since the latest rollup. Where there is no
 * rollup time to count from (a route without traffic this hour; or right after an upgrade from
 * rules without it) the tail is 0 wherever `longest` (the `:rollup` group's longest sum of total
 * events) has a value, so that every window with a sum has a tail.
 *
 * A cold start (no tail of this rollup to continue, an age past one period: the rules have just
 * arrived, or Prometheus was down) cannot take the newest 5m rate x age: a burst that ended
 * before now would count as nothing, a burst going on now as if it had lasted since the rollup,
 * and that error comes back a window later, when this tail slides out. It takes the last hour of
 * 5m rates instead (A, about the events in (x - C - L, x - L], C the span of the samples it has),
 * the lead L x the newest rate, and takes out the part of A before the rollup as that share of
 * the rollup's hour H, spread evenly over it:
 *   tail = A + L x rate - H x (C + L - age) / 1h
 * Exact where the traffic ran evenly through the rollup's hour, whatever came after it.
 */
export function tailRules(slo: Slo, longest: string): RecordingRule[] {
  const sel = sloSelector(slo);
  const e = formatDuration(slo.evaluationSeconds);
  const periodSeconds = periodGroupSeconds(slo);
  const p = formatDuration(periodSeconds);
  const lag = (RATE_WINDOW - Math.min(slo.evaluationSeconds, RATE_WINDOW)) / 2;
  const start = latestRollup(ROLLUP_TIME, slo);
  const tail = (name: string, rate: string, hourly: string) => {
    const r = `${rate}${sel}`;
    // The newest 5m rate the previous evaluation read, to take its lead out.
    const before = `last_over_time(${r}[${e}] offset ${p})`;
    const lead = lag > 0 ? ` + ${formatNumber(lag)} * (${r} - ${before})` : '';
    const age = `(timestamp(${r}) - ${start})`;
    const hour = `${r}[${formatDuration(HOUR)}]`;
    const before0 = `${latestRollup(hourly, slo)} * clamp_max(clamp_min(${slo.evaluationSeconds} * count_over_time(${hour}) + ${formatNumber(lag)} - ${age}, 0), ${HOUR}) / ${HOUR}`;
    const cold = `clamp_min(${slo.evaluationSeconds} * sum_over_time(${hour}) + ${formatNumber(lag)} * ${r} - ${before0}, 0)`;
    return rec(
      slo,
      name,
      `(\n  last_over_time(${name}${sel}[${formatDuration(2 * periodSeconds)}]) + ${periodSeconds} * avg_over_time(${r}[${p}])${lead}\n  and ${start} == ${latestRollup(ROLLUP_TIME, slo, '90m', periodSeconds)}\n)\nor ${r} * ${age} and ${age} <= ${periodSeconds}\nor ${cold}\nor 0 * ${latestRollup(longest, slo)}`
    );
  };
  return [tail(TAIL_E, E5, E1H), tail(TAIL_T, T5, T1H)];
}

/**
 * Events of one kind (bad or total) over the window of `windowSeconds` ending now, from its latest
 * hourly sum `sum` (a `latestRollup` expression): the sum, plus the tail, less the tail a window ago.
 * Where none was recorded a window ago (the first window after these rules arrive) nothing
 * slides out: the window is up to an hour longer. Without `windowSeconds` (calendar month to
 * date) nothing slides out either.
 */
export function freshEvents(slo: Slo, kind: 'bad' | 'total', sum: string, windowSeconds?: number): string {
  const tail = `${kind === 'bad' ? TAIL_E : TAIL_T}${sloSelector(slo)}`;
  if (windowSeconds === undefined) {
    return `(${sum} + ${tail})`;
  }
  return `clamp_min(${sum} + ${tail} - (${tail} offset ${formatDuration(windowSeconds)} or 0 * ${tail}), 0)`;
}

/**
 * Hours the windows cover: the hourly rollups counted (`counted`, a `latestRollup` expression), plus
 * the tail's age. Over a full rolling period this exceeds the period's hours and the caller
 * clamps the share to 1.
 */
export function freshCoveredHours(slo: Slo, counted: string): string {
  const age = `(time() - ${latestRollup(ROLLUP_TIME, slo)}) / ${HOUR}`;
  return `(${counted} + (${age} or 0 * ${counted}))`;
}
