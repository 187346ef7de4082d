import { loadText } from '../load';
import { promDurationSeconds } from './pyrraIndicator';

/** A Pyrra resource with a namespace and absent alerts off, so that only what a test adds warns. */
function pyrra(spec: string, meta = '') {
  return loadText(
    `apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api
  namespace: shop
${meta}spec:
  target: "99.5"
  window: 28d
${spec}`,
    'slo.yaml'
  );
}

const ABSENT_OFF = '  alerting:\n    absent: false\n';
const RATIO = `  indicator:
    ratio:
      errors:
        metric: http_requests_total{job="api",code=~"5.."}
      total:
        metric: http_requests_total{job="api"}
      grouping: [route]
`;

const shown = (r: ReturnType<typeof loadText>) => r.diagnostics.map((d) => [d.severity, d.line, d.path, d.message]);

describe('Pyrra ServiceLevelObjective import', () => {
  it('maps namespace, name, target, window, ratio and grouping; keeps Pyrra severities for routing', () => {
    const r = pyrra(RATIO + ABSENT_OFF);
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0]).toMatchObject({
      service: 'shop',
      name: 'api',
      objective: 0.995,
      window: { type: 'rolling', days: 28 },
      groupBy: ['route'],
      sli: { kind: 'ratio', errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' },
      alerting: {
        name: 'ErrorBudgetBurn',
        page: { enabled: true, labels: { severity: 'critical' } },
        ticket: { enabled: true, labels: { severity: 'warning' } },
      },
      origin: { file: 'slo.yaml' },
    });
  });

  it('copies pyrra.dev/ labels and annotations (as Pyrra does) and names the others it leaves out', () => {
    const r = pyrra(
      RATIO + ABSENT_OFF,
      '  labels:\n    pyrra.dev/team: foo\n    role: alert-rules\n  annotations:\n    pyrra.dev/runbook: https://r\n    kubectl.kubernetes.io/last-applied-configuration: "{}"\n'
    );
    expect(r.slos[0]).toMatchObject({ labels: { team: 'foo' }, alerting: { annotations: { runbook: 'https://r' } } });
    expect(shown(r)).toEqual([
      [
        'warning',
        6,
        'metadata.labels',
        'label role is not imported: Pyrra copies only pyrra.dev/ labels into its rules (the others select the resource, e.g. for the Prometheus Operator)',
      ],
    ]);
  });

  it('without a namespace the service is "default", with a warning; absent alerts are named, not dropped silently', () => {
    const r = loadText(
      `apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: api\nspec:\n  target: "99"\n  window: 4w\n${RATIO}  alerting:\n    absentName: ApiMetricsGone\n`,
      'slo.yaml'
    );
    expect(r.slos[0]).toMatchObject({ service: 'default', window: { days: 28 } });
    expect(shown(r)).toEqual([
      ['warning', 3, 'metadata', expect.stringContaining('no metadata.namespace: imported into service "default"')],
      ['warning', 15, 'spec.alerting', expect.stringContaining("Pyrra's absent-metric alerts (ApiMetricsGone; alerting.absent, on by default) are not generated")],
    ]);
  });

  it.each([
    ['disabled: true', false],
    ['burnrates: false', false],
    ['burnrates: true', true],
  ])('alerting %s: burn-rate alerts on = %p', (field, on) => {
    const r = pyrra(RATIO + `  alerting:\n    absent: false\n    name: ApiBurn\n    ${field}\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0].alerting).toMatchObject({ name: 'ApiBurn', page: { enabled: on }, ticket: { enabled: on } });
  });

  it('latency over one histogram is a latency SLI at the le bound', () => {
    const r = pyrra(`  indicator:
    latency:
      success:
        metric: http_request_duration_seconds_bucket{job="api",le="0.25"}
      total:
        metric: http_request_duration_seconds_count{job="api"}
${ABSENT_OFF}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0].sli).toMatchObject({ kind: 'latency', metric: 'http_request_duration_seconds', matchers: 'job="api"', threshold: 0.25, native: false });
  });

  it('latency over selectors that are not one histogram stays exactly Pyrra\'s ratio, with a warning', () => {
    const r = pyrra(`  indicator:
    latency:
      success:
        metric: http_request_duration_seconds_bucket{job="api",le="0.25"}
      total:
        metric: http_request_duration_seconds_count{job="other"}
${ABSENT_OFF}`);
    expect(r.slos[0].sli).toMatchObject({
      kind: 'ratio',
      good: 'http_request_duration_seconds_bucket{job="api",le="0.25"}',
      total: 'http_request_duration_seconds_count{job="other"}',
    });
    expect(shown(r)).toEqual([['warning', 10, 'spec.indicator.latency', expect.stringContaining('imported as a ratio of good (success) to total events')]]);
  });

  it('latencyNative: the duration becomes the threshold in seconds of a native histogram', () => {
    const r = pyrra(`  indicator:
    latencyNative:
      latency: 1s500ms
      total:
        metric: rpc_duration_seconds{job="api"}
      grouping: [method]
${ABSENT_OFF}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0]).toMatchObject({
      groupBy: ['method'],
      sli: { kind: 'latency', metric: 'rpc_duration_seconds', matchers: 'job="api"', threshold: 1.5, native: true },
    });
  });

  it('bool_gauge becomes Pyrra\'s samples-at-0 ratio per group, as a raw SLI with a warning saying what differs', () => {
    const r = pyrra(`  indicator:
    bool_gauge:
      metric: probe_success{job="bb"}
      grouping: [target]
${ABSENT_OFF}`);
    expect(r.slos[0].sli).toEqual({
      kind: 'raw',
      source: 'prometheus',
      errorRatio:
        '(sum by (target) (count_over_time(probe_success{job="bb"}[{{.window}}])) - sum by (target) (sum_over_time(probe_success{job="bb"}[{{.window}}]))) / sum by (target) (count_over_time(probe_success{job="bb"}[{{.window}}]))',
    });
    expect(shown(r)).toEqual([['warning', 10, 'spec.indicator.bool_gauge', expect.stringContaining('bool_gauge becomes a raw error ratio')]]);
  });

  it('partial_response_strategy (Thanos Ruler) is named as not imported', () => {
    const r = pyrra(RATIO + ABSENT_OFF + '  partial_response_strategy: abort\n');
    expect(shown(r)).toEqual([['warning', 18, 'spec.partial_response_strategy', expect.stringContaining('is a Thanos Ruler setting')]]);
    expect(r.slos).toHaveLength(1);
  });

  describe('rejections name what, where and why', () => {
    it.each([
      ['window: 36h', '  window: 28d\n', '  window: 36h\n', 8, 'spec.window', '"36h" is not a whole number of days'],
      ['window: 1d (native check, at the Pyrra field)', '  window: 28d\n', '  window: 1d\n', 8, 'spec.window', '"1d" is too short'],
      ['target: 100', '  target: "99.5"\n', '  target: "100"\n', 7, 'spec.target', '100% leaves no error budget'],
      ['a query that is not a selector', 'metric: http_requests_total{job="api"}', 'metric: sum(rate(http_requests_total[5m]))', 14, 'spec.indicator.ratio.total.metric', 'expected a plain selector'],
      ['a grouping label that is not a label name', 'grouping: [route]', 'grouping: [route-name]', 15, 'spec.indicator.ratio.grouping[0]', ''],
      ['an unknown spec field', '  window: 28d\n', '  window: 28d\n  windw: 7d\n', 9, 'spec.windw', 'unknown field "windw"'],
    ])('%s', (_title, from, to, line, path, msg) => {
      const text = `apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  target: "99.5"\n  window: 28d\n${RATIO}${ABSENT_OFF}`;
      const r = loadText(text.replace(from, to), 'slo.yaml');
      expect(r.slos).toEqual([]);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([
        expect.objectContaining({ file: 'slo.yaml', line, path, message: expect.stringContaining(msg) }),
      ]);
    });

    it('another apiVersion or kind', () => {
      const r = loadText('apiVersion: pyrra.dev/v1beta1\nkind: ServiceLevelObjective\nmetadata: {name: a}\nspec: {}\n', 'x.yaml');
      expect(shown(r)).toEqual([['error', 1, 'apiVersion', 'unsupported Pyrra apiVersion "pyrra.dev/v1beta1": Burnrate imports "pyrra.dev/v1alpha1"']]);
      const k = loadText('apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjectiveTemplate\nspec: {}\n', 'x.yaml');
      expect(shown(k)).toEqual([
        ['error', 2, 'kind', 'unknown Pyrra kind "ServiceLevelObjectiveTemplate": Burnrate imports kind ServiceLevelObjective (one resource per document, or a List of them)'],
      ]);
    });

    it('two indicators, or none', () => {
      const two = pyrra(RATIO + '    bool_gauge:\n      metric: up\n' + ABSENT_OFF);
      expect(shown(two)).toEqual([['error', 9, 'spec.indicator', 'expected exactly one indicator, got ratio and bool_gauge']]);
      const none = pyrra('  indicator: {}\n' + ABSENT_OFF);
      expect(shown(none)).toEqual([['error', 9, 'spec.indicator', 'expected one of ratio, latency, latencyNative, bool_gauge']]);
    });
  });

  it('an unrecognised document names itself and the Pyrra kind among the formats', () => {
    const r = loadText('apiVersion: v1\nkind: ConfigMap\n', 'x.yaml');
    expect(r.diagnostics[0].message).toContain('kind: ConfigMap from apiVersion v1 is not a format Burnrate reads');
    expect(r.diagnostics[0].message).toContain('apiVersion: pyrra.dev/v1alpha1 with kind: ServiceLevelObjective');
  });
});

test.each([
  ['200ms', 0.2],
  ['1s500ms', 1.5],
  ['2w', 1209600],
  ['1y', 31536000],
  ['1.5s', undefined],
  ['', undefined],
])('Prometheus duration %p is %p seconds', (text, s) => {
  expect(promDurationSeconds(text)).toBe(s);
});

describe('a List of Pyrra resources, as kubectl get slo -o yaml writes it', () => {
  const item = (name: string, target: string) => `  - apiVersion: pyrra.dev/v1alpha1
    kind: ServiceLevelObjective
    metadata: {name: ${name}, namespace: shop}
    spec:
      target: "${target}"
      window: 28d
      alerting: {absent: false}
      indicator:
        ratio:
          errors: {metric: 'http_requests_total{code=~"5.."}'}
          total: {metric: http_requests_total}
`;
  it.each(['apiVersion: v1\nkind: List', 'apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjectiveList'])('%s: every item imports', (head) => {
    const r = loadText(`${head}\nmetadata: {resourceVersion: ""}\nitems:\n${item('a', '99')}${item('b', '99.9')}`, 'list.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.slos.map((s) => [s.service, s.name, s.objective])).toEqual([
      ['shop', 'a', 0.99],
      ['shop', 'b', 0.999],
    ]);
  });

  it('an item in error is named by its index and line, and nothing is imported', () => {
    const r = loadText(`apiVersion: v1\nkind: List\nitems:\n${item('a', '99')}${item('b', '100')}`, 'list.yaml');
    expect(r.slos).toEqual([]);
    expect(shown(r)).toEqual([['error', 19, 'items[1].spec.target', expect.stringContaining('100% leaves no error budget')]]);
  });
});
