// Rule groups for one SLO, following the public metric contract in docs/metrics.md (names from
// groupName: `burnrate:<service>:<slo>` and that plus `:<part>`):
//   :rollup   hourly: bad and total events per hour, their sums over 1d, 3d and the period (and
//             the calendar-month totals)
//   :period   every 2 minutes (or every evaluation, if longer): the 1d, 3d and period windows
//             from the latest hourly sums, period burn and budget remaining, objective metadata,
//             release freeze and caution
//   (main)    every evaluation, in this order: 5m signals, windows up to 6h, current burn rate,
//             then the multiwindow, multi-burn-rate alerts
//   :slices   timeslice SLIs only: one bad/good verdict per slice
// Every ratio is events-weighted (summed bad over summed total), and every division is guarded
// with `> 0`, so that no series is ever NaN or Inf: a window without events has no sample.

import { DAY, formatDuration, HOUR, MINUTE } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { Slo } from '../spec/types';
import { renderWindow } from '../promql/queries';
import { alertRules } from './alertRules';
import { addQualityRules } from './qualityRules';
import { errorBudget, groupName, periodGroupSeconds, periodSuffix, RATIO, ratioSeries } from './seriesNames';
import { LONG_WINDOWS, SHORT_WINDOWS } from './burnRateWindows';
import { AGREED1H, E1H, E5, REVIEWED1H, signalsFor, sloLabels, sloSelector, sumBy, T1H, T5, X1H } from './sliSignals';
import { RecordingRule, RuleGroup } from './types';
import { freshCoveredHours, freshEvents, rollupTimeRule, latestRollup, tailRules } from './freshWindows';

/** Hours of the rolling period with an hourly rollup (rollup group), and of the calendar month so far. */
const COVERED_HOURS = 'slo:sli_covered_hours:count_period_hourly';
const COVERED_HOURS_MTD = 'slo:sli_covered_hours:month_to_date';
const COVERAGE = 'slo:period_coverage:ratio';

function rec(slo: Slo, name: string, expr: string): RecordingRule {
  return { record: name, expr, labels: sloLabels(slo) };
}

function ratio(num: string, den: string): string {
  return `${num}\n/\n(${den} > 0)`;
}

/** Burn rate over a named policy window: `1d`, `6h`, ... or `period`. */
function burnExpr(slo: Slo, windowName: string): string {
  const sel = sloSelector(slo);
  if (windowName === 'period') {
    return `slo:period_burn_rate:ratio${sel}`;
  }
  return `${RATIO}${windowName}${sel} / ${formatNumber(errorBudget(slo))}`;
}

/** `slo:sli_events:increase1h` -> `slo:sli_events:increase30d_hourly`: a long sum of hourly
 * rollups, recorded by the hourly group. */
function hourlySum(hourly: string, window: string): string {
  return `${hourly.replace(/1h$/, window)}_hourly`;
}

/**
 * Hourly group: sums of the hourly rollups over the long windows and the rolling period. The
 * rollups are this group's own samples, exactly an hour apart, and Prometheus 2 range selectors
 * include both ends: `[1d]` would sum 25 hours. A range one minute short of the window holds
 * exactly its hours (on Prometheus 3, whose ranges are left-open, too).
 */
function hourlySumRules(slo: Slo): RecordingRule[] {
  const sel = sloSelector(slo);
  const windows = [...LONG_WINDOWS, ...(slo.window.type === 'rolling' ? [slo.window.days * DAY] : [])];
  const hoursOf = (seconds: number) => `[${formatDuration(seconds - MINUTE)}]`;
  const rules: RecordingRule[] = [];
  for (const w of windows) {
    for (const hourly of [E1H, T1H]) {
      rules.push(rec(slo, hourlySum(hourly, formatDuration(w)), `sum_over_time(${hourly}${sel}${hoursOf(w)})`));
    }
  }
  if (slo.window.type === 'rolling') {
    const p = slo.window.days * DAY;
    // How many hours of the period the rollups cover: short of the period while the SLO is young
    // or Prometheus holds less history than the period.
    rules.push(rec(slo, COVERED_HOURS, `count_over_time(${T1H}${sel}${hoursOf(p)})`));
    if (slo.exclude.length > 0) {
      rules.push(rec(slo, hourlySum(X1H, formatDuration(p)), `sum_over_time(${X1H}${sel}${hoursOf(p)})`));
    }
  }
  return rules;
}

