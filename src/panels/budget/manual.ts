// Manual freezes and overrides reach the panel through Prometheus: the Burnrate server exports
// them on its /metrics (docs/server.md, Release state), and the panel merges them with the policy
// series by the same rule (src/core/policy/releaseState.ts) the server applies: a manual freeze,
// then an override, then the policy.

import { Labels } from '@grafana/data';
import { ManualAction, PolicyDecision, releaseState, ReleaseState as Merged } from '../../core/policy/releaseState';
import type { BudgetRow, Series } from './frames';

export const MANUAL = {
  /** One series per action in force; value: its expiry (Unix seconds). */
  expiry: 'burnrate_manual_action_expiry_timestamp_seconds',
  /** How many are in force; always exported, so its absence means the server is not scraped. */
  count: 'burnrate_manual_actions',
} as const;

export const MANUAL_NOT_SCRAPED =
  'Manual freezes and overrides are not shown: no burnrate_manual_actions series (Prometheus does not scrape the Burnrate server, or the query leaves it out).';

export function isManualMetric(m: string): boolean {
  return m === MANUAL.expiry || m === MANUAL.count;
}

/** The actions the series hold, and whether the server's count series was there at all. */
export function manualActions(series: Series[]): { actions: ManualAction[]; exported: boolean } {
  const actions: ManualAction[] = [];
  let exported = false;
  for (const s of series) {
    if (s.metric === MANUAL.count) {
      exported = true;
    }
    if (s.metric !== MANUAL.expiry) {
      continue;
    }
    exported = true;
    const l: Labels = s.labels;
    const kind = l.kind === 'override' ? 'override' : l.kind === 'freeze' ? 'freeze' : undefined;
    const last = s.points[s.points.length - 1];
    if (!kind || !l.slo_service || !last) {
      continue;
    }
    actions.push({
      id: Number(l.action_id) || 0,
      kind,
      service: l.slo_service,
      route: l.route || undefined,
      reason: l.reason ?? '',
      expiresAt: last[1] * 1000,
      createdBy: l.created_by ?? 'unknown',
      createdAt: 0,
    });
  }
  // Several scrapes (a range query, or two server replicas) repeat an action: one per id.
  const byId = new Map(actions.map((a) => [`${a.service}\u0000${a.id}`, a]));
  return { actions: [...byId.values()], exported };
}

function pct(x: number): string {
  return `${Number((x * 100).toFixed(1))}%`;
}

function x(b: number): string {
  return `${Number(b.toFixed(2))}x`;
}

/** What the policy series say, in the words the panel can give (it has no event counts). */
function policyOf(r: BudgetRow): PolicyDecision {
  const numbers = [
    r.budgetRemaining !== undefined ? `budget ${pct(r.budgetRemaining)} left` : '',
    r.burn.period !== undefined ? `burn ${x(r.burn.period)} over the period` : '',
    r.burn['5m'] !== undefined ? `${x(r.burn['5m'])} now` : '',
  ].filter(Boolean);
  switch (r.state) {
    case 'freeze':
    case 'caution':
      return { state: r.state, reasons: numbers.length ? [numbers.join(', ')] : [] };
    case 'ship':
      return { state: 'ship', reasons: [] };
    case 'pending':
      return {
        state: 'pending',
        reasons: [`rules loaded, the period windows are filling: the budget appears after the first hourly rollup${numbers.length ? `; burn ${numbers.join(', ')}` : ''}`],
      };
    default:
      return { state: 'no-data', reasons: ['no release state series yet'] };
  }
}

/** The row's release state: its policy series merged with the manual actions in force at `now`. */
export function rowRelease(r: BudgetRow, actions: ManualAction[], now: number): Merged {
  // As the server does: an action on a route counts for rows of that route and for rows without one.
  return releaseState({ service: r.service, route: r.labels.route, policy: policyOf(r), actions, now });
}
