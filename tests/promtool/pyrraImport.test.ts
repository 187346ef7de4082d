// Pyrra's anchor definitions (tests/fixtures/anchors/pyrra), imported and run through the real
// `promtool test rules` on series with known counts: each gives the hand-computed error ratio, and
// the fast-burn alert carries Pyrra's severity (critical) so that existing routes still match.
// 03 (latencyNative) is checked by `promtool check rules` only (golden test and pyrraAnchors.test.ts):
// promtool 2.42's test files cannot write native histogram samples.

import { readFileSync } from 'fs';
import { join } from 'path';
import { approx, counterValues, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const DIR = join(__dirname, '../fixtures/anchors/pyrra');
const groups = (file: string) => withoutAnnotations(groupsFor(readFileSync(join(DIR, file), 'utf8')));
const perMinute = (n: number, minutes = 120) => counterValues(Array(minutes).fill(n));

test('01 ratio grouped by handler: 5 of 100 /api requests fail on one handler; /metrics is not in the SLO', () => {
  const labels = { slo: 'prometheus-api-query', slo_service: 'default' };
  // 7d window, target 99: budget 0.01; error ratio 0.05 is a burn of 5 > the 7d page factor 3.36
  // and the ticket's 1: both fire for that handler only, at Pyrra's severities.
  expectPromtoolPass({
    groups: groups('01-ratio-grouping-prometheus-http.slo.yaml'),
    evaluationInterval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: 'prometheus_http_requests_total{handler="/api/v1/query",code="200"}', values: perMinute(95) },
          { series: 'prometheus_http_requests_total{handler="/api/v1/query",code="503"}', values: perMinute(5) },
          { series: 'prometheus_http_requests_total{handler="/api/v1/labels",code="200"}', values: perMinute(100) },
          { series: 'prometheus_http_requests_total{handler="/api/v1/labels",code="500"}', values: perMinute(0) },
          { series: 'prometheus_http_requests_total{handler="/metrics",code="500"}', values: perMinute(50) },
        ],
        promql_expr_test: [
          approx('slo:sli_error:ratio_rate5m{handler="/api/v1/query"}', { ...labels, handler: '/api/v1/query' }, 0.05, '30m'),
          approx('slo:sli_error:ratio_rate1h{handler="/api/v1/query"}', { ...labels, handler: '/api/v1/query' }, 0.05, '90m'),
          approx('slo:sli_error:ratio_rate5m{handler="/api/v1/labels"}', { ...labels, handler: '/api/v1/labels' }, 0, '30m'),
        ],
        alert_rule_test: [
          {
            eval_time: '30m',
            alertname: 'ErrorBudgetBurn',
            exp_alerts: ['critical', 'warning'].map((severity) => ({ exp_labels: { ...labels, handler: '/api/v1/query', severity } })),
          },
        ],
      },
    ],
  });
});

test('02 latency: 80 of 100 non-5xx responses under 50ms; 5xx responses are outside the SLO', () => {
  const labels = { slo: 'caddy-response-latency', slo_service: 'default' };
  const base = 'caddy_http_response_duration_seconds';
  const m = (code: string) => `job="caddy",handler="subroute",code="${code}"`;
  expectPromtoolPass({
    groups: groups('02-latency-caddy-response-latency.slo.yaml'),
    evaluationInterval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: `${base}_bucket{${m('200')},le="0.05"}`, values: perMinute(80) },
          { series: `${base}_bucket{${m('200')},le="+Inf"}`, values: perMinute(100) },
          { series: `${base}_count{${m('200')}}`, values: perMinute(100) },
          { series: `${base}_bucket{${m('502')},le="0.05"}`, values: perMinute(0) },
          { series: `${base}_count{${m('502')}}`, values: perMinute(40) },
        ],
        // 20 of 100 are slow: 0.2, twice the 10% budget of a 90% target.
        promql_expr_test: [
          approx('slo:sli_error:ratio_rate5m', labels, 0.2, '30m'),
          approx('slo:current_burn_rate:ratio', labels, 2, '30m'),
        ],
      },
    ],
  });
});

test('04 bool gauge per target: the share of samples at 0, per window', () => {
  const labels = { slo: 'prometheus-blackbox-probe-success', slo_service: 'default' };
  expectPromtoolPass({
    groups: groups('04-boolgauge-prometheus-probe-success.slo.yaml'),
    evaluationInterval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: 'probe_success{target="a"}', values: '1x120' },
          // Up at minutes 0..29 (30 samples), down at 30..120.
          { series: 'probe_success{target="b"}', values: '1x29 0x90' },
        ],
        // promtool's closed ranges: a 1h window at 60m holds the 61 samples of minutes 0..60, of
        // which 31 (30..60) are 0: 31/61. The 5m window at 40m holds minutes 35..40, all 0.
        promql_expr_test: [
          approx('slo:sli_error:ratio_rate5m{target="a"}', { ...labels, target: 'a' }, 0, '40m'),
          approx('slo:sli_error:ratio_rate5m{target="b"}', { ...labels, target: 'b' }, 1, '40m'),
          approx('slo:sli_error:ratio_rate1h{target="b"}', { ...labels, target: 'b' }, 31 / 61, '60m'),
        ],
      },
    ],
  });
});

test('05 ratio with a pyrra.dev/ label: 100 of 1,000 app requests fail; page at severity critical with team=foo', () => {
  const labels = { slo: 'http', slo_service: 'default', team: 'foo' };
  // 28d, target 99.5: budget 0.005; 0.1 is a burn of 20 > the 28d page factor 13.44, and above the
  // ticket's 2.8: both fire, at Pyrra's severities.
  expectPromtoolPass({
    groups: groups('05-test-fixture-http-ratio-28d.slo.yaml'),
    evaluationInterval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: 'http_requests_total{job="app",status="200"}', values: perMinute(900) },
          { series: 'http_requests_total{job="app",status="500"}', values: perMinute(100) },
          { series: 'http_requests_total{job="other",status="500"}', values: perMinute(1000) },
        ],
        promql_expr_test: [
          approx('slo:sli_error:ratio_rate5m', labels, 0.1, '30m'),
          approx('slo:current_burn_rate:ratio', labels, 20, '30m'),
        ],
        alert_rule_test: [
          {
            eval_time: '30m',
            alertname: 'ErrorBudgetBurn',
            exp_alerts: [{ exp_labels: { ...labels, severity: 'critical' } }, { exp_labels: { ...labels, severity: 'warning' } }],
          },
        ],
      },
    ],
  });
});

test('06 latency at le="1": 5 of 1,000 requests are slower than 1s, exactly the 0.5% budget', () => {
  const labels = { slo: 'monitoring-http-latency', slo_service: 'default' };
  const m = 'job="metrics-service-thanos-receive-default",code="200"';
  expectPromtoolPass({
    groups: groups('06-test-fixture-http-latency-28d.slo.yaml'),
    evaluationInterval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: `http_request_duration_seconds_bucket{${m},le="1"}`, values: perMinute(995) },
          { series: `http_request_duration_seconds_count{${m}}`, values: perMinute(1000) },
        ],
        promql_expr_test: [
          approx('slo:sli_error:ratio_rate5m', labels, 0.005, '30m'),
          approx('slo:current_burn_rate:ratio', labels, 1, '30m'),
        ],
        alert_rule_test: [{ eval_time: '30m', alertname: 'ErrorBudgetBurn', exp_alerts: [] }],
      },
    ],
  });
});
