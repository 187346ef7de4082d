import { effectiveSamples } from './effectiveSamples';

describe('effectiveSamples (Kish)', () => {
  it('equal weights: the plain count, whatever the weight', () => {
    expect(effectiveSamples([{ n: 1000, weight: 1 }, { n: 100, weight: 1 }])).toBe(1100);
    expect(effectiveSamples([{ n: 1000, weight: 3 }, { n: 100, weight: 3 }])).toBeCloseTo(1100, 9);
  });
  it('judge 1,000 at weight 1, thumbs 100 at weight 5: 1,500² / 3,500 = 642.86', () => {
    expect(effectiveSamples([{ n: 1000, weight: 1 }, { n: 100, weight: 5 }])).toBeCloseTo(2250000 / 3500, 9);
  });
  it('no samples: 0', () => {
    expect(effectiveSamples([{ n: 0, weight: 2 }])).toBe(0);
  });
});
