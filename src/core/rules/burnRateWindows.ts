// Window math of the multiwindow, multi-burn-rate scheme (Google SRE workbook, "Alerting on SLOs").
//
// Each alert has a long window, a short window 1/12 as long (the alert resets soon after the burn
// stops) and a factor. The workbook sets a 30-day period's factors from the share of the budget an
// alert lets burn in its long window (2% in 1h, 5% in 6h, 10% in 1d, 10% in 3d), which is the same
// as fixing how soon the burn it fires at would spend a whole budget: 50 hours, 5 days, 10 days and
// 30 days. Burnrate keeps those urgencies for every period, with the last one read as "the
// period" (at 30 days, 10% in 3 days is exactly 1x), and caps each at the period: a burn that does
// not spend the budget within the period never alerts. So factor = max(1, period / time); 30 days
// gives the workbook's 14.4, 6, 3 and 1. The windows stay the recorded ones (docs/spec.md, Alerting,
// says why this rule and not Pyrra's scaled windows, and gives the table).

import { DAY, HOUR, MINUTE, formatDuration } from '../spec/duration';
import { TimeWindow } from '../spec/types';

export type Severity = 'page' | 'ticket';

export interface AlertWindow {
  severity: Severity;
  longSeconds: number;
  shortSeconds: number;
  /** Burn-rate threshold: max(1, period / time to spend the budget). */
  factor: number;
  /** Share of the period's budget spent in the long window at the factor: factor x long / period. */
  budgetShare: number;
  /** How long a whole budget lasts at the factor: period / factor. */
  exhaustSeconds: number;
}

/** The workbook's windows, each with the time in which its threshold burn spends a whole budget
 * (`period`: the SLO's own period). */
const SCHEME: Array<{ severity: Severity; longSeconds: number; shortSeconds: number; spendsIn: number | 'period' }> = [
  { severity: 'page', longSeconds: HOUR, shortSeconds: 5 * MINUTE, spendsIn: 50 * HOUR },
  { severity: 'page', longSeconds: 6 * HOUR, shortSeconds: 30 * MINUTE, spendsIn: 5 * DAY },
  { severity: 'ticket', longSeconds: DAY, shortSeconds: 2 * HOUR, spendsIn: 10 * DAY },
  { severity: 'ticket', longSeconds: 3 * DAY, shortSeconds: 6 * HOUR, spendsIn: 'period' },
];

/** Windows recorded for every SLO besides the period: the union of the scheme's windows. */
export const SHORT_WINDOWS = [5 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR];
export const LONG_WINDOWS = [DAY, 3 * DAY];
export const LONGEST_ALERT_WINDOW = 3 * DAY;

/** Nominal period length used for alert factors and budgets in words. Calendar months use 30 days
 * (see docs/spec.md, Windows: static rules cannot follow the month's length). */
export function periodSeconds(window: TimeWindow): number {
  return window.type === 'rolling' ? window.days * DAY : 30 * DAY;
}

/** Suffix of the period series: `30d`, `28d`, or `month` for calendar months. */
export function periodName(window: TimeWindow): string {
  return window.type === 'rolling' ? formatDuration(window.days * DAY) : 'month';
}

const round = (x: number) => Number(x.toPrecision(12));

export function alertWindows(window: TimeWindow): AlertWindow[] {
  const period = periodSeconds(window);
  return SCHEME.map(({ spendsIn, ...w }) => {
    const factor = Math.max(1, round(period / (spendsIn === 'period' ? period : spendsIn)));
    return {
      ...w,
      factor,
      budgetShare: round((factor * w.longSeconds) / period),
      exhaustSeconds: round(period / factor),
    };
  });
}

/** Every window with a `slo:sli_error:ratio_rate<w>` series, in seconds, period excluded. */
export function recordedWindows(): number[] {
  return [...SHORT_WINDOWS, ...LONG_WINDOWS];
}

/** Names a policy may refer to: `5m`...`3d`, and `period`. */
export function policyWindowNames(): string[] {
  return [...recordedWindows().map(formatDuration), 'period'];
}
