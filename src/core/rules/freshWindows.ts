// The 1d, 3d and period windows as they stand now, not as they stood at the last hourly rollup.
//
// The `:rollup` group sums its hourly rollups once an hour, at its offset t0, into sums S over
// (t0 - W, t0]; at t = t0 + a that trails real time by a, up to an hour. The window (t - W, t] is
//   S + tail(t) - tail(t - W)
// where tail(t) counts the events since the latest rollup, (t0, t], and tail(t - W), recorded a
// window earlier at the same offset in the hour, counts (t0 - W, t - W]: the start of the oldest
// rollup hour, which has slid out of the window since t0. Both edges come from the same recorded
// series the same way, so the window is as exact at its trailing edge as at its leading one; where
// no tail was recorded a window ago (the first period after these rules arrive, or hours filled in
// by a history backfill) the oldest rollup hour is taken as evenly spread instead: its share
// a / 1h slides out.
//
// The tail is kept by the `:period` group (every P = 2m) from the main group's 5m rates, and counts
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
// Which rollup a tail counts from is recorded beside it (TAIL_START, written first, so both tails
// of an evaluation agree on it), and a window uses the tail only when that is the rollup its sums
// come from. The `:rollup` group writes its time before its sums, so a window that sees new sums
// also sees their time: it never adds a tail from the hour its sums already hold.

import { formatDuration, HOUR } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { Slo } from '../spec/types';
import { periodGroupSeconds } from './seriesNames';
import { E1H, E5, sloLabels, sloSelector, T1H, T5 } from './sliSignals';
import { RecordingRule } from './types';

/** When the latest hourly rollup ran (`:rollup` group, per group-by label set). */
export const ROLLUP_TIME = 'slo:sli_rollup_time:seconds';
/** The rollup the tails below count from (`:period` group). */
export const TAIL_START = 'slo:sli_tail_start:seconds';
/** Bad and total events since the latest hourly rollup (`:period` group). */
export const TAIL_E = 'slo:sli_error_events:increase_since_rollup';
export const TAIL_T = 'slo:sli_events:increase_since_rollup';

/** The rate-5m window, and how far the running sum of its samples trails the counters. */
const RATE_WINDOW = 300;

function rec(slo: Slo, name: string, expr: string): RecordingRule {
  return { record: name, expr, labels: sloLabels(slo) };
}

/** `:rollup` group, after the hourly rollups and before their sums: the time of this rollup. */
export function rollupTimeRule(slo: Slo): RecordingRule {
  return rec(slo, ROLLUP_TIME, `0 * ${T1H}${sloSelector(slo)} + time()`);
}

/** The latest rollup time, as the sums it came with are read (`last_over_time(...[90m])`). */
function latestRollupTime(slo: Slo): string {
  return `last_over_time(${ROLLUP_TIME}${sloSelector(slo)}[90m])`;
}

/** `:period` group, first: the tail's start, then the bad and total events since it. */
export function tailRules(slo: Slo): RecordingRule[] {
  const sel = sloSelector(slo);
  const e = formatDuration(slo.evaluationSeconds);
  const periodSeconds = periodGroupSeconds(slo);
  const p = formatDuration(periodSeconds);
  const lag = (RATE_WINDOW - Math.min(slo.evaluationSeconds, RATE_WINDOW)) / 2;
  const start = `${TAIL_START}${sel}`;
  const tail = (name: string, rate: string) => {
    const r = `${rate}${sel}`;
    // The newest 5m rate the previous evaluation read, to take its lead out.
    const before = `last_over_time(${r}[${e}] offset ${p})`;
    const lead = lag > 0 ? ` + ${formatNumber(lag)} * (${r} - ${before})` : '';
    return rec(
      slo,
      name,
      `(\n  last_over_time(${name}${sel}[${formatDuration(2 * periodSeconds)}]) + ${periodSeconds} * avg_over_time(${r}[${p}])${lead}\n  and ${start} == ${start} offset ${p}\n)\nor ${r} * (timestamp(${r}) - ${start})`
    );
  };
  return [rec(slo, TAIL_START, latestRollupTime(slo)), tail(TAIL_E, E5), tail(TAIL_T, T5)];
}

/** The tail counts only where it starts at the rollup the sums come from. */
function current(slo: Slo): string {
  return `${TAIL_START}${sloSelector(slo)} == ${latestRollupTime(slo)}`;
}

/**
 * Events of one kind (bad or total) over the window of `windowSeconds` ending now, from its latest
 * hourly sum `sum` (an expression). Without `windowSeconds` (calendar month to date) nothing slides
 * out. Where there is no current tail (rules just loaded, no rollup for 90 minutes) it is the sum
 * alone, as before.
 */
export function freshEvents(slo: Slo, kind: 'bad' | 'total', sum: string, windowSeconds?: number): string {
  const sel = sloSelector(slo);
  const [hourly, tailName, rate] = kind === 'bad' ? [E1H, TAIL_E, E5] : [T1H, TAIL_T, T5];
  const tail = `${tailName}${sel}`;
  let added = tail;
  if (windowSeconds !== undefined) {
    const w = formatDuration(windowSeconds);
    const start = `${TAIL_START}${sel}`;
    // The tail a window ago, where it started a window before this one.
    const twin = `${tail} offset ${w} and abs(${start} offset ${w} + ${windowSeconds} - ${start}) < 1`;
    const even = `${oldestRollup(hourly, sel, windowSeconds)} * (timestamp(${rate}${sel}) - ${start}) / ${HOUR}`;
    added = `${tail} - (\n    ${twin}\n    or ${even}\n    or 0 * ${tail}\n  )`;
  }
  return `clamp_min(\n  ${sum}\n  + (\n    (${added})\n    and ${current(slo)}\n    or 0 * ${sum}\n  ),\n  0\n)`;
}

/** The rollup of the window's oldest hour, (t0 - W, t0 - W + 1h]. */
function oldestRollup(hourly: string, sel: string, windowSeconds: number): string {
  return `last_over_time(${hourly}${sel}[1h] offset ${formatDuration(windowSeconds - HOUR)})`;
}

/**
 * Hours the windows cover: the hourly rollups counted (`counted`), plus the tail's age while it
 * counts. Over a full rolling period this exceeds the period's hours (the tail and the slid-out
 * start of the oldest hour cancel) and the caller clamps the share to 1.
 */
export function freshCoveredHours(slo: Slo, counted: string): string {
  const age = `(time() - ${TAIL_START}${sloSelector(slo)}) / ${HOUR}`;
  return `(\n  ${counted}\n  + (${age} and ${current(slo)} or 0 * ${counted})\n)`;
}
