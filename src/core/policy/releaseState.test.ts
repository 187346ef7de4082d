import { loadText } from '../load';
import { decideGate } from './gate';
import { ManualAction, releaseState, untilText } from './releaseState';
import { groupStatuses, Sample } from './status';

const now = Date.parse('2026-12-06T12:00:00Z');
const HOUR = 3600e3;

let nextId = 1;
function act(kind: ManualAction['kind'], over: Partial<ManualAction> = {}): ManualAction {
  return { id: nextId++, kind, service: 'shop', reason: kind === 'freeze' ? 'incident 42' : 'hotfix 7', expiresAt: now + 4 * HOUR, createdBy: 'on-call', createdAt: now - HOUR, ...over };
}

const budgetSpent = { state: 'freeze' as const, reasons: ['error budget remaining -5% is at or below 0%: 1,050 of 1,000 failures spent'] };

describe('releaseState: the one state every surface shows', () => {
  it('the policy alone: its state and its reasons in words', () => {
    const r = releaseState({ service: 'shop', policy: budgetSpent, actions: [], now });
    expect(r).toEqual({
      state: 'freeze',
      source: 'policy',
      policy: 'freeze',
      reason: 'freeze: error budget remaining -5% is at or below 0%: 1,050 of 1,000 failures spent',
    });
    expect(releaseState({ service: 'shop', policy: { state: 'ship', reasons: [] }, actions: [], now }).reason).toBe('ship: within policy');
  });

  it('a manual freeze: the state is freeze, with who, why and until when (16:00 UTC is 4 h after 12:00)', () => {
    const f = act('freeze');
    const r = releaseState({ service: 'shop', policy: { state: 'ship', reasons: [] }, actions: [f], now });
    expect(r).toEqual({
      state: 'freeze',
      source: 'manual-freeze',
      by: 'on-call',
      until: now + 4 * HOUR,
      actionId: f.id,
      policy: 'ship',
      reason: 'freeze: manual, incident 42, until 16:00 UTC, set by the token named on-call',
    });
  });

  it('a manual freeze and an override both in force: the freeze wins, and the override is named as not applied', () => {
    const f = act('freeze');
    const o = act('override', { createdBy: 'release-manager', expiresAt: now + 8 * HOUR });
    const r = releaseState({ service: 'shop', policy: budgetSpent, actions: [o, f], now });
    expect(r.state).toBe('freeze');
    expect(r.source).toBe('manual-freeze');
    expect(r.actionId).toBe(f.id);
    expect(r.notApplied).toEqual(['ship: override, hotfix 7, until 20:00 UTC, set by the token named release-manager (a manual freeze wins over an override)']);
    // The order the store returns them in changes nothing.
    expect(releaseState({ service: 'shop', policy: budgetSpent, actions: [f, o], now })).toEqual(r);
  });

  it('an override over a policy freeze: ship, saying what it ships past', () => {
    const o = act('override');
    const r = releaseState({ service: 'shop', policy: budgetSpent, actions: [o], now });
    expect(r.state).toBe('ship');
    expect(r.source).toBe('override');
    expect(r.policy).toBe('freeze');
    expect(r.reason).toBe(
      'ship: override, hotfix 7, until 16:00 UTC, set by the token named on-call (the policy says freeze: error budget remaining -5% is at or below 0%: 1,050 of 1,000 failures spent)'
    );
  });

  it('an expired freeze is ignored (expiry 1 ms before now), one expiring 1 ms after now counts', () => {
    const expired = act('freeze', { expiresAt: now - 1 });
    expect(releaseState({ service: 'shop', policy: { state: 'ship', reasons: [] }, actions: [expired], now }).state).toBe('ship');
    const live = act('freeze', { expiresAt: now + 1 });
    expect(releaseState({ service: 'shop', policy: { state: 'ship', reasons: [] }, actions: [live], now }).state).toBe('freeze');
  });

  it('of two freezes the longer-lasting one is shown (the release stays frozen until then), the other counted', () => {
    const short = act('freeze', { reason: 'deploy window', expiresAt: now + HOUR });
    const long = act('freeze', { reason: 'incident 43', expiresAt: now + 30 * HOUR });
    const r = releaseState({ service: 'shop', policy: { state: 'ship', reasons: [] }, actions: [short, long], now });
    // 30 h after 12:00 on the 6th is 18:00 on the 7th: the date is spelled out.
    expect(r.reason).toBe('freeze: manual, incident 43, until 2026-12-07 18:00 UTC, set by the token named on-call; 1 more manual freeze in force');
    expect(r.until).toBe(now + 30 * HOUR);
  });

  it('a route freeze applies to its route and to the whole service, not to another route; other services never', () => {
    const f = act('freeze', { route: '/checkout' });
    const ship = { state: 'ship' as const, reasons: [] };
    expect(releaseState({ service: 'shop', route: '/checkout', policy: ship, actions: [f], now }).reason).toBe(
      'freeze: manual on route /checkout, incident 42, until 16:00 UTC, set by the token named on-call'
    );
    expect(releaseState({ service: 'shop', policy: ship, actions: [f], now }).state).toBe('freeze');
    expect(releaseState({ service: 'shop', route: '/search', policy: ship, actions: [f], now }).state).toBe('ship');
    expect(releaseState({ service: 'cart', policy: ship, actions: [f], now }).state).toBe('ship');
  });

  it('Prometheus down: unknown with why; a manual freeze or override still decides', () => {
    const down = 'Prometheus is unavailable: http://127.0.0.1:9 unreachable: ECONNREFUSED';
    expect(releaseState({ service: 'shop', unavailable: down, actions: [], now })).toEqual({ state: 'unknown', source: 'policy', policy: 'unknown', reason: `unknown: ${down}` });
    const r = releaseState({ service: 'shop', unavailable: down, actions: [act('freeze')], now });
    expect(r.state).toBe('freeze');
    expect(r.policy).toBe('unknown');
    const o = releaseState({ service: 'shop', unavailable: down, actions: [act('override')], now });
    expect(o.reason).toBe(`ship: override, hotfix 7, until 16:00 UTC, set by the token named on-call (the policy says unknown: ${down})`);
  });

  it('untilText: the same UTC day gives the time, another day the date too', () => {
    expect(untilText(Date.parse('2026-12-06T23:59:00Z'), now)).toBe('23:59 UTC');
    expect(untilText(Date.parse('2026-12-07T00:00:00Z'), now)).toBe('2026-12-07 00:00 UTC');
  });
});

