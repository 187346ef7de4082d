// Burnrate's checks of what Prometheus parses, against the real promtool (2.42): Go templates in
// alert labels and annotations (checkGoTemplate), RE2 regexes in label matchers (checkRe2) and
// PromQL (checkPromQL). Generated inputs go to promtool in batches, one rule each; promtool names
// every rule it rejects, and Burnrate must reject exactly those.

import fc from 'fast-check';
import { checkGoTemplate } from '../../src/core/spec/goTemplate';
import { checkRe2 } from '../../src/core/promql/re2';
import { checkPromQL } from '../../src/core/promql/queries';
import { checkRules, requirePromtool } from '../support/promtool';

jest.setTimeout(180_000);

beforeAll(() => requirePromtool());

/** Which of `rules` (YAML rule entries) promtool rejects, by index. */
function rejectedByPromtool(rules: string[]): Set<number> {
  const r = checkRules(`groups:\n- name: g\n  rules:\n${rules.join('')}`);
  const out = new Set<number>();
  for (const m of r.output.matchAll(/group "g", rule (\d+),/g)) {
    out.add(Number(m[1]) - 1);
  }
  if (!r.ok && out.size === 0) {
    throw new Error(`promtool failed without naming a rule:\n${r.output.slice(0, 2000)}`);
  }
  return out;
}

function agree(inputs: string[], rule: (input: string) => string, ours: (input: string) => string | undefined): void {
  const theirs = rejectedByPromtool(inputs.map(rule));
  const disagreements = inputs
    .map((input, i) => ({ input, promtool: theirs.has(i) ? 'rejects' : 'accepts', burnrate: ours(input) ? 'rejects' : 'accepts', why: ours(input) }))
    .filter((d) => d.promtool !== d.burnrate);
  expect(disagreements).toEqual([]);
}

