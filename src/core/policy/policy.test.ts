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
    const d = decideGate({ service: 'gw', route: '/other', slos: [{ slo: chat, groups: frozen }], actions: [], now });
    expect(d.decision).toBe('ship');
    expect(d.warnings).toEqual(['chat{route=/other}: no-data: no data in Prometheus yet']);
  });

  it('an override lets a frozen service ship, and says so', () => {
    const d = decideGate({ service: 'gw', route: '/chat', slos: [{ slo: chat, groups: frozen }], actions: [action('override')], now });
    expect(d.decision).toBe('ship');
    expect(d.reasons[0]).toBe('override by ana until 2026-11-29T13:00:00.000Z: P0 fix');
    expect(d.warnings[0]).toMatch(/^overridden: chat/);
  });

  it('a manual freeze beats everything, an expired one nothing', () => {
    const slos = [{ slo: chat, groups: healthy }];
    expect(decideGate({ service: 'gw', slos, actions: [action('freeze'), action('override')], now }).decision).toBe('freeze');
    expect(decideGate({ service: 'gw', slos, actions: [action('freeze', now - 1)], now }).decision).toBe('ship');
    expect(decideGate({ service: 'gw', route: '/b', slos, actions: [action('freeze', now + 1000, '/a')], now }).decision).toBe('ship');
  });

  it('a cost SLO never freezes a release', () => {
    const costFrozen = groupStatuses(spend, series('spend', '/chat', { 'slo:period_error_budget_remaining:ratio': -3, 'slo:release_freeze:bool': 1 }));
    const d = decideGate({ service: 'gw', route: '/chat', slos: [{ slo: spend, groups: costFrozen }], actions: [], now });
    expect(d.decision).toBe('ship');
    expect(d.warnings[0]).toMatch(/^spend\{route=\/chat\}: caution/);
  });
});
