// Which rule lands in which group, at which interval: the split that decides an SLO's cost per
// minute (docs/metrics.md, "Rule groups").

import { stringify } from 'yaml';
import { loadText } from '../load';
import { Slo } from '../spec/types';
import fc from 'fast-check';
import { sloRuleGroups } from './ruleGroups';
import { groupName, groupPart } from './seriesNames';
import { RuleGroup } from './types';

function slo(extra: Record<string, unknown> = {}): Slo {
  const doc = {
    version: 'burnrate/v1',
    service: 'gw',
    slos: [
      {
        name: 'chat',
        objective: 0.99,
        window: '30d',
        groupBy: ['route'],
        sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } },
        ...extra,
      },
    ],
  };
  const r = loadText(stringify(doc), 'gw.yaml');
  expect(r.diagnostics).toEqual([]);
  return r.slos[0];
}

const names = (g: RuleGroup) => g.rules.map((r) => ('record' in r ? r.record : `alert ${r.labels?.severity}`));

function groups(s: Slo): Record<string, RuleGroup> {
  const out: Record<string, RuleGroup> = {};
  for (const g of sloRuleGroups(s).prometheus) {
    out[g.name.replace('burnrate:gw:chat', '') || 'main'] = g;
  }
  return out;
}

describe('rule groups of one SLO', () => {
  it('splits the default SLO into rollup (1h), period (3m) and main (1m), in that order', () => {
    const g = groups(slo());
    expect(Object.keys(g)).toEqual([':rollup', ':period', 'main']);
    expect([g[':rollup'].interval, g[':period'].interval, g.main.interval]).toEqual(['1h', '3m', '1m']);
    expect(names(g[':rollup']).slice(0, 3)).toEqual(['slo:sli_error_events:increase1h', 'slo:sli_events:increase1h', 'slo:sli_error_events:increase1d_hourly']);
    // The rollup's time last: a query that sees it sees the sums before it.
    expect(names(g[':rollup']).slice(-1)).toEqual(['slo:sli_rollup_time:seconds']);
    expect(names(g[':period'])).toEqual([
      'slo:sli_error_events:increase_since_rollup',
      'slo:sli_events:increase_since_rollup',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_events:increase30d',
      'slo:sli_error:ratio_rate30d',
      'slo:period_burn_rate:ratio',
      'slo:period_coverage:ratio',
      'slo:period_error_budget_remaining:ratio',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:release_freeze:bool',
      'slo:release_caution:bool',
    ]);
    expect(names(g.main)).toEqual([
      // The total first: the bad-events rate takes its zero from it.
      'slo:sli_events:rate5m',
      'slo:sli_error_events:rate5m',
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:current_burn_rate:ratio',
      'alert page',
      'alert ticket',
    ]);
    // Rules evaluated per minute: 10 every minute + 14 every 3 minutes (22 every minute before
    // the period group; 12 every 2 minutes before the fresh windows).
    expect(g.main.rules.length + g[':period'].rules.length / 3).toBeCloseTo(14.67, 2);
  });

  it.each([
    ['10s', '10s', '3m'],
    ['1m', '1m', '3m'],
    ['2m', '2m', '3m'],
    ['4m', '4m', '4m'],
    ['5m', '5m', '5m'],
  ])('evaluationInterval %s: main every %s, period every %s', (evaluationInterval, main, period) => {
    const g = groups(slo({ evaluationInterval }));
    expect([g.main.interval, g[':period'].interval]).toEqual([main, period]);
  });

  it('records freeze and caution in the main group when their policy window is a short one', () => {
    const g = groups(
      slo({ policy: { freeze: { window: '5m', burnRate: 2 }, caution: { window: '1h', burnRate: 1 } } })
    );
    expect(names(g.main).slice(-4)).toEqual([
      'slo:release_freeze:bool',
      'slo:release_caution:bool',
      'alert page',
      'alert ticket',
    ]);
    expect(names(g[':period'])).not.toContain('slo:release_freeze:bool');
    expect(names(g[':period'])).not.toContain('slo:release_caution:bool');
    // The freeze still reads the period budget, recorded by the other group.
    expect(g.main.rules.find((r) => 'record' in r && r.record === 'slo:release_freeze:bool')!.expr).toContain(
      'slo:period_error_budget_remaining:ratio{slo="chat", slo_service="gw"} <= bool 0'
    );
  });

  it('keeps a 3d freeze window in the period group, and records every series in exactly one group', () => {
    const g = groups(slo({ policy: { freeze: { window: '3d', burnRate: 1 } } }));
    expect(names(g[':period'])).toContain('slo:release_freeze:bool');
    const all = Object.values(g).flatMap((x) => names(x).filter((n) => !n.startsWith('alert')));
    expect(all.length).toBe(new Set(all).size);
  });
});

describe('group names', () => {
  const PARTS = [undefined, 'rollup', 'period', 'slices', 'loki'] as const;
  const all = (service: string, name: string) => PARTS.map((p) => groupName({ service, name } as Slo, p));

  it('the pairs that collided under burnrate-<service>-<name>[-<part>] get distinct names', () => {
    expect(all('shop', 'api')).toEqual(['burnrate:shop:api', 'burnrate:shop:api:rollup', 'burnrate:shop:api:period', 'burnrate:shop:api:slices', 'burnrate:shop:api:loki']);
    expect(all('shop', 'api-period')[0]).toBe('burnrate:shop:api-period');
    expect(all('a-b', 'c')[0]).toBe('burnrate:a-b:c');
    expect(all('a', 'b-c')[0]).toBe('burnrate:a:b-c');
    // An SLO named like a part is still a main group.
    expect(groupPart('burnrate:shop:rollup')).toBeUndefined();
    expect(groupPart('burnrate:shop:api:rollup')).toBe('rollup');
  });

  it('unique by construction: 3,000 pairs of different SLOs (names from the allowed alphabet, dashes and parts likely) never share a group name', () => {
    const piece = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,6}[a-z0-9])?$/).map((s) => s.replace(/x/g, '-rollup-').replace(/^-+|-+$/g, '') || 'a');
    fc.assert(
      fc.property(piece, piece, piece, piece, (s1, n1, s2, n2) => {
        fc.pre(s1 !== s2 || n1 !== n2);
        const a = all(s1, n1);
        const b = new Set(all(s2, n2));
        expect(a.filter((g) => b.has(g))).toEqual([]);
        expect(a.map(groupPart)).toEqual(PARTS);
      }),
      { numRuns: 3000, seed: 15 }
    );
  });
});
