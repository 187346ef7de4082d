// The demo's status table: one row per SLO and route, with the release state the gate answers and
// the reason in words beside the numbers it comes from. Columns are as wide as their longest value,
// so a long route or "(no data yet)" does not push the numbers out of line.

export interface Row {
  slo: string;
  window: string;
  route: string;
  state: string;
  /** The release state's reason in words ("freeze: burn rate 36x over 5m above 2x"). */
  reason?: string;
  budget?: number;
  burn5m?: number;
  burn1h?: number;
  burnPeriod?: number;
}

interface Release {
  state: string;
  reason: string;
}

/** The fields of GET /api/v1/slos/{service}/{name}/status that the table reads. */
export interface StatusAnswer {
  state: string;
  release?: Release;
  groups: Array<{
    group: Record<string, string>;
    state: string;
    release?: Release;
    budgetRemaining?: number;
    currentBurnRate?: number;
    periodBurnRate?: number;
    windows: Array<{ window: string; burnRate?: number }>;
  }>;
}

export function rowsFromStatus(slo: { name: string; window: string }, st: StatusAnswer): Row[] {
  const groups = [...st.groups].sort((a, b) => String(a.group.route).localeCompare(String(b.group.route)));
  if (!groups.length) {
    const r = st.release;
    return [{ slo: slo.name, window: slo.window, route: '(no data yet)', state: r?.state ?? st.state, reason: r?.reason }];
  }
  return groups.map((g) => ({
    slo: slo.name,
    window: slo.window,
    route: g.group.route ?? '',
    state: g.release?.state ?? g.state,
    reason: g.release?.reason,
    budget: g.budgetRemaining,
    burn5m: g.currentBurnRate,
    burn1h: g.windows.find((w) => w.window === '1h')?.burnRate,
    burnPeriod: g.periodBurnRate,
  }));
}

export function unavailableRow(slo: { name: string; window: string }, message: string): Row {
  return { slo: slo.name, window: slo.window, route: '-', state: '-', reason: `status unavailable: ${message.slice(0, 80)}` };
}

export function pct(x: number | undefined): string {
  return x === undefined ? '-' : `${(x * 100).toFixed(1)}%`;
}

export function burn(x: number | undefined): string {
  return x === undefined ? '-' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}x`;
}

const STATE_COLOR: Record<string, string> = { ship: '\x1b[32m', caution: '\x1b[33m', freeze: '\x1b[31m' };

interface Column {
  head: string;
  cell: (r: Row) => string;
  right?: boolean;
}

const COLUMNS: Column[] = [
  { head: 'SLO', cell: (r) => r.slo },
  { head: 'window', cell: (r) => r.window },
  { head: 'route', cell: (r) => r.route },
  { head: 'state', cell: (r) => r.state },
  { head: 'budget left', cell: (r) => pct(r.budget), right: true },
  { head: 'burn 5m', cell: (r) => burn(r.burn5m), right: true },
  { head: 'burn 1h', cell: (r) => burn(r.burn1h), right: true },
  { head: 'burn period', cell: (r) => burn(r.burnPeriod), right: true },
];
const GAP = '  ';

export function renderTable(rows: Row[], color: boolean): string {
  const widths = COLUMNS.map((c) => Math.max(c.head.length, ...rows.map((r) => c.cell(r).length)));
  const line = (cells: string[], r?: Row) =>
    cells
      .map((text, i) => {
        const padded = COLUMNS[i].right ? text.padStart(widths[i]) : text.padEnd(widths[i]);
        const paint = color && r && COLUMNS[i].head === 'state' ? STATE_COLOR[r.state] : undefined;
        return paint ? `${paint}${padded}\x1b[0m` : padded;
      })
      .join(GAP);
  const head = `${line(COLUMNS.map((c) => c.head))}${GAP}why`;
  const lines = [head, '-'.repeat(head.length)];
  for (const r of rows) {
    lines.push(`${line(COLUMNS.map((c) => c.cell(r)), r)}${r.reason ? `${GAP}${r.reason}` : ''}`);
  }
  return lines.join('\n');
}
