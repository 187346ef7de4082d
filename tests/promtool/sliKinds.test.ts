// SLI kinds beyond plain counters: timeslices, latency buckets written as le="1" and le="1.0"
// (and as each client library writes large and small bounds),
// and a Loki-sourced ratio whose per-minute counts Prometheus turns into windows.
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

describe('timeslice SLO: p95 under 2.5s in 99% of 1-minute slices', () => {
  const spec = `
version: burnrate/v1
service: assistant
slos:
  - name: ttft-slices
    objective: 0.99
    sli:
      timeslice:
        slice: 1m
        latency:
          metric: ttft_seconds
          quantile: 0.95
          threshold: 2.5
`;
  const labels = { slo: 'ttft-slices', slo_service: 'assistant' };

  it('counts exactly the 6 bad minutes of an hour', () => {
    // 100 requests a minute, buckets le=1, 2.5, 5, +Inf. A good minute puts all 100 under 1s:
    // p95 = 0.95s (interpolated in the first bucket). A bad minute puts 10 of them in (2.5, 5]:
    // rank 95 falls in that bucket, p95 = 2.5 + 2.5 * (95 - 90) / 10 = 3.75s > 2.5s.
    // Bad minutes: the six ending at 41m..46m; the slice recorded at t judges the minute (t-1m, t].
    const steps = 100;
    const isBad = (i: number) => i + 1 >= 41 && i + 1 <= 46; // increment i ends at minute i+1
    const under = (le: number) =>
      Array.from({ length: steps }, (_, i) => (isBad(i) ? (le < 2.5 + 1e-9 ? 90 : 100) : 100));
    const inputs = [
      { series: 'ttft_seconds_bucket{le="1"}', values: counterValues(under(1)) },
      { series: 'ttft_seconds_bucket{le="2.5"}', values: counterValues(under(2.5)) },
      { series: 'ttft_seconds_bucket{le="5"}', values: counterValues(under(5)) },
      { series: 'ttft_seconds_bucket{le="+Inf"}', values: counterValues(under(Infinity)) },
      { series: 'ttft_seconds_count', values: counterValues(Array(steps).fill(100)) },
    ];
    // Windows over per-minute slices (promtool, 1-minute evaluation, closed ranges):
    //   5m "rate" at j = slices (bad or with traffic) among the 6 samples j-5m..j, / 300.
    //   ratio_rate1h at 90m: 61 five-minute samples (30m..90m), each counting 6 slices with traffic:
    //     366 in all; every bad slice s is counted in the 6 samples s..s+5m, all inside: 36.
    //     36 / 366 = 6/61 = 0.0984. A live Prometheus 2.x reads the same 61 five-minute samples (they
    //     come from the same group, aligned), each over 5 slices of the slices group: 30/305 = 6/61
    //     again. The window weighs ~61 minutes; Prometheus 3's left-open ranges read 60: 6/60.
    //   ratio_rate30m at 60m: 31 samples (30m..60m): 36 / (31 * 6) = 6/31 = 0.1935
    //   ratio_rate5m at 43m: bad slices 41..43 of the six 38..43: 0.5; at 46m: 41..46, all bad: 1.
    // And the slices themselves: 6 bad and 61 with traffic among the samples of [30m, 90m].
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputs,
          promql_expr_test: [
            exactly('slo:sli_error_events:increase1m', '40m', [
              { labels: 'slo:sli_error_events:increase1m{slo="ttft-slices", slo_service="assistant"}', value: 0 },
            ]),
            exactly('slo:sli_error_events:increase1m', '41m', [
              { labels: 'slo:sli_error_events:increase1m{slo="ttft-slices", slo_service="assistant"}', value: 1 },
            ]),
            exactly('slo:sli_error_events:increase1m', '47m', [
              { labels: 'slo:sli_error_events:increase1m{slo="ttft-slices", slo_service="assistant"}', value: 0 },
            ]),
            exactly('sum_over_time(slo:sli_error_events:increase1m[1h])', '90m', [
              { labels: '{slo="ttft-slices", slo_service="assistant"}', value: 6 },
            ]),
            exactly('sum_over_time(slo:sli_events:increase1m[1h])', '90m', [
              { labels: '{slo="ttft-slices", slo_service="assistant"}', value: 61 },
            ]),
            approx('slo:sli_error:ratio_rate1h', labels, 6 / 61, '90m'),
            approx('slo:sli_error:ratio_rate30m', labels, 6 / 31, '60m'),
            approx('slo:sli_error:ratio_rate5m', labels, 0.5, '43m'),
            approx('slo:sli_error:ratio_rate5m', labels, 1, '46m'),
            approx('slo:sli_error:ratio_rate5m', labels, 0, '60m'),
          ],
        },
      ],
    });
  });
});

