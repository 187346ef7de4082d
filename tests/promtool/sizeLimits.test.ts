// Caps on the size of labels, annotations, exclusions and queries (src/core/spec/sizeLimits.ts):
// before them a 1 MB label value made a 30 MB rule file. An SLO at every cap still validates and
// makes a rule file promtool accepts, of a size measured here; one character more is an error.

import { renderRuleFile } from '../../src/core/rules/render';
import { sloRuleGroups } from '../../src/core/rules/ruleGroups';
import { SIZE_LIMITS } from '../../src/core/spec/sizeLimits';
import { validateSloObject } from '../../src/core/spec/sloObject';
import { checkRules, requirePromtool } from '../support/promtool';

beforeAll(() => requirePromtool());

const base = { service: 'gw', name: 'chat', objective: 0.99, groupBy: ['route'], sli: { ratio: { errors: 'req_total{code="500"}', total: 'req_total' } } };
const fill = (n: number, prefix = '') => prefix + 'x'.repeat(n - prefix.length);
/** 27 fixed labels: with route, slo and slo_service, 30 on every series. */
const labelsAt = (valueLength: number) => Object.fromEntries(Array.from({ length: 27 }, (_, i) => [`l${i}`, fill(valueLength, `${i}-`)]));
const annotationsAt = (valueLength: number) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`a${i}`, fill(valueLength, `${i}-`)]));
/** Exclusion values that join (escaped, with |) into exactly `length` characters. */
const valuesJoinedTo = (length: number) => [fill(length - 200), ...Array.from({ length: 100 }, (_, i) => String(i % 10))];
const errorsOf = (spec: Record<string, unknown>) => validateSloObject(spec).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`);

it('an SLO at every cap validates, and its rule file (measured) passes promtool', () => {
  const values = valuesJoinedTo(SIZE_LIMITS.exclusionRegex);
  expect(values.join('|').length).toBe(SIZE_LIMITS.exclusionRegex);
  const spec = {
    ...base,
    labels: labelsAt(SIZE_LIMITS.labelValue),
    exclude: [{ name: 'many', label: 'e', values }],
    alerting: { annotations: annotationsAt(SIZE_LIMITS.annotationValue) },
  };
  const v = validateSloObject(spec);
  expect(errorsOf(spec)).toEqual([]);
  const file = renderRuleFile(sloRuleGroups(v.slo!).prometheus);
  // 31 rules carry the 27 labels (27 x 2,048 = 55 KB each), 2 alerts the 30 annotations (120 KB
  // each), and the exclusion regex sits in several selectors: 2.1 MB measured.
  const bytes = Buffer.byteLength(file);
  console.log(`rule file of an SLO at every size cap: ${bytes} bytes`);
  expect(bytes).toBeLessThan(2.5 * 1024 * 1024);
  const check = checkRules(file);
  expect(check.output).toContain('SUCCESS');
});

it.each([
  ['a 1 MB label value (made a 30 MB rule file)', { labels: { team: 'x'.repeat(1024 * 1024) } }, "labels.team: is 1,048,576 characters long: at most 2,048 (Mimir's default limit for a label value; every generated series carries it)"],
  ['a label value one over', { labels: { team: 'x'.repeat(SIZE_LIMITS.labelValue + 1) } }, 'labels.team: is 2,049 characters long: at most 2,048'],
  ['28 fixed labels (31 per series)', { labels: { ...labelsAt(3), extra: 'x' } }, 'labels: every series would carry 31 labels (these, the group-by labels, slo and slo_service): at most 30'],
  ['an annotation one over', { alerting: { annotations: { summary: 'x'.repeat(SIZE_LIMITS.annotationValue + 1) } } }, 'alerting.annotations.summary: is 4,097 characters long: at most 4,096 (each alert rule carries it)'],
  ['31 annotations', { alerting: { annotations: { ...annotationsAt(5), one: 'more' } } }, 'alerting.annotations: 31 annotations: at most 30'],
  ['an alert label one over', { alerting: { labels: { team: 'x'.repeat(SIZE_LIMITS.labelValue + 1) } } }, 'alerting.labels.team: is 2,049 characters long'],
  ['exclusion values joining to 4,097 characters', { exclude: [{ name: 'many', label: 'e', values: valuesJoinedTo(SIZE_LIMITS.exclusionRegex + 1) }] }, 'exclude[0].values: is 4,097 characters long: at most 4,096 (joined into one regex that every selector of the SLI carries): use a regex'],
  ['a query of 16,385 characters', { sli: { ratio: { errors: `req_total{code="${'5'.repeat(16385 - 18)}"}`, total: 'req_total' } } }, 'sli.ratio.errors: is 16,385 characters long: at most 16,384'],
])('%s: an error naming the field and the cap', (_, override, message) => {
  const errors = errorsOf({ ...base, ...override });
  expect(errors.some((e) => e.startsWith(message))).toBe(true);
});
