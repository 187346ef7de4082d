import { createDataFrame, FieldType } from '@grafana/data';
import { BUDGET_PENDING, forecastText, framesToRows, metricName, readSeries, sloPath } from './frames';
import { promFrame, qualityFrames } from './testFrames';
import { DEFAULT_OPTIONS } from './types';

jest.setTimeout(30000);

const NOW = Date.UTC(2026, 10, 29, 10, 0, 0);
const base = (slo: string, route: string) => ({ slo, slo_service: 'llm-gateway', team: 'genai', route });

/** Instant query A over several metric names: what Grafana returns for the panel's default query. */
function instant(slo: string, route: string, v: Record<string, number>) {
  return Object.entries(v).map(([name, value]) => promFrame('A', { __name__: name, ...base(slo, route) }, [[NOW, value]]));
}

const opts = { windows: DEFAULT_OPTIONS.windows, forecastWindow: '1h' as const, sort: 'worst' as const };

function scenario() {
  return [
    // chat-availability /chat: burning hard, frozen.
    ...instant('chat-availability', '/chat', {
      'slo:period_error_budget_remaining:ratio': -0.5,
      'slo:current_burn_rate:ratio': 9.5,
      'slo:period_burn_rate:ratio': 1.5,
      'slo:sli_error:ratio_rate1h': 0.04,
      'slo:sli_error:ratio_rate6h': 0.03,
      'slo:error_budget:ratio': 0.005,
      'slo:time_period:days': 30,
      'slo:release_freeze:bool': 1,
      'slo:release_caution:bool': 1,
    }),
    // chat-availability /summarize: healthy.
    ...instant('chat-availability', '/summarize', {
      'slo:period_error_budget_remaining:ratio': 0.9,
      'slo:current_burn_rate:ratio': 0.1,
      'slo:period_burn_rate:ratio': 0.1,
      'slo:sli_error:ratio_rate1h': 0.0005,
      'slo:error_budget:ratio': 0.005,
      'slo:time_period:days': 30,
      'slo:release_freeze:bool': 0,
      'slo:release_caution:bool': 0,
    }),
    // chat-ttft /chat: caution, 40% left.
    ...instant('chat-ttft', '/chat', {
      'slo:period_error_budget_remaining:ratio': 0.4,
      'slo:current_burn_rate:ratio': 1.2,
      'slo:period_burn_rate:ratio': 0.6,
      'slo:sli_error:ratio_rate1h': 0.02,
      'slo:error_budget:ratio': 0.01,
      'slo:time_period:days': 28,
      'slo:release_freeze:bool': 0,
      'slo:release_caution:bool': 1,
    }),
    // chat-ttft /summarize: new, only the short windows so far (no rollup yet).
    ...instant('chat-ttft', '/summarize', {
      'slo:current_burn_rate:ratio': 0.5,
      'slo:sli_error:ratio_rate1h': 0.004,
      'slo:error_budget:ratio': 0.01,
    }),
    // The trend (query B, range) for two rows.
    promFrame(
      'B',
      { __name__: 'slo:period_error_budget_remaining:ratio', ...base('chat-availability', '/chat') },
      [
        [NOW - 120_000, 0.2],
        [NOW - 60_000, -0.2],
        [NOW - 30_000, -0.45],
      ]
    ),
    promFrame(
      'B',
      { __name__: 'slo:period_error_budget_remaining:ratio', ...base('chat-availability', '/summarize') },
      [
        [NOW - 120_000, 0.91],
        [NOW - 60_000, 0.9],
      ]
    ),
  ];
}

