// The benchmark's Sloth-style baseline (bench/lib/rulesets.js) against Sloth's own output for its
// getting-started example (tests/fixtures/anchors/sloth/_gen): the same groups, the same rules in
// the same order, and the same expressions once label values and numbers are set aside, so the
// bench compares Burnrate with what Sloth really generates. Also: promtool accepts the baseline.

import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { checkRules, requirePromtool } from '../support/promtool';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { slothGroups, renderSloth } = require('../../bench/lib/rulesets');

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
}
interface Group {
  name: string;
  rules: Rule[];
}

const anchor: Group[] = parse(readFileSync(join(__dirname, '../fixtures/anchors/sloth/_gen/getting-started.yml'), 'utf8')).groups;
const baseline: Group[] = parse(renderSloth(slothGroups(1))).groups;

/** An expression's shape: label matchers, numbers and spacing set aside. */
const shape = (expr: string) =>
  expr
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\d+(\.\d+)?(e-?\d+)?/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
const kind = (g: Group) => /^sloth-slo-(sli-recordings|meta-recordings|alerts)-/.exec(g.name)?.[1];
const names = (g: Group) => g.rules.map((r) => r.record ?? `alert ${r.labels?.sloth_severity ?? r.labels?.severity}`);

beforeAll(() => requirePromtool());

test('the same three groups, with the same rules in the same order', () => {
  expect(baseline.map(kind)).toEqual(anchor.map(kind));
  expect(baseline.map(kind)).toEqual(['sli-recordings', 'meta-recordings', 'alerts']);
  for (let i = 0; i < anchor.length; i++) {
    expect(names(baseline[i])).toEqual(names(anchor[i]));
  }
});

test('every window reads the raw queries over that window, the 30d ratio averages the 5m ratios', () => {
  const sli = baseline[0].rules;
  for (const r of sli.filter((x) => x.record !== 'slo:sli_error:ratio_rate30d')) {
    const w = r.labels!.sloth_window;
    expect(r.expr.match(new RegExp(`\\[${w}\\]`, 'g'))).toHaveLength(2);
  }
  const thirty = (gs: Group[]) => shape(gs[0].rules.find((x) => x.record === 'slo:sli_error:ratio_rate30d')!.expr);
  expect(thirty(baseline)).toBe(thirty(anchor));
  expect(thirty(baseline)).toBe('sum_over_time(slo:sli_error:ratio_rateNm{}[Nd]) / ignoring (sloth_window) count_over_time(slo:sli_error:ratio_rateNm{}[Nd])');
});

test('metadata and alert expressions have Sloth’s shapes', () => {
  for (const i of [1, 2]) {
    expect(baseline[i].rules.map((r) => shape(r.expr))).toEqual(anchor[i].rules.map((r) => shape(r.expr)));
  }
});

test('promtool accepts the baseline', () => {
  const one = checkRules(renderSloth(slothGroups(1)), 'sloth-baseline.yml');
  expect(one.output).toContain('SUCCESS: 17 rules found');
  expect(one.ok).toBe(true);
  // With many SLOs promtool's linter notes alerts with the same name and labels (as it would for
  // Sloth's own output: its alert labels do not name the SLO), and still accepts the file.
  expect(checkRules(renderSloth(slothGroups(200)), 'sloth-baseline.yml').ok).toBe(true);
});
