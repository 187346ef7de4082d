// Checking and reshaping user-supplied PromQL and LogQL with the same parsers Grafana's editors use
// (@prometheus-io/lezer-promql, @grafana/lezer-logql). No I/O: usable in the browser and the server.

import { parser as promParser } from '@prometheus-io/lezer-promql';
import { parser as logParser } from '@grafana/lezer-logql';
import type { Tree } from '@lezer/common';
import { checkPrometheusCompat } from './prometheusCompat';

export interface QueryError {
  /** 0-based offset of the first problem in the query text. */
  offset: number;
  message: string;
}

/** The Sloth-compatible placeholder for the rate window inside an expression. */
const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/g;

export function isWindowTemplate(query: string): boolean {
  return new RegExp(WINDOW_PLACEHOLDER.source).test(query);
}

export function renderWindow(query: string, window: string): string {
  return query.replace(WINDOW_PLACEHOLDER, window);
}

function firstError(tree: Tree, text: string): QueryError | undefined {
  let found: QueryError | undefined;
  tree.iterate({
    enter(node) {
      if (found) {
        return false;
      }
      if (node.type.isError) {
        const near = text.slice(node.from, node.from + 12);
        found = {
          offset: node.from,
          message: near ? `syntax error at column ${node.from + 1} near ${JSON.stringify(near)}` : `unexpected end of query at column ${node.from + 1}`,
        };
        return false;
      }
      return undefined;
    },
  });
  return found;
}

/** Parses a PromQL expression; `{{.window}}` is read as `5m`. */
export function checkPromQL(query: string): QueryError | undefined {
  if (query.trim() === '') {
    return { offset: 0, message: 'empty query' };
  }
  const text = renderWindow(query, '5m');
  const tree = promParser.parse(text);
  return firstError(tree, text) ?? checkPrometheusCompat(tree, text);
}

export interface Selector {
  metric: string;
  /** Text between the braces, trimmed; empty when there are none. */
  matchers: string;
}

/** Reads a query that must be a plain vector selector: `metric{a="b"}` or `{__name__="m"}`. */
export function parseSelector(query: string): Selector | QueryError {
  const err = checkPromQL(query);
  if (err) {
    return err;
  }
  const text = query.trim();
  const tree = promParser.parse(text);
  const top = tree.topNode.firstChild;
  if (!top || top.name !== 'VectorSelector' || top.from !== 0 || top.to !== text.length) {
    return {
      offset: 0,
      message:
        'expected a counter selector such as http_requests_total{code=~"5.."}, or an expression returning events per second with a {{.window}} placeholder',
    };
  }
  const ident = top.getChild('Identifier');
  const braces = top.getChild('LabelMatchers');
  return {
    metric: ident ? text.slice(ident.from, ident.to) : '',
    matchers: braces ? text.slice(braces.from + 1, braces.to - 1).trim() : '',
  };
}

/** Checks matchers written without a metric name: `job="gw", route!="/health"`. */
export function checkMatchers(matchers: string): QueryError | undefined {
  if (matchers.trim() === '') {
    return undefined;
  }
  const sel = parseSelector(`x{${matchers}}`);
  if ('offset' in sel) {
    return { offset: Math.max(0, sel.offset - 2), message: sel.message };
  }
  return undefined;
}

/** Builds `metric{m1,m2}` from parts, dropping empty matcher lists. */
export function selector(metric: string, ...matchers: string[]): string {
  const inner = matchers.map((m) => m.trim()).filter((m) => m !== '');
  return inner.length ? `${metric}{${inner.join(', ')}}` : metric;
}

/** Adds matchers to a selector query such as `x{a="b"}`. */
export function withMatchers(query: string, extra: string[]): string {
  const sel = parseSelector(query);
  if ('offset' in sel) {
    throw new Error(`not a selector: ${query}`);
  }
  return sel.metric ? selector(sel.metric, sel.matchers, ...extra) : `{${[sel.matchers, ...extra].filter((m) => m).join(', ')}}`;
}

/** Parses a LogQL log query (selector and pipeline, not a metric query). */
export function checkLogQuery(query: string): QueryError | undefined {
  if (query.trim() === '') {
    return { offset: 0, message: 'empty query' };
  }
  const tree = logParser.parse(query);
  const err = firstError(tree, query);
  if (err) {
    return err;
  }
  const expr = tree.topNode.firstChild;
  const inner = expr?.firstChild;
  if (!inner || inner.name !== 'LogExpr') {
    return {
      offset: 0,
      message:
        'expected a log query (stream selector and pipeline, e.g. {app="gw"} | json | verdict="fail"); Burnrate adds count_over_time itself',
    };
  }
  return undefined;
}

/** Parses a LogQL metric query, used to check what Burnrate generates for the Loki ruler. */
export function checkLogMetricQuery(query: string): QueryError | undefined {
  const tree = logParser.parse(query);
  const err = firstError(tree, query);
  if (err) {
    return err;
  }
  const inner = tree.topNode.firstChild?.firstChild;
  if (!inner || inner.name !== 'MetricExpr') {
    return { offset: 0, message: 'expected a LogQL metric query' };
  }
  return undefined;
}
