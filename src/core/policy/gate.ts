// The release gate: "may service S (route R) ship now?" From the SLOs' group statuses and the
// manual freezes and overrides in force, with the reasons and numbers behind the answer.
// Precedence: a manual freeze (a person said stop) > an override (a person said go despite the
// budget) > the SLOs' policy states. Cost SLOs never freeze a release.

import { Slo } from '../spec/types';
import { budgetSummary, GroupStatus, PolicyState } from './status';

export interface ManualAction {
  id: number;
  kind: 'freeze' | 'override';
  service: string;
  /** Applies to one route only when set. */
  route?: string;
  reason: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  createdBy: string;
  createdAt: number;
}

export interface GateSloResult {
  slo: string;
  kind: Slo['sli']['kind'];
  group: Record<string, string>;
  state: PolicyState;
  reasons: string[];
  budgetRemaining?: number;
  periodBurnRate?: number;
  /** The budget in words: "30% left: 700 of 1,000 failures spent over 10 of 30 days; burn 2.1x ...". */
  budget?: string;
}

export interface GateDecision {
  service: string;
  route?: string;
  decision: 'ship' | 'freeze';
  reasons: string[];
  /** Caution states and missing data: they do not block, but CI should show them. */
  warnings: string[];
  slos: GateSloResult[];
  manual: ManualAction[];
}

/** The label a gate's `route` parameter matches. */
export const ROUTE_LABEL = 'route';

export function activeActions(actions: ManualAction[], service: string, route: string | undefined, now: number): ManualAction[] {
  return actions.filter(
    (a) => a.service === service && a.expiresAt > now && (a.route === undefined || a.route === route || route === undefined)
  );
}

export function decideGate(input: {
  service: string;
  route?: string;
  slos: Array<{ slo: Slo; groups: GroupStatus[] }>;
  actions: ManualAction[];
  now: number;
}): GateDecision {
  const { service, route, now } = input;
  const manual = activeActions(input.actions, service, route, now);
  const results: GateSloResult[] = [];
  for (const { slo, groups } of input.slos) {
    const relevant = route !== undefined && slo.groupBy.includes(ROUTE_LABEL) ? groups.filter((g) => g.group[ROUTE_LABEL] === route) : groups;
    if (relevant.length === 0) {
      results.push({ slo: slo.name, kind: slo.sli.kind, group: route && slo.groupBy.includes(ROUTE_LABEL) ? { [ROUTE_LABEL]: route } : {}, state: 'no-data', reasons: ['no data in Prometheus yet'] });
    }
    for (const g of relevant) {
      // Cost is a soft SLO: its freeze becomes a warning.
      const state: PolicyState = slo.sli.kind === 'cost' && g.state === 'freeze' ? 'caution' : g.state;
      results.push({
        slo: slo.name,
        kind: slo.sli.kind,
        group: g.group,
        state,
        reasons: g.reasons,
        budgetRemaining: g.budgetRemaining,
        periodBurnRate: g.periodBurnRate,
        budget: budgetSummary(slo, g),
      });
    }
  }
  const where = (r: GateSloResult) => {
    const labels = Object.entries(r.group)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return labels ? `${r.slo}{${labels}}` : r.slo;
  };
  const automatic = results.filter((r) => r.state === 'freeze').map((r) => `${where(r)}: ${r.reasons.join('; ') || 'policy says freeze'}`);
  const warnings = results
    .filter((r) => r.state === 'caution' || r.state === 'no-data')
    .map((r) => `${where(r)}: ${r.state}${r.reasons.length ? `: ${r.reasons.join('; ')}` : ''}`);
  const freezes = manual.filter((a) => a.kind === 'freeze');
  const overrides = manual.filter((a) => a.kind === 'override');
  const until = (a: ManualAction) => new Date(a.expiresAt).toISOString();
  let decision: 'ship' | 'freeze' = 'ship';
  const reasons: string[] = [];
  if (freezes.length > 0) {
    decision = 'freeze';
    reasons.push(...freezes.map((a) => `manual freeze by ${a.createdBy} until ${until(a)}: ${a.reason}`));
    reasons.push(...automatic);
  } else if (automatic.length > 0 && overrides.length > 0) {
    reasons.push(...overrides.map((a) => `override by ${a.createdBy} until ${until(a)}: ${a.reason}`));
    warnings.push(...automatic.map((r) => `overridden: ${r}`));
  } else if (automatic.length > 0) {
    decision = 'freeze';
    reasons.push(...automatic);
  } else {
    const withData = results.filter((r) => r.state !== 'no-data').length;
    reasons.push(
      withData === 0 ? 'no SLO of this service has data yet: nothing says freeze' : `${withData} SLO group${withData === 1 ? '' : 's'} within policy`
    );
  }
  return { service, route, decision, reasons, warnings, slos: results, manual };
}
