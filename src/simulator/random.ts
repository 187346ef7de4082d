// Seeded randomness for the simulator: one small PRNG (mulberry32) and the few distributions it
// needs. Everything is deterministic for a given seed and call order.

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson(mean): exact (Knuth) for small means, normal approximation above 30. */
  poisson(mean: number): number {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    }
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Binomial(n, p): exact for small n, Poisson or normal approximations otherwise. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) {
      return 0;
    }
    if (p >= 1) {
      return n;
    }
    if (n <= 25) {
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (this.next() < p) {
          k++;
        }
      }
      return k;
    }
    const mean = n * p;
    if (mean < 15) {
      return Math.min(n, this.poisson(mean));
    }
    if (n * (1 - p) < 15) {
      return n - Math.min(n, this.poisson(n * (1 - p)));
    }
    return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * this.normal())));
  }

  /** Splits n events over categories with the given probabilities (summing to 1). */
  multinomial(n: number, probs: number[]): number[] {
    const out = new Array<number>(probs.length).fill(0);
    let left = n;
    let mass = 1;
    for (let i = 0; i < probs.length && left > 0; i++) {
      if (i === probs.length - 1) {
        out[i] = left;
        break;
      }
      const q = mass > 0 ? Math.min(1, Math.max(0, probs[i] / mass)) : 0;
      const k = this.binomial(left, q);
      out[i] = k;
      left -= k;
      mass -= probs[i];
    }
    return out;
  }
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** P(X <= x) for a log-normal X with the given median and sigma (of ln X). */
export function lognormalCdf(x: number, median: number, sigma: number): number {
  if (x <= 0) {
    return 0;
  }
  return normalCdf(Math.log(x / median) / sigma);
}

/** String seed -> 32-bit number (FNV-1a). */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
