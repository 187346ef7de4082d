import { readFileSync } from 'fs';
import { join } from 'path';
import { loadText } from '../load';
import { unrate } from './opensloExport';
import { rewriteCounters, simpleCounter } from './promqlRewrite';

describe('counter rewrite', () => {
  it.each([
    ['sum(http_requests{code=~"2xx"})', 'sum(rate(http_requests{code=~"2xx"}[{{.window}}]))'],
    ['http_requests_total', 'rate(http_requests_total[{{.window}}])'],
    [
      'sum by (route) (a{x="1"}) + sum by (route) (b)',
      'sum by (route) (rate(a{x="1"}[{{.window}}])) + sum by (route) (rate(b[{{.window}}]))',
    ],
    ['sum(a) - sum(a{le="0.5"})', 'sum(rate(a[{{.window}}])) - sum(rate(a{le="0.5"}[{{.window}}]))'],
    ['sum(http_requests{path="/a[b]"})', 'sum(rate(http_requests{path="/a[b]"}[{{.window}}]))'],
    ['  {__name__="x", job="j"}  ', 'rate({__name__="x", job="j"}[{{.window}}])'],
  ])('%s', (query, expected) => {
    expect(rewriteCounters(query)).toBe(expected);
  });

  it.each([
    ['sum(rate(x[5m]))', 'already a range selector'],
    ['x offset 5m', 'offset and @ modifiers'],
    ['max_over_time(x[5m:1m])', 'subqueries'],
    ['sum(x', 'unexpected end of query'],
    ['vector(1)', 'no metric selector'],
    ['sum(rate(x[{{.window}}]))', 'already holds a {{.window}} placeholder'],
  ])('refuses %s', (query, why) => {
    const r = rewriteCounters(query);
    expect(typeof r).toBe('object');
    expect((r as { message: string }).message).toContain(why);
  });

  it('recognises selector shapes that stay native selectors', () => {
    expect(simpleCounter('sum by (route, model) (x{a="b"})')).toEqual({
      selector: 'x{a="b"}',
      groupBy: ['route', 'model'],
    });
    expect(simpleCounter('sum(x) by (route)')).toEqual({ selector: 'x', groupBy: ['route'] });
    expect(simpleCounter('x{a="b"}')).toEqual({ selector: 'x{a="b"}', groupBy: [] });
    expect(simpleCounter('sum without (a) (x)')).toBeUndefined();
    expect(simpleCounter('max(x)')).toBeUndefined();
    expect(simpleCounter('sum(x) / 2')).toBeUndefined();
  });

  it('takes rate(..[{{.window}}]) off again for export, and only that', () => {
    expect(unrate('sum(rate(x{a="b"}[{{.window}}]))')).toBe('sum(x{a="b"})');
    expect(unrate('sum(increase(x[{{.window}}]))')).toBeUndefined();
    expect(unrate('1 - avg_over_time(up[{{.window}}])')).toBeUndefined();
  });
});

/** An SLI, an alert condition and a policy that SLOs refer to by name (shared with importFuzz.test.ts). */
const REFERENCED_PARTS = readFileSync(join(__dirname, '../../../tests/fixtures/openslo/referenced-parts.yaml'), 'utf8');

const HEAD = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
`;

function ratioIndicator(good: string, total: string, counter = true) {
  return `  indicator:
    metadata:
      name: sli
    spec:
      ratioMetric:
        counter: ${counter}
        good:
          metricSource:
            type: prometheus
            spec:
              query: ${good}
        total:
          metricSource:
            type: prometheus
            spec:
              query: ${total}