/** api/latency: 99% of requests at or under `threshold`, from a classic histogram. */
const latencySpec = (metric: string, threshold: string) => `
version: burnrate/v1
service: api
slos:
  - name: latency
    objective: 0.99
    sli:
      latency:
        metric: ${metric}
        threshold: ${threshold}
`;

describe('latency SLO on a classic histogram', () => {
  const spec = latencySpec('http_request_duration_seconds', '1');
  const labels = { slo: 'latency', slo_service: 'api' };

  it('counts the le="1" bucket of one exporter and the le="1.0" bucket of another', () => {
    // Exporter a writes le="1": 90 of 100 requests a minute at or under 1s.
    // Exporter b writes le="1.0": 40 of 50 requests a minute at or under 1s.
    // Good = 130 of 150, bad 20/150 = 0.1333. Matching only le="1" would give 60/150 = 0.4, only
    // le="1.0" 110/150 = 0.733.
    const c = (perMinute: number) => counterValues(Array(60).fill(perMinute));
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_request_duration_seconds_bucket{job="a", le="0.5"}', values: c(50) },
            { series: 'http_request_duration_seconds_bucket{job="a", le="1"}', values: c(90) },
            { series: 'http_request_duration_seconds_bucket{job="a", le="+Inf"}', values: c(100) },
            { series: 'http_request_duration_seconds_count{job="a"}', values: c(100) },
            { series: 'http_request_duration_seconds_bucket{job="b", le="0.5"}', values: c(10) },
            { series: 'http_request_duration_seconds_bucket{job="b", le="1.0"}', values: c(40) },
            { series: 'http_request_duration_seconds_bucket{job="b", le="+Inf"}', values: c(50) },
            { series: 'http_request_duration_seconds_count{job="b"}', values: c(50) },
          ],
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate5m', labels, 20 / 150, '30m'),
            approx('slo:sli_error:ratio_rate1h', labels, 20 / 150, '60m'),
            approx('slo:sli_events:rate5m', labels, 2.5, '30m'),
            approx('slo:sli_error_events:rate5m', labels, 20 / 60, '30m'),
          ],
        },
      ],
    });
  });
});

// Client libraries write a bucket bound in their own float syntax: Go's client (and Prometheus 3's
// normalisation) `strconv.FormatFloat(f, 'g', -1, 64)` gives le="1e+06" and le="1e-05"; Python
// gives "1000000.0" (older clients) or "1e+06", Java's Double.toString "1.0E7" and "5.0E-4",
// JavaScript "1000000" and "0.00001". The threshold's bucket must be matched in every one.
describe('latency SLO on bucket bounds written as each client library writes them', () => {
  const labels = { slo: 'latency', slo_service: 'api' };
  const c = (perMinute: number) => counterValues(Array(60).fill(perMinute));
  const run = (threshold: string, buckets: Array<[string, string, number]>, counts: Record<string, number>, bad: number, total: number) =>
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(latencySpec('size_bytes', threshold))),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            ...buckets.map(([job, le, n]) => ({ series: `size_bytes_bucket{job="${job}", le="${le}"}`, values: c(n) })),
            ...Object.entries(counts).map(([job, n]) => ({ series: `size_bytes_count{job="${job}"}`, values: c(n) })),
          ],
          promql_expr_test: [approx('slo:sli_error:ratio_rate5m', labels, bad / total, '30m'), approx('slo:sli_events:rate5m', labels, total / 60, '30m')],
        },
      ],
    });

  // [threshold, buckets (job, le, good per minute), requests per minute by job, bad, total], bad/total by hand
  it.each<[string, string, Array<[string, string, number]>, Record<string, number>, number, number]>([
    [
      // Before: only "1000000" and "1000000.0" matched, 60 good: bad 115/175.
      'threshold 1000000: le="1e+06" (Go, Python, Prometheus 3), "1000000.0" (older Python), "1000000" (JavaScript); 1e+05 and 1e+07 are not it: bad 55/175',
      '1000000',
      [['go', '1e+05', 10], ['go', '1e+06', 60], ['go', '1e+07', 95], ['go', '+Inf', 100], ['py', '1000000.0', 40], ['py', '+Inf', 50], ['js', '1000000', 20], ['js', '+Inf', 25]],
      { go: 100, py: 50, js: 25 },
      55,
      175,
    ],
    ['threshold 10000000: le="1.0E7" (Java) and "1e+07" (Go): bad 7/30', '10000000', [['java', '1.0E7', 8], ['java', '+Inf', 10], ['go', '1e+07', 15], ['go', '1e+08', 19], ['go', '+Inf', 20]], { java: 10, go: 20 }, 7, 30],
    [
      'threshold 0.00001: le="1e-05" (Go, Python), "1.0E-5" (Java), "0.00001" (JavaScript); 1e-04 is not it: bad 20/70',
      '0.00001',
      [['go', '1e-05', 30], ['go', '1e-04', 38], ['go', '+Inf', 40], ['java', '1.0E-5', 15], ['java', '+Inf', 20], ['js', '0.00001', 5], ['js', '+Inf', 10]],
      { go: 40, java: 20, js: 10 },
      20,
      70,
    ],
    ['threshold 0.0005: le="5.0E-4" (Java) and "0.0005" (Go, Python): bad 4/30', '0.0005', [['java', '5.0E-4', 8], ['java', '+Inf', 10], ['go', '0.0005', 18], ['go', '+Inf', 20]], { java: 10, go: 20 }, 4, 30],
  ])('%s', (_, threshold, buckets, counts, bad, total) => run(threshold, buckets, counts, bad, total));
});

