// Golden files: the rules generated for a representative set of definitions, committed so that
// any change to generated output shows in review. `UPDATE_GOLDEN=1 npx jest tests/golden`
// rewrites them. Every golden file also passes `promtool check rules`.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { loadText } from '../../src/core/load';
import { generateRules } from '../../src/core/rules/generate';
import { renderPrometheusRule, renderRuleFile } from '../../src/core/rules/render';
import { checkLogMetricQuery } from '../../src/core/promql/queries';
import { formatDiagnostic } from '../../src/core/spec/types';
import { checkRules, requirePromtool } from '../support/promtool';

const ROOT = join(__dirname, '..', '..');
const GOLDEN = join(__dirname, 'files');
const SOURCES = [join(ROOT, 'examples'), join(ROOT, 'docs', 'examples')]
  .filter((d) => existsSync(d))
  .flatMap((d) => readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(d, f)));
// Imported definitions: Pyrra's anchors (their warnings, on what Burnrate does not carry over, are
// checked in src/core/formats/pyrraAnchors.test.ts). Golden files are named pyrra-<file>.
const PYRRA = join(ROOT, 'tests', 'fixtures', 'anchors', 'pyrra');
SOURCES.push(...readdirSync(PYRRA).filter((f) => f.endsWith('.slo.yaml')).map((f) => join(PYRRA, f)));

function compare(name: string, actual: string) {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

beforeAll(() => requirePromtool());

describe.each(SOURCES.map((s) => [s.slice(ROOT.length + 1), s]))('%s', (_rel, source) => {
  const imported = source.startsWith(PYRRA);
  const base = (imported ? 'pyrra-' : '') + source.split('/').pop()!.replace(/(\.slo)?\.ya?ml$/, '');
  const loaded = loadText(readFileSync(source, 'utf8'), source);

  it('loads without errors', () => {
    expect(loaded.diagnostics.filter((d) => !imported || d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(loaded.slos.length).toBeGreaterThan(0);
  });

  const rules = generateRules(loaded.slos);

  it('generates the golden Prometheus rules, which promtool accepts', () => {
    const text = renderRuleFile(rules.prometheus);
    compare(`${base}.rules.yaml`, text);
    const r = checkRules(text);
    expect(r.output).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });

  it('generates the golden PrometheusRule manifest', () => {
    compare(`${base}.prometheusrule.yaml`, renderPrometheusRule(rules.prometheus, `burnrate-${base}`));
  });

  it('generates Loki ruler groups that parse as LogQL metric queries', () => {
    if (rules.loki.length === 0) {
      return;
    }
    compare(`${base}.loki.yaml`, renderRuleFile(rules.loki));
    for (const g of rules.loki) {
      for (const rule of g.rules) {
        expect([rule.expr, checkLogMetricQuery(rule.expr)]).toEqual([rule.expr, undefined]);
      }
    }
  });

  it('is deterministic', () => {
    const again = generateRules(loadText(readFileSync(source, 'utf8'), source).slos);
    expect(renderRuleFile(again.prometheus)).toBe(renderRuleFile(rules.prometheus));
  });
});

it('covers a representative set of definitions', () => {
  expect(SOURCES.length).toBeGreaterThan(0);
});
