// The 1d, 3d and period windows as they stand now, not as they stood at the last hourly rollup.
//
// The hourly rollup group sums its rollups once an hour, at its offset t0: a window W then holds
// (t0 - W, t0], which at time t = t0 + age trails real time by up to an hour (a 36x outage left
// "budget left" unmoved for up to an hour). The window (t - W, t] is those sums plus the events
// since the rollup (the tail, (t0, t]) less the part of the oldest rollup hour that has slid out of
// the window ((t0 - W, t - W]):
//   events(t - W, t] = sum(t0) + tail(t) - oldest rollup x age / 1h
// The tail accumulates the recorded 5m rates every evaluation of the main group (events per
// evaluation = rate x interval) and restarts when a rollup lands (events since the rollup = the 5m
// rate x age), so it follows real time within the 5m rate's smoothing, at two rules per SLO per
// evaluation that read a handful of samples. The oldest hour is taken as evenly spread: its error
// is bounded by how uneven that one hour was, a window length ago.

import { formatDuration, HOUR, MINUTE } from '../spec/duration';
import { Slo } from '../spec/types';
import { E1H, E5, sloLabels, sloSelector, T1H, T5 } from './sliSignals';
import { RecordingRule } from './types';

/** When the latest hourly rollup ran (rollup group), and how long ago (period group). */
export const ROLLUP_TIME = 'slo:sli_rollup_time:seconds';
export const ROLLUP_AGE = 'slo:sli_rollup_age:seconds';
/** Bad and total events since the latest hourly rollup (main group). */
export const TAIL_E = 'slo:sli_error_events:increase_since_rollup';
export const TAIL_T = 'slo:sli_events:increase_since_rollup';

/** Below this age the tail restarts from the 5m rate alone: the rate's window covers the age. */
const RESTART_SECONDS = 5 * MINUTE;

function rec(slo: Slo, name: string, expr: string): RecordingRule {
  return { record: name, expr, labels: sloLabels(slo) };
}

/** Rollup group: the time of this rollup, per group (the rollups' own labels). */
export function rollupTimeRule(slo: Slo): RecordingRule {
  return rec(slo, ROLLUP_TIME, `0 * ${T1H}${sloSelector(slo)} + time()`);
}

/** Main group, after the 5m rates: the events since the latest rollup. */
export function tailRules(slo: Slo): RecordingRule[] {
  const sel = sloSelector(slo);
  const every = slo.evaluationSeconds;
  const age = `(time() - last_over_time(${ROLLUP_TIME}${sel}[90m]))`;
  // A missed evaluation drops one interval's events until the next rollup, nothing more.
  const previous = (tail: string) => `last_over_time(${tail}${sel}[${formatDuration(2 * every)}])`;
  const tail = (name: string, rate: string) =>
    rec(
      slo,
      name,
      `(${rate}${sel} * ${age} and ${age} <= ${RESTART_SECONDS})\nor (${rate}${sel} * ${every} + ${previous(name)})\nor ${rate}${sel} * ${every}`
    );
  return [tail(TAIL_E, E5), tail(TAIL_T, T5)];
}

/** Period group, first: the age of the latest rollup. */
export function rollupAgeRule(slo: Slo): RecordingRule {
  const sel = sloSelector(slo);
  return rec(slo, ROLLUP_AGE, `time() - last_over_time(${ROLLUP_TIME}${sel}[90m])`);
}

/**
 * Events of one kind (bad or total) over the window of `windowSeconds` ending now, from its
 * latest hourly sum `sum` (an expression). Where the tail or the age is missing (rules just
 * loaded, or the rollups of an older version without them) it is the sum alone, as before.
 */
export function freshEvents(slo: Slo, kind: 'bad' | 'total', sum: string, windowSeconds?: number): string {
  const sel = sloSelector(slo);
  const [hourly, tail] = kind === 'bad' ? [E1H, TAIL_E] : [T1H, TAIL_T];
  // The tail counts only once it has restarted after the latest rollup: just after a rollup it
  // still holds the hour the new sums already include.
  const restarted = `timestamp(${tail}${sel}) > last_over_time(${ROLLUP_TIME}${sel}[90m])`;
  const parts = [`${sum}`, `+ ((last_over_time(${tail}${sel}[5m]) and ${restarted}) or 0 * ${sum})`];
  if (windowSeconds !== undefined) {
    parts.push(`- ((${oldestRollup(slo, hourly, windowSeconds)} * ${ROLLUP_AGE}${sel} / ${HOUR}) or 0 * ${sum})`);
  }
  return `clamp_min(\n  ${parts.join('\n  ')}\n, 0)`;
}

/** The rollup of the oldest hour of the window, which slides out of it as the tail grows. */
function oldestRollup(slo: Slo, hourly: string, windowSeconds: number): string {
  return `last_over_time(${hourly}${sloSelector(slo)}[1h] offset ${formatDuration(windowSeconds - HOUR)})`;
}

/**
 * Hours of the window covered: the hourly rollups counted, plus the tail's share of an hour while
 * the window is younger than its period (in a full window the tail and the slid-out part of the
 * oldest hour cancel).
 */
export function freshCoveredHours(slo: Slo, counted: string, windowSeconds?: number): string {
  const age = `${ROLLUP_AGE}${sloSelector(slo)} / ${HOUR}`;
  const young = windowSeconds === undefined ? age : `(${age} unless ${oldestRollup(slo, T1H, windowSeconds)})`;
  return `(${counted} + (${young} or 0 * ${counted}))`;
}
