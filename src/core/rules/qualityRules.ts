// Quality SLOs are sampled: their error ratio is an estimate, and a decision on it must know how
// good the estimate is. Added to the groups ruleGroups builds, per group-by label set:
//   rollup   slo:sli_events_weight_squared:increase1h and its sums over 1d, 3d and a rolling period
//            (weighted blends only: Σ w²·samples, the denominator of Kish's effective sample size)
//   period   per window w in 1d, the policy's freeze window and the period:
//              slo:sli_samples:effective<w>          n_eff = (Σ w·n)² / Σ w²·n (Σ n when unweighted)
//              slo:sli_error_lower:ratio_rate<w>,    Wilson's 95% score interval of the error
//              slo:sli_error_upper:ratio_rate<w>       ratio, with n_eff samples
//              slo:sli_samples:needed<w>             n_eff at which that interval leaves out the
//                                                    objective's error ratio (score-test inversion)
//            slo:sli_samples_insufficient:bool       1 when the last day cannot tell the error ratio
//                                                    from the objective's (n_eff1d < needed1d)
//            slo:judge_untrusted:bool                agreement with people over 1d under the minimum
//   and the freeze and caution rules rewritten by the policy (`policy.quality`): freeze on the
//   lower bound, caution where only the estimate says freeze, caution instead of freeze while the
//   judge is not trusted. docs/metrics.md and docs/spec.md give the formulas and the reasons.

import { DAY, formatDuration, MINUTE } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { QualitySli, Slo } from '../spec/types';
import { quote } from '../promql/escape';
import { Z95 } from '../quality/interval';
import { LONG_WINDOWS } from './burnRateWindows';
import { errorBudget, periodSuffix, RATIO } from './seriesNames';
import { AGREED1H, counterPair, REVIEWED1H, sloLabels, sloSelector, sumBy } from './sliSignals';
import { isAlertingRule, RecordingRule, RuleGroup } from './types';

export const Q1H = 'slo:sli_events_weight_squared:increase1h';
export const EFFECTIVE = 'slo:sli_samples:effective';
export const NEEDED = 'slo:sli_samples:needed';
export const LOWER = 'slo:sli_error_lower:ratio_rate';
export const UPPER = 'slo:sli_error_upper:ratio_rate';
export const INSUFFICIENT = 'slo:sli_samples_insufficient:bool';
export const UNTRUSTED = 'slo:judge_untrusted:bool';
const FREEZE = 'slo:release_freeze:bool';
const CAUTION = 'slo:release_caution:bool';

function rec(slo: Slo, record: string, expr: string): RecordingRule {
  return { record, expr, labels: sloLabels(slo) };
}

/** Weights change the variance only when they differ from 1 or there is more than one component. */
function weighted(sli: QualitySli): boolean {
  return sli.components.length > 1 || sli.components[0].weight !== 1;
}

/** Σ w²·samples over the last hour, per group. */
function weightSquaredHour(slo: Slo, sli: QualitySli): string {
  if (sli.source === 'loki') {
    const parts = sli.components.map((c) => {
      const sel = `{slo=${quote(slo.name)}, slo_service=${quote(slo.service)}, slo_component=${quote(c.name)}}`;
      return `label_replace(${formatNumber(c.weight * c.weight)} * sum_over_time(slo:sli_events:increase1m${sel}[1h]), "slo_component", ${quote(c.name)}, "", "")`;
    });
    return sumBy(slo, parts.join(' or '));
  }
  // The blend's weighted total with every weight squared is Σ w²·samples.
  const squared: Slo = { ...slo, sli: { ...sli, components: sli.components.map((c) => ({ ...c, weight: c.weight * c.weight })) } };
  return counterPair(squared, 3600, 'increase').total;
}

/** The window names the interval is recorded for: 1d (what people read), the freeze window, the period. */
export function intervalWindows(slo: Slo): string[] {
  return [...new Set(['1d', slo.policy.freezeBurnWindow, 'period'].filter((w) => ['1d', '3d', 'period'].includes(w)))];
}

function suffixOf(slo: Slo, w: string): string {
  return w === 'period' ? periodSuffix(slo) : w;
}

/** The interval rules of one window, from its error ratio and its weighted events. */
function windowRules(slo: Slo, sli: QualitySli, w: string): RecordingRule[] {
  const sel = sloSelector(slo);
  const s = suffixOf(slo, w);
  const hourly = (name: string, d: string) => `last_over_time(${name.replace(/1h$/, d)}_hourly${sel}[90m])`;
  const total = w === 'period' ? `slo:sli_events:increase${s}${sel}` : hourly('slo:sli_events:increase1h', w);
  let effective = total;
  if (weighted(sli)) {
    if (w === 'period' && slo.window.type === 'calendar') {
      // No month-to-date Σw²: the month borrows the last 3 days' design effect (n_eff / Σ w·n).
      effective = `${total} * ${hourly('slo:sli_events:increase1h', '3d')} / (${hourly(Q1H, '3d')} > 0)`;
    } else {
      const d = w === 'period' ? formatDuration(slo.window.type === 'rolling' ? slo.window.days * DAY : 0) : w;
      effective = `${total} ^ 2 / (${hourly(Q1H, d)} > 0)`;
    }
  }
  const p = `${RATIO}${s}${sel}`;
  const n = `${EFFECTIVE}${s}${sel}`;
  const z = formatNumber(Z95);
  const z2 = Z95 * Z95;
  // (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
  const bound = (sign: '-' | '+') =>
    `(${p} + ${formatNumber(z2 / 2)} / ${n} ${sign} ${z} * sqrt(${p} * (1 - ${p}) / ${n} + ${formatNumber(z2 / 4)} / ${n} ^ 2))\n/ (1 + ${formatNumber(z2)} / ${n})`;
  const b = errorBudget(slo);
  return [
    rec(slo, `${EFFECTIVE}${s}`, `(${effective}) > 0`),
    rec(slo, `${LOWER}${s}`, `clamp_min(${bound('-')}, 0)`),
    rec(slo, `${UPPER}${s}`, `clamp_max(${bound('+')}, 1)`),
    // z²·b(1-b) / (p - b)²: no sample when p is exactly the objective's ratio (never told apart).
    rec(slo, `${NEEDED}${s}`, `${formatNumber(z2 * b * (1 - b))} / ((${p} - ${formatNumber(b)}) ^ 2 > 0)`),
  ];
}

