// OpenSLO v1 export: what maps, round trips through the importer, and what is named as left out.

import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../load';
import { generateRules } from '../rules/generate';
import { renderRuleFile } from '../rules/render';
import { formatDiagnostic, Slo } from '../spec/types';
import { exportDiagnostics, exportOpenSLODocuments } from './opensloExport';

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
    const { text, skipped, partial } = exportOpenSLODocuments(native.slos);
    expect(skipped).toEqual([]);
    expect(partial).toEqual([]);
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
    const docs = parseAllDocuments(exportOpenSLODocuments(native.slos).text).map((d) => d.toJS());
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

  it('names the cost and blended quality SLOs it cannot write, at their definitions, with why', () => {
    const example = loadText(
      readFileSync(join(__dirname, '../../../examples/llm-gateway.yaml'), 'utf8'),
      'llm-gateway.yaml'
    );
    expect(example.diagnostics).toEqual([]);
    const result = exportOpenSLODocuments(example.slos);
    const { text, skipped, exported } = result;
    expect(exported).toBe(4);
    expect(skipped.map((x) => x.slo.name)).toEqual(['answer-quality', 'cost-per-request']);
    const lines = exportDiagnostics(result, false).map(formatDiagnostic);
    expect(lines.filter((l) => l.includes(': error: '))).toEqual([
      expect.stringMatching(
        /^llm-gateway\.yaml:\d+: error: llm-gateway\/answer-quality: not exported: OpenSLO cannot express it: a weighted blend of several quality components has no OpenSLO form/
      ),
      expect.stringMatching(/^llm-gateway\.yaml:\d+: error: llm-gateway\/cost-per-request: not exported: OpenSLO cannot express it: cost per request is a soft SLO/),
    ]);
    // Asked to skip them: the same two lines, as warnings.
    expect(exportDiagnostics(result, true).filter((d) => d.severity === 'error')).toEqual([]);
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

describe('what an exported SLO keeps and loses', () => {
  const spec = `version: burnrate/v1
service: llm-gateway
slos:
  - name: judge
    objective: 0.95
    sli:
      ratio:
        source: loki
        errors: '{app="gw"} | json | verdict="fail"'
        total: '{app="gw"} | json'
    exclude:
      - {name: provider, label: error_type, values: [provider_error, provider_timeout]}
  - name: tuned
    objective: 0.99
    sli:
      ratio: {errors: 'req_total{code=~"5.."}', total: req_total}
    alerting:
      runbookUrl: https://runbooks.example.com/tuned
    policy:
      freeze: {burnRate: 4}
    evaluationInterval: 30s
`;
  const slos = loadText(spec, 'gw.yaml').slos;

  // Before: the Loki queries were written without the exclusions, so excluded events counted.
  it('writes a Loki SLO\'s exclusions as the label filters its ruler rules use', () => {
    const docs = parseAllDocuments(exportOpenSLODocuments(slos).text).map((d) => d.toJS());
    const metric = docs[0].spec.indicator.spec.ratioMetric;
    expect(metric.bad.metricSource.spec.query).toBe('{app="gw"} | json | verdict="fail" | error_type !~ "provider_error|provider_timeout"');
    expect(metric.total.metricSource.spec.query).toBe('{app="gw"} | json | error_type !~ "provider_error|provider_timeout"');
  });

  it('names the Burnrate-only settings an exported SLO loses, as a warning at its definition', () => {
    const r = exportOpenSLODocuments(slos);
    expect(r.exported).toBe(2);
    expect(exportDiagnostics(r, false).map(formatDiagnostic)).toEqual([
      "gw.yaml:13: warning: llm-gateway/tuned: exported without alerting, policy, evaluationInterval: OpenSLO has no place for Burnrate's alerting, release policy, evaluation interval or judge agreement",
    ]);
  });
});
