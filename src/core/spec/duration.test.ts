import { formatDuration, parseDuration } from './duration';
import { complement, formatNumber, product } from './numbers';

describe('durations', () => {
  it.each([
    ['5m', 300],
    ['1h30m', 5400],
    ['30d', 2592000],
    ['4w', 2419200],
  ])('parses %s', (text, secs) => {
    expect(parseDuration(text)).toBe(secs);
  });

  it.each(['', '5', '1y', '-5m', '0m', '5m1h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats weeks as days so series read ratio_rate28d', () => {
    expect(formatDuration(2419200)).toBe('28d');
    expect(formatDuration(5400)).toBe('1h30m');
  });
});

describe('numbers', () => {
  it('removes binary noise', () => {
    expect(formatNumber(1 - 0.001)).toBe('0.999');
    expect(complement(0.999)).toBe(0.001);
    expect(product(14.4, 0.001)).toBe(0.0144);
    expect(formatNumber(0.0000125)).toBe('0.0000125');
  });
});
