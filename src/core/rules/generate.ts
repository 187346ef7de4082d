// Rules for a set of SLOs: groups in a stable order (service, then name), composite SLOs after the
// others, so that where groups run at the same instant in file order (promtool) a composite reads
// the hour its components have just recorded.

import { Slo } from '../spec/types';
import { sloRuleGroups } from './ruleGroups';
import { GeneratedRules } from './types';

export function generateRules(slos: Slo[]): GeneratedRules {
  const composite = (s: Slo) => (s.sli.kind === 'composite' ? 1 : 0);
  const sorted = [...slos].sort(
    (a, b) => composite(a) - composite(b) || (a.service === b.service ? cmp(a.name, b.name) : cmp(a.service, b.service))
  );
  const out: GeneratedRules = { prometheus: [], loki: [] };
  for (const slo of sorted) {
    const g = sloRuleGroups(slo);
    out.prometheus.push(...g.prometheus);
    out.loki.push(...g.loki);
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
