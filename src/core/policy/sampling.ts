// What a quality SLO's sampling series say, in numbers and in words: the pass ratio over the last
// day with its 95% interval and effective sample size, whether that is enough to tell it from the
// objective, and whether the judge is trusted. From the series qualityRules records.

import { formatNumber } from '../spec/numbers';
import { Slo } from '../spec/types';
import { EFFECTIVE, INSUFFICIENT, LOWER, NEEDED, UNTRUSTED, UPPER } from '../rules/qualityRules';
import { errorBudget, RATIO } from '../rules/seriesNames';

export interface SamplingStatus {
  /** The window the numbers are over. */
  window: '1d';
  errorRatio: number;
  /** 95% Wilson interval of the error ratio. */
  errorLower: number;
  errorUpper: number;
  /** Kish's effective sample size (the sample count when components are unweighted). */
  effectiveSamples: number;
  /** Effective samples needed to tell the error ratio from the objective's; absent when equal. */
  neededSamples?: number;
  /** The last day cannot tell the error ratio from the objective's. */
  insufficient: boolean;
  /** The judge agrees with human reviewers less than the minimum over 1d. */
  judgeUntrusted?: boolean;
  judgeAgreement?: number;
}

/** The sampling status of one group, from its series by name; undefined until they exist. */
export function samplingStatus(slo: Slo, values: Map<string, number>): SamplingStatus | undefined {
  return slo.sli.kind === 'quality' ? samplingFromSeries(values) : undefined;
}

/** The series a sampling status reads (only quality SLIs record them). */
export const SAMPLING_SERIES = [`${RATIO}1d`, `${LOWER}1d`, `${UPPER}1d`, `${EFFECTIVE}1d`, `${NEEDED}1d`, INSUFFICIENT, UNTRUSTED, 'slo:judge_agreement:ratio_rate1d'];

/**
 * The sampling status from the series of one group, for readers without the spec (the budget
 * panel): undefined unless the interval series exist, which only quality SLIs record.
 */
export function samplingFromSeries(values: Map<string, number>): SamplingStatus | undefined {
  const errorRatio = values.get(`${RATIO}1d`);
  const errorLower = values.get(`${LOWER}1d`);
  const errorUpper = values.get(`${UPPER}1d`);
  const effectiveSamples = values.get(`${EFFECTIVE}1d`);
  if (errorRatio === undefined || errorLower === undefined || errorUpper === undefined || effectiveSamples === undefined) {
    return undefined;
  }
  const untrusted = values.get(UNTRUSTED);
  return {
    window: '1d',
    errorRatio,
    errorLower,
    errorUpper,
    effectiveSamples,
    neededSamples: values.get(`${NEEDED}1d`),
    insufficient: values.get(INSUFFICIENT) === 1,
    ...(untrusted === undefined ? {} : { judgeUntrusted: untrusted === 1, judgeAgreement: values.get('slo:judge_agreement:ratio_rate1d') }),
  };
}

const pct1 = (x: number) => `${formatNumber(Number((x * 100).toFixed(1)))}%`;
// The interval keeps its decimal (93.0-95.0%) so that both ends read at the same precision.
const range1 = (a: number, b: number) => `${(a * 100).toFixed(1)}-${(b * 100).toFixed(1)}%`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/** Rounded up to two significant digits: "about 710", not a spurious "about 707". */
function about(n: number): string {
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return count(Math.ceil(n / scale) * scale);
}

/** "94.1% pass, 92.8-95.2%, n = 2,140 over 1d". */
export function intervalText(s: SamplingStatus): string {
  return `${pct1(1 - s.errorRatio)} pass, ${range1(1 - s.errorUpper, 1 - s.errorLower)}, n = ${count(s.effectiveSamples)} over ${s.window}`;
}

/** "not enough samples: 38 in the last day, about 710 needed to tell 92% from 94%". */
export function insufficientText(objective: number, s: SamplingStatus): string {
  const needed = s.neededSamples === undefined ? 'more needed' : `about ${about(s.neededSamples)} needed`;
  return `not enough samples: ${count(s.effectiveSamples)} in the last day, ${needed} to tell ${pct1(objective)} from ${pct1(1 - s.errorRatio)}`;
}

/** "judge not trusted: agrees with human reviewers 70% of the time over 1d, under the 80% minimum". */
export function judgeText(s: SamplingStatus, minimum?: number): string {
  const min = minimum === undefined ? '' : ` (minimum ${pct1(minimum)})`;
  const agreement = s.judgeAgreement === undefined ? '' : `: agrees with human reviewers ${pct1(s.judgeAgreement)} of the time over 1d${min}`;
  return `judge not trusted${agreement}`;
}

/** The warnings a group's sampling raises: not enough samples, judge not trusted. */
export function samplingWarnings(slo: Slo, s: SamplingStatus | undefined): string[] {
  if (!s) {
    return [];
  }
  const minimum = slo.sli.kind === 'quality' ? slo.sli.agreement?.minimum : undefined;
  return [
    ...(s.insufficient ? [insufficientText(1 - errorBudget(slo), s)] : []),
    ...(s.judgeUntrusted ? [judgeText(s, minimum)] : []),
  ];
}