describe('pending vs no data', () => {
  const [slo] = loadText(`version: burnrate/v1
service: shop
slos:
  - name: checkout
    objective: 0.99
    sli:
      ratio: {errors: 'req_total{code=~"5.."}', total: req_total}
`).slos;
  const m = (name: string, value: number): Sample => ({ metric: { __name__: name, slo: 'checkout', slo_service: 'shop' }, value });

  it('rules loaded, no rollup yet, burning 12x (error ratio 0.12 / budget 0.01): pending with its burn rates, not no data', () => {
    const [g] = groupStatuses(slo, [m('slo:sli_error:ratio_rate5m', 0.12), m('slo:current_burn_rate:ratio', 12), m('slo:sli_error:ratio_rate1h', 0.105)]);
    expect(g.state).toBe('pending');
    expect(g.reasons).toEqual([
      'rules loaded, the period windows are filling: the budget appears after the first hourly rollup (up to an hour after the rules load); burn 12x now, 10.5x over 1h',
    ]);
    const r = releaseState({ service: 'shop', policy: { state: g.state, reasons: g.reasons }, actions: [], now });
    expect(r.state).toBe('pending');
    expect(r.reason).toMatch(/^pending: rules loaded, .*; burn 12x now, 10.5x over 1h$/);
  });

  it('no series at all: no groups, so no data', () => {
    expect(groupStatuses(slo, [])).toEqual([]);
    expect(releaseState({ service: 'shop', policy: { state: 'no-data', reasons: [] }, actions: [], now }).reason).toBe('no data: Prometheus has no series of this SLO yet');
  });

  it('the gate: a pending SLO cannot decide by default and its release state says pending; an override ships it', () => {
    const groups = groupStatuses(slo, [m('slo:current_burn_rate:ratio', 12)]);
    const d = decideGate({ service: 'shop', slos: [{ slo, groups }], actions: [], now });
    expect(d.decision).toBe('unknown');
    expect(d.release.state).toBe('pending');
    expect(d.reasons[0]).toMatch(/^checkout: pending: rules loaded/);
    const o = decideGate({ service: 'shop', slos: [{ slo, groups }], actions: [act('override')], now });
    expect(o.decision).toBe('ship');
    expect(o.release.source).toBe('override');
    expect(o.reasons).toEqual([o.release.reason]);
  });

  it('the gate and the merge give the same words for a manual freeze', () => {
    const groups = groupStatuses(slo, [m('slo:release_freeze:bool', 0), m('slo:period_error_budget_remaining:ratio', 0.8)]);
    const f = act('freeze');
    const d = decideGate({ service: 'shop', slos: [{ slo, groups }], actions: [f], now });
    expect(d.decision).toBe('freeze');
    expect(d.reasons).toEqual(['freeze: manual, incident 42, until 16:00 UTC, set by the token named on-call']);
    expect(d.release).toEqual(releaseState({ service: 'shop', policy: { state: 'ship', reasons: ['1 SLO group within policy'] }, actions: [f], now }));
  });
});