const annotation = (t: string) => `  - alert: A\n    expr: vector(1)\n    annotations:\n      a: ${JSON.stringify(t)}\n`;
const matcherRule = (re: string) => `  - record: a:b\n    expr: ${JSON.stringify(`x{a=~\`${re}\`}`)}\n`;
const exprRule = (q: string) => `  - record: a:b\n    expr: ${JSON.stringify(q)}\n`;

const TEMPLATES = [
  '{{ $labels.route }}',
  '{{ nosuchfunc }}',
  '{{ if $labels.route }}x',
  '{{ if $labels.route }}x{{ end }}',
  '{{ if $labels.a }}a{{ else if $labels.b }}b{{ else }}c{{ end }}',
  '{{ with $labels.a }}a{{ else if $labels.b }}b{{ end }}',
  '{{ range $i, $v := $labels }}{{ $i }}={{ $v }}{{ end }}',
  '{{ range $i, $v, $w := $labels }}{{ end }}',
  '{{ end }}',
  '{{ else }}',
  '{{ $x }}',
  '{{ $x := 1 }}{{ $x }}',
  '{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}',
  '{{ $value | humanize }}',
  '{{ $value | humanizePercentage | printf "%s" }}',
  '{{ 1 | 2 }}',
  '{{ printf "%.2f" $value }}',
  '{{ printf "%.2f" $value | }}',
  '{{ toDuration 5 }}',
  '{{ stripDomain "a.b" }}',
  '{{ .Labels.route }}',
  '{{ "a""b" }}',
  '{{ "unterminated }}',
  '{{ "\\q" }}',
  "{{ 'ab' }}",
  "{{ 'a' }}",
  '{{ `raw }}` }}',
  '{{/* a comment */}}',
  '{{/* unclosed',
  '{{- $value -}}',
  '{{-3}}',
  '{{ 0x1F }} {{ 1_000 }} {{ 1e3 }} {{ .5 }} {{ 1+2i }}',
  '{{ 1__0 }}',
  '{{ ( $value ) }}',
  '{{ ( $value }}',
  '{{ $value ) }}',
  '{{ break }}',
  '{{ range $labels }}{{ break }}{{ end }}',
  '{{ template "x" }}',
  '{{ template x }}',
  '{{ define "x" }}a{{ end }}{{ template "x" . }}',
  '{{ block "x" . }}{{ $labels }}{{ end }}',
  '{{ }}',
  '{{ | }}',
  '{{ $labels.route.x }}',
  '{{ "a".x }}',
  '{{ ! }}',
  '{{ é }}',
  '{{ $value := }}',
  '{{ nil }}',
  '{{ and 1 2 | or 3 }}',
  '{{ query "up" | first | value }}',
  '{{\n$value\n}}',
  'a }} b',
  '{{{{ $value }}',
];

describe('alert templates: checkGoTemplate agrees with promtool', () => {
  it(`${TEMPLATES.length} hand-written templates`, () => agree(TEMPLATES, annotation, checkGoTemplate));

  it('3,000 generated templates', () => {
    const piece = fc.constantFrom(
      '{{', '{{', '{{', '}}', '}}', '}}', ' ', ' ', '$labels', '$value', '$x', '$', '.', '.Labels', '.route', 'if ', 'else ', 'end',
      'range ', 'with ', 'define ', 'template ', 'block ', 'break', 'continue', '"a"', '"\\q"', "'a'", '`r`', ' | ', '(', ')', ':=', '=',
      ', ', 'printf ', 'humanize', 'nosuchfunc', 'toDuration', 'nil', 'true', '1', '-1', '1.5e3', '0x1F', '/*', '*/', '{{- ', ' -}}',
      '\n', 'x', '}', '{', '$labels.route', 'query', 'first', 'len ', '!', '#', 'é', '"{{"', '$i, $v := '
    );
    const templates = fc.sample(fc.array(piece, { minLength: 1, maxLength: 10 }).map((p) => p.join('')), { numRuns: 3000, seed: 42 });
    for (let i = 0; i < templates.length; i += 500) {
      agree(templates.slice(i, i + 500), annotation, checkGoTemplate);
    }
  });
});

const REGEXES = ['(5', '5..', '(?=a)', '(?!a)', '(a)\\1', '(?<n>a)', '(?P<n>a)', '(?i)abc', 'a++', 'a{1000}', 'a{1001}', 'x{2,1}', '\\C', '\\Qa.b\\E', '[[:word:]]', '\\pL', '\\p{Greek}', '\\p{Foo}', 'a)|(b', '\\8', '[a-\\d]', ''];

describe('regexes in label matchers: checkRe2 agrees with promtool', () => {
  it(`${REGEXES.length} hand-written regexes`, () => agree(REGEXES, matcherRule, checkRe2));

  it('3,000 generated regexes', () => {
    const piece = fc.constantFrom(
      '(', ')', '(?:', '(?=', '(?!', '(?<n>', '(?P<n>', '(?i)', '(?U)', '\\1', '\\d', '\\w', '\\b', '\\B', '\\Q', '\\E', '\\C', '\\z', '\\A', '\\8',
      '[', ']', '[^', '[:alpha:]', '[[:word:]]', 'a-z', '.', '*', '+', '?', '{2}', '{2,}', '{1001}', '{2,1}', '{,3}', '|', '^', '$', 'a', '5',
      '\\', '\\.', '\\pL', '\\p{Greek}', '\\PL', '*?', '++', '\\x41', '\\x{41}', '\\101', '\\t', '\\e', '\\<'
    );
    const regexes = fc.sample(fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join('')), { numRuns: 3000, seed: 7 });
    for (let i = 0; i < regexes.length; i += 500) {
      agree(regexes.slice(i, i + 500), matcherRule, checkRe2);
    }
  });
});

// One known difference, on the safe side: the lezer grammar follows Prometheus 3, which renamed
// holt_winters, so Burnrate refuses holt_winters(...) although Prometheus 2.42 has it.
const QUERIES = [
  'x{__name__="y"}',
  '{__name__="x"}',
  '{__name__=~".*"}',
  '{code=~".*"}',
  '{code=~".+"}',
  '{a!=""}',
  '{a!~".*"}',
  'x{code="\\q"}',
  'x{code="\\u00e9\\x41\\101"}',
  'x{a=~"(?=a)"}',
  'x{a=~"(?<n>a)"}',
  'sum by (route) (rate(x{code=~"5.."}[5m]))',
  '{"a.b"="c"}',
  'info(x)',
  'limitk(2, x)',
  'x[1h+5m]',
  'double_exponential_smoothing(x[5m], 0.5, 0.5)',
  'sort_by_label(x, "a")',
  'histogram_quantile(0.9, rate(x_bucket[5m]))',
  'x @ 100',
  'x offset -5m',
  'x[5m:1m]',
  'label_replace(x, "a", "b", "c", "(5")',
];

describe('PromQL: checkPromQL agrees with promtool', () => {
  it(`${QUERIES.length} hand-written queries`, () => agree(QUERIES, exprRule, (q) => checkPromQL(q)?.message));
});
