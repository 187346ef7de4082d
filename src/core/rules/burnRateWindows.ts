// Window math of the multiwindow, multi-burn-rate scheme (Google SRE workbook, "Alerting on SLOs").
// Each alert spends a fixed fraction of the period's budget in its long window; the short window
// is 1/12 of the long one and makes the alert reset quickly once the burn stops.

import { DAY, HOUR, MINUTE, formatDuration } from '../spec/duration';
import { TimeWindow } from '../spec/types';

export type Severity = 'page' | 'ticket';

export interface AlertWindow {
  severity: Severity;
  longSeconds: number;
  shortSeconds: number;
  /** Share of the period's budget this alert lets burn in its long window. */
  budgetFraction: number;
  /** Burn-rate threshold: budgetFraction x period / long window. */
  factor: number;
}

const SCHEME: Array<Omit<AlertWindow, 'factor'>> = [
  { severity: 'page', longSeconds: HOUR, shortSeconds: 5 * MINUTE, budgetFraction: 0.02 },
  { severity: 'page', longSeconds: 6 * HOUR, shortSeconds: 30 * MINUTE, budgetFraction: 0.05 },
  { severity: 'ticket', longSeconds: DAY, shortSeconds: 2 * HOUR, budgetFraction: 0.1 },
  { severity: 'ticket', longSeconds: 3 * DAY, shortSeconds: 6 * HOUR, budgetFraction: 0.1 },
];

/** Windows recorded for every SLO besides the period: the union of the scheme's windows. */
export const SHORT_WINDOWS = [5 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR];
export const LONG_WINDOWS = [DAY, 3 * DAY];
export const LONGEST_ALERT_WINDOW = 3 * DAY;

/** Nominal period length used for factors and names. Calendar months use 30 days. */
export function periodSeconds(window: TimeWindow): number {
  return window.type === 'rolling' ? window.days * DAY : 30 * DAY;
}

/** Suffix of the period series: `30d`, `28d`, or `month` for calendar months. */
export function periodName(window: TimeWindow): string {
  return window.type === 'rolling' ? formatDuration(window.days * DAY) : 'month';
}

export function alertWindows(window: TimeWindow): AlertWindow[] {
  const period = periodSeconds(window);
  return SCHEME.map((w) => ({ ...w, factor: Number(((w.budgetFraction * period) / w.longSeconds).toPrecision(12)) }));
}

/** Every window with a `slo:sli_error:ratio_rate<w>` series, in seconds, period excluded. */
export function recordedWindows(): number[] {
  return [...SHORT_WINDOWS, ...LONG_WINDOWS];
}

/** Names a policy may refer to: `5m`...`3d`, and `period`. */
export function policyWindowNames(): string[] {
  return [...recordedWindows().map(formatDuration), 'period'];
}
