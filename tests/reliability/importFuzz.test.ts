// Property tests over import: OpenSLO v1, Sloth prometheus/v1 and Pyrra documents (real Sloth and
// Pyrra examples and an OpenSLO file with cross-document references) with one field replaced or removed, cut
// anywhere, or a character changed, through loadText (what `burnrate import`, the API and GitOps
// use). A malformed document gives errors with a message and no SLO at all; a document that still
// imports gives rules that render, and a sample of those passes the real `promtool check rules`.

import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { loadText } from '../../src/core/load';
import { generateRules } from '../../src/core/rules/generate';
import { renderRuleFile } from '../../src/core/rules/render';
import { apply, mutations } from './mutate';
import { checkRulesDir, requirePromtool, Tally } from './support';

jest.setTimeout(180_000);

const RUNS = Number(process.env.RELIABILITY_IMPORT_RUNS ?? 1000);
const tally = new Tally('Import (core loadText, importFuzz.test.ts)');
const anchors = join(__dirname, '../fixtures/anchors');
const sampleDir = mkdtempSync(join(tmpdir(), 'burnrate-import-fuzz-'));
let samples = 0;

// An SLI, an alert condition and a policy that the SLOs below refer to (shared with openslo.test.ts).
const OPENSLO_PARTS = readFileSync(join(__dirname, '../fixtures/openslo/referenced-parts.yaml'), 'utf8');
const OPENSLO = `${OPENSLO_PARTS}---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  labels:
    team: [a, b]
spec:
  service: checkout
  indicatorRef: good-requests
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2024-01-01 00:00:00
        timeZone: UTC
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
  alertPolicies:
    - alertPolicyRef: page-only
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: latency
spec:
  service: checkout
  indicator:
    metadata:
      name: fast
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: prometheus
            spec:
              query: sum by (route) (http_request_duration_seconds_bucket{le="0.5"})
        total:
          metricSource:
            type: prometheus
            spec:
              query: sum by (route) (http_request_duration_seconds_count)
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.95
`;

const DOCS: Array<[string, unknown[]]> = [
  ['openslo', OPENSLO.split(/^---$/m).map((d) => parse(d))],
  ['sloth getting-started', [parse(readFileSync(join(anchors, 'sloth/getting-started.yml'), 'utf8'))]],
  ['sloth kubernetes-apiserver', [parse(readFileSync(join(anchors, 'sloth/kubernetes-apiserver.yml'), 'utf8'))]],
  ['sloth raw-home-wifi', [parse(readFileSync(join(anchors, 'sloth/raw-home-wifi.yml'), 'utf8'))]],
  ...['02-latency-caddy-response-latency', '04-boolgauge-prometheus-probe-success', '05-test-fixture-http-ratio-28d'].map(
    (f): [string, unknown[]] => [`pyrra ${f}`, [parse(readFileSync(join(anchors, `pyrra/${f}.slo.yaml`), 'utf8'))]]
  ),
];

beforeAll(() => requirePromtool());

afterAll(() => {
  tally.print([`- total malformed documents: ${tally.total((k) => !k.startsWith('('))}`]);
});

describe.each(DOCS)('%s', (name, docs) => {
  const doc = docs.length === 1 ? docs[0] : docs;
  it('the unmutated document imports without errors', () => {
    const r = loadText(apply(doc, { kind: 'field', path: [], value: doc, remove: false, asJson: false }), 'in.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.slos.length).toBeGreaterThan(0);
  });

  it('mutated: errors with a message and no SLO, or SLOs whose rules render; never a crash', () => {
    fc.assert(
      fc.property(mutations(doc), (m) => {
        const text = apply(doc, m);
        const r = loadText(text, 'in.yaml');
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) {
          expect(r.slos).toEqual([]);
          for (const e of errors) {
            expect(e.message.length).toBeGreaterThan(5);
            expect(e.file).toBe('in.yaml');
          }
          tally.add(`${name.split(' ')[0]} (${m.kind})`);
          return;
        }
        if (r.slos.length === 0) {
          // A file of OpenSLO SLI/AlertPolicy objects only: a library with nothing to import.
          expect(text).not.toMatch(/kind: SLO\b|"kind":"SLO"/);
          tally.add('(no SLO object left: nothing imported, no error)');
          return;
        }
        const rules = renderRuleFile(generateRules(r.slos).prometheus);
        expect(rules).toContain('groups:');
        tally.add('(still valid after mutation: rules rendered)');
        if (samples < 60 && m.kind === 'field') {
          writeFileSync(join(sampleDir, `sample-${samples++}.yaml`), rules);
        }
      }),
      { numRuns: RUNS, seed: 4242 + name.length }
    );
  });
});

it('rules of mutated documents that still import pass promtool check rules', () => {
  const r = checkRulesDir(sampleDir);
  expect(r.files.length).toBeGreaterThan(10);
  if (!r.ok) {
    throw new Error(r.output);
  }
  tally.add('(rule files of still-valid mutations checked by promtool)', r.files.length);
});
