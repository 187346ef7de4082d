// How far a judge agrees with people beyond chance: Cohen's kappa from the 2x2 table of judge
// verdict x human verdict on the same samples, its 95% interval, and which way the judge leans.
//
// The agreement rate alone flatters a judge on skewed data: when 95% of answers pass, a judge that
// passes everything agrees 95% of the time and knows nothing (kappa 0).

import { Z95 } from './interval';

/** Counts of reviewed samples: judge pass/fail x human pass/fail. */
export interface JudgeTable {
  bothPass: number;
  /** The judge passed what people failed: a lenient judge. */
  judgePassHumanFail: number;
  /** The judge failed what people passed: a strict judge. */
  judgeFailHumanPass: number;
  bothFail: number;
}

export interface Kappa {
  n: number;
  /** Observed agreement. */
  agreement: number;
  /** Agreement expected by chance from the two pass rates. */
  chance: number;
  kappa: number;
  /** 95% interval from Fleiss, Cohen and Everitt's (1969) large-sample variance, within [-1, 1]. */
  lower: number;
  upper: number;
}

/** Cohen's kappa of a 2x2 table; undefined without samples or when chance agreement is 1 (both
 * raters gave one verdict to every sample: kappa is 0/0). */
export function cohensKappa(t: JudgeTable, z = Z95): Kappa | undefined {
  const n = t.bothPass + t.judgePassHumanFail + t.judgeFailHumanPass + t.bothFail;
  if (!(n > 0)) {
    return undefined;
  }
  // Cell proportions p[judge][human], index 0 = pass, 1 = fail.
  const p = [
    [t.bothPass / n, t.judgePassHumanFail / n],
    [t.judgeFailHumanPass / n, t.bothFail / n],
  ];
  const row = [p[0][0] + p[0][1], p[1][0] + p[1][1]]; // judge's margins
  const col = [p[0][0] + p[1][0], p[0][1] + p[1][1]]; // people's margins
  const agreement = p[0][0] + p[1][1];
  const chance = row[0] * col[0] + row[1] * col[1];
  if (chance >= 1) {
    return undefined;
  }
  const kappa = (agreement - chance) / (1 - chance);
  // Var(kappa) = [Σi pii(1-(pi.+p.i)(1-k))² + (1-k)² Σi≠j pij(p.i+pj.)² - (k - pe(1-k))²] / (n(1-pe)²)
  let diagonal = 0;
  let offDiagonal = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      if (i === j) {
        diagonal += p[i][i] * (1 - (row[i] + col[i]) * (1 - kappa)) ** 2;
      } else {
        offDiagonal += p[i][j] * (col[i] + row[j]) ** 2;
      }
    }
  }
  const variance = (diagonal + (1 - kappa) ** 2 * offDiagonal - (kappa - chance * (1 - kappa)) ** 2) / (n * (1 - chance) ** 2);
  const half = z * Math.sqrt(Math.max(0, variance));
  return { n, agreement, chance, kappa, lower: Math.max(-1, kappa - half), upper: Math.min(1, kappa + half) };
}

export type JudgeBias = 'lenient' | 'strict' | 'none';

/**
 * Which way the judge leans: lenient when it passes more of what people fail than it fails of what
 * people pass, strict the other way; `none` unless McNemar's test finds the difference at 95%
 * ((b - c)² / (b + c) > 3.84, one degree of freedom, without continuity correction).
 */
export function judgeBias(t: JudgeTable, z = Z95): { bias: JudgeBias; passRateGap: number; chiSquare: number } {
  const b = t.judgePassHumanFail;
  const c = t.judgeFailHumanPass;
  const n = t.bothPass + b + c + t.bothFail;
  const chiSquare = b + c > 0 ? (b - c) ** 2 / (b + c) : 0;
  // Judge's pass rate minus people's: positive for a lenient judge.
  const passRateGap = n > 0 ? (b - c) / n : 0;
  const bias: JudgeBias = chiSquare > z * z ? (b > c ? 'lenient' : 'strict') : 'none';
  return { bias, passRateGap, chiSquare };
}
