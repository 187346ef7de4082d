// History backfill plan: which rollups are evaluated for the past, which are computed from them,
// at which instants, and the derived values from known hourly counts.

import { stringify } from 'yaml';
import { loadText } from '../load';
import { Slo } from '../spec/types';
import { classifyRollups, deriveAt, planHistory, rollupGroup, Series, shortRatePlan, slotsBack } from './historyBackfill';
import { sloRuleGroups } from './ruleGroups';

function slo(extra: Record<string, unknown> = {}): Slo {
  const doc = {
    version: 'burnrate/v1',
    service: 'gw',
    slos: [{ name: 'chat', objective: 0.99, window: '30d', sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } }, ...extra }],
  };
  const r = loadText(stringify(doc), 'gw.yaml');
  expect(r.diagnostics).toEqual([]);
  return r.slos[0];
}

function rollups(s: Slo) {
  return classifyRollups(rollupGroup(sloRuleGroups(s).prometheus, s)!);
}

const H = 3600;
// 2026-12-05T10:20:00Z, and a phase of 1819.062 s (30m19.062s into each hour).
const NOW = Date.UTC(2026, 11, 5, 10, 20) / 1000;
const PHASE = 1819.062;

describe('classifyRollups', () => {
  test('the hourly increases read raw data; the sums and the covered hours read them', () => {
    const r = rollups(slo());
    expect(r.base.map((x) => x.record)).toEqual(['slo:sli_error_events:increase1h', 'slo:sli_events:increase1h']);
    expect(r.derived.map((x) => x.record).sort()).toEqual([
      'slo:sli_error_events:increase1d_hourly',
      'slo:sli_events:increase1d_hourly',
      'slo:sli_error_events:increase3d_hourly',
      'slo:sli_events:increase3d_hourly',
      'slo:sli_error_events:increase30d_hourly',
      'slo:sli_events:increase30d_hourly',
      'slo:sli_covered_hours:count_period_hourly',
      'slo:sli_rollup_time:seconds',
    ].sort());
  });

  test('calendar months: the month-to-date carries and the month marker are derived', () => {
    const r = rollups(slo({ window: 'calendar-month' }));
    expect(r.base.map((x) => x.record)).toEqual(['slo:sli_error_events:increase1h', 'slo:sli_events:increase1h']);
    expect(r.derived.map((x) => x.record)).toContain('slo:sli_events:increase_month_to_date');
    expect(r.derived.map((x) => x.record)).toContain('slo:calendar_month:number');
  });
});

describe('a composite SLO', () => {
  // Its rollups and 5m rates read its components' recorded series (other `slo` labels): they are
  // evaluated for the past like raw-data rules, not mistaken for sums of its own rollups.
  const composite = (() => {
    const doc = {
      version: 'burnrate/v1',
      service: 'gw',
      slos: [
        { name: 'a', objective: 0.99, sli: { ratio: { errors: 'e_total', total: 't_total' } } },
        { name: 'b', objective: 0.99, sli: { ratio: { errors: 'e2_total', total: 't2_total' } } },
        { name: 'ab', objective: 0.99, sli: { composite: { components: [{ slo: 'a' }, { slo: 'b', weight: 2 }] } } },
      ],
    };
    return loadText(stringify(doc), 'gw.yaml').slos[2];
  })();

  test('its hourly increases are base rollups; its sums are derived from them', () => {
    const r = rollups(composite);
    expect(r.base.map((x) => x.record)).toEqual(['slo:sli_error_events:increase1h', 'slo:sli_events:increase1h']);
    expect(r.derived.map((x) => x.record)).toContain('slo:sli_events:increase30d_hourly');
  });

  test('its 5m rates are backfilled like any SLO\'s', () => {
    const plan = shortRatePlan(sloRuleGroups(composite).prometheus, composite);
    expect(plan?.rules.map((x) => x.record)).toEqual(['slo:sli_error_events:rate5m', 'slo:sli_events:rate5m']);
  });
});

