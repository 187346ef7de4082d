// The release state of one SLO and of each of its groups, as the status and list answers carry
// it: the merge (releaseState.ts) of the group's policy state with the manual actions in force for
// the group's route (every route's for a group or SLO without a route label, as the gate asks for
// the whole service).

import { Slo } from '../spec/types';
import { ROUTE_LABEL } from './gate';
import { ManualAction, PolicyDecision, releaseState, ReleaseState } from './releaseState';
import { GroupStatus, PolicyState, worstState } from './status';

/** "chat{route=/chat}", as the gate names an SLO's group: one service's SLO reads the same in both. */
function where(slo: Slo, group: Record<string, string>): string {
  const labels = Object.entries(group).map(([k, v]) => `${k}=${v}`);
  return labels.length ? `${slo.name}{${labels.join(',')}}` : slo.name;
}

/** Cost is a soft SLO: its freeze is a caution, as at the gate. */
function policyState(slo: Slo, g: GroupStatus): PolicyState {
  return slo.sli.kind === 'cost' && g.state === 'freeze' ? 'caution' : g.state;
}

export function groupRelease(slo: Slo, g: GroupStatus, actions: ManualAction[], now: number): ReleaseState {
  const route = slo.groupBy.includes(ROUTE_LABEL) ? g.group[ROUTE_LABEL] : undefined;
  return releaseState({ service: slo.service, route, policy: { state: policyState(slo, g), reasons: g.reasons }, actions, now });
}

/** The SLO's policy: its worst group's state, with the reasons of every group in that state. */
export function sloPolicy(slo: Slo, groups: GroupStatus[]): PolicyDecision {
  if (groups.length === 0) {
    return { state: 'no-data', reasons: [] };
  }
  const state = worstState(groups.map((g) => policyState(slo, g)));
  const worst = groups.filter((g) => policyState(slo, g) === state);
  const reasons = worst.flatMap((g) => {
    const at = where(slo, g.group);
    return g.reasons.map((r) => `${at}: ${r}`);
  });
  // Many routes in one state would make a paragraph: the first three, then how many more.
  return { state, reasons: reasons.length > 3 ? [...reasons.slice(0, 3), `and ${reasons.length - 3} more`] : reasons };
}

export function sloRelease(slo: Slo, groups: GroupStatus[] | undefined, actions: ManualAction[], now: number, unavailable?: string): ReleaseState {
  return releaseState({ service: slo.service, policy: groups ? sloPolicy(slo, groups) : undefined, unavailable, actions, now });
}
