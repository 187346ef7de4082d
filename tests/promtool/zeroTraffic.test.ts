// Zero traffic: no generated series is ever NaN or +-Inf, and a window without events has no sample.
import {
  counterValues,
  exactly,
  expectPromtoolPass,
  groupsFor,
  InputSeries,
  none,
  PromqlExprTest,
  runPromtool,
  withoutAnnotations,
} from './promtoolHarness';

jest.setTimeout(60_000);

// One SLO of each counter-based kind, all on counters that exist but never move, and a bad-events
// counter that never exists at all.
const spec = `
version: burnrate/v1
service: idle
slos:
  - name: errors-never-exist
    objective: 0.999
    groupBy: [route]
    sli:
      ratio:
        errors: http_requests_total{code="500"}
        total: http_requests_total
  - name: good-and-total
    objective: 0.999
    groupBy: [route]
    sli:
      ratio:
        good: http_requests_total{code="200"}
        total: http_requests_total
  - name: latency
    objective: 0.99
    window: 28d
    sli:
      latency:
        metric: http_request_duration_seconds
        threshold: 1
  - name: p95-slices
    objective: 0.99
    sli:
      timeslice:
        slice: 1m
        latency:
          metric: http_request_duration_seconds
          quantile: 0.95
          threshold: 1
  - name: quality
    objective: 0.9
    window: 7d
    sli:
      quality:
        components:
          - name: judge
            good: judge_verdicts_total{verdict="pass"}
            total: judge_verdicts_total
            weight: 0.7
          - name: thumbs
            good: feedback_total{thumb="up"}
            total: feedback_total
            weight: 0.3
  - name: cost
    window: 30d
    sli:
      cost:
        cost: llm_cost_usd_total
        requests: http_requests_total
        target: 0.001
`;
const SLOS = ['errors-never-exist', 'good-and-total', 'latency', 'p95-slices', 'quality', 'cost'];

function flat(steps: number): InputSeries[] {
  const v = counterValues(Array(steps).fill(0) as number[], 0);
  return [
    // http_requests_total{code="500"} is never written.
    'http_requests_total{route="/chat", code="200"}',
    'http_request_duration_seconds_bucket{le="0.5"}',
    'http_request_duration_seconds_bucket{le="1"}',
    'http_request_duration_seconds_bucket{le="+Inf"}',
    'http_request_duration_seconds_count',
    'http_request_duration_seconds_sum',
    'judge_verdicts_total{verdict="pass"}',
    'judge_verdicts_total{verdict="fail"}',
    'feedback_total{thumb="up"}',
    'llm_cost_usd_total',
  ].map((series) => ({ series, values: v }));
}

// Every generated series, with its name kept in a label so that vector matching cannot merge two
// series that differ only by name.
const ALL = `label_replace({__name__=~"slo:.+"}, "name", "$1", "__name__", "(.+)")`;
// Selects NaN (NaN > -Inf is false) and +-Inf (-Inf > -Inf and +Inf < +Inf are false).
const NOT_FINITE = `${ALL} unless (${ALL} > -Inf < +Inf)`;
// NaN is the only value not equal to itself.
const NAN = `${ALL} != ${ALL}`;

function checks(times: string[], slos = SLOS): PromqlExprTest[] {
  return times.flatMap((t) => [
    none(NOT_FINITE, t),
    none(NAN, t),
    // No events: no ratio over any window, so no burn rate and no budget remaining either.
    none('{__name__=~"slo:sli_error:ratio_rate.+"}', t),
    none('{__name__=~"slo:(current|period)_burn_rate:ratio|slo:period_error_budget_remaining:ratio"}', t),
    // The series exist and are 0, and the rules actually ran: the check above is not vacuous.
    exactly(
      `count by (slo) (slo:sli_events:rate5m)`,
      t,
      slos.map((slo) => ({ labels: `{slo="${slo}"}`, value: 1 }))
    ),
    exactly(`sum(slo:sli_events:rate5m) + sum(slo:sli_error_events:rate5m)`, t, [{ labels: '{}', value: 0 }]),
  ]);
}

describe('zero traffic', () => {
  it('has no NaN or Inf and no ratio sample at 1-minute evaluation', () => {
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: flat(180),
          alert_rule_test: ['10m', '1h', '3h'].map((t) => ({
            eval_time: t,
            alertname: 'ErrorBudgetBurn',
            exp_alerts: [],
          })),
          promql_expr_test: [
            ...checks(['2m', '10m', '1h', '3h']),
            // Timeslice: no slice has traffic, so none is bad, and the quantile's NaN never escapes.
            exactly('slo:sli_events:increase1m', '10m', [
              { labels: 'slo:sli_events:increase1m{slo="p95-slices", slo_service="idle"}', value: 0 },
            ]),
            none('slo:sli_error_events:increase1m', '10m'),
          ],
        },
      ],
    });
  });

  it('has no NaN or Inf and no ratio sample at hourly evaluation (rollups, budget, freeze)', () => {
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: flat(3 * 24 * 12),
          alert_rule_test: ['1d', '3d'].map((t) => ({ eval_time: t, alertname: 'ErrorBudgetBurn', exp_alerts: [] })),
          promql_expr_test: [
            // The 1m slices cannot be judged from 5m input (rate over 1m needs two samples), so the
            // timeslice SLO records nothing at this step: it is checked at 1-minute evaluation above.
            ...checks(
              ['1h', '1d', '3d'],
              SLOS.filter((s) => s !== 'p95-slices')
            ),
            exactly('sum(slo:sli_events:increase1h)', '3d', [{ labels: '{}', value: 0 }]),
            // No ratio, so no freeze verdict except for cost, which never freezes (0 * traffic).
            exactly('slo:release_freeze:bool', '3d', [
              { labels: 'slo:release_freeze:bool{slo="cost", slo_service="idle"}', value: 0 },
            ]),
          ],
        },
      ],
    });
  });
});

describe('the NaN/Inf check itself', () => {
  it('catches NaN, +Inf and -Inf series (so that an empty result above means something)', () => {
    const r = runPromtool({
      groups: [
        {
          name: 'broken',
          interval: '1m',
          rules: [
            { record: 'slo:nan', expr: 'm * 0 / 0' },
            { record: 'slo:inf', expr: 'm / 0' },
            { record: 'slo:neg_inf', expr: '-m / 0' },
            { record: 'slo:finite', expr: 'm' },
          ],
        },
      ],
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [{ series: 'm', values: '1+1x10' }],
          promql_expr_test: [none(NOT_FINITE, '5m'), none(NAN, '5m')],
        },
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.output).toContain(
      'got: {__name__="slo:inf", name="slo:inf"} +Inf, {__name__="slo:nan", name="slo:nan"} NaN, {__name__="slo:neg_inf", name="slo:neg_inf"} -Inf\n'
    );
    expect(r.output).toContain('got: {__name__="slo:nan", name="slo:nan"} NaN\n');
  });
});