/** Σ w² hourly, and its sums over 1d, 3d and a rolling period (weighted blends only). */
function rollupRules(slo: Slo, sli: QualitySli): RecordingRule[] {
  if (!weighted(sli)) {
    return [];
  }
  const sel = sloSelector(slo);
  const windows = [...LONG_WINDOWS, ...(slo.window.type === 'rolling' ? [slo.window.days * DAY] : [])];
  return [
    rec(slo, Q1H, weightSquaredHour(slo, sli)),
    // One minute short of the window: the hourly samples are exactly an hour apart (see ruleGroups).
    ...windows.map((w) => rec(slo, `${Q1H.replace(/1h$/, formatDuration(w))}_hourly`, `sum_over_time(${Q1H}${sel}[${formatDuration(w - MINUTE)}])`)),
  ];
}

/** Adds the sampling rules of a quality SLO to its groups and makes its freeze respect them. */
export function addQualityRules(slo: Slo, groups: RuleGroup[]): void {
  const sli = slo.sli;
  if (sli.kind !== 'quality') {
    return;
  }
  const rollup = groups.find((g) => g.name.endsWith(':rollup'));
  const period = groups.find((g) => g.name.endsWith(':period'));
  if (!rollup || !period) {
    throw new Error(`quality SLO ${slo.name}: no rollup or period group to add the sampling rules to`);
  }
  rollup.rules.push(...rollupRules(slo, sli));
  const sel = sloSelector(slo);
  const rules: RecordingRule[] = intervalWindows(slo).flatMap((w) => windowRules(slo, sli, w));
  rules.push(rec(slo, INSUFFICIENT, `(${EFFECTIVE}1d${sel} < bool ${NEEDED}1d${sel})\nor (0 * ${EFFECTIVE}1d${sel} + 1)`));
  if (sli.agreement) {
    // The same ratio as slo:judge_agreement:ratio_rate1d, which is recorded after the freeze rule.
    const agreement = `sum_over_time(${AGREED1H}${sel}[1d])\n/\n(sum_over_time(${REVIEWED1H}${sel}[1d]) > 0)`;
    rules.push(rec(slo, UNTRUSTED, `(${agreement}) < bool ${formatNumber(sli.agreement.minimum)}`));
  }
  // Before the freeze and caution rules, so that they read this evaluation's interval.
  const at = period.rules.findIndex((r) => !isAlertingRule(r) && (r.record === FREEZE || r.record === CAUTION));
  period.rules.splice(at < 0 ? period.rules.length : at, 0, ...rules);
  rewritePolicy(slo, sli, groups);
}

function findRule(groups: RuleGroup[], record: string): RecordingRule | undefined {
  for (const g of groups) {
    const r = g.rules.find((x) => !isAlertingRule(x) && x.record === record);
    if (r) {
      return r as RecordingRule;
    }
  }
  return undefined;
}

/** The same test as ruleGroups' freeze, on the interval's lower bound instead of the estimate. */
function lowerBoundFreeze(slo: Slo): string {
  const sel = sloSelector(slo);
  const p = slo.policy;
  const budget = formatNumber(errorBudget(slo));
  const s = periodSuffix(slo);
  const spent = `1 - ${LOWER}${s}${sel} / ${budget} * slo:period_coverage:ratio${sel} <= bool ${formatNumber(p.freezeBudgetRemaining)}`;
  const burning = `${LOWER}${suffixOf(slo, p.freezeBurnWindow)}${sel} / ${budget} > bool ${formatNumber(p.freezeBurnRate)}`;
  return `((${spent}) + (${burning}) > bool 0)\nor (${spent})\nor (${burning})`;
}

function rewritePolicy(slo: Slo, sli: QualitySli, groups: RuleGroup[]): void {
  const freeze = findRule(groups, FREEZE);
  const caution = findRule(groups, CAUTION);
  if (!freeze || !caution) {
    throw new Error(`quality SLO ${slo.name}: no freeze or caution rule to rewrite`);
  }
  const estimate = freeze.expr;
  let decided = slo.policy.qualityDecideOn === 'lowerBound' ? lowerBoundFreeze(slo) : estimate;
  if (sli.agreement && slo.policy.untrustedJudge === 'caution') {
    // A judge people do not agree with measures its own opinion: it may warn, not stop releases.
    decided = `((${decided}) unless (${UNTRUSTED}${sloSelector(slo)} == 1))\nor (0 * (${decided}))`;
  }
  freeze.expr = decided;
  if (decided !== estimate) {
    // Caution wherever the estimate alone would freeze: the error ratio may be above the threshold.
    caution.expr = `((${caution.expr}) + (${estimate}) > bool 0)\nor (${caution.expr})\nor (${estimate})`;
  }
}
