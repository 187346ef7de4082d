// Which labels the result of an imported PromQL query keeps. Sloth and OpenSLO have no group-by:
// a per-route SLO is written as `sum by (route) (rate(...))` in its queries, and the source tool's
// own rules then keep one series, one budget and one alert per route. Burnrate sums every query by
// the SLO's groupBy, so an import must turn those labels into the groupBy or they are summed away.
// Read from the syntax tree (Grafana's PromQL parser); a shape whose labels cannot be known from
// the query alone is reported as such, never guessed.

import { parser as promParser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { checkPromQL, renderWindow } from '../promql/queries';
import { Problems } from '../spec/fieldReader';
import { childList, text } from './promqlRewrite';

export type Grouping =
  /** Every result series carries exactly these labels (none: one series). */
  | { kind: 'by'; labels: string[] }
  /** A number, not a vector. */
  | { kind: 'scalar' }
  /** `... without (labels)`: keeps every other label of the series, which the query does not name. */
  | { kind: 'without'; labels: string[]; at: string }
  /** Labels that depend on the series themselves (no aggregation, topk, label_replace, ...). */
  | { kind: 'unknown'; at: string; reason: string };

/** Aggregations whose result has exactly the `by` labels (none without a modifier). */
const AGGREGATING = ['Sum', 'Avg', 'Min', 'Max', 'Count', 'Group', 'Stddev', 'Stdvar', 'Quantile'];
/** Functions whose result keeps the labels of their vector argument. */
const KEEPS_LABELS = [
  'Abs',
  'Ceil',
  'Clamp',
  'ClampMax',
  'ClampMin',
  'Exp',
  'Floor',
  'Ln',
  'Log10',
  'Log2',
  'Round',
  'Sgn',
  'Sqrt',
];
/** Raw series, read without aggregation. */
const SERIES = ['VectorSelector', 'MatrixSelector', 'SubqueryExpr'];
const NOT_AGGREGATED = 'it is not aggregated, so its result keeps every label of the series';
/** Functions that return a number. */
const SCALARS = ['Scalar', 'Time', 'Pi'];

function labelList(clause: SyntaxNode | null, q: string): string[] {
  return (
    clause
      ?.getChild('GroupingLabels')
      ?.getChildren('LabelName')
      .map((l) => text(q, l)) ?? []
  );
}

/** Same labels, in any order. */
export function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** `(a, b)` for messages; `()` when there are none. */
export function formatLabels(labels: string[]): string {
  return `(${labels.join(', ')})`;
}

function unknown(q: string, n: SyntaxNode, reason: string): Grouping {
  return { kind: 'unknown', at: text(q, n), reason };
}

function ofNode(q: string, n: SyntaxNode): Grouping {
  switch (n.name) {
    case 'ParenExpr':
    case 'UnaryExpr':
      return ofNode(q, childList(n).filter((c) => c.name !== 'UnaryOp')[0]);
    case 'NumberDurationLiteral':
      return { kind: 'scalar' };
    case 'VectorSelector':
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return unknown(q, n, NOT_AGGREGATED);
    case 'AggregateExpr':
      return ofAggregate(q, n);
    case 'BinaryExpr':
      return ofBinary(q, n);
    case 'FunctionCall':
      return ofFunction(q, n);
    default:
      return unknown(q, n, `${n.name} is not a shape Burnrate reads labels from`);
  }
}

function ofAggregate(q: string, n: SyntaxNode): Grouping {
  const op = n.getChild('AggregateOp')?.firstChild?.name ?? '';
  if (!AGGREGATING.includes(op)) {
    return unknown(q, n, `${text(q, n.getChild('AggregateOp')!)} keeps or adds labels of the series`);
  }
  const mod = n.getChild('AggregateModifier');
  if (mod?.getChild('Without')) {
    return { kind: 'without', labels: labelList(mod, q), at: text(q, n) };
  }
  return { kind: 'by', labels: labelList(mod, q) };
}

function ofFunction(q: string, n: SyntaxNode): Grouping {
  const fn = n.getChild('FunctionIdentifier')?.firstChild?.name ?? '';
  const args = childList(n.getChild('FunctionCallBody')!);
  if (fn === 'Vector') {
    return { kind: 'by', labels: [] };
  }
  if (SCALARS.includes(fn)) {
    return { kind: 'scalar' };
  }
  if (KEEPS_LABELS.includes(fn) && args.length > 0) {
    return ofNode(q, args[0]);
  }
  if (fn === 'HistogramQuantile' && args.length === 2) {
    const g = ofNode(q, args[1]);
    return g.kind === 'by' ? { kind: 'by', labels: g.labels.filter((l) => l !== 'le') } : g;
  }
  if (args.some((a) => SERIES.includes(a.name))) {
    return unknown(q, n, NOT_AGGREGATED); // rate(x[5m]), x_over_time(...), label_replace(x, ...)
  }
  return unknown(q, n, `the labels of ${text(q, n.getChild('FunctionIdentifier')!)}() depend on the series`);
}

function ofBinary(q: string, n: SyntaxNode): Grouping {
  const sides = childList(n).filter((c) => c.name !== 'BoolModifier' && c.name !== 'MatchingModifierClause');
  const left = ofNode(q, sides[0]);
  const right = ofNode(q, sides[sides.length - 1]);
  const op = sides.length === 3 ? sides[1].name : '';
  for (const g of [left, right]) {
    if (g.kind === 'without' || g.kind === 'unknown') {
      return g;
    }
  }
  if (left.kind === 'scalar') {
    return right;
  }
  if (right.kind === 'scalar') {
    return left;
  }
  const l = (left as { labels: string[] }).labels;
  const r = (right as { labels: string[] }).labels;
  const matching = n.getChild('MatchingModifierClause');
  if (matching?.getChild('GroupLeft') || matching?.getChild('GroupRight')) {
    return unknown(q, n, 'group_left and group_right copy labels from one side to the other');
  }
  if (op === 'And' || op === 'Unless') {
    return left;
  }
  if (matching?.getChild('On') && op !== 'Or') {
    // One-to-one matching on(...) keeps only the matched labels.
    return { kind: 'by', labels: labelList(matching, q).filter((x) => l.includes(x)) };
  }
  if (matching?.getChild('Ignoring') && op !== 'Or') {
    return { kind: 'by', labels: l.filter((x) => !labelList(matching, q).includes(x)) };
  }
  if (!sameSet(l, r)) {
    return unknown(
      q,
      n,
      `its two sides keep different labels, ${formatLabels(l)} and ${formatLabels(r)}, so their series do not match one to one`
    );
  }
  return left;
}

/** The labels the result of `query` keeps; `{{.window}}` placeholders are read as 5m. */
export function resultGrouping(query: string): Grouping {
  const q = renderWindow(query.trim(), '5m');
  const err = checkPromQL(q);
  const top = promParser.parse(q).topNode.firstChild;
  if (err || !top) {
    return { kind: 'unknown', at: q, reason: err?.message ?? 'empty query' };
  }
  return ofNode(q, top);
}

export interface GroupingProblem {
  /** Index of the query the problem is about. */
  index: number;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * The groupBy of an imported SLO whose queries aggregate themselves: the labels their results keep,
 * which must be the same for every query of the SLI (as in Sloth's and OpenSLO's own rules, whose
 * error/total division matches series one to one). `without` is an error (the labels it keeps are
 * not in the query); a shape whose labels cannot be read is a warning, and is summed by the others.
 */
export function importedGroupBy(
  slo: string,
  queries: Array<{ field: string; query: string }>
): { groupBy: string[]; problems: GroupingProblem[] } {
  const problems: GroupingProblem[] = [];
  const known: Array<{ index: number; labels: string[] }> = [];
  const unread: Array<{ index: number; at: string; reason: string }> = [];
  queries.forEach(({ field, query }, index) => {
    if (checkPromQL(query)) {
      return; // a syntax error: the validator reports it at the query
    }
    const g = resultGrouping(query);
    if (g.kind === 'by') {
      known.push({ index, labels: g.labels });
    } else if (g.kind === 'scalar') {
      known.push({ index, labels: [] });
    } else if (g.kind === 'without') {
      problems.push({
        index,
        severity: 'error',
        message: `SLO ${JSON.stringify(slo)}: ${field} aggregates ${JSON.stringify(g.at)}, which keeps every label but ${formatLabels(g.labels)}; Burnrate cannot tell from the query which labels those are, and each group needs its own budget. Aggregate by the labels the SLO is per instead, e.g. sum by (route) (...)`,
      });
    } else {
      unread.push({ index, at: g.at, reason: g.reason });
    }
  });
  const first = known[0];
  for (const k of known.slice(1)) {
    if (!sameSet(k.labels, first.labels)) {
      problems.push({
        index: k.index,
        severity: 'error',
        message: `SLO ${JSON.stringify(slo)}: ${queries[first.index].field} aggregates by ${formatLabels(first.labels)} but ${queries[k.index].field} by ${formatLabels(k.labels)}; both must keep the same labels, which become the SLO's groupBy (one budget, freeze and alerts per group)`,
      });
    }
  }
  const groupBy = first?.labels ?? [];
  for (const { index, at, reason } of unread) {
    problems.push({
      index,
      severity: 'warning',
      message: `SLO ${JSON.stringify(slo)}: Burnrate cannot tell which labels ${queries[index].field} keeps (${JSON.stringify(at)}: ${reason}), so it sums the result ${groupBy.length ? `by ${formatLabels(groupBy)}` : 'into one SLO'}; to get one SLO per label value, aggregate with sum by (label, ...)`,
    });
  }
  return { groupBy, problems };
}

/** importedGroupBy with its problems reported at each query's field path; undefined on errors. */
export function reportedGroupBy(
  slo: string,
  queries: Array<{ field: string; query: string; path: string }>,
  p: Problems
): string[] | undefined {
  const g = importedGroupBy(slo, queries);
  for (const x of g.problems) {
    (x.severity === 'error' ? p.error : p.warn).call(p, queries[x.index].path, x.message);
  }
  return g.problems.some((x) => x.severity === 'error') ? undefined : g.groupBy;
}
