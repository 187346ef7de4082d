// The status part of a list row: the policy's numbers of the SLO and its groups, and the release
// state every surface shows (merged with the manual freezes and overrides in force). With
// Prometheus down the numbers are missing but the release state is still there: a manual freeze
// or override decides it, else it says unknown and why.

import { ManualAction } from '../../core/policy/releaseState';
import { groupRelease, sloRelease } from '../../core/policy/sloRelease';
import { GroupStatus, worstState } from '../../core/policy/status';
import { StoredSlo } from '../sloStore';
import { releaseAnswer } from '../timestamps';

export function listStatus(s: StoredSlo, groups: GroupStatus[] | undefined, actions: ManualAction[], now: number, statusError?: string) {
  const release = releaseAnswer(sloRelease(s.slo, groups, actions, now, statusError));
  if (!groups) {
    return { release };
  }
  const worst = groups[0];
  return {
    release,
    status: {
      state: groups.length ? worstState(groups.map((g) => g.state)) : 'no-data',
      release,
      budgetRemaining: worst?.budgetRemaining,
      periodBurnRate: worst?.periodBurnRate,
      currentBurnRate: worst?.currentBurnRate,
      groups: groups.map((g) => ({
        group: g.group,
        state: g.state,
        release: releaseAnswer(groupRelease(s.slo, g, actions, now)),
        budgetRemaining: g.budgetRemaining,
        budgetEvents: g.budgetEvents,
        spentEvents: g.spentEvents,
        periodBurnRate: g.periodBurnRate,
        currentBurnRate: g.currentBurnRate,
        ...(g.sampling ? { sampling: g.sampling } : {}),
      })),
    },
  };
}