/** The total-events sum that lasts longest after traffic stops: the period's, or the 3d one. */
function longestTotalSum(slo: Slo): string {
  if (slo.window.type === 'calendar') {
    return 'slo:sli_events:increase_month_to_date';
  }
  return hourlySum(T1H, formatDuration(Math.max(slo.window.days * DAY, ...LONG_WINDOWS)));
}

/**
 * Share of the period the windows cover, 0 to 1. Budget left counts the budget of the whole
 * period: the objective's share of the events the period is expected to hold at the traffic seen
 * so far. So `remaining = 1 - spent / budget = 1 - burn rate x coverage`: in a full window
 * `1 - burn rate`, and 10 days into a 30-day window with 700 of 1,000 allowed failures, 30%.
 */
function coverageRule(slo: Slo, eventsKnown: boolean): RecordingRule {
  const sel = sloSelector(slo);
  if (slo.window.type === 'calendar') {
    return eventsKnown
      ? rec(slo, COVERAGE, `clamp_max(${freshCoveredHours(slo, latestRollup(COVERED_HOURS_MTD, slo, '2h'))} / scalar(24 * days_in_month()), 1)`)
      : // Raw SLIs keep no month-to-date totals: their month is read as full.
        rec(slo, COVERAGE, `0 * ${RATIO}${periodSuffix(slo)}${sel} + 1`);
  }
  const hours = (slo.window.days * DAY) / HOUR;
  const counted = eventsKnown ? freshCoveredHours(slo, latestRollup(COVERED_HOURS, slo)) : `count_over_time(slo:sli_error:ratio_rollup1h${sel}[${formatDuration(slo.window.days * DAY - MINUTE)}])`;
  return rec(slo, COVERAGE, `clamp_max(${counted} / ${hours}, 1)`);
}

function readsShortWindow(windowName: string): boolean {
  return SHORT_WINDOWS.some((w) => formatDuration(w) === windowName);
}

