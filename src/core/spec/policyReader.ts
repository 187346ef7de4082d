// `policy`: when an SLO's error budget says freeze or caution.

import { defaultPolicy } from './defaults';
import { MapReader, Problems } from './fieldReader';
import { policyWindowNames } from '../rules/burnRateWindows';

export function readPolicy(r: MapReader, p: Problems) {
  const policy = defaultPolicy();
  if (!r.ok) {
    return policy;
  }
  r.allowOnly(['freeze', 'caution', 'quality']);
  const windows = policyWindowNames();
  const readWindowName = (c: MapReader, fallback: string) => {
    const w = c.string('window');
    if (w !== undefined && !windows.includes(w)) {
      p.error(c.at('window'), `unknown window ${JSON.stringify(w)}: expected one of ${windows.join(', ')}`);
      return fallback;
    }
    return w ?? fallback;
  };
  const f = r.child('freeze');
  if (f.ok) {
    f.allowOnly(['budgetRemaining', 'burnRate', 'window']);
    policy.freezeBudgetRemaining = f.number('budgetRemaining', { min: -10, max: 1 }) ?? policy.freezeBudgetRemaining;
    policy.freezeBurnRate = f.number('burnRate', { min: 0, exclusive: true }) ?? policy.freezeBurnRate;
    policy.freezeBurnWindow = readWindowName(f, policy.freezeBurnWindow);
  }
  const c = r.child('caution');
  if (c.ok) {
    c.allowOnly(['burnRate', 'window']);
    policy.cautionBurnRate = c.number('burnRate', { min: 0, exclusive: true }) ?? policy.cautionBurnRate;
    policy.cautionBurnWindow = readWindowName(c, policy.cautionBurnWindow);
  }
  const q = r.child('quality');
  if (q.ok) {
    q.allowOnly(['decideOn', 'untrustedJudge']);
    policy.qualityDecideOn = oneOf(q, 'decideOn', ['lowerBound', 'estimate'], p) ?? policy.qualityDecideOn;
    policy.untrustedJudge = oneOf(q, 'untrustedJudge', ['caution', 'ignore'], p) ?? policy.untrustedJudge;
  }
  return policy;
}

function oneOf<T extends string>(r: MapReader, key: string, values: readonly T[], p: Problems): T | undefined {
  const v = r.string(key);
  if (v !== undefined && !(values as readonly string[]).includes(v)) {
    p.error(r.at(key), `unknown value ${JSON.stringify(v)}: expected one of ${values.join(', ')}`);
    return undefined;
  }
  return v as T | undefined;
}

/** Long windows a quality SLO's interval is recorded for: freezing on the lower bound needs one. */
export const QUALITY_DECISION_WINDOWS = ['1d', '3d', 'period'];

/** `policy.quality` only means something for quality SLOs, and deciding on the lower bound needs a
 * freeze window the interval is recorded for. */
export function checkQualityPolicy(r: MapReader, kind: string | undefined, policy: ReturnType<typeof defaultPolicy>, p: Problems) {
  if (!r.ok) {
    return;
  }
  if (r.has('quality') && kind !== undefined && kind !== 'quality') {
    p.error(r.at('quality'), `only quality SLOs take policy.quality (this SLO's SLI is ${kind})`);
  }
  if (kind === 'quality' && policy.qualityDecideOn === 'lowerBound' && !QUALITY_DECISION_WINDOWS.includes(policy.freezeBurnWindow)) {
    const why = `the interval is recorded over ${QUALITY_DECISION_WINDOWS.join(', ')} (sampled SLIs hold too few samples in ${policy.freezeBurnWindow})`;
    if (r.has('quality') && r.child('quality').has('decideOn')) {
      p.error(r.child('freeze').at('window'), `a quality SLO deciding on the interval's lower bound freezes over ${QUALITY_DECISION_WINDOWS.join(', ')}: ${why}; or set policy.quality.decideOn: estimate`);
    } else {
      // The default meets a policy written before it: keep that policy working, and say how it decides.
      policy.qualityDecideOn = 'estimate';
      p.warn(
        r.child('freeze').at('window'),
        `this quality SLO freezes on the estimate, not on the interval's lower bound (the default): ${why}; set policy.quality.decideOn: estimate to say so, or freeze over 1d, 3d or the period`
      );
    }
  }
}
