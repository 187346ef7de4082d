// How the SLO list sorts: worst first by default (state, least budget left, fastest burn), or by a
// column the user clicked, ascending or descending. SLOs without the number sort last either way.

import type { ReleaseStateName, SloItem } from '../api/types';
import { STATE_ORDER } from '../components/common/StateBadge';

/** The state to show: the server's merged release state, else (an older server) the policy's. */
export function shownState(i: SloItem): ReleaseStateName {
  return i.release?.state ?? i.status?.release?.state ?? i.status?.state ?? 'no-data';
}

export type SortColumn = 'name' | 'service' | 'objective' | 'budget' | 'periodBurn' | 'burn5m' | 'state';
export interface SortBy {
  column: SortColumn;
  descending: boolean;
}

const name = (s: SloItem) => `${s.service}/${s.name}`;

/** Worst first: state, then the least budget left, then the fastest burn (a pending SLO has no budget yet). */
export function sortWorstFirst(items: SloItem[]): SloItem[] {
  const st = (s: SloItem) => STATE_ORDER[shownState(s)] ?? STATE_ORDER['no-data'];
  return [...items].sort(
    (a, b) =>
      st(a) - st(b) ||
      (a.status?.budgetRemaining ?? Infinity) - (b.status?.budgetRemaining ?? Infinity) ||
      (b.status?.currentBurnRate ?? -Infinity) - (a.status?.currentBurnRate ?? -Infinity) ||
      name(a).localeCompare(name(b))
  );
}

const KEY: Record<SortColumn, (s: SloItem) => number | string | undefined> = {
  name: (s) => s.name,
  service: (s) => s.service,
  objective: (s) => s.objective,
  budget: (s) => s.status?.budgetRemaining,
  periodBurn: (s) => s.status?.periodBurnRate,
  burn5m: (s) => s.status?.currentBurnRate,
  state: (s) => STATE_ORDER[shownState(s)],
};

export function sortSlos(items: SloItem[], by?: SortBy): SloItem[] {
  if (!by) {
    return sortWorstFirst(items);
  }
  const key = KEY[by.column];
  const sign = by.descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === undefined || y === undefined) {
      // Missing numbers last, whichever the direction.
      return x === y ? name(a).localeCompare(name(b)) : x === undefined ? 1 : -1;
    }
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * c || name(a).localeCompare(name(b));
  });
}
