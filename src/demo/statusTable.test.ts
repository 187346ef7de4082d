import { renderTable, rowsFromStatus, StatusAnswer, unavailableRow } from './statusTable';

const slo = { name: 'availability', window: '30d' };

describe('demo status table', () => {
  const status: StatusAnswer = {
    state: 'freeze',
    groups: [
      {
        group: { route: '/summarize' },
        state: 'ship',
        release: { state: 'ship', reason: 'ship: within policy' },
        budgetRemaining: 0.8,
        currentBurnRate: 0.5,
        periodBurnRate: 0.2,
        windows: [{ window: '1h', burnRate: 0.4 }],
      },
      {
        group: { route: '/chat' },
        state: 'ship',
        // A manual freeze wins over the policy: the row shows what the gate answers.
        release: { state: 'freeze', reason: 'freeze: manual, incident 42' },
        budgetRemaining: 0.123,
        currentBurnRate: 36,
        periodBurnRate: 1.5,
        windows: [{ window: '1h', burnRate: 12.25 }],
      },
    ],
  };

  it("shows each route's release state with its reason, sorted by route", () => {
    const rows = rowsFromStatus(slo, status);
    expect(rows.map((r) => [r.route, r.state, r.reason])).toEqual([
      ['/chat', 'freeze', 'freeze: manual, incident 42'],
      ['/summarize', 'ship', 'ship: within policy'],
    ]);
  });

  it('fits every column to its longest value', () => {
    const rows = [
      ...rowsFromStatus(slo, status),
      ...rowsFromStatus({ name: 'ttft', window: '7d' }, { state: 'pending', release: { state: 'pending', reason: 'pending: windows filling' }, groups: [] }),
      unavailableRow({ name: 'cost', window: '30d' }, 'GET answered 503'),
    ];
    const lines = renderTable(rows, false).split('\n');
    expect(lines).toEqual([
      'SLO           window  route          state    budget left  burn 5m  burn 1h  burn period  why',
      '---------------------------------------------------------------------------------------------',
      'availability  30d     /chat          freeze         12.3%    36.0x    12.3x        1.50x  freeze: manual, incident 42',
      'availability  30d     /summarize     ship           80.0%    0.50x    0.40x        0.20x  ship: within policy',
      'ttft          7d      (no data yet)  pending            -        -        -            -  pending: windows filling',
      'cost          30d     -              -                  -        -        -            -  status unavailable: GET answered 503',
    ]);
  });

  it('colors only the state', () => {
    const out = renderTable(rowsFromStatus(slo, status), true).split('\n')[2];
    // Two routes: the route column is as wide as "/summarize", the state column as "freeze".
    expect(out).toContain('/chat       \x1b[31mfreeze\x1b[0m  ');
    expect(out.replace(/\x1b\[\d+m/g, '')).toBe(
      'availability  30d     /chat       freeze        12.3%    36.0x    12.3x        1.50x  freeze: manual, incident 42'
    );
  });
});
