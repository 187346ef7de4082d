// Every Sloth and OpenSLO anchor file (tests/fixtures/anchors) through loadText, with the exact
// outcome per file; imported SLOs are generated into rules and checked with the real promtool.

import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { loadText } from '../load';
import { generateRules } from '../rules/generate';
import { renderRuleFile } from '../rules/render';
import { isAlertingRule } from '../rules/types';
import { Slo } from '../spec/types';

const ROOT = join(__dirname, '../../../tests/fixtures/anchors');
const PROMTOOL = '/usr/bin/promtool';

function load(rel: string) {
  const path = join(ROOT, rel);
  return loadText(readFileSync(path, 'utf8'), rel);
}

function promtoolCheck(slos: Slo[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-import-'));
  try {
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, renderRuleFile(generateRules(slos).prometheus));
    // Throws (and so fails the test) when promtool is missing or rejects the file.
    return execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Imported {
  file: string;
  slos: Array<{ name: string; service: string; objective: number; window: Slo['window']; kind: string }>;
  warnings?: string[];
}

const imported: Imported[] = [
  {
    file: 'sloth/getting-started.yml',
    slos: [
      {
        name: 'requests-availability',
        service: 'myservice',
        objective: 0.999,
        window: { type: 'rolling', days: 30 },
        kind: 'ratio',
      },
    ],
  },
  {
    file: 'sloth/kubernetes-apiserver.yml',
    slos: [
      {
        name: 'requests-availability',
        service: 'k8s-apiserver',
        objective: 0.999,
        window: { type: 'rolling', days: 30 },
        kind: 'ratio',
      },
      {
        name: 'requests-latency',
        service: 'k8s-apiserver',
        objective: 0.99,
        window: { type: 'rolling', days: 30 },
        kind: 'ratio',
      },
    ],
  },
  {
    file: 'sloth/no-alerts.yml',
    slos: [
      {
        name: 'http-availability',
        service: 'myapp',
        objective: 0.9999,
        window: { type: 'rolling', days: 30 },
        kind: 'ratio',
      },
    ],
  },
  {
    file: 'sloth/raw-home-wifi.yml',
    slos: [
      {
        name: 'wifi-client-satisfaction',
        service: 'home-wifi',
        objective: 0.95,
        window: { type: 'rolling', days: 30 },
        kind: 'raw',
      },
    ],
  },
];

interface Rejected {
  file: string;
  /** Every error, as `line: path: message substring`. */
  errors: Array<[number, string, string]>;
  warnings: Array<[number, string, string]>;
}

const rejected: Rejected[] = [
  {
    file: 'sloth/openslo-getting-started.yml',
    errors: [[6, 'apiVersion', 'OpenSLO v1alpha is not supported: Burnrate imports openslo/v1']],
    warnings: [],
  },
  {
    file: 'openslo/ratio-slo-occurrences-rolling.yaml',
    errors: [
      [
        22,
        'spec.indicator.spec.ratioMetric.good.metricSource.type',
        'metricSource type "Datadog" is not supported: Burnrate reads Prometheus (PromQL) and Loki (LogQL) sources only',
      ],
      [28, 'spec.indicator.spec.ratioMetric.total.metricSource.type', 'metricSource type "Datadog" is not supported'],
    ],
    warnings: [
      [32, 'spec.timeWindow[0].duration', 'a rolling 1M window becomes 30d'],
      [39, 'spec.alertPolicies[0]', 'alert policy "FooAlertPolicy" is not defined in this file'],
    ],
  },
  {
    file: 'openslo/ratio-slo-prometheus-timeslices-calendar.yaml',
    errors: [
      [
        35,
        'spec.timeWindow[0].duration',
        'calendar windows other than a month are not supported (got 1w); use a rolling 7d window',
      ],
    ],
    warnings: [],
  },
  {
    file: 'openslo/threshold-latency-slo.yaml',
    errors: [[21, 'spec.indicator.spec.thresholdMetric.metricSource.type', 'metricSource type "Any" is not supported']],
    warnings: [],
  },
  {
    file: 'openslo/threshold-slo-prometheus-with-alert-policies.yaml',
    errors: [
      [23, '[0].spec.timeWindow[0].duration', 'calendar windows other than a month are not supported (got 1w)'],
      [
        20,
        '[0].spec.indicator.spec.thresholdMetric.metricSource.spec.query',
        'thresholdMetric query "sum(min_over_time(kafka_consumergroup_lag{k8s_cluster=\\"prod\\", consumergroup=\\"annotator\\", topic=\\"annotator-in\\"}[2m]))" cannot be imported: it is not a histogram_quantile over a histogram. Burnrate counts good and total events, and a threshold on an arbitrary query gives no events to count',
      ],
    ],
    warnings: [
      [
        42,
        '[0].spec.alertPolicies[0].spec.conditions[0]',
        'alert condition "cpu-usage-breach" is not defined in this file',
      ],
      [
        51,
        '[0].spec.alertPolicies[1].spec.conditions[0]',
        'alert condition "memory-usage-breach" (burn rate gt 2 over 1h) is not imported as such: Burnrate applies the multiwindow multi-burn-rate scheme instead',
      ],
    ],
  },
];

describe('anchor files that import', () => {
  it.each(imported)('$file', ({ file, slos }) => {
    const r = load(file);
    expect(r.diagnostics).toEqual([]);
    expect(
      r.slos.map((s) => ({
        name: s.name,
        service: s.service,
        objective: s.objective,
        window: s.window,
        kind: s.sli.kind,
      }))
    ).toEqual(slos);
    expect(promtoolCheck(r.slos)).toMatch(/SUCCESS/);
  });
});

describe('anchor files that are rejected, and why', () => {
  it.each(rejected)('$file', ({ file, errors, warnings }) => {
    const r = load(file);
    expect(r.slos).toEqual([]);
    const pick = (sev: string) => r.diagnostics.filter((d) => d.severity === sev);
    const errs = pick('error');
    expect(errs).toHaveLength(errors.length);
    errors.forEach(([line, path, msg]) => {
      expect(errs).toContainEqual(expect.objectContaining({ file, line, path, message: expect.stringContaining(msg) }));
    });
    const warns = pick('warning');
    expect(warns).toHaveLength(warnings.length);
    warnings.forEach(([line, path, msg]) => {
      expect(warns).toContainEqual(
        expect.objectContaining({ file, line, path, message: expect.stringContaining(msg) })
      );
    });
  });
});

test('the OpenSLO file with only supporting objects yields no SLOs, with warnings and no error', () => {
  const r = load('openslo/alert-policy-condition-target.yaml');
  expect(r.slos).toEqual([]);
  expect(r.diagnostics.map((d) => [d.severity, d.line, d.path, d.message])).toEqual([
    ['warning', 22, 'metadata.name', expect.stringContaining('AlertPolicy name "AlertPolicy" is not an RFC 1123 name')],
    [
      'warning',
      36,
      'metadata.name',
      expect.stringContaining('AlertNotificationTarget name "OnCallDevopsMailNotification" is not an RFC 1123 name'),
    ],
    ['warning', 4, undefined, expect.stringContaining('no kind SLO in this file')],
  ]);
});

test('the Prometheus OpenSLO anchor imports as a timeslice SLO once its calendar week is made a rolling 7d window', () => {
  const text = readFileSync(join(ROOT, 'openslo/ratio-slo-prometheus-timeslices-calendar.yaml'), 'utf8').replace(
    /- duration: 1w\n\s+isRolling: false\n\s+calendar:\n\s+startTime: .*\n\s+timeZone: .*\n/,
    '- duration: 7d\n      isRolling: true\n'
  );
  const r = loadText(text, 'x.yaml');
  expect(r.diagnostics).toEqual([]);
  expect(r.slos).toHaveLength(1);
  const s = r.slos[0];
  expect(s).toMatchObject({
    name: 'web-availability',
    service: 'web',
    description: 'X% of search requests are successful',
    objective: 0.995,
    window: { type: 'rolling', days: 7 },
    labels: { env: 'prod', team: 'team-a,team-b' },
    groupBy: [],
    sli: {
      kind: 'timeslice',
      sliceSeconds: 60,
      ratio: {
        good: 'http_requests{k8s_cluster="prod",component="web",code=~"2xx|4xx"}',
        total: 'http_requests{k8s_cluster="prod",component="web"}',
        target: 0.95,
      },
    },
  });
  expect(promtoolCheck(r.slos)).toMatch(/SUCCESS/);
});

test('the threshold anchor with a Prometheus histogram_quantile query imports as a timeslice latency SLO', () => {
  const text = readFileSync(join(ROOT, 'openslo/threshold-slo-prometheus-with-alert-policies.yaml'), 'utf8')
    .replace(
      /sum\(min_over_time\(kafka.*\n/,
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="web"}[1m])))\n'
    )
    .replace(
      /- duration: 1w\n\s+isRolling: false\n\s+calendar:\n\s+startTime: .*\n\s+timeZone: .*\n/,
      '- duration: 28d\n        isRolling: true\n'
    )
    .replace('op: gt', 'op: lte\n        value: 0.5');
  const r = loadText(text, 'x.yaml');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.slos[0]).toMatchObject({
    name: 'my-slo',
    objective: 0.995,
    window: { type: 'rolling', days: 28 },
    sli: {
      kind: 'timeslice',
      latency: { metric: 'http_request_duration_seconds', matchers: 'job="web"', quantile: 0.95, threshold: 0.5 },
    },
    // memory-usage-breach has severity page; the unresolved cpu-usage-breach gives none: ticket off.
    alerting: { page: { enabled: true }, ticket: { enabled: false } },
  });
  expect(promtoolCheck(r.slos)).toMatch(/SUCCESS/);
});

