import type { SloItem } from '../api/types';
import { sloItem } from './testing';
import { sortSlos } from './sloListSort';

const items = [
  sloItem({ name: 'a', status: { state: 'ship', budgetRemaining: 0.8, currentBurnRate: 0.4, periodBurnRate: 0.2, groups: [] } }),
  sloItem({ name: 'b', status: { state: 'freeze', budgetRemaining: -0.1, currentBurnRate: 16, periodBurnRate: 1.1, groups: [] } }),
  sloItem({ name: 'c', status: { state: 'pending', currentBurnRate: 2, groups: [] } }),
  sloItem({ name: 'd', status: { state: 'caution', budgetRemaining: 0.3, currentBurnRate: 1.3, periodBurnRate: 0.7, groups: [] } }),
] as unknown as SloItem[];
const names = (xs: SloItem[]) => xs.map((x) => x.name);

describe('SLO list sort', () => {
  it('is worst first by default: freeze, caution, pending, ship', () => {
    expect(names(sortSlos(items))).toEqual(['b', 'd', 'c', 'a']);
  });

  it('sorts by a column either way, with SLOs lacking the number last both times', () => {
    expect(names(sortSlos(items, { column: 'budget', descending: false }))).toEqual(['b', 'd', 'a', 'c']);
    expect(names(sortSlos(items, { column: 'budget', descending: true }))).toEqual(['a', 'd', 'b', 'c']);
    expect(names(sortSlos(items, { column: 'burn5m', descending: true }))).toEqual(['b', 'c', 'd', 'a']);
    expect(names(sortSlos(items, { column: 'name', descending: true }))).toEqual(['d', 'c', 'b', 'a']);
  });
});