describe('Loki-sourced ratio SLO', () => {
  const spec = `
version: burnrate/v1
service: gw
slos:
  - name: judge-loki
    objective: 0.95
    groupBy: [route]
    sli:
      ratio:
        source: loki
        errors: '{app="gw", stream="judge"} | json | verdict="fail"'
        total: '{app="gw", stream="judge"} | json'
`;
  const labelsOf = (route: string) => ({ route, slo: 'judge-loki', slo_service: 'gw' });

  it('builds Prometheus windows from the per-minute counts the Loki ruler writes', () => {
    // What the Loki ruler remote-writes once a minute (fed here directly as input series):
    //   /a: 100 verdicts a minute, 80 of them "fail"; /b: 50 a minute, none failing, so the Loki
    //   ruler writes no error series for /b at all (count_over_time of nothing has no sample).
    // Error ratio /a 0.8 over every window = burn 0.8 / 0.05 = 16x > 14.4x: page and ticket.
    // /b: error series missing counts as zero: ratio 0, no alert.
    // 5m "rate" = sum_over_time(per-minute[5m]) / 300: promtool's closed range holds 6 per-minute
    // samples, so slo:sli_events:rate5m{route="/a"} reads 600/300 = 2/s here (a live Prometheus,
    // whose evaluations are not aligned with the Loki ruler's, reads 5: 100/60 = 1.67/s); ratios
    // are unaffected.
    const alerts = [
      { exp_labels: { severity: 'page', ...labelsOf('/a') } },
      { exp_labels: { severity: 'ticket', ...labelsOf('/a') } },
    ];
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'slo:sli_events:increase1m{slo="judge-loki", slo_service="gw", route="/a"}', values: '100x90' },
            {
              series: 'slo:sli_error_events:increase1m{slo="judge-loki", slo_service="gw", route="/a"}',
              values: '80x90',
            },
            { series: 'slo:sli_events:increase1m{slo="judge-loki", slo_service="gw", route="/b"}', values: '50x90' },
          ],
          alert_rule_test: ['10m', '90m'].map((t) => ({
            eval_time: t,
            alertname: 'ErrorBudgetBurn',
            exp_alerts: alerts,
          })),
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate5m{route="/a"}', labelsOf('/a'), 0.8, '90m'),
            approx('slo:sli_error:ratio_rate30m{route="/a"}', labelsOf('/a'), 0.8, '90m'),
            approx('slo:sli_error:ratio_rate1h{route="/a"}', labelsOf('/a'), 0.8, '90m'),
            approx('slo:sli_error:ratio_rate6h{route="/a"}', labelsOf('/a'), 0.8, '90m'),
            approx('slo:sli_error:ratio_rate1h{route="/b"}', labelsOf('/b'), 0, '90m'),
            approx('slo:current_burn_rate:ratio{route="/a"}', labelsOf('/a'), 16, '90m'),
            approx('slo:sli_events:rate5m{route="/a"}', labelsOf('/a'), 2, '90m'),
            approx('slo:sli_error_events:rate5m{route="/b"}', labelsOf('/b'), 0, '90m'),
          ],
        },
      ],
    });
  });
});
