// Numbers as people write them: 0.999, not 0.9990000000000001. Generated rules print every
// constant through this so that output is stable and readable.

/** Shortest decimal that round-trips after rounding away binary noise (12 significant digits). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) {
    throw new Error(`not a finite number: ${n}`);
  }
  const rounded = Number(n.toPrecision(12));
  const s = String(rounded);
  if (/e/.test(s)) {
    // PromQL and YAML both read exponent notation, but plain decimals read better for SLO sizes.
    const fixed = rounded.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
    return Number(fixed) === rounded ? fixed : s;
  }
  return s;
}

/** 1 - objective without float noise: 1 - 0.999 -> 0.001. */
export function complement(objective: number): number {
  return Number((1 - objective).toPrecision(12));
}

/** a * b without float noise, for burn factors: 14.4 * 0.001 -> 0.0144. */
export function product(a: number, b: number): number {
  return Number((a * b).toPrecision(12));
}
