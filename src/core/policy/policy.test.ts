import { loadText } from '../load';
import { decideGate, ManualAction } from './gate';
import { coverageText, groupStatuses, Sample } from './status';

const spec = `version: burnrate/v1
service: gw
slos:
  - name: chat
    objective: 0.99
    groupBy: [route]
    sli:
      ratio: {errors: 'req_total{code=~"5.."}', total: req_total}
  - name: spend
    groupBy: [route]
    sli:
      cost: {cost: spend_total, requests: req_total, target: 0.002}
`;
const [chat, spend] = loadText(spec).slos;

/** Series as Prometheus would return them for one route of an SLO. */
function series(slo: string, route: string, values: Record<string, number>): Sample[] {
  return Object.entries(values).map(([name, value]) => ({ metric: { __name__: name, slo, slo_service: 'gw', route }, value }));
}

describe('groupStatuses', () => {
  // The SRE budgeting example: 99%, 33,333 requests so far with 700 failures: ratio 0.021, burn 2.1x.
  const bad = series('chat', '/chat', {
    'slo:sli_error:ratio_rate30d': 0.021,
    'slo:sli_error:ratio_rate1h': 0.021,
    'slo:sli_error:ratio_rate1d': 0.021,
    'slo:period_burn_rate:ratio': 2.1,
    // Day 10 of 30: 1,000 failures allowed in the whole period at this traffic, 700 spent.
    'slo:period_coverage:ratio': 1 / 3,
    'slo:period_error_budget_remaining:ratio': 0.3,
    'slo:sli_events:increase30d': 100000 / 3,
    'slo:release_freeze:bool': 1,
    'slo:release_caution:bool': 1,
  });
  const good = series('chat', '/health', {
    'slo:sli_error:ratio_rate30d': 0.002,
    'slo:sli_error:ratio_rate1h': 0.004,
    'slo:period_burn_rate:ratio': 0.2,
    'slo:period_coverage:ratio': 1,
    'slo:period_error_budget_remaining:ratio': 0.8,
    'slo:sli_events:increase30d': 100000,
    'slo:release_freeze:bool': 0,
    'slo:release_caution:bool': 0,
  });

  it('reports state, reasons and numbers per route, worst first', () => {
    const [first, second] = groupStatuses(chat, [...good, ...bad]);
    expect(first.group).toEqual({ route: '/chat' });
    expect(first.state).toBe('freeze');
    expect(first.reasons).toEqual(['burn rate 2.1x over the period is above 2x (budget left 30%: 700 of 1,000 failures spent)']);
    expect(first.windows.find((w) => w.window === '1h')!.burnRate).toBeCloseTo(2.1, 10);
    // Budget in events: 1% of the 100,000 the whole 30 days hold at this traffic = 1,000; 700 spent.
    expect(first.budgetEvents).toBeCloseTo(1000, 6);
    expect(first.spentEvents).toBeCloseTo(700, 6);
    expect(first.budgetRemainingEvents).toBeCloseTo(300, 6);
    expect(coverageText(chat, first.coverage)).toBe('10 of 30 days');
    // 30% left at 2.1x (1h): 0.3 x 30d / 2.1 = 4.29 days.
    expect(first.exhaustionSeconds).toBe(Math.round((0.3 * 30 * 86400) / 2.1));
    expect(second.state).toBe('ship');
    // 80% left at 0.4x (1h): 0.8 x 30d / 0.4 = 60 days.
    expect(second.exhaustionSeconds).toBe(60 * 86400);
  });

  it('ignores samples of other SLOs and non-finite values', () => {
    const other = series('other', '/chat', { 'slo:release_freeze:bool': 1 });
    const nan = series('chat', '/x', { 'slo:period_error_budget_remaining:ratio': NaN });
    expect(groupStatuses(chat, [...other, ...nan])).toEqual([]);
  });
});

