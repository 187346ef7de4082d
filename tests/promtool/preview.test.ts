// The editor's live preview reads raw series with the same core code that writes the rules:
// over the same window it must show what the recorded series will hold.
import { loadText } from '../../src/core/load';
import { previewQueries } from '../../src/core/rules/sliSignals';
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, promRound, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const spec = `
version: burnrate/v1
service: gw
slos:
  - name: chat
    objective: 0.99
    groupBy: [route]
    sli:
      latency:
        metric: ttft_seconds
        threshold: 1
    exclude:
      - name: upstream
        label: error_type
        values: [provider_timeout]
`;

describe('preview queries', () => {
  it('show the same 1h error ratio as the recorded series, per route', () => {
    const slo = loadText(spec).slos[0];
    const preview = previewQueries(slo, 3600);
    // /chat per minute: 100 requests, 80 at or under 1s (le="1"), plus 10 provider timeouts that
    // the exclusion drops: bad ratio (100 - 80) / 100 = 0.2. /search: 50 requests, 49 fast: 0.02.
    const series = [
      ['ttft_seconds_count{route="/chat"}', 100],
      ['ttft_seconds_bucket{route="/chat", le="1"}', 80],
      ['ttft_seconds_count{route="/chat", error_type="provider_timeout"}', 10],
      ['ttft_seconds_bucket{route="/chat", error_type="provider_timeout", le="1"}', 0],
      ['ttft_seconds_count{route="/search"}', 50],
      ['ttft_seconds_bucket{route="/search", le="1.0"}', 49],
    ] as const;
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: series.map(([s, inc]) => ({ series: s, values: counterValues(Array(180).fill(inc)) })),
          promql_expr_test: [
            exactly(`round(${preview.errorRatio}, 1e-6)`, '2h', [
              { labels: '{route="/chat"}', value: promRound(0.2, 1e-6) },
              { labels: '{route="/search"}', value: promRound(0.02, 1e-6) },
            ]),
            approx('slo:sli_error:ratio_rate1h{route="/chat"}', { route: '/chat', slo: 'chat', slo_service: 'gw' }, 0.2, '2h'),
            approx('slo:sli_error:ratio_rate1h{route="/search"}', { route: '/search', slo: 'chat', slo_service: 'gw' }, 0.02, '2h'),
            // 100 requests a minute for an hour (the exclusion drops the 10 timeouts).
            exactly(preview.events!, '2h', [
              { labels: '{route="/chat"}', value: 6000 },
              { labels: '{route="/search"}', value: 3000 },
            ]),
          ],
        },
      ],
    });
  });
});
