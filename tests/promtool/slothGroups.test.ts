// A Sloth spec whose queries aggregate per route, imported and generated, in the real promtool:
// each route has its own budget, freeze and alerts, as Sloth's own rules would give it, so the
// failing route alerts and freezes while its sibling stays quiet.
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const sloth = `
version: "prometheus/v1"
service: "shop"
slos:
  - name: "requests-availability"
    objective: 99.9
    sli:
      events:
        error_query: sum by (route) (rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}])) by (route)
    alerting:
      name: ShopErrors
`;

const labelsOf = (route: string) => ({ route, slo: 'requests-availability', slo_service: 'shop' });
const seriesOf = (name: string, route: string) =>
  `${name}{route="${route}", slo="requests-availability", slo_service="shop"}`;

// Per step: /checkout serves 300 good and 300 failed requests (50% errors = burn 500x);
// /search serves 5,997 good and 3 failed requests (0.05% = burn 0.5x). Counters also carry a
// `code` label the queries sum away, and `route`, which they keep.
const inputs = (steps: number) => [
  { series: 'http_requests_total{route="/checkout", code="200"}', values: counterValues(Array(steps).fill(300)) },
  { series: 'http_requests_total{route="/checkout", code="503"}', values: counterValues(Array(steps).fill(300)) },
  { series: 'http_requests_total{route="/search", code="200"}', values: counterValues(Array(steps).fill(5997)) },
  { series: 'http_requests_total{route="/search", code="500"}', values: counterValues(Array(steps).fill(3)) },
];

describe('a per-route Sloth SLO, imported', () => {
  it('pages and tickets for /checkout only (1-minute evaluation)', () => {
    // /checkout: error ratio 0.5 over every window, 500x the 0.001 budget: above 14.4x (1h/5m),
    // 6x, 3x and 1x -> page and ticket. /search: 0.0005, 0.5x, below every factor -> nothing.
    // Summed into one SLO (no groupBy), the two would read (300+3) / (600+6000) = 0.0459: 45.9x,
    // one page without a route, and /search's budget would be spent with /checkout's.
    const checkout = ['page', 'ticket'].map((severity) => ({ exp_labels: { severity, ...labelsOf('/checkout') } }));
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(sloth)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputs(120),
          alert_rule_test: ['5m', '1h', '2h'].map((t) => ({
            eval_time: t,
            alertname: 'ShopErrors',
            exp_alerts: checkout,
          })),
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate1h{route="/checkout"}', labelsOf('/checkout'), 0.5, '2h'),
            approx('slo:sli_error:ratio_rate1h{route="/search"}', labelsOf('/search'), 0.0005, '2h'),
            approx('slo:current_burn_rate:ratio{route="/checkout"}', labelsOf('/checkout'), 500, '2h'),
            approx('slo:current_burn_rate:ratio{route="/search"}', labelsOf('/search'), 0.5, '2h'),
          ],
        },
      ],
    });
  });

  it('freezes /checkout and lets /search ship (hourly evaluation)', () => {
    // The same traffic per 5 minutes for 2 days. Period burn: /checkout 500 (budget left 1 - 500 =
    // -499, freeze); /search 0.5 (budget left 0.5, ship). Events in the period at 48h: 48 hourly
    // rollups of 12 * 600 = 345,600 (/checkout) and of 12 * 6,000 = 3,456,000 (/search).
    const at = '48h';
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(sloth)),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: inputs(48 * 12),
          promql_expr_test: [
            exactly('slo:release_freeze:bool', at, [
              { labels: seriesOf('slo:release_freeze:bool', '/checkout'), value: 1 },
              { labels: seriesOf('slo:release_freeze:bool', '/search'), value: 0 },
            ]),
            approx('slo:period_burn_rate:ratio{route="/checkout"}', labelsOf('/checkout'), 500, at),
            approx('slo:period_burn_rate:ratio{route="/search"}', labelsOf('/search'), 0.5, at),
            approx('slo:period_error_budget_remaining:ratio{route="/checkout"}', labelsOf('/checkout'), -499, at),
            approx('slo:period_error_budget_remaining:ratio{route="/search"}', labelsOf('/search'), 0.5, at),
            approx('slo:sli_events:increase30d{route="/checkout"}', labelsOf('/checkout'), 345_600, at, 1),
            approx('slo:sli_events:increase30d{route="/search"}', labelsOf('/search'), 3_456_000, at, 1),
          ],
        },
      ],
    });
  });
});