describe('planHistory', () => {
  test('30 days: 720 slots at the phase, the newest at or before now', () => {
    const p = planHistory(slo(), NOW, PHASE);
    expect(p.periodHours).toBe(720);
    expect(p.slots).toHaveLength(720);
    // 10:20 is before 10:30:19.062, so the newest slot is 09:30:19.062.
    expect(p.slots[719]).toBe(Date.UTC(2026, 11, 5, 9, 30, 19, 62) / 1000);
    expect(p.slots[0]).toBe(p.slots[719] - 719 * H);
  });

  test('retention and filled slots are left out: a rerun after a full run has nothing to do', () => {
    const first = planHistory(slo(), NOW, PHASE, { oldestS: NOW - 10 * 86400 });
    expect(first.slots).toHaveLength(240);
    expect(planHistory(slo(), NOW, PHASE, { filled: first.slots, oldestS: NOW - 10 * 86400 }).slots).toEqual([]);
  });

  test('calendar month: the hours of the month so far, and at least 3 days for the 3d window', () => {
    const p = planHistory(slo({ window: 'calendar-month' }), NOW, PHASE);
    // Dec 1 00:30 .. Dec 5 09:30: 4 days and 10 hours.
    expect(p.periodHours).toBe(4 * 24 + 10);
    expect(p.slots).toHaveLength(4 * 24 + 10);
    const early = planHistory(slo({ window: 'calendar-month' }), Date.UTC(2026, 11, 1, 5) / 1000, PHASE);
    expect(early.periodHours).toBe(5);
    expect(early.slots).toHaveLength(72);
  });
});

describe('deriveAt', () => {
  // 10 days of 1,000 events an hour; 70 failures an hour in the first 10 hours (700 failures).
  const slots = planHistory(slo(), NOW, PHASE, { oldestS: NOW - 10 * 86400 }).slots;
  const lab = { slo: 'chat', slo_service: 'gw' };
  const base = new Map<string, Series[]>([
    ['slo:sli_events:increase1h', [{ labels: { __name__: 'slo:sli_events:increase1h', ...lab }, samples: slots.map((t) => [t, 1000]) }]],
    ['slo:sli_error_events:increase1h', [{ labels: lab, samples: slots.map((t, i) => [t, i < 10 ? 70 : 0]) }]],
  ]);

  test('sums over 1d, 3d and the period, and the covered hours, at the newest slot', () => {
    const values = Object.fromEntries(deriveAt(rollups(slo()).derived, base, slots[slots.length - 1]).map((v) => [v.name, v]));
    expect(values['slo:sli_events:increase30d_hourly'].value).toBe(240000);
    expect(values['slo:sli_error_events:increase30d_hourly'].value).toBe(700);
    expect(values['slo:sli_events:increase1d_hourly'].value).toBe(24000);
    expect(values['slo:sli_events:increase3d_hourly'].value).toBe(72000);
    expect(values['slo:sli_error_events:increase1d_hourly'].value).toBe(0);
    expect(values['slo:sli_covered_hours:count_period_hourly'].value).toBe(240);
    expect(values['slo:sli_covered_hours:count_period_hourly'].labels).toEqual(lab);
    // The fresh windows' tails count from the newest rollup's time: the slot itself.
    expect(values['slo:sli_rollup_time:seconds']).toEqual({ name: 'slo:sli_rollup_time:seconds', labels: lab, value: slots[slots.length - 1] });
  });

  test('calendar month to date: the slots of December only (Dec 1 00:30 .. Dec 5 09:30: 106 hours)', () => {
    const values = Object.fromEntries(deriveAt(rollups(slo({ window: 'calendar-month' })).derived, base, slots[slots.length - 1]).map((v) => [v.name, v.value]));
    expect(values['slo:sli_events:increase_month_to_date']).toBe(106000);
    expect(values['slo:sli_covered_hours:month_to_date']).toBe(106);
    expect(values['slo:calendar_month:number']).toBe(12 + 12 * 2026);
  });
});

describe('shortRatePlan', () => {
  test('the main group: the two 5m rates, read back over the 6h window, every evaluation', () => {
    const s = slo({ evaluationInterval: '30s' });
    const plan = shortRatePlan(sloRuleGroups(s).prometheus, s)!;
    expect(plan.rules.map((r) => r.record).sort()).toEqual(['slo:sli_error_events:rate5m', 'slo:sli_events:rate5m']);
    // Evaluated for the past, where no recorded 5m total exists yet: raw counters only.
    for (const r of plan.rules) {
      expect(r.expr).not.toMatch(/slo:\w+:\w+\{/);
      expect(r.expr).toMatch(/req_total/);
    }
    expect(plan.intervalSeconds).toBe(30);
    expect(plan.spanSeconds).toBe(6 * H);
  });

  test('slots every 30 s at the phase over 6h: 721 instants, the filled ones left out', () => {
    const all = slotsBack(NOW, 30, 12.5, 6 * H);
    expect(all).toHaveLength(721);
    expect(all[all.length - 1]).toBe(NOW - 30 + 12.5);
    expect(all[0]).toBe(NOW - 30 + 12.5 - 6 * H);
    expect(slotsBack(NOW, 30, 12.5, 6 * H, all.slice(700))).toHaveLength(700);
  });
});