/** Thresholds on the error ratio per window, from Sloth's `(factor * budget)` and ours `/ budget > factor`. */
function slothThresholds(expr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of expr.matchAll(/ratio_rate(\w+)\{[^}]*\} > \(([\d.]+) \* ([\d.]+)\)/g)) {
    out[m[1]] = Number(m[2]) * Number(m[3]);
  }
  return out;
}

function ourThresholds(expr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of expr.matchAll(/ratio_rate(\w+)\{[^}]*\} \/ ([\d.]+) > ([\d.]+)/g)) {
    out[m[1]] = Number(m[2]) * Number(m[3]);
  }
  return out;
}

test("the Sloth-imported getting-started SLO alerts at Sloth's thresholds, with Sloth's alert name and labels", () => {
  const r = load('sloth/getting-started.yml');
  const gen = parse(readFileSync(join(ROOT, 'sloth/_gen/getting-started.yml'), 'utf8'));
  const slothAlerts = gen.groups
    .flatMap((g: { rules: Array<Record<string, unknown>> }) => g.rules)
    .filter((x: Record<string, unknown>) => x.alert);
  const ours = generateRules(r.slos)
    .prometheus.flatMap((g) => g.rules)
    .filter(isAlertingRule);
  expect(ours.map((a) => a.alert)).toEqual(['MyServiceHighErrorRate', 'MyServiceHighErrorRate']);
  expect(slothAlerts).toHaveLength(2);
  for (const [i, sev] of ['page', 'ticket'].entries()) {
    const s = slothAlerts[i] as { expr: string; labels: Record<string, string> };
    expect(s.labels.sloth_severity).toBe(sev);
    const theirs = slothThresholds(s.expr);
    const mine = ourThresholds(ours[i].expr);
    expect(Object.keys(mine).sort()).toEqual(Object.keys(theirs).sort());
    expect(Object.keys(mine)).toHaveLength(4);
    for (const w of Object.keys(theirs)) {
      expect(mine[w]).toBeCloseTo(theirs[w], 12);
    }
    // Sloth's labels are kept (severity included), plus Burnrate's slo/slo_service.
    const { sloth_severity: _drop, ...slothLabels } = s.labels;
    expect(ours[i].labels).toEqual({ ...slothLabels, slo: 'requests-availability', slo_service: 'myservice' });
    expect(ours[i].annotations?.summary).toBe("High error rate on 'myservice' requests responses");
  }
});

test('every Sloth and OpenSLO anchor file is covered by a case above', () => {
  const listed = new Set([
    ...imported.map((x) => x.file),
    ...rejected.map((x) => x.file),
    'openslo/alert-policy-condition-target.yaml',
  ]);
  const files = ['sloth', 'openslo'].flatMap((d) =>
    readdirSync(join(ROOT, d))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${d}/${f}`)
  );
  expect(files.filter((f) => !listed.has(f))).toEqual([]);
});