`;
}

const OBJ = `  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`;

describe('OpenSLO v1 import', () => {
  it('turns sum-by counter queries into native selectors with groupBy', () => {
    const r = loadText(
      HEAD +
        ratioIndicator('sum by (route) (http_requests_total{code!~"5.."})', 'sum by (route) (http_requests_total)') +
        OBJ,
      'a.yaml'
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0]).toMatchObject({
      name: 'checkout-availability',
      service: 'checkout',
      objective: 0.999,
      window: { type: 'rolling', days: 28 },
      groupBy: ['route'],
      sli: {
        kind: 'ratio',
        source: 'prometheus',
        good: 'http_requests_total{code!~"5.."}',
        total: 'http_requests_total',
      },
      origin: { file: 'a.yaml', line: 1 },
    });
  });

  it('rewrites other counter expressions into {{.window}} rate expressions', () => {
    const r = loadText(HEAD + ratioIndicator('sum(a_total) + sum(b_total)', 'sum(c_total)') + OBJ, 'a.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0].sli).toEqual({
      kind: 'ratio',
      source: 'prometheus',
      good: 'sum(rate(a_total[{{.window}}])) + sum(rate(b_total[{{.window}}]))',
      total: 'sum(rate(c_total[{{.window}}]))',
    });
  });

  describe('queries that aggregate by labels', () => {
    it('keep those labels as the groupBy when the queries are rewritten', () => {
      const r = loadText(
        HEAD + ratioIndicator('sum by (route) (a_total) + sum by (route) (b_total)', 'sum(c_total) by (route)') + OBJ,
        'a.yaml'
      );
      expect(r.diagnostics).toEqual([]);
      expect(r.slos[0]).toMatchObject({
        groupBy: ['route'],
        sli: { good: 'sum by (route) (rate(a_total[{{.window}}])) + sum by (route) (rate(b_total[{{.window}}]))' },
      });
    });

    it('must keep the same labels: an error naming the SLO, the file and both label lists', () => {
      const r = loadText(
        HEAD +
          ratioIndicator(
            'sum by (route) (http_requests_total{code!~"5.."})',
            'sum by (route, method) (http_requests_total)'
          ) +
          OBJ,
        'a.yaml'
      );
      expect(r.slos).toEqual([]);
      expect(r.diagnostics).toEqual([
        {
          severity: 'error',
          file: 'a.yaml',
          line: 22,
          path: 'spec.indicator.spec.ratioMetric.total.metricSource.spec.query',
          message:
            'SLO "checkout-availability": the good query aggregates by (route) but the total query by (route, method); both must keep the same labels, which become the SLO\'s groupBy (one budget, freeze and alerts per group)',
        },
      ]);
    });

    it('reject `without`', () => {
      const r = loadText(
        HEAD + ratioIndicator('sum without (code) (a_total{code!~"5.."})', 'sum without (code) (a_total)') + OBJ,
        'a.yaml'
      );
      expect(r.slos).toEqual([]);
      expect(r.diagnostics.map((d) => [d.line, d.message])).toEqual([
        [17, expect.stringContaining('which keeps every label but (code)')],
        [22, expect.stringContaining('which keeps every label but (code)')],
      ]);
    });

    it('group a raw ratio too', () => {
      const r = loadText(
        `${HEAD}  indicator:
    metadata: {name: r}
    spec:
      ratioMetric:
        rawType: failure
        raw:
          metricSource:
            type: Prometheus
            spec:
              query: sum by (ap) (rate(fail_total[{{.window}}])) / sum by (ap) (rate(all_total[{{.window}}]))
${OBJ}`,
        'r.yaml'
      );
      expect(r.diagnostics).toEqual([]);
      expect(r.slos[0]).toMatchObject({ groupBy: ['ap'], sli: { kind: 'raw' } });
    });
  });

  it('rejects a gauge ratioMetric (counter not true), with file, line and path', () => {
    const r = loadText(HEAD + ratioIndicator('sum(up)', 'count(up)', false) + OBJ, 'g.yaml');
    expect(r.slos).toEqual([]);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        file: 'g.yaml',
        line: 12,
        path: 'spec.indicator.spec.ratioMetric.counter',
        message: expect.stringContaining(
          'ratioMetric over gauges (counter is not true) cannot be imported: Burnrate counts events with rate() over counters'
        ),
      },
    ]);
  });

  it('reports an unparsable counter query at its line', () => {
    const r = loadText(HEAD + ratioIndicator('sum(rate(a[5m]))', 'sum(a)') + OBJ, 'q.yaml');
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        line: 17,
        path: 'spec.indicator.spec.ratioMetric.good.metricSource.spec.query',
        message: expect.stringContaining('cannot rewrite the counter query: "a[5m]" is already a range selector'),
      }),
    ]);
  });

  it('resolves indicatorRef, alert policies and conditions across documents of one file', () => {
    const text = `${REFERENCED_PARTS}---
${HEAD}  indicatorRef: good-requests
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2024-01-01 00:00:00
        timeZone: Europe/Paris
  objectives:
    - target: 0.99
      displayName: main
    - target: 0.95
      displayName: relaxed
  alertPolicies:
    - alertPolicyRef: page-only
    - missing-policy
