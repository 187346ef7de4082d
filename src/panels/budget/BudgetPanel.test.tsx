import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { dateTime, LoadingState, PanelData, PanelProps, PanelPlugin } from '@grafana/data';
import { BudgetPanel } from './BudgetPanel';
import { plugin } from './module';
import { promFrame, qualityFrames } from './testFrames';
import { panelTestIds } from './testIds';
import { BudgetOptions, DEFAULT_OPTIONS } from './types';
import pluginJson from './plugin.json';

jest.setTimeout(60000);

const NOW = Date.UTC(2026, 10, 29, 10, 0, 0);
const tid = (id: string) => screen.getByTestId(id);

function frames() {
  const l = (slo: string, route: string) => ({ slo, slo_service: 'llm-gateway', team: 'genai', route });
  const f = (name: string, slo: string, route: string, v: number) =>
    promFrame('A', { __name__: name, ...l(slo, route) }, [[NOW, v]]);
  return [
    f('slo:period_error_budget_remaining:ratio', 'availability', '/summarize', 0.92),
    f('slo:current_burn_rate:ratio', 'availability', '/summarize', 0.2),
    f('slo:period_burn_rate:ratio', 'availability', '/summarize', 0.08),
    f('slo:release_freeze:bool', 'availability', '/summarize', 0),
    f('slo:release_caution:bool', 'availability', '/summarize', 0),
    f('slo:time_period:days', 'availability', '/summarize', 30),
    f('slo:period_error_budget_remaining:ratio', 'availability', '/chat', -1.2),
    f('slo:current_burn_rate:ratio', 'availability', '/chat', 12),
    f('slo:period_burn_rate:ratio', 'availability', '/chat', 2.2),
    f('slo:release_freeze:bool', 'availability', '/chat', 1),
    f('slo:release_caution:bool', 'availability', '/chat', 1),
    f('slo:time_period:days', 'availability', '/chat', 30),
    f('slo:current_burn_rate:ratio', 'ttft', '/chat', 0.7),
    promFrame('B', { __name__: 'slo:period_error_budget_remaining:ratio', ...l('availability', '/chat') }, [
      [NOW - 3600_000, 0.5],
      [NOW - 1800_000, -0.4],
      [NOW, -1.2],
    ]),
  ];
}

function props(data: Partial<PanelData>, options: Partial<BudgetOptions> = {}): PanelProps<BudgetOptions> {
  const timeRange = { from: dateTime(NOW - 3600_000), to: dateTime(NOW), raw: { from: 'now-1h', to: 'now' } };
  return {
    id: 1,
    data: { state: LoadingState.Done, series: [], timeRange, ...data } as PanelData,
    timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    transparent: false,
    width: 1000,
    height: 400,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'SLOs',
    eventBus: {} as any,
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (s: string) => s,
    onChangeTimeRange: jest.fn(),
  } as unknown as PanelProps<BudgetOptions>;
}

