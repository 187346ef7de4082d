import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../load';
import { generateRules } from '../rules/generate';
import { renderRuleFile } from '../rules/render';
import { Slo } from '../spec/types';
import { exportOpenSLO, exportOpenSLODocuments, unrate } from './opensloExport';
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

const NATIVE = `version: burnrate/v1
service: llm-gateway
labels:
  team: genai
slos:
  - name: chat-availability
    description: Chat completions that do not fail on our side.
    objective: 0.995
    window: 30d
    groupBy: [route]
    sli:
      ratio:
        errors: gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat", error_type!=""}
        total: gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat"}
  - name: chat-ttft
    objective: 0.99
    window: 28d
    groupBy: [route, gen_ai_request_model]
    sli:
      latency:
        metric: gen_ai_server_time_to_first_token_seconds
        matchers: gen_ai_operation_name="chat"
        threshold: 1
  - name: chat-ttft-p95-slices
    objective: 0.99
    window: calendar-month
    groupBy: [route]
    sli:
      timeslice:
        slice: 2m
        latency:
          metric: gen_ai_server_time_to_first_token_seconds
          quantile: 0.95
          threshold: 2.5
  - name: slices-ratio
    objective: 0.98
    sli:
      timeslice:
        ratio:
          good: http_requests_total{code!~"5.."}
          total: http_requests_total
          target: 0.9
  - name: judge-verdicts-loki
    objective: 0.95
    groupBy: [route]
    sli:
      ratio:
        source: loki
        errors: '{app="llm-gateway", stream="judge"} | json | verdict="fail"'
        total: '{app="llm-gateway", stream="judge"} | json'
  - name: sloth-style
    objective: 0.999
    sli:
      ratio:
        errors: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total: sum(rate(http_requests_total[{{.window}}]))
  - name: wifi
    objective: 0.95
    sli:
      raw:
        errorRatio: 1 - avg(avg_over_time(unifipoller_client_satisfaction_ratio[{{.window}}]))
`;

function comparable(s: Slo) {
  return {
    name: s.name,
    service: s.service,
    description: s.description,
    objective: s.objective,
    window: s.window,
    labels: s.labels,
    groupBy: s.groupBy,
    sli: s.sli,
  };
}

describe('OpenSLO v1 export', () => {
  it('round-trips native -> OpenSLO -> import to equivalent SLOs', () => {
    const native = loadText(NATIVE, 'n.yaml');
    expect(native.diagnostics).toEqual([]);
    const { text, warnings } = exportOpenSLODocuments(native.slos);
    expect(warnings).toEqual([]);
    const back = loadText(text, 'exported.yaml');
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const expected = native.slos.map(comparable);
    // Sloth-style `sum(rate(x[{{.window}}]))` is exported as the counter `sum(x)` and comes back as
    // the selector `x`: the same SLI, in the form that gets Burnrate's hourly rollups.
    const sloth = expected.find((s) => s.name === 'sloth-style')!;
    sloth.sli = {
      kind: 'ratio',
      source: 'prometheus',
      errors: 'http_requests_total{code=~"5.."}',
      total: 'http_requests_total',
    };
    expect(back.slos.map(comparable)).toEqual(expected);
  });

  it('writes counter queries, windows and budgeting methods the OpenSLO way', () => {
    const native = loadText(NATIVE, 'n.yaml');
    const docs = parseAllDocuments(exportOpenSLO(native.slos)).map((d) => d.toJS());
    expect(docs).toHaveLength(7);
    expect(docs[0]).toEqual({
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: 'chat-availability', labels: { team: ['genai'] } },
      spec: {
        description: 'Chat completions that do not fail on our side.',
        service: 'llm-gateway',
        indicator: {
          metadata: { name: 'chat-availability-sli' },
          spec: {
            ratioMetric: {
              counter: true,
              bad: {
                metricSource: {
                  type: 'Prometheus',
                  spec: {
                    query:
                      'sum by (route) (gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat", error_type!=""})',
                  },
                },
              },
              total: {
                metricSource: {
                  type: 'Prometheus',
                  spec: {
                    query:
                      'sum by (route) (gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat"})',
                  },
                },
              },
            },
          },
        },
        timeWindow: [{ duration: '30d', isRolling: true }],
        budgetingMethod: 'Occurrences',
        objectives: [{ target: 0.995 }],
      },
    });
    expect(docs[1].spec.indicator.spec.ratioMetric.good.metricSource.spec.query).toBe(
      'sum by (route, gen_ai_request_model) (gen_ai_server_time_to_first_token_seconds_bucket{gen_ai_operation_name="chat", le="1"})'
    );
    expect(docs[2].spec).toMatchObject({
      timeWindow: [{ duration: '1M', isRolling: false, calendar: { timeZone: 'UTC' } }],
      budgetingMethod: 'Timeslices',
      objectives: [{ target: 0.99, op: 'lte', value: 2.5, timeSliceWindow: '2m' }],
    });
    expect(docs[3].spec.objectives).toEqual([{ target: 0.98, timeSliceTarget: 0.9, timeSliceWindow: '1m' }]);
    expect(docs[4].spec.indicator.spec.ratioMetric.total.metricSource.type).toBe('Loki');
  });

  it('skips cost and blended quality SLOs with a warning that says why', () => {
    const example = loadText(
      readFileSync(join(__dirname, '../../../examples/llm-gateway.yaml'), 'utf8'),
      'llm-gateway.yaml'
    );
    expect(example.diagnostics).toEqual([]);
    const { text, warnings } = exportOpenSLODocuments(example.slos);
    expect(warnings).toEqual([
      expect.stringContaining(
        'llm-gateway/answer-quality not exported: a weighted blend of several quality components has no OpenSLO form'
      ),
      expect.stringContaining('llm-gateway/cost-per-request not exported: cost per request is a soft SLO'),
    ]);
    const back = loadText(text, 'exported.yaml');
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(back.slos.map((s) => s.name)).toEqual([
      'chat-availability',
      'chat-ttft',
      'chat-ttft-p95-slices',
      'judge-verdicts-loki',
    ]);
    // Exclusions are written into the exported selectors as matchers.
    expect(back.slos[0].sli).toMatchObject({
      errors: expect.stringContaining('error_type!~"provider_error|provider_timeout"'),
    });
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-openslo-'));
    try {
      writeFileSync(join(dir, 'r.yaml'), renderRuleFile(generateRules(back.slos).prometheus));
      expect(execFileSync('/usr/bin/promtool', ['check', 'rules', join(dir, 'r.yaml')], { encoding: 'utf8' })).toMatch(
        /SUCCESS/
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
