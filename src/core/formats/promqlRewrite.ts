// PromQL rewriting for imports: counters queried as values (OpenSLO's `counter: true`) become
// rates, simple `sum by (...) (selector)` queries become native selectors with group-by, and
// histogram queries are recognised. Works on the lezer PromQL syntax tree, never on raw text.

import { parser as promParser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { checkPromQL, isWindowTemplate, QueryError } from '../promql/queries';
import { sameSet } from './queryGrouping';

/** Text of a node. */
export function text(q: string, n: SyntaxNode): string {
  return q.slice(n.from, n.to);
}

export function firstParseError(q: string): QueryError | undefined {
  return checkPromQL(q);
}

/**
 * Rewrites a PromQL expression over raw counters into an events-per-second expression: every
 * vector selector that is not already a range selector becomes `rate(<selector>[{{.window}}])`.
 * `sum(http_requests{code=~"2xx"})` -> `sum(rate(http_requests{code=~"2xx"}[{{.window}}]))`.
 */
export function rewriteCounters(query: string): string | QueryError {
  const q = query.trim();
  if (isWindowTemplate(q)) {
    return {
      offset: q.search(/\{\{/),
      message: 'the query already holds a {{.window}} placeholder: give the plain counter expression (counter: true)',
    };
  }
  const err = firstParseError(q);
  if (err) {
    return err;
  }
  const tree = promParser.parse(q);
  const spans: Array<{ from: number; to: number }> = [];
  let problem: QueryError | undefined;
  tree.iterate({
    enter(ref) {
      if (problem) {
        return false;
      }
      const n = ref.node;
      if (n.name === 'MatrixSelector') {
        problem = {
          offset: n.from,
          message: `${JSON.stringify(text(q, n))} is already a range selector: with counter: true give the counters themselves (Burnrate adds rate() over each window)`,
        };
        return false;
      }
      if (n.name === 'SubqueryExpr') {
        problem = {
          offset: n.from,
          message: `subqueries (${JSON.stringify(text(q, n))}) cannot be rewritten: give plain counter selectors`,
        };
        return false;
      }
      if (n.name === 'OffsetExpr' || n.name === 'AtModifier' || n.name === 'StepInvariantExpr') {
        problem = {
          offset: n.from,
          message: `offset and @ modifiers (${JSON.stringify(text(q, n))}) cannot be rewritten: give plain counter selectors`,
        };
        return false;
      }
      if (n.name === 'VectorSelector') {
        spans.push({ from: n.from, to: n.to });
        return false;
      }
      return undefined;
    },
  });
  if (problem) {
    return problem;
  }
  if (spans.length === 0) {
    return { offset: 0, message: 'the query has no metric selector to count events from' };
  }
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += q.slice(pos, s.from) + `rate(${q.slice(s.from, s.to)}[{{.window}}])`;
    pos = s.to;
  }
  return out + q.slice(pos);
}

/** A counter query of the simple shapes `sel`, `sum(sel)`, `sum by (a, b) (sel)`, `sum(sel) by (a)`. */
export function simpleCounter(query: string): { selector: string; groupBy: string[] } | undefined {
  const q = query.trim();
  if (isWindowTemplate(q) || firstParseError(q)) {
    return undefined;
  }
  const top = promParser.parse(q).topNode.firstChild;
  if (!top || top.from !== 0 || top.to !== q.length) {
    return undefined;
  }
  if (top.name === 'VectorSelector') {
    return { selector: q, groupBy: [] };
  }
  if (top.name !== 'AggregateExpr' || !top.getChild('AggregateOp')?.getChild('Sum')) {
    return undefined;
  }
  const mod = top.getChild('AggregateModifier');
  if (mod && !mod.getChild('By')) {
    return undefined;
  }
  const body = top.getChild('FunctionCallBody');
  const args = body ? childList(body) : [];
  if (args.length !== 1 || args[0].name !== 'VectorSelector') {
    return undefined;
  }
  const labels = mod
    ? mod
        .getChild('GroupingLabels')!
        .getChildren('LabelName')
        .map((l) => text(q, l))
    : [];
  return { selector: text(q, args[0]), groupBy: labels };
}

export function childList(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (!c.type.isError && !['(', ')', ','].includes(c.name)) {
      out.push(c);
    }
  }
  return out;
}

/** Label matchers of a selector as separate texts, e.g. [`job="a"`, `le="0.5"`]. */
export function matcherList(sel: string): { metric: string; matchers: string[] } | undefined {
  const top = promParser.parse(sel).topNode.firstChild;
  if (!top || top.name !== 'VectorSelector') {
    return undefined;
  }
  const ident = top.getChild('Identifier');
  const braces = top.getChild('LabelMatchers');
  return {
    metric: ident ? text(sel, ident) : '',
    matchers: braces ? childList(braces).map((m) => text(sel, m).trim()) : [],
  };
}

export function leOf(matcher: string): number | undefined {
  const m = /^le\s*=\s*"([^"]*)"$/.exec(matcher);
  if (!m) {
    return undefined;
  }
  const v = m[1] === '+Inf' ? Infinity : Number(m[1]);
  return Number.isFinite(v) ? v : undefined;
}