/** Rules of the period group, and the policy rules that read a short window (for the main group). */
function periodRules(slo: Slo, eventsKnown: boolean): { rules: RecordingRule[]; onShortWindow: RecordingRule[] } {
  const sel = sloSelector(slo);
  const budget = formatNumber(errorBudget(slo));
  const suffix = periodSuffix(slo);
  const periodRatio = `${RATIO}${suffix}`;
  const rules: RecordingRule[] = [];
  const onShortWindow: RecordingRule[] = [];
  if (eventsKnown) {
    // The long sums change only when an hourly rollup arrives, so the rollup group computes them
    // once an hour; this group brings them up to now (freshWindows.ts), so they never go stale
    // and never trail real time by the hour since the rollup.
    const latest = (name: string) => latestRollup(name, slo);
    rules.push(...tailRules(slo, longestTotalSum(slo)));
    for (const w of LONG_WINDOWS) {
      const d = formatDuration(w);
      const [bad, total] = [freshEvents(slo, 'bad', latest(hourlySum(E1H, d)), w), freshEvents(slo, 'total', latest(hourlySum(T1H, d)), w)];
      rules.push(rec(slo, ratioSeries(slo, w), ratio(bad, total)));
    }
    if (slo.window.type === 'calendar') {
      // Month totals are kept by the hourly rollup group; read its latest value.
      const mtd = (name: string) => latestRollup(name, slo, '2h');
      const total = freshEvents(slo, 'total', mtd('slo:sli_events:increase_month_to_date'));
      rules.push(
        rec(slo, `slo:sli_events:increase${suffix}`, total),
        rec(slo, periodRatio, ratio(freshEvents(slo, 'bad', mtd('slo:sli_error_events:increase_month_to_date')), `slo:sli_events:increase${suffix}${sel}`))
      );
    } else {
      const p = slo.window.days * DAY;
      const d = formatDuration(p);
      rules.push(
        rec(slo, `slo:sli_events:increase${suffix}`, freshEvents(slo, 'total', latest(hourlySum(T1H, d)), p)),
        rec(slo, periodRatio, ratio(freshEvents(slo, 'bad', latest(hourlySum(E1H, d)), p), `slo:sli_events:increase${suffix}${sel}`))
      );
      if (slo.exclude.length > 0) {
        rules.push(rec(slo, `slo:sli_excluded_events:increase${suffix}`, latest(hourlySum(X1H, d))));
      }
    }
  } else {
    // Raw SLIs: an average of hourly error ratios (time-weighted; there are no event counts).
    const avg = (w: string) => `avg_over_time(slo:sli_error:ratio_rollup1h${sel}[${w}])`;
    for (const w of LONG_WINDOWS) {
      rules.push(rec(slo, ratioSeries(slo, w), avg(formatDuration(w))));
    }
    rules.push(rec(slo, periodRatio, avg(slo.window.type === 'calendar' ? '31d' : formatDuration(slo.window.days * DAY))));
  }
  rules.push(
    rec(slo, 'slo:period_burn_rate:ratio', `${periodRatio}${sel} / ${budget}`),
    coverageRule(slo, eventsKnown),
    rec(slo, 'slo:period_error_budget_remaining:ratio', `1 - slo:period_burn_rate:ratio${sel} * ${COVERAGE}${sel}`)
  );
  // Metadata per group: present wherever the SLO has data for that group.
  const present = eventsKnown ? `(slo:sli_events:increase${suffix}${sel} or ${T5}${sel})` : `(${periodRatio}${sel} or ${RATIO}5m${sel})`;
  const days = slo.window.type === 'calendar' ? 'scalar(days_in_month())' : String(slo.window.days);
  if (slo.sli.kind !== 'cost') {
    rules.push(rec(slo, 'slo:objective:ratio', `0 * ${present} + ${formatNumber(slo.objective)}`));
  }
  rules.push(rec(slo, 'slo:error_budget:ratio', `0 * ${present} + ${budget}`), rec(slo, 'slo:time_period:days', `0 * ${present} + ${days}`));

  // Freeze and caution go where their window is: with a 5m..6h policy window they must follow it
  // every evaluation, so they join the main group (`onShortWindow`).
  const p = slo.policy;
  const place = (windowName: string, rule: RecordingRule) => (readsShortWindow(windowName) ? onShortWindow : rules).push(rule);
  if (slo.sli.kind === 'cost') {
    // A soft SLO: it alerts, but it never freezes a release.
    rules.push(rec(slo, 'slo:release_freeze:bool', `0 * ${present}`));
  } else {
    const spent = `slo:period_error_budget_remaining:ratio${sel} <= bool ${formatNumber(p.freezeBudgetRemaining)}`;
    const burning = `${burnExpr(slo, p.freezeBurnWindow)} > bool ${formatNumber(p.freezeBurnRate)}`;
    place(p.freezeBurnWindow, rec(slo, 'slo:release_freeze:bool', `((${spent}) + (${burning}) > bool 0)\nor (${spent})\nor (${burning})`));
  }
  place(p.cautionBurnWindow, rec(slo, 'slo:release_caution:bool', `${burnExpr(slo, p.cautionBurnWindow)} > bool ${formatNumber(p.cautionBurnRate)}`));

  if (slo.sli.kind === 'quality' && slo.sli.agreement) {
    for (const w of [DAY, slo.window.type === 'rolling' ? slo.window.days * DAY : 30 * DAY]) {
      const d = formatDuration(w);
      rules.push(rec(slo, `slo:judge_agreement:ratio_rate${d}`, ratio(`sum_over_time(${AGREED1H}${sel}[${d}])`, `sum_over_time(${REVIEWED1H}${sel}[${d}])`)));
    }
  }
  return { rules, onShortWindow };
}