describe('frames to rows', () => {
  it('makes one row per SLO and route, worst first', () => {
    const { rows, ignored } = framesToRows(scenario(), opts);
    expect(ignored).toBe(0);
    expect(rows.map((r) => `${r.slo} ${r.labels.route} ${r.state}`)).toEqual([
      'chat-availability /chat freeze',
      'chat-ttft /chat caution',
      // Burn rates but no release state yet: pending (rules loaded, windows filling), before ship.
      'chat-ttft /summarize pending',
      'chat-availability /summarize ship',
    ]);
    const chat = rows[0];
    expect(chat.service).toBe('llm-gateway');
    expect(chat.labels).toEqual({ team: 'genai', route: '/chat' });
    // The instant value (newest) wins over the range query's last point.
    expect(chat.budgetRemaining).toBe(-0.5);
    expect(chat.burn['5m']).toBe(9.5);
    expect(chat.burn['1h']).toBeCloseTo(8, 10); // 0.04 / 0.005
    expect(chat.burn['6h']).toBeCloseTo(6, 10);
    expect(chat.burn.period).toBe(1.5);
    expect(chat.forecastSeconds).toBe(0);
    expect(forecastText(chat)).toBe('spent');
    expect(chat.trend.map((p) => p[1])).toEqual([0.2, -0.2, -0.45]);
  });

  it('forecasts time to exhaustion from the 1h burn rate: remaining x period / burn', () => {
    const { rows } = framesToRows(scenario(), opts);
    const ttft = rows.find((r) => r.slo === 'chat-ttft' && r.labels.route === '/chat')!;
    // 0.4 x 28 days / (0.02 / 0.01 = 2) = 5.6 days
    expect(ttft.forecastWindow).toBe('1h');
    expect(ttft.forecastSeconds).toBeCloseTo(5.6 * 86400, 3);
    expect(forecastText(ttft)).toBe('6 days');
    const summarize = rows.find((r) => r.slo === 'chat-availability' && r.labels.route === '/summarize')!;
    // 0.9 x 30 / 0.1 = 270 days: longer than the period.
    expect(forecastText(summarize)).toBe('> 30 days');
  });

  it('says the budget is pending when burn rates exist but no rollup has run', () => {
    const { rows } = framesToRows(scenario(), opts);
    const fresh = rows.find((r) => r.slo === 'chat-ttft' && r.labels.route === '/summarize')!;
    expect(fresh.budgetRemaining).toBeUndefined();
    expect(fresh.burn['5m']).toBe(0.5);
    expect(fresh.burn['1h']).toBeCloseTo(0.4, 10);
    expect(fresh.burn.period).toBeUndefined();
    expect(fresh.notes).toContain(BUDGET_PENDING);
    expect(fresh.forecastSeconds).toBeUndefined();
    expect(forecastText(fresh)).toBe('–');
  });

  it('sorts by budget or by name when asked', () => {
    const byBudget = framesToRows(scenario(), { ...opts, sort: 'budget' }).rows;
    expect(byBudget.map((r) => r.budgetRemaining)).toEqual([-0.5, 0.4, 0.9, undefined]);
    const byName = framesToRows(scenario(), { ...opts, sort: 'name' }).rows;
    expect(byName.map((r) => `${r.slo} ${r.labels.route}`)).toEqual([
      'chat-availability /chat',
      'chat-availability /summarize',
      'chat-ttft /chat',
      'chat-ttft /summarize',
    ]);
  });

  it('derives the period burn from the budget left when the period burn series is missing', () => {
    const frames = instant('x', '/a', { 'slo:period_error_budget_remaining:ratio': 0.75 });
    expect(framesToRows(frames, opts).rows[0].burn.period).toBeCloseTo(0.25, 10);
  });

  it('ignores series that are not contract series, and counts them', () => {
    const frames = [
      promFrame('A', { __name__: 'up', job: 'x' }, [[NOW, 1]]),
      promFrame('A', { job: 'x' }, [[NOW, 1]]),
      ...instant('x', '/a', { 'slo:current_burn_rate:ratio': 2 }),
    ];
    const { rows, ignored } = framesToRows(frames, opts);
    expect(ignored).toBe(2);
    expect(rows).toHaveLength(1);
  });

  it('names series by legend or refId when the query aggregates __name__ away', () => {
    const byLegend = promFrame('A', { slo: 'x', slo_service: 's', route: '/a' }, [[NOW, 0.3]]);
    byLegend.fields[1].config.displayNameFromDS = 'slo:period_error_budget_remaining:ratio';
    const byRefId = promFrame('slo:current_burn_rate:ratio', { slo: 'x', slo_service: 's', route: '/a' }, [[NOW, 4]]);
    const byAlias = promFrame('freeze', { slo: 'x', slo_service: 's', route: '/a' }, [[NOW, 1]]);
    const { rows } = framesToRows([byLegend, byRefId, byAlias], opts);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ budgetRemaining: 0.3, state: 'freeze', burn: { '5m': 4 } });
  });

  it('reads dataplane frames whose value field is named after the metric', () => {
    const f = promFrame('A', { slo: 'x', slo_service: 's' }, [[NOW, 0.5]]);
    f.fields[1].name = 'slo:period_error_budget_remaining:ratio';
    expect(framesToRows([f], opts).rows[0].budgetRemaining).toBe(0.5);
  });

  it('reads table-format frames (label columns and a Value #A column)', () => {
    const table = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'Time', type: FieldType.time, values: [NOW, NOW] },
        { name: '__name__', type: FieldType.string, values: ['slo:current_burn_rate:ratio', 'slo:release_freeze:bool'] },
        { name: 'slo', type: FieldType.string, values: ['x', 'x'] },
        { name: 'slo_service', type: FieldType.string, values: ['s', 's'] },
        { name: 'route', type: FieldType.string, values: ['/a', '/a'] },
        { name: 'Value #A', type: FieldType.number, values: [3, 0] },
      ],
    });
    const { rows } = framesToRows([table], opts);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ slo: 'x', service: 's', labels: { route: '/a' }, state: 'ship', burn: { '5m': 3 } });
  });

  it('never produces NaN or Infinity from missing or non-finite values', () => {
    const frames = [
      promFrame('A', { __name__: 'slo:current_burn_rate:ratio', slo: 'x', slo_service: 's' }, [[NOW, NaN]]),
      promFrame('A', { __name__: 'slo:sli_error:ratio_rate1h', slo: 'x', slo_service: 's' }, [[NOW, 0.01]]),
      promFrame('A', { __name__: 'slo:error_budget:ratio', slo: 'x', slo_service: 's' }, [[NOW, 0]]),
      promFrame('A', { __name__: 'slo:period_burn_rate:ratio', slo: 'x', slo_service: 's' }, [[NOW, Infinity]]),
    ];
    const read = readSeries(frames);
    expect(read.series.map((s) => s.metric)).toEqual(['slo:sli_error:ratio_rate1h', 'slo:error_budget:ratio']);
    const row = framesToRows(frames, opts).rows[0];
    expect(row.burn).toEqual({});
    for (const v of Object.values(row.burn)) {
      expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('returns no rows for no frames', () => {
    expect(framesToRows(undefined, opts)).toEqual({ rows: [], ignored: 0, series: 0, manualExported: false });
    expect(framesToRows([], opts).rows).toEqual([]);
  });

  it('knows the contract names and builds the app link', () => {
    expect(metricName('slo:sli_error:ratio_rate30d')).toBe('slo:sli_error:ratio_rate30d');
    expect(metricName('slo:sli_error:ratio_rate_calendar_month')).toBe('slo:sli_error:ratio_rate_calendar_month');
    expect(metricName('slo:objective:ratio')).toBeUndefined();
    expect(sloPath('/a/burnrate-burnrate-app', 'llm gateway', 'chat/x')).toBe(
      '/a/burnrate-burnrate-app/slos/llm%20gateway/chat%2Fx'
    );
  });
});

describe('quality sampling in the panel', () => {
  const rows = framesToRows(
    [
      ...qualityFrames(NOW, { team: 'genai' }),
      // An SLO without sampling series (not a quality SLI) has none.
      ...instant('chat-availability', '/chat', { 'slo:error_budget:ratio': 0.005, 'slo:sli_error:ratio_rate1d': 0.001 }),
    ],
    { ...opts, sort: 'name' }
  ).rows;
  const byRoute = (slo: string, route: string) => rows.find((r) => r.slo === slo && r.labels.route === route)!;

  it('reads the interval, the samples and both flags per group', () => {
    expect(byRoute('answer-quality', '/chat').sampling).toEqual({
      window: '1d',
      errorRatio: 0.059,
      errorLower: 0.05,
      errorUpper: 0.07,
      effectiveSamples: 2140,
      neededSamples: 700,
      insufficient: false,
      judgeUntrusted: false,
      judgeAgreement: undefined,
    });
    expect(byRoute('answer-quality', '/search').sampling).toMatchObject({ insufficient: true, judgeUntrusted: true, judgeAgreement: 0.7, effectiveSamples: 38 });
    expect(byRoute('answer-quality', '/chat').objective).toBeCloseTo(0.92, 10);
    expect(byRoute('chat-availability', '/chat').sampling).toBeUndefined();
  });
});

describe('manual freezes and overrides from the server\'s /metrics', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  const scraped = { job: 'burnrate', instance: '127.0.0.1:8080' };
  const action = (labels: Record<string, string>, expiresAt: number) =>
    promFrame('A', { __name__: 'burnrate_manual_action_expiry_timestamp_seconds', ...scraped, slo_service: 'llm-gateway', created_by: 'on-call', ...labels }, [[now, expiresAt / 1000]]);
  const count = (n: number) => promFrame('A', { __name__: 'burnrate_manual_actions', ...scraped }, [[now, n]]);
  const sixteen = Date.parse('2026-12-06T16:00:00Z');

  it('a service-wide freeze makes every row of the service freeze, in the words the app shows, before the policy states', () => {
    const { rows, manualExported } = framesToRows([...scenario(), action({ kind: 'freeze', reason: 'incident 42', action_id: '3' }, sixteen), count(1)], opts, now);
    expect(manualExported).toBe(true);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.release).toEqual(expect.objectContaining({ state: 'freeze', source: 'manual-freeze', by: 'on-call', until: sixteen, actionId: 3 }));
      expect(r.release!.reason).toBe('freeze: manual, incident 42, until 16:00 UTC, set by the token named on-call');
    }
    // The policy states stay known underneath.
    expect(rows.map((r) => `${r.slo} ${r.labels.route} ${r.release!.policy}`)).toContain('chat-availability /summarize ship');
  });

  it('a route freeze freezes that route only; an override ships a policy freeze and says what it ships past; an expired action counts nowhere', () => {
    const frames = [
      ...scenario(),
      action({ kind: 'freeze', route: '/summarize', reason: 'deploy window', action_id: '4' }, sixteen),
      action({ kind: 'override', route: '/chat', reason: 'hotfix 7', action_id: '5' }, sixteen),
      action({ kind: 'freeze', route: '/chat', reason: 'old incident', action_id: '1' }, now - 60_000),
      count(3),
    ];
    const rows = framesToRows(frames, opts, now).rows;
    const by = (slo: string, route: string) => rows.find((r) => r.slo === slo && r.labels.route === route)!.release!;
    expect(by('chat-availability', '/summarize').reason).toBe('freeze: manual on route /summarize, deploy window, until 16:00 UTC, set by the token named on-call');
    expect(by('chat-ttft', '/summarize').state).toBe('freeze');
    const chat = by('chat-availability', '/chat');
    expect(chat.state).toBe('ship');
    expect(chat.source).toBe('override');
    // The scenario's /chat: budget -50%, burn 1.5x over the period, 9.5x now.
    expect(chat.reason).toBe(
      'ship: override on route /chat, hotfix 7, until 16:00 UTC, set by the token named on-call (the policy says freeze: budget -50% left, burn 1.5x over the period, 9.5x now)'
    );
  });

  it('without the server\'s series it says manual actions are not shown, and rows keep their policy state', () => {
    const { rows, manualExported } = framesToRows(scenario(), opts, now);
    expect(manualExported).toBe(false);
    expect(rows.every((r) => r.release!.source === 'policy')).toBe(true);
    expect(rows.find((r) => r.release!.state === 'pending')!.release!.reason).toMatch(/^pending: rules loaded, the period windows are filling/);
  });
});
