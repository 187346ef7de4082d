import { neededSamples, wilson } from './interval';

describe('wilson', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i -> %f to %f (Newcombe 1998)', (x, n, lower, upper) => {
    const w = wilson(x / n, n);
    expect(w.lower).toBeCloseTo(lower, 4);
    expect(w.upper).toBeCloseTo(upper, 4);
  });

  it('0 failures of 20: upper bound z²/(n+z²) = 3.8416/23.8416, not Wald`s collapse to 0', () => {
    expect(wilson(0, 20).upper).toBeCloseTo(3.8416 / 23.8416, 10);
    expect(wilson(0, 20).lower).toBe(0);
  });

  it('120 failed of 2,000 (94% pass): 5.04% to 7.13%; of 100: 2.78% to 12.48%', () => {
    expect(wilson(0.06, 2000).lower).toBeCloseTo(0.0504, 4);
    expect(wilson(0.06, 2000).upper).toBeCloseTo(0.0713, 4);
    expect(wilson(0.06, 100).lower).toBeCloseTo(0.0278, 4);
    expect(wilson(0.06, 100).upper).toBeCloseTo(0.1248, 4);
  });

  it('takes an effective, fractional n, and rejects nonsense', () => {
    expect(wilson(0.5, 642.857).lower).toBeLessThan(0.5);
    expect(() => wilson(0.5, 0)).toThrow('n > 0');
    expect(() => wilson(1.5, 10)).toThrow('0 <= p <= 1');
  });
});

describe('neededSamples', () => {
  it('94% vs a 92% objective: 1.96² x 0.08 x 0.92 / 0.02² = 706.85', () => {
    expect(neededSamples(0.06, 0.08)).toBeCloseTo(706.8544, 3);
  });
  it('89% vs 92%: 1.96² x 0.0736 / 0.03² = 314.16', () => {
    expect(neededSamples(0.11, 0.08)).toBeCloseTo(314.1575, 3);
  });
  it('is exactly where the Wilson interval starts to leave the objective out', () => {
    const n = neededSamples(0.06, 0.08);
    expect(wilson(0.06, n).upper).toBeCloseTo(0.08, 10);
    expect(wilson(0.06, n * 0.99).upper).toBeGreaterThan(0.08);
    expect(wilson(0.06, n * 1.01).upper).toBeLessThan(0.08);
  });
  it('is infinite when the observed ratio is the objective', () => {
    expect(neededSamples(0.08, 0.08)).toBe(Infinity);
  });
});