/** `histogram_quantile(q, sum by (le, x) (rate(m_bucket{...}[w])))` -> its parts. */
export function quantileQuery(
  query: string
): { quantile: number; metric: string; matchers: string; groupBy: string[] } | undefined {
  const q = query.trim();
  if (firstParseError(q)) {
    return undefined;
  }
  const top = promParser.parse(q).topNode.firstChild;
  if (!top || top.name !== 'FunctionCall' || !top.getChild('FunctionIdentifier')?.getChild('HistogramQuantile')) {
    return undefined;
  }
  const args = childList(top.getChild('FunctionCallBody')!);
  if (args.length !== 2 || args[0].name !== 'NumberDurationLiteral') {
    return undefined;
  }
  const quantile = Number(text(q, args[0]));
  const selectors: SyntaxNode[] = [];
  let groupBy: string[] = [];
  args[1].toTree().iterate({
    enter(ref) {
      if (ref.name === 'VectorSelector') {
        selectors.push(ref.node);
        return false;
      }
      return undefined;
    },
  });
  const inner = q.slice(args[1].from, args[1].to);
  const treeInner = promParser.parse(inner).topNode.firstChild;
  if (treeInner?.name === 'AggregateExpr') {
    const mod = treeInner.getChild('AggregateModifier');
    if (mod?.getChild('By')) {
      groupBy = mod
        .getChild('GroupingLabels')!
        .getChildren('LabelName')
        .map((l) => text(inner, l));
    }
  }
  if (selectors.length !== 1 || !groupBy.includes('le')) {
    return undefined;
  }
  const selText = inner.slice(selectors[0].from, selectors[0].to);
  const parts = matcherList(selText);
  if (!parts || !parts.metric.endsWith('_bucket') || parts.matchers.some((m) => /^le\b/.test(m))) {
    return undefined;
  }
  return {
    quantile,
    metric: parts.metric.replace(/_bucket$/, ''),
    matchers: parts.matchers.join(', '),
    groupBy: groupBy.filter((l) => l !== 'le'),
  };
}

/** good `<m>_bucket{..., le="t"}` over total `<m>_count{...}` (same other matchers): a latency SLI. */
export function latencyFromRatio(
  good: string,
  total: string
): { metric: string; matchers?: string; threshold: number } | undefined {
  const g = matcherList(good);
  const t = matcherList(total);
  if (!g || !t || !g.metric.endsWith('_bucket') || !t.metric.endsWith('_count')) {
    return undefined;
  }
  const base = g.metric.replace(/_bucket$/, '');
  if (t.metric.replace(/_count$/, '') !== base) {
    return undefined;
  }
  const les = g.matchers.filter((m) => /^le\b/.test(m));
  const rest = g.matchers.filter((m) => !/^le\b/.test(m));
  const threshold = les.length === 1 ? leOf(les[0]) : undefined;
  if (threshold === undefined || threshold <= 0 || !sameSet(rest, t.matchers)) {
    return undefined;
  }
  return { metric: base, ...(t.matchers.length ? { matchers: t.matchers.join(', ') } : {}), threshold };
}