describe('decideGate', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const frozen = groupStatuses(chat, series('chat', '/chat', { 'slo:period_error_budget_remaining:ratio': -0.5, 'slo:period_burn_rate:ratio': 1.5, 'slo:release_freeze:bool': 1 }));
  const healthy = groupStatuses(chat, series('chat', '/chat', { 'slo:period_error_budget_remaining:ratio': 0.5, 'slo:release_freeze:bool': 0 }));
  const healthyHealth = groupStatuses(chat, series('chat', '/health', { 'slo:period_error_budget_remaining:ratio': 0.9, 'slo:release_freeze:bool': 0 }));
  const fresh = { ...chat, name: 'fresh' };
  const whole = { ...chat, name: 'whole', groupBy: [] };
  const healthyWhole = groupStatuses(whole, [{ metric: { __name__: 'slo:release_freeze:bool', slo: 'whole', slo_service: 'gw' }, value: 0 }]);
  const action = (kind: 'freeze' | 'override', expiresAt = now + 3600e3, route?: string): ManualAction => ({
    id: 1,
    kind,
    service: 'gw',
    route,
    reason: kind === 'freeze' ? 'incident 42' : 'P0 fix',
    expiresAt,
    createdBy: 'ana',
    createdAt: now,
  });

  it('freezes on the policy, with the numbers', () => {
    const d = decideGate({ service: 'gw', route: '/chat', slos: [{ slo: chat, groups: frozen }], actions: [], now });
    expect(d.decision).toBe('freeze');
    expect(d.reasons).toEqual(['chat{route=/chat}: error budget remaining -50% is at or below 0%']);
  });

  it('only looks at the asked route of SLOs grouped by route', () => {
    const d = decideGate({ service: 'gw', route: '/health', slos: [{ slo: chat, groups: [...frozen, ...healthyHealth] }], actions: [], now });
    expect(d.decision).toBe('ship');
    expect(d.reasons).toEqual(['1 SLO group within policy']);
    expect(d.knownRoutes).toEqual(['/chat', '/health']);
  });

  // Issue 15: a mistyped route answered "ship" with a no-data warning.
  it('a route no SLO knows cannot be decided, and names the known routes', () => {
    const d = decideGate({ service: 'gw', route: '/chta', slos: [{ slo: chat, groups: [...frozen, ...healthyHealth] }], actions: [], now });
    expect(d.decision).toBe('unknown');
    expect(d.reasons).toEqual(['no SLO of gw knows route "/chta"; known routes: /chat, /health']);
  });

  it('a route asked of SLOs none of which is per route cannot be decided', () => {
    const d = decideGate({ service: 'gw', route: '/chat', slos: [{ slo: whole, groups: healthyWhole }], actions: [], now });
    expect(d.decision).toBe('unknown');
    expect(d.reasons).toEqual(['no SLO of gw is grouped by route, so none can answer for route "/chat": ask for the whole service']);
    expect(decideGate({ service: 'gw', slos: [{ slo: whole, groups: healthyWhole }], actions: [], now }).decision).toBe('ship');
  });

  it('an SLO without data: cannot decide by default; onNoData freeze or ship chooses; a policy freeze still freezes', () => {
    // chat has data for /chat (healthy); spend (cost) and a second SLO have none.
    const slos = [
      { slo: chat, groups: healthy },
      { slo: fresh, groups: [] },
      { slo: spend, groups: [] },
    ];
    const unknown = decideGate({ service: 'gw', route: '/chat', slos, actions: [], now });
    expect(unknown.decision).toBe('unknown');
    expect(unknown.reasons).toEqual([
      'fresh{route=/chat}: no data: no data in Prometheus yet',
      'an SLO without data cannot say ship or freeze: ask again once Prometheus has evaluated its rules, or choose with onNoData=ship|freeze',
    ]);
    // A cost SLO never blocks, with or without data.
    expect(unknown.warnings).toEqual(['spend{route=/chat}: no data: no data in Prometheus yet']);
    const frozenByNoData = decideGate({ service: 'gw', route: '/chat', slos, actions: [], now, onNoData: 'freeze' });
    expect(frozenByNoData.decision).toBe('freeze');
    expect(frozenByNoData.reasons[0]).toBe('fresh{route=/chat}: no data: no data in Prometheus yet');
    const shipped = decideGate({ service: 'gw', route: '/chat', slos, actions: [], now, onNoData: 'ship' });
    expect(shipped.decision).toBe('ship');
    expect(shipped.reasons).toEqual(['1 SLO group within policy']);
    expect(shipped.warnings).toHaveLength(2);
    const policyFreeze = decideGate({ service: 'gw', route: '/chat', slos: [{ slo: chat, groups: frozen }, { slo: fresh, groups: [] }], actions: [], now });
    expect(policyFreeze.decision).toBe('freeze');
    // An override is a person's go: it ships without data too, and says what it overrides.
    const overridden = decideGate({ service: 'gw', route: '/chat', slos, actions: [action('override')], now });
    expect(overridden.decision).toBe('ship');
    expect(overridden.warnings).toContain('overridden: fresh{route=/chat}: no data: no data in Prometheus yet');
  });

  it('a manual freeze answers freeze even for a route no SLO knows', () => {
    const d = decideGate({ service: 'gw', route: '/chta', slos: [{ slo: chat, groups: healthy }], actions: [action('freeze')], now });
    expect(d.decision).toBe('freeze');
    expect(d.warnings).toEqual(['no SLO of gw knows route "/chta"; known routes: /chat']);
  });

  it('an override lets a frozen service ship, and says so', () => {
    const d = decideGate({ service: 'gw', route: '/chat', slos: [{ slo: chat, groups: frozen }], actions: [action('override')], now });
    expect(d.decision).toBe('ship');
    expect(d.reasons[0]).toBe('ship: override, P0 fix, until 13:00 UTC, set by the token named ana (the policy says freeze: chat{route=/chat}: error budget remaining -50% is at or below 0%)');
    expect(d.warnings[0]).toMatch(/^overridden: chat/);
  });

  it('a manual freeze beats everything, an expired one nothing', () => {
    const slos = [{ slo: chat, groups: healthy }];
    expect(decideGate({ service: 'gw', slos, actions: [action('freeze'), action('override')], now }).decision).toBe('freeze');
    expect(decideGate({ service: 'gw', slos, actions: [action('freeze', now - 1)], now }).decision).toBe('ship');
    expect(decideGate({ service: 'gw', route: '/chat', slos, actions: [action('freeze', now + 1000, '/a')], now }).decision).toBe('ship');
  });

  it('a cost SLO never freezes a release', () => {
    const costFrozen = groupStatuses(spend, series('spend', '/chat', { 'slo:period_error_budget_remaining:ratio': -3, 'slo:release_freeze:bool': 1 }));
    const d = decideGate({ service: 'gw', route: '/chat', slos: [{ slo: spend, groups: costFrozen }], actions: [], now });
    expect(d.decision).toBe('ship');
    expect(d.warnings[0]).toMatch(/^spend\{route=\/chat\}: caution/);
  });
});
