// `policy`: when an SLO's error budget says freeze or caution.

import { defaultPolicy } from './defaults';
import { MapReader, Problems } from './fieldReader';
import { policyWindowNames } from '../rules/burnRateWindows';

export function readPolicy(r: MapReader, p: Problems) {
  const policy = defaultPolicy();
  if (!r.ok) {
    return policy;
  }
  r.allowOnly(['freeze', 'caution']);
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
  return policy;
}