describe('BudgetPanel', () => {
  it('shows a quality SLO\'s sampled pass ratio with its interval, and says when samples are too few or the judge is not trusted', () => {
    render(<BudgetPanel {...props({ series: qualityFrames(NOW) })} />);
    const rows = screen.getAllByRole('row').slice(1);
    const byRoute = (route: string) => within(rows.find((r) => r.getAttribute('data-labels') === `route=${route}`)!);
    expect(byRoute('/chat').getByTestId(panelTestIds.sampling).textContent).toBe('94.1% pass, 93.0-95.0%, n = 2,140 over 1d');
    const search = byRoute('/search').getByTestId(panelTestIds.sampling).textContent;
    expect(search).toContain('94% pass, 81.0-98.3%, n = 38 over 1d');
    expect(search).toContain('not enough samples: 38 in the last day, about 710 needed to tell 92% from 94%');
    expect(search).toContain('judge not trusted');
  });

  it('shows a manual freeze from the server\'s /metrics on every row of its service, with its reason, as the app does', () => {
    // The panel merges at the real clock: an expiry 4 h from now.
    const expires = Date.now() + 4 * 3600e3;
    const manual = [
      promFrame('A', { __name__: 'burnrate_manual_action_expiry_timestamp_seconds', slo_service: 'llm-gateway', kind: 'freeze', reason: 'incident 42', created_by: 'on-call', action_id: '3' }, [[NOW, expires / 1000]]),
      promFrame('A', { __name__: 'burnrate_manual_actions' }, [[NOW, 1]]),
    ];
    render(<BudgetPanel {...props({ series: [...frames(), ...manual] })} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(within(r).getByTestId(panelTestIds.state).textContent).toBe('FREEZE');
      expect(within(r).getByTestId(panelTestIds.reason).textContent).toMatch(/^freeze: manual, incident 42, until .* UTC, set by the token named on-call$/);
      expect(within(r).getByText('manual')).toBeInTheDocument();
    }
    expect(screen.queryByTestId(panelTestIds.manualMissing)).toBeNull();
  });

  it('says manual freezes are not shown when the server\'s series are missing', () => {
    render(<BudgetPanel {...props({ series: frames() })} />);
    expect(tid(panelTestIds.manualMissing).textContent).toMatch(/^Manual freezes and overrides are not shown: no burnrate_manual_actions series/);
    const ttft = within(screen.getByTestId(panelTestIds.row('llm-gateway', 'ttft')));
    expect(ttft.getByTestId(panelTestIds.reason).textContent).toMatch(/^pending: rules loaded, the period windows are filling: .*; burn 0\.7x now$/);
  });

  it('renders one row per SLO and route, worst first, with badges, budget, burn, forecast and trend', () => {
    render(<BudgetPanel {...props({ series: frames() })} />);
    const rows = screen.getAllByRole('row').slice(1);
    // ttft burns but has no state yet: pending, which sorts before ship.
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual([
      panelTestIds.row('llm-gateway', 'availability'),
      panelTestIds.row('llm-gateway', 'ttft'),
      panelTestIds.row('llm-gateway', 'availability'),
    ]);
    expect(rows.map((r) => r.getAttribute('data-labels'))).toEqual(['route=/chat', 'route=/chat', 'route=/summarize']);

    const [chat, ttft, summarize] = rows.map((r) => within(r));
    expect(chat.getByTestId(panelTestIds.state).textContent).toBe('FREEZE');
    expect(chat.getByTestId(panelTestIds.budget).textContent).toBe('-120.0%');
    expect(chat.getByTestId(panelTestIds.burn('5m')).textContent).toBe('12.0x');
    expect(chat.getByTestId(panelTestIds.burn('period')).textContent).toBe('2.20x');
    expect(chat.getByTestId(panelTestIds.forecast).textContent).toBe('spent');
    expect(chat.getByTestId(panelTestIds.trend)).toBeInTheDocument();
    expect(chat.getByRole('link', { name: 'availability' }).getAttribute('href')).toBe(
      '/a/burnrate-burnrate-app/slos/llm-gateway/availability'
    );

    expect(summarize.getByTestId(panelTestIds.state).textContent).toBe('SHIP');
    expect(summarize.getByTestId(panelTestIds.budget).textContent).toBe('92.0%');
    expect(summarize.getByTestId(panelTestIds.forecast).textContent).toBe('> 30 days');
    expect(summarize.getByRole('meter').getAttribute('aria-valuenow')).toBe('92');

    // Partial data: burn known, budget not yet.
    expect(ttft.getByTestId(panelTestIds.state).textContent).toBe('PENDING');
    expect(ttft.getByTestId(panelTestIds.note).textContent).toBe('budget appears after the first hourly rollup');
    expect(ttft.getByTestId(panelTestIds.burn('5m')).textContent).toBe('0.70x');
    expect(ttft.getByTestId(panelTestIds.burn('1h')).textContent).toBe('–');
    // The team label is hidden by default, route shown.
    expect(chat.queryByText('team=genai')).toBeNull();
    expect(chat.getByText('route=/chat')).toBeInTheDocument();
  });

  it('fits a 6x4 cell: one line per SLO and route with state, budget and the 1h burn, worst first', () => {
    render(<BudgetPanel {...{ ...props({ series: frames() }), width: 440, height: 110 }} />);
    const compact = tid(panelTestIds.compact);
    expect(screen.queryByRole('table')).toBeNull();
    expect(within(compact).getByText('burn 1h')).toBeInTheDocument();
    const lines = within(compact)
      .getAllByTestId(/br-budget-row/)
      .map((l) => [
        within(l).getByTestId(panelTestIds.state).textContent,
        within(l).getByTestId(panelTestIds.budget).textContent,
        within(l).getByTestId(panelTestIds.burn('1h')).textContent,
        l.getAttribute('title')?.split('\n')[0],
      ]);
    // The 1h burn is not in these frames (only the current 5m one): a dash, as in the table. ttft
    // has burn rates but no budget yet: pending. The team label is hidden by default.
    expect(lines).toEqual([
      ['FREEZE', '-120.0%', '–', 'llm-gateway/availability /chat'],
      ['PENDING', '–', '–', 'llm-gateway/ttft /chat'],
      ['SHIP', '92.0%', '–', 'llm-gateway/availability /summarize'],
    ]);
  });

  it('follows the options: windows, sort by name, no links, no trend, no forecast', () => {
    render(
      <BudgetPanel
        {...props(
          { series: frames() },
          { windows: ['period'], sort: 'name', showLinks: false, showTrend: false, showForecast: false, hideLabels: '' }
        )}
      />
    );
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['SLO', 'State', 'Budget left', 'Burn period']);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-labels'))).toEqual([
      'team=genai,route=/chat',
      'team=genai,route=/summarize',
      'team=genai,route=/chat',
    ]);
    expect(screen.queryAllByRole('link')).toHaveLength(0);
    expect(screen.queryAllByTestId(panelTestIds.trend)).toHaveLength(0);
  });

  it('shows a clear no-data state with the queries it expects', () => {
    render(<BudgetPanel {...props({ series: [] })} />);
    expect(tid(panelTestIds.empty).textContent).toContain('No SLO data');
    expect(tid(panelTestIds.empty).textContent).toContain('slo:period_error_budget_remaining:ratio');
  });

  it('says so when the queries return series that are not Burnrate series', () => {
    render(<BudgetPanel {...props({ series: [promFrame('A', { __name__: 'up', job: 'x' }, [[NOW, 1]])] })} />);
    expect(tid(panelTestIds.empty).textContent).toContain('none of them Burnrate SLO series');
  });

  it('shows the data source error, and the rows of the queries that answered', () => {
    const { unmount } = render(
      <BudgetPanel
        {...props({
          state: LoadingState.Error,
          series: [],
          errors: [{ refId: 'A', message: 'bad_data: parse error at char 5' }],
        })}
      />
    );
    expect(tid(panelTestIds.error).textContent).toContain('A: bad_data: parse error at char 5');
    expect(screen.queryByTestId(panelTestIds.empty)).toBeNull();
    unmount();

    // Grafana before `errors`: one `error` (still read by the panel).
    render(
      <BudgetPanel
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        {...props({ state: LoadingState.Error, series: frames(), error: { refId: 'B', message: 'timeout' } })}
      />
    );
    expect(tid(panelTestIds.error).textContent).toContain('B: timeout');
    expect(screen.getAllByRole('row')).toHaveLength(4);
  });
});

describe('the panel plugin', () => {
  it('is a panel plugin whose options editor defaults are the documented defaults', () => {
    expect(plugin).toBeInstanceOf(PanelPlugin);
    // Grafana reads the defaults from its options builder (which needs Grafana's editor registry);
    // a recording builder collects the same defaultValues here.
    const defaults: Record<string, unknown> = {};
    const builder: any = new Proxy(
      {},
      {
        get: () => (c: { path: string; defaultValue: unknown }) => {
          defaults[c.path] = c.defaultValue;
          return builder;
        },
      }
    );
    plugin.getPanelOptionsSupplier()(builder, { data: [] } as any);
    expect(defaults).toEqual(DEFAULT_OPTIONS);
  });

  it('has its own id and takes its version from the package at build time', () => {
    expect(pluginJson.type).toBe('panel');
    expect(pluginJson.id).toBe('burnrate-budget-panel');
    // The build replaces the placeholder with package.json's version (tests/release checks the archive).
    expect(pluginJson.info.version).toBe('%VERSION%');
  });
});