/** Keeps calendar-month totals: add this hour, and carry the previous total within the month. */
function calendarRollups(slo: Slo): RecordingRule[] {
  const sel = sloSelector(slo);
  const month = 'slo:calendar_month:number';
  const sameMonth = `last_over_time(${month}${sel}[32d]) == scalar(month() + 12 * year())`;
  const carry = (name: string, hourly: string) =>
    rec(slo, name, `${hourly}\n+ (\n  (last_over_time(${name}${sel}[32d]) and on() (${sameMonth}))\n  or 0 * ${hourly}\n)`);
  return [
    carry('slo:sli_error_events:increase_month_to_date', `${E1H}${sel}`),
    carry('slo:sli_events:increase_month_to_date', `${T1H}${sel}`),
    carry(COVERED_HOURS_MTD, `(0 * ${T1H}${sel} + 1)`),
    // Written after the totals, so that they compare against the month of the previous run.
    { record: month, expr: 'month() + 12 * year()', labels: { slo: slo.name, slo_service: slo.service } },
  ];
}

function rawRules(slo: Slo): { sli: RecordingRule[]; rollup: RecordingRule[] } {
  if (slo.sli.kind !== 'raw') {
    throw new Error('not a raw SLI');
  }
  const q = slo.sli.errorRatio;
  // A raw ratio expression may divide by zero: keep only finite values.
  const at = (w: string) => `(${sumBy(slo, renderWindow(q, w))}) >= 0 < +Inf`;
  return {
    sli: SHORT_WINDOWS.map((w) => rec(slo, ratioSeries(slo, w), at(formatDuration(w)))),
    rollup: [rec(slo, 'slo:sli_error:ratio_rollup1h', at('1h'))],
  };
}

function shortWindowRules(slo: Slo): RecordingRule[] {
  const sel = sloSelector(slo);
  return SHORT_WINDOWS.map((w) => {
    if (w === 300) {
      return rec(slo, ratioSeries(slo, w), ratio(`${E5}${sel}`, `${T5}${sel}`));
    }
    const d = formatDuration(w);
    return rec(slo, ratioSeries(slo, w), ratio(`sum_over_time(${E5}${sel}[${d}])`, `sum_over_time(${T5}${sel}[${d}])`));
  });
}

/** All Prometheus and Loki rule groups for one SLO. */
export function sloRuleGroups(slo: Slo): { prometheus: RuleGroup[]; loki: RuleGroup[] } {
  const every = formatDuration(slo.evaluationSeconds);
  const sel = sloSelector(slo);
  const budget = formatNumber(errorBudget(slo));
  const eventsKnown = slo.sli.kind !== 'raw';
  const prometheus: RuleGroup[] = [];
  const loki: RuleGroup[] = [];

  let sli: RecordingRule[];
  let rollup: RecordingRule[];
  if (eventsKnown) {
    const s = signalsFor(slo);
    sli = [...s.sli, ...shortWindowRules(slo)];
    rollup = s.rollup;
    if (s.slices) {
      prometheus.push({ name: groupName(slo, 'slices'), interval: formatDuration(s.slices.seconds), rules: s.slices.rules });
    }
    if (s.loki) {
      loki.push({ name: groupName(slo, 'loki'), interval: '1m', rules: s.loki });
    }
  } else {
    ({ sli, rollup } = rawRules(slo));
  }
  sli.push(rec(slo, 'slo:current_burn_rate:ratio', `${RATIO}5m${sel} / ${budget}`));
  if (eventsKnown) {
    rollup.push(...hourlySumRules(slo));
  }
  if (slo.window.type === 'calendar' && eventsKnown) {
    rollup.push(...calendarRollups(slo));
  }
  if (eventsKnown) {
    // Last: whoever sees this rollup's time sees its sums (freshWindows.ts).
    rollup.push(rollupTimeRule(slo));
  }
  const period = periodRules(slo, eventsKnown);
  // The alerts share a group with the windows they read, so they see the windows of the same
  // evaluation (rules in a group run in order), not ones a group at another offset in the
  // interval wrote up to an interval earlier. Where groups run at the same instant (promtool runs
  // them in file order) the period group reads this hour's sums and the alerts its results.
  prometheus.push(
    { name: groupName(slo, 'rollup'), interval: formatDuration(HOUR), rules: rollup },
    { name: groupName(slo, 'period'), interval: formatDuration(periodGroupSeconds(slo)), rules: period.rules },
    { name: groupName(slo), interval: every, rules: [...sli, ...period.onShortWindow, ...alertRules(slo)] }
  );
  addQualityRules(slo, prometheus);
  return { prometheus, loki };
}
