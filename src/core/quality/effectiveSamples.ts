// The effective sample size of a weighted blend of sampled components (judge verdicts, thumbs,
// hard checks), Kish's n_eff = (Σw)² / Σw², with each sample weighted by its component's weight.
//
// The blended error ratio is p = Σ w_c·bad_c / Σ w_c·n_c: a weighted mean of pass/fail samples.
// If every sample fails with the same chance p, its variance is p(1-p)·Σw²/(Σw)² = p(1-p)/n_eff,
// so Wilson's interval with n_eff in place of n is the interval of the blend. Two other choices are
// wrong: the raw count Σn claims too much precision when weights differ (heavy components carry more
// of the answer on fewer samples), and the weighted total Σw·n depends on the weights' scale (doubling
// every weight would double the samples). n_eff does neither: it is Σn when all weights are equal,
// and never more than Σn. (Components whose failure rates differ widely make even n_eff a little
// optimistic; the blend cannot know the rates apart without one series per component.)

export interface WeightedCount {
  /** Samples of the component. */
  n: number;
  weight: number;
}

/** (Σ w_c·n_c)² / Σ w_c²·n_c; 0 when there are no samples. */
export function effectiveSamples(components: WeightedCount[]): number {
  let sum = 0;
  let sumSquares = 0;
  for (const c of components) {
    sum += c.weight * c.n;
    sumSquares += c.weight * c.weight * c.n;
  }
  return sumSquares > 0 ? (sum * sum) / sumSquares : 0;
}
