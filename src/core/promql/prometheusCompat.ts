// What Prometheus's own parser refuses that the lezer grammar (Grafana's editor grammar, which
// follows the newest Prometheus) accepts. A rule file with one such query is rejected whole, so
// Burnrate holds user queries to what Prometheus 2.42 and later all load: RE2 regexes in label
// matchers, valid string escapes, the metric name given once, a selector that cannot match every
// series, and no functions or syntax that only newer (or experimental) versions know.

import type { SyntaxNode, Tree } from '@lezer/common';
import { checkRe2, re2MatchesEmpty } from './re2';

/** Functions of Prometheus 2.42 (checked against its promtool). */
const FUNCTIONS = new Set(
  (
    'abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp clamp_max ' +
    'clamp_min cos cosh count_over_time days_in_month day_of_month day_of_week day_of_year deg delta deriv exp ' +
    'floor histogram_count histogram_fraction histogram_quantile histogram_sum holt_winters hour idelta increase ' +
    'irate label_replace label_join last_over_time ln log10 log2 max_over_time min_over_time minute month pi ' +
    'predict_linear present_over_time quantile_over_time rad rate resets round scalar sgn sin sinh sort sort_desc ' +
    'sqrt stddev_over_time stdvar_over_time sum_over_time tan tanh timestamp time vector year'
  ).split(' ')
);

/** Node types of syntax newer than Prometheus 2.42 or behind feature flags. */
const NEWER_SYNTAX: Record<string, string> = {
  QuotedLabelName: 'quoted label names',
  QuotedLabelMatcher: 'quoted label names',
  LimitK: 'limitk',
  LimitRatio: 'limit_ratio',
  SmoothedExpr: '"smoothed"',
  AnchoredExpr: '"anchored"',
  FillModifier: 'fill modifiers',
  DurationStep: 'step()',
  DurationRange: 'range()',
  DurationMinOf: 'min()',
  DurationMaxOf: 'max()',
};

export interface CompatError {
  offset: number;
  message: string;
}

/** Go's strconv.Unquote, as Prometheus reads a string literal; undefined when it is invalid. */
export function unquotePromString(literal: string): string | undefined {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') {
    return body;
  }
  let out = '';
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i];
      continue;
    }
    const c = body[++i];
    if (c !== undefined && c in simple) {
      out += simple[c];
    } else if (c === quote) {
      out += c;
    } else if (c === 'x' || c === 'u' || c === 'U') {
      const n = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      const code = parseInt(hex, 16);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n || code > 0x10ffff || (c !== 'x' && code >= 0xd800 && code < 0xe000)) {
        return undefined;
      }
      out += String.fromCodePoint(code);
      i += n;
    } else if (c !== undefined && /[0-7]/.test(c)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) {
        return undefined;
      }
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else {
      return undefined;
    }
  }
  return out;
}

interface Matcher {
  name: string;
  op: string;
  value: string;
}

function matcherOf(node: SyntaxNode, text: string): Matcher | CompatError {
  const name = node.getChild('LabelName');
  const op = node.getChild('MatchOp');
  const lit = node.getChild('StringLiteral');
  if (!name || !op || !lit) {
    return { offset: node.from, message: `incomplete label matcher ${text.slice(node.from, node.to)}` };
  }
  const raw = text.slice(lit.from, lit.to);
  const value = unquotePromString(raw);
  if (value === undefined) {
    return { offset: lit.from, message: `invalid escape in the string ${raw}` };
  }
  const m = { name: text.slice(name.from, name.to), op: text.slice(op.from, op.to), value };
  if (m.op === '=~' || m.op === '!~') {
    const problem = checkRe2(value);
    if (problem) {
      return { offset: lit.from, message: `${raw} is not a regex Prometheus accepts (RE2 syntax): ${problem}` };
    }
  }
  return m;
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.op) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return re2MatchesEmpty(m.value);
    default:
      return !re2MatchesEmpty(m.value);
  }
}

function checkSelector(node: SyntaxNode, text: string): CompatError | undefined {
  const quoted = node.getChild('LabelMatchers')?.getChild('QuotedLabelMatcher') ?? node.getChild('LabelMatchers')?.getChild('QuotedLabelName');
  if (quoted) {
    return newerThan242(quoted.from, 'quoted label names');
  }
  const metric = node.getChild('Identifier') ?? node.getChild('MetricName');
  const matchers: Matcher[] = [];
  for (const m of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
    const r = matcherOf(m, text);
    if ('offset' in r) {
      return r;
    }
    matchers.push(r);
  }
  const name = matchers.find((m) => m.name === '__name__');
  if (metric && name) {
    return { offset: node.from, message: `metric name must not be set twice: ${JSON.stringify(text.slice(metric.from, metric.to))} and a matcher on __name__` };
  }
  if (!metric && matchers.every(matchesEmpty)) {
    return { offset: node.from, message: `${text.slice(node.from, node.to)} must contain at least one matcher that does not match the empty value (it would select every series)` };
  }
  return undefined;
}

function newerThan242(offset: number, what: string): CompatError {
  return { offset, message: `${what}: not in Prometheus 2.42 (newer, or behind a feature flag); Burnrate's rules must load in Prometheus 2.42 and later` };
}

/** The first thing in a parsed PromQL text (lezer tree without errors) Prometheus 2.42 refuses. */
export function checkPrometheusCompat(tree: Tree, text: string): CompatError | undefined {
  let found: CompatError | undefined;
  tree.iterate({
    enter(ref) {
      if (found) {
        return false;
      }
      const newer = NEWER_SYNTAX[ref.name];
      if (newer) {
        found = newerThan242(ref.from, newer);
      } else if (ref.name === 'FunctionIdentifier') {
        const fn = text.slice(ref.from, ref.to);
        if (!FUNCTIONS.has(fn)) {
          found = newerThan242(ref.from, `the function ${fn}`);
        }
      } else if (ref.name === 'DurationExpr' && ref.node.getChildren('DurationExpr').length > 0) {
        found = newerThan242(ref.from, 'duration arithmetic (write a plain duration such as 5m)');
      } else if (ref.name === 'VectorSelector') {
        found = checkSelector(ref.node, text);
      }
      return found ? false : undefined;
    },
  });
  return found;
}
