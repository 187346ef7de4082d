// The alert factor table of docs/spec.md (Alerting), row by row. Each row: severity, long and short
// window, factor, share of the budget spent in the long window at that factor (factor x long /
// period) and how long a whole budget lasts at that burn (period / factor).

import { DAY, HOUR } from '../spec/duration';
import { TimeWindow } from '../spec/types';
import { alertWindows } from './burnRateWindows';

type Row = [severity: string, long: string, short: string, factor: number, share: number, lasts: string];

function table(window: TimeWindow): Row[] {
  const d = (s: number) => (s % DAY === 0 ? `${s / DAY}d` : s % HOUR === 0 ? `${s / HOUR}h` : `${s / 60}m`);
  return alertWindows(window).map((w) => [
    w.severity,
    d(w.longSeconds),
    d(w.shortSeconds),
    w.factor,
    Number((w.budgetShare * 100).toFixed(2)),
    d(w.exhaustSeconds),
  ]);
}

const rolling = (days: number): TimeWindow => ({ type: 'rolling', days });

describe('alert factors', () => {
  it('are the SRE workbook’s for 30 days: 14.4, 6, 3, 1 (2%, 5%, 10%, 10% of the budget)', () => {
    expect(table(rolling(30))).toEqual([
      ['page', '1h', '5m', 14.4, 2, '50h'],
      ['page', '6h', '30m', 6, 5, '5d'],
      ['ticket', '1d', '2h', 3, 10, '10d'],
      ['ticket', '3d', '6h', 1, 10, '30d'],
    ]);
  });

  it('for 28 days keep the urgencies; the 3d ticket is 1x, not the 0.933x of the budget fractions', () => {
    // 672h / 50h = 13.44; 28d / 5d = 5.6; 28d / 10d = 2.8. 1x over 3d spends 3/28 = 10.71%.
    expect(table(rolling(28))).toEqual([
      ['page', '1h', '5m', 13.44, 2, '50h'],
      ['page', '6h', '30m', 5.6, 5, '5d'],
      ['ticket', '1d', '2h', 2.8, 10, '10d'],
      ['ticket', '3d', '6h', 1, 10.71, '28d'],
    ]);
  });

  it('for 7 days never fall below 1: the tickets fire at 1x, not 0.7x and 0.233x', () => {
    // 168h / 50h = 3.36; 7d / 5d = 1.4; 7d / 10d = 0.7 -> 1 (spends 1/7 = 14.29% in 1d); 3d: 3/7.
    expect(table(rolling(7))).toEqual([
      ['page', '1h', '5m', 3.36, 2, '50h'],
      ['page', '6h', '30m', 1.4, 5, '5d'],
      ['ticket', '1d', '2h', 1, 14.29, '7d'],
      ['ticket', '3d', '6h', 1, 42.86, '7d'],
    ]);
  });

  it('for 90 days keep the urgencies; the slow ticket still fires on any burn that spends the budget', () => {
    // 2160h / 50h = 43.2; 90d / 5d = 18; 90d / 10d = 9; 3d at 1x spends 3/90 = 3.33%.
    expect(table(rolling(90))).toEqual([
      ['page', '1h', '5m', 43.2, 2, '50h'],
      ['page', '6h', '30m', 18, 5, '5d'],
      ['ticket', '1d', '2h', 9, 10, '10d'],
      ['ticket', '3d', '6h', 1, 3.33, '90d'],
    ]);
  });

  it('for calendar months are those of a nominal 30 days', () => {
    expect(table({ type: 'calendar', unit: 'month' } as TimeWindow)).toEqual(table(rolling(30)));
  });

  it('are at least 1 for every period the validator accepts (4 to 400 days)', () => {
    for (let days = 4; days <= 400; days++) {
      for (const w of alertWindows(rolling(days))) {
        expect(w.factor).toBeGreaterThanOrEqual(1);
        // Never more than the workbook's share would allow, never less than its burn of 1.
        expect(w.exhaustSeconds).toBeLessThanOrEqual(days * DAY);
      }
    }
    // The shortest period: 96h / 50h = 1.92; everything else 1.
    expect(alertWindows(rolling(4)).map((w) => w.factor)).toEqual([1.92, 1, 1, 1]);
  });
});
