import { cohensKappa, judgeBias } from './kappa';

describe('cohensKappa', () => {
  // Wikipedia, "Cohen's kappa", worked example: 50 proposals, 20 yes/yes, 5 yes/no, 10 no/yes,
  // 15 no/no: agreement 0.7, chance 0.5, kappa 0.4.
  it('the 50-proposal example: kappa 0.4, interval 0.151 to 0.649', () => {
    const k = cohensKappa({ bothPass: 20, judgePassHumanFail: 5, judgeFailHumanPass: 10, bothFail: 15 })!;
    expect(k.agreement).toBeCloseTo(0.7, 12);
    expect(k.chance).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    // By hand: variance (0.10972 + 0.36 x 0.283 - 0.1²) / (50 x 0.5²) = 0.016128, SE 0.127.
    expect(k.lower).toBeCloseTo(0.4 - 1.96 * Math.sqrt(0.016128), 10);
    expect(k.upper).toBeCloseTo(0.4 + 1.96 * Math.sqrt(0.016128), 10);
  });

  // The same article: equal agreement (60 of 100), different kappa.
  it.each([
    [45, 15, 25, 15, 0.1304],
    [25, 35, 5, 35, 0.2593],
  ])('%i/%i/%i/%i -> kappa %f', (a, b, c, d, kappa) => {
    expect(cohensKappa({ bothPass: a, judgePassHumanFail: b, judgeFailHumanPass: c, bothFail: d })!.kappa).toBeCloseTo(kappa, 4);
  });

  it('a judge that passes everything on 95%-passing data agrees 95% and knows nothing: kappa 0', () => {
    const k = cohensKappa({ bothPass: 95, judgePassHumanFail: 5, judgeFailHumanPass: 0, bothFail: 0 });
    // Chance agreement is 1 x 0.95 = the observed 0.95.
    expect(k!.kappa).toBeCloseTo(0, 12);
  });

  it('perfect agreement: 1; no samples or one verdict everywhere: undefined', () => {
    expect(cohensKappa({ bothPass: 30, judgePassHumanFail: 0, judgeFailHumanPass: 0, bothFail: 10 })!.kappa).toBe(1);
    expect(cohensKappa({ bothPass: 0, judgePassHumanFail: 0, judgeFailHumanPass: 0, bothFail: 0 })).toBeUndefined();
    expect(cohensKappa({ bothPass: 10, judgePassHumanFail: 0, judgeFailHumanPass: 0, bothFail: 0 })).toBeUndefined();
  });
});

describe('judgeBias', () => {
  it('passes 35 that people failed, fails 5 they passed: lenient, (35-5)²/40 = 22.5, gap +30 points', () => {
    expect(judgeBias({ bothPass: 25, judgePassHumanFail: 35, judgeFailHumanPass: 5, bothFail: 35 })).toEqual({
      bias: 'lenient',
      passRateGap: 0.3,
      chiSquare: 22.5,
    });
  });
  it('the reverse is strict; 6 against 4 is within chance (0.4 < 3.84)', () => {
    expect(judgeBias({ bothPass: 25, judgePassHumanFail: 5, judgeFailHumanPass: 35, bothFail: 35 }).bias).toBe('strict');
    expect(judgeBias({ bothPass: 50, judgePassHumanFail: 6, judgeFailHumanPass: 4, bothFail: 40 })).toEqual({
      bias: 'none',
      passRateGap: 0.02,
      chiSquare: 0.4,
    });
  });
});
