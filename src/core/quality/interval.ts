// The margin of error of a sampled pass/fail ratio: Wilson's score interval, at 95%.
//
// Why Wilson and not the textbook p ± z·sqrt(p(1-p)/n) (Wald): Wald's interval collapses to a
// point at 0 and 1 (0 failures in 20 samples would claim "exactly 0%"), and covers far less than
// 95% for small n or p near 0 or 1, which is where quality SLOs live (a few percent failing, tens of
// samples a day). Wilson's interval is the set of ratios a score test at 95% does not reject, so it
// never leaves [0, 1], is right for small samples, and has a closed form that PromQL can evaluate
// (sqrt and arithmetic), which the exact Clopper-Pearson interval (a beta quantile) has not.
// Being a test inversion also gives the needed sample size exactly (neededSamples).

/** The two-sided 95% normal quantile. 1.96, as in the textbooks, so that numbers check by hand. */
export const Z95 = 1.96;

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a proportion `p` observed over `n` samples (n may be an effective,
 * non-integer sample size). (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
 */
export function wilson(p: number, n: number, z = Z95): Interval {
  if (!(n > 0) || !(p >= 0 && p <= 1)) {
    throw new Error(`wilson: need 0 <= p <= 1 and n > 0, got p=${p}, n=${n}`);
  }
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const scale = 1 + z2 / n;
  // Rounding can leave -1e-17 at p = 0: the interval of a proportion stays within [0, 1].
  return { lower: Math.max(0, (centre - half) / scale), upper: Math.min(1, (centre + half) / scale) };
}

/**
 * Samples needed for the 95% interval around an observed error ratio `observed` to leave out the
 * objective's error ratio `budget`, i.e. to tell the two apart. Exact for Wilson's interval: it
 * excludes `budget` exactly when |observed - budget| > z·sqrt(budget(1-budget)/n), so
 * n > z²·budget(1-budget)/(observed-budget)². Infinity when the two are equal.
 */
export function neededSamples(observed: number, budget: number, z = Z95): number {
  const d = observed - budget;
  return d === 0 ? Infinity : (z * z * budget * (1 - budget)) / (d * d);
}