`;
    const r = loadText(text, 'multi.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(r.diagnostics.map((d) => [d.line, d.path, d.message])).toEqual([
      [
        lineOf('objectives:'),
        'spec.objectives',
        expect.stringContaining('only the first objective is imported; "relaxed" ignored'),
      ],
      [
        lineOf('timeZone: Europe/Paris'),
        'spec.timeWindow[0].calendar.timeZone',
        expect.stringContaining('calendar months start at 00:00 UTC; the time zone "Europe/Paris" is not applied'),
      ],
      [
        lineOf('- missing-policy'),
        'spec.alertPolicies[1]',
        expect.stringContaining('alert policy "missing-policy" is not defined in this file'),
      ],
    ]);
    expect(r.slos[0]).toMatchObject({
      objective: 0.99,
      window: { type: 'calendar', unit: 'month' },
      sli: { kind: 'ratio', errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' },
      // fast-burn is 14.4x over 1h: it fits the scheme, so no warning; critical keeps its severity label.
      alerting: { page: { enabled: true, labels: { severity: 'critical' } }, ticket: { enabled: false } },
    });
  });

  it('names an unresolvable indicatorRef', () => {
    const r = loadText(`${HEAD}  indicatorRef: nowhere\n${OBJ}`, 'x.yaml');
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 7,
        path: 'spec.indicatorRef',
        message: expect.stringContaining('no kind SLI named "nowhere" in this file'),
      }),
    ]);
  });

  it('maps multi-valued labels, drops invalid label names and warns on non-RFC1123 names', () => {
    const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: Checkout_Avail
  labels:
    team: [a, b]
    cost-center: x
    env: prod
spec:
  service: checkout
${ratioIndicator('a_total', 'b_total')}${OBJ}`;
    const r = loadText(text, 'l.yaml');
    expect(r.slos[0].labels).toEqual({ team: 'a,b', env: 'prod' });
    expect(r.diagnostics.map((d) => [d.severity, d.line, d.path])).toEqual([
      ['warning', 4, 'metadata.name'],
      ['warning', 7, 'metadata.labels.cost-center'],
    ]);
  });

  it('imports a histogram bucket thresholdMetric as a latency SLI, and raw success ratios as 1 - (...)', () => {
    const latency = `${HEAD}  indicator:
    metadata: {name: l}
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: gen_ai_server_time_to_first_token_seconds_bucket{gen_ai_operation_name="chat"}
  timeWindow: [{duration: 4w, isRolling: true}]
  objectives:
    - op: lte
      value: 1
      target: 0.99
`;
    const r = loadText(latency, 'l.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0].sli).toEqual({
      kind: 'latency',
      source: 'prometheus',
      metric: 'gen_ai_server_time_to_first_token_seconds',
      matchers: 'gen_ai_operation_name="chat"',
      threshold: 1,
      native: false,
      buckets: undefined,
    });
    // A threshold that is not a bucket boundary is reported by the native check, at the OpenSLO query.
    const bad = loadText(latency.replace('value: 1', 'value: 0.9'), 'l.yaml');
    expect(bad.diagnostics).toEqual([
      expect.objectContaining({
        line: 14,
        path: 'spec.indicator.spec.thresholdMetric.metricSource.spec.query.threshold',
        message: expect.stringContaining('0.9 is not a bucket boundary'),
      }),
    ]);

    const raw = `${HEAD}  indicator:
    metadata: {name: r}
    spec:
      ratioMetric:
        rawType: success
        raw:
          metricSource:
            type: Prometheus
            spec:
              query: avg(avg_over_time(probe_success[5m]))
${OBJ}`;
    const rr = loadText(raw, 'r.yaml');
    expect(rr.slos[0].sli).toEqual({
      kind: 'raw',
      source: 'prometheus',
      errorRatio: '1 - (avg(avg_over_time(probe_success[{{.window}}])))',
    });
    expect(rr.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringContaining('replaced by each burn-rate window'),
      }),
    ]);
  });

  it('rejects a lone v1alpha document and unknown kinds', () => {
    expect(loadText('apiVersion: openslo/v1\nkind: Thing\nmetadata: {name: a}\n', 't.yaml').diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 2,
        path: 'kind',
        message: expect.stringContaining('unknown OpenSLO kind "Thing"'),
      }),
    ]);
  });
});
