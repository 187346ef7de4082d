// Every Pyrra anchor file (tests/fixtures/anchors/pyrra, from github.com/pyrra-dev/pyrra, Apache-2.0)
// through loadText, with the exact outcome per file: what it imports as, and each warning naming
// what Pyrra expresses that Burnrate does not generate. Imported SLOs pass the real promtool.

import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadText } from '../load';
import { generateRules } from '../rules/generate';
import { renderRuleFile } from '../rules/render';

const DIR = join(__dirname, '../../../tests/fixtures/anchors/pyrra');

/** promtool's output; throws (failing the test) when promtool is missing or rejects the rules. */
function promtoolCheck(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-pyrra-'));
  try {
    writeFileSync(join(dir, 'rules.yaml'), text);
    return execFileSync('/usr/bin/promtool', ['check', 'rules', join(dir, 'rules.yaml')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noNamespace = (line: number): [number, string, string] => [line, 'metadata', 'no metadata.namespace: imported into service "default"'];
const absent = (line: number, path = 'spec'): [number, string, string] => [line, path, "Pyrra's absent-metric alerts (SLOMetricAbsent; alerting.absent, on by default) are not generated"];
const operatorLabels = (line: number): [number, string, string] => [
  line,
  'metadata.labels',
  'labels prometheus, role are not imported: Pyrra copies only pyrra.dev/ labels into its rules',
];

const cases: Array<{ file: string; slo: Record<string, unknown>; warnings: Array<[number, string, string]> }> = [
  {
    file: '01-ratio-grouping-prometheus-http.slo.yaml',
    slo: {
      service: 'default',
      name: 'prometheus-api-query',
      objective: 0.99,
      window: { type: 'rolling', days: 7 },
      groupBy: ['handler'],
      sli: { kind: 'ratio', errors: 'prometheus_http_requests_total{handler=~"/api.*",code=~"5.."}', total: 'prometheus_http_requests_total{handler=~"/api.*"}' },
    },
    warnings: [noNamespace(3), operatorLabels(5), absent(8)],
  },
  {
    file: '02-latency-caddy-response-latency.slo.yaml',
    slo: {
      service: 'default',
      name: 'caddy-response-latency',
      objective: 0.9,
      window: { type: 'rolling', days: 28 },
      groupBy: [],
      sli: { kind: 'latency', metric: 'caddy_http_response_duration_seconds', matchers: 'job="caddy", handler="subroute", code!~"5.."', threshold: 0.05, native: false },
    },
    warnings: [noNamespace(3), absent(5)],
  },
  {
    file: '03-latencynative-pyrra-connect-latency.slo.yaml',
    slo: {
      service: 'monitoring',
      name: 'pyrra-connect-latency',
      objective: 0.99,
      window: { type: 'rolling', days: 14 },
      groupBy: ['service', 'method'],
      sli: { kind: 'latency', metric: 'connect_server_requests_duration_seconds', matchers: 'job="pyrra",code="ok"', threshold: 0.2, native: true },
    },
    warnings: [operatorLabels(6), absent(9)],
  },
  {
    file: '04-boolgauge-prometheus-probe-success.slo.yaml',
    slo: {
      service: 'default',
      name: 'prometheus-blackbox-probe-success',
      objective: 0.99,
      window: { type: 'rolling', days: 7 },
      groupBy: ['target'],
      sli: { kind: 'raw', errorRatio: expect.stringContaining('sum by (target) (count_over_time(probe_success[{{.window}}]))') },
    },
    warnings: [
      noNamespace(3),
      operatorLabels(5),
      [12, 'spec.indicator.bool_gauge', 'bool_gauge becomes a raw error ratio (samples at 0 over all samples in each window)'],
      absent(8),
    ],
  },
  {
    file: '05-test-fixture-http-ratio-28d.slo.yaml',
    slo: {
      service: 'default',
      name: 'http',
      objective: 0.995,
      window: { type: 'rolling', days: 28 },
      labels: { team: 'foo' },
      sli: { kind: 'ratio', errors: 'http_requests_total{job="app",status=~"5.."}', total: 'http_requests_total{job="app"}' },
      alerting: { annotations: { description: 'foo' } },
    },
    warnings: [
      noNamespace(7),
      [9, 'metadata.labels', 'label team is not imported'],
      [12, 'metadata.annotations', 'annotation description is not imported: Pyrra copies only pyrra.dev/ annotations into its rules (as alert annotations)'],
      [18, 'spec.partial_response_strategy', 'partial_response_strategy "warn" is not imported: it is a Thanos Ruler setting'],
      absent(15),
    ],
  },
  {
    file: '06-test-fixture-http-latency-28d.slo.yaml',
    slo: {
      service: 'default',
      name: 'monitoring-http-latency',
      objective: 0.995,
      window: { type: 'rolling', days: 28 },
      sli: { kind: 'latency', metric: 'http_request_duration_seconds', matchers: 'job="metrics-service-thanos-receive-default", code=~"2.."', threshold: 1, native: false },
    },
    warnings: [noNamespace(7), absent(9)],
  },
];

describe.each(cases)('$file', ({ file, slo, warnings }) => {
  const r = loadText(readFileSync(join(DIR, file), 'utf8'), file);

  it('imports as the expected SLO, with Pyrra alert severities kept', () => {
    expect(r.slos).toHaveLength(1);
    expect(r.slos[0]).toMatchObject({
      ...slo,
      alerting: {
        ...(slo.alerting as object),
        page: { enabled: true, labels: { severity: 'critical' } },
        ticket: { enabled: true, labels: { severity: 'warning' } },
      },
    });
  });

  it('warns, at the Pyrra field and line, about each thing it does not carry over; no errors', () => {
    expect(r.diagnostics.map((d) => [d.severity, d.file, d.line, d.path])).toEqual(warnings.map(([line, path]) => ['warning', file, line, path]));
    warnings.forEach(([, , msg], i) => expect(r.diagnostics[i].message).toContain(msg));
  });

  it('generates rules promtool accepts', () => {
    expect(promtoolCheck(renderRuleFile(generateRules(r.slos).prometheus))).toMatch(/SUCCESS/);
  });
});

test('every Pyrra anchor definition is covered above', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.slo.yaml'));
  expect(files.sort()).toEqual(cases.map((c) => c.file).sort());
});
