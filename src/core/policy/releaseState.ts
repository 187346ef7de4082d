// One release state per service, SLO and group, merged from the SLO policy, the manual freezes and
// the overrides in force, with its reason in words. The list, the detail page, the budget panel and
// the gate all show this one answer, so that no surface can say "ship" while another says "freeze".
//
// Precedence (docs/server.md, "Release state"): a manual freeze > an override > the policy.
// - A freeze is a person saying stop, usually during an incident. An override that could lift it
//   would let a release through that someone deliberately held back; to ship, revoke the freeze
//   (which lands in the audit trail), so nobody ships past a freeze by accident.
// - An override is a person saying go despite the numbers: it wins over the policy's freeze,
//   caution, missing data, and over numbers Prometheus cannot give right now.
// - Of several freezes, the one lasting longest is shown: the release stays frozen until then.
// Expired actions are ignored here even if the store still returned them (a clock tick apart).

import { PolicyState } from './status';

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

/** `unknown`: the policy's numbers cannot be read (Prometheus down) and no person decided. */
export type ReleaseStateName = PolicyState | 'unknown';
export type ReleaseSource = 'policy' | 'manual-freeze' | 'override';

export interface ReleaseState {
  state: ReleaseStateName;
  /** In words, starting with the state: "freeze: manual, incident 42, until 16:00 UTC, set by the token named on-call". */
  reason: string;
  source: ReleaseSource;
  /** Who set the deciding manual action (a token's name). */
  by?: string;
  /** When the deciding manual action expires (epoch ms). */
  until?: number;
  /** The deciding manual action. */
  actionId?: number;
  /** What the policy says on its own (`unknown` while Prometheus cannot be read). */
  policy: ReleaseStateName;
  /** Manual actions in force that did not decide, in words (an override under a freeze). */
  notApplied?: string[];
}

/** What the SLO policy says: the worst state and its reasons; undefined while the numbers cannot be read. */
export interface PolicyDecision {
  state: PolicyState;
  reasons: string[];
}

/** Actions of `service` in force at `now` for `route` (every route's when `route` is undefined). */
export function activeActions(actions: ManualAction[], service: string, route: string | undefined, now: number): ManualAction[] {
  return actions.filter(
    (a) => a.service === service && a.expiresAt > now && (a.route === undefined || a.route === route || route === undefined)
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "16:00 UTC" the same UTC day as `now`, else "2026-12-07 16:00 UTC": the same words on every surface. */
export function untilText(at: number, now: number): string {
  const d = new Date(at);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  return d.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10) ? time : `${d.toISOString().slice(0, 10)} ${time}`;
}

/** "manual on route /chat, incident 42, until 16:00 UTC, set by the token named on-call". */
export function actionWords(a: ManualAction, now: number): string {
  const what = a.kind === 'freeze' ? 'manual' : 'override';
  return `${what}${a.route !== undefined ? ` on route ${a.route}` : ''}, ${a.reason}, until ${untilText(a.expiresAt, now)}, set by the token named ${a.createdBy}`;
}

const STATE_WORDS: Record<ReleaseStateName, string> = {
  ship: 'ship',
  caution: 'caution',
  freeze: 'freeze',
  pending: 'pending',
  'no-data': 'no data',
  unknown: 'unknown',
};

export function stateWords(s: ReleaseStateName): string {
  return STATE_WORDS[s];
}

const DEFAULT_POLICY_REASON: Record<ReleaseStateName, string> = {
  ship: 'within policy',
  caution: 'the policy says caution',
  freeze: 'the policy says freeze',
  pending: 'the budget appears after the first hourly rollup',
  'no-data': 'Prometheus has no series of this SLO yet',
  unknown: 'the SLO states cannot be read',
};

function policyWords(state: ReleaseStateName, reasons: string[]): string {
  return `${stateWords(state)}: ${reasons.length ? reasons.join('; ') : DEFAULT_POLICY_REASON[state]}`;
}

/** The longest-lasting first; ties by id, so the answer does not depend on the store's order. */
const longestFirst = (a: ManualAction, b: ManualAction) => b.expiresAt - a.expiresAt || a.id - b.id;

export function releaseState(input: {
  service: string;
  /** The group's or gate's route; undefined for the whole service (then every route's actions count). */
  route?: string;
  /** The policy's decision; undefined when the numbers cannot be read (then `unavailable` says why). */
  policy?: PolicyDecision;
  unavailable?: string;
  actions: ManualAction[];
  now: number;
}): ReleaseState {
  const { now } = input;
  const policyState: ReleaseStateName = input.policy?.state ?? 'unknown';
  const policyReason = input.policy ? policyWords(policyState, input.policy.reasons) : `unknown: ${input.unavailable ?? DEFAULT_POLICY_REASON.unknown}`;
  const active = activeActions(input.actions, input.service, input.route, now);
  const freezes = active.filter((a) => a.kind === 'freeze').sort(longestFirst);
  const overrides = active.filter((a) => a.kind === 'override').sort(longestFirst);

  const decided = (state: ReleaseStateName, source: ReleaseSource, a: ManualAction, reason: string, notApplied: string[]): ReleaseState => ({
    state,
    reason,
    source,
    by: a.createdBy,
    until: a.expiresAt,
    actionId: a.id,
    policy: policyState,
    ...(notApplied.length ? { notApplied } : {}),
  });

  if (freezes.length) {
    const [f, ...more] = freezes;
    const notApplied = [
      ...more.map((x) => `freeze: ${actionWords(x, now)}`),
      ...overrides.map((x) => `ship: ${actionWords(x, now)} (a manual freeze wins over an override)`),
    ];
    const others = more.length ? `; ${more.length} more manual freeze${more.length === 1 ? '' : 's'} in force` : '';
    return decided('freeze', 'manual-freeze', f, `freeze: ${actionWords(f, now)}${others}`, notApplied);
  }
  if (overrides.length) {
    const [o, ...more] = overrides;
    // Say what the override overrides: the person reading it should know what they ship past.
    const under = policyState === 'ship' ? '' : ` (the policy says ${policyReason})`;
    return decided('ship', 'override', o, `ship: ${actionWords(o, now)}${under}`, more.map((x) => `ship: ${actionWords(x, now)}`));
  }
  return { state: policyState, reason: policyReason, source: 'policy', policy: policyState };
}
