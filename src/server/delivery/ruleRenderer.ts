// Rule groups and rule-file text per SLO, made once per stored revision and reused by every pass:
// a pass over 10,000 unchanged SLOs renders nothing. The store hands out one parsed Slo object per
// stored text (see SloStore.parsed), so an unchanged SLO is the same object and an edited one a
// new object; the cache is keyed by that object.

import { createHash } from 'crypto';
import { renderRuleFile } from '../../core/rules/render';
import { sloRuleGroups } from '../../core/rules/ruleGroups';
import { RuleGroup } from '../../core/rules/types';
import { Slo } from '../../core/spec/types';
import { TimeSlice } from '../timeSlice';

export type Target = 'prometheus' | 'loki';

/** One target's rules for one SLO: the groups, the rule file they render to and its digest. */
export interface TargetRules {
  groups: RuleGroup[];
  text: string;
  digest: string;
}

export function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

export function targetRules(groups: RuleGroup[]): TargetRules {
  const text = renderRuleFile(groups);
  return { groups, text, digest: digestOf(text) };
}

export type RenderedSlo = Record<Target, TargetRules | undefined>;

export class RuleRenderer {
  /** SLOs rendered since start (what a pass with nothing changed must not add to). */
  renders = 0;
  private readonly cache = new WeakMap<Slo, RenderedSlo>();

  render(slo: Slo): RenderedSlo {
    let r = this.cache.get(slo);
    if (!r) {
      const g = sloRuleGroups(slo);
      r = { prometheus: g.prometheus.length ? targetRules(g.prometheus) : undefined, loki: g.loki.length ? targetRules(g.loki) : undefined };
      this.cache.set(slo, r);
      this.renders++;
    }
    return r;
  }

  /** Renders what is not cached yet, in slices that leave the event loop to requests. */
  async renderAll(slos: Slo[]): Promise<RenderedSlo[]> {
    const slice = new TimeSlice();
    const out: RenderedSlo[] = [];
    for (const slo of slos) {
      out.push(this.render(slo));
      await slice.check();
    }
    return out;
  }
}
