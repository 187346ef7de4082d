// Grouped SLOs: a failing route alerts and freezes while its healthy sibling stays quiet. The same
// SLO twice: native with groupBy, and as a Sloth spec whose queries aggregate `by (route)` (Sloth
// has no group-by; the import makes those labels the groupBy, as Sloth's own rules keep them).
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const native = `
version: burnrate/v1
service: gateway
labels:
  team: genai
slos:
  - name: availability
    objective: 0.999
    window: 30d
    groupBy: [route]
    sli:
      ratio:
        errors: http_requests_total{code="500"}
        total: http_requests_total
`;
// Summed into one SLO (as the import did before it kept the groups), /chat and /search would
// read (300+3) / (600+6000) = 0.0459: one alert without a route, and one budget spent by both.
const sloth = `
version: "prometheus/v1"
service: gateway
labels:
  team: genai
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum by (route) (rate(http_requests_total{code="500"}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}])) by (route)
`;
// Every generated series and alert carries slo, slo_service, the SLO's labels and the route.
const labelsOf = (route: string) => ({ route, slo: 'availability', slo_service: 'gateway', team: 'genai' });
const seriesOf = (name: string, route: string) =>
  `${name}{route="${route}", slo="availability", slo_service="gateway", team="genai"}`;

// Per step: /chat serves 300 good and 300 failed requests (50% errors = burn 500x);
// /search serves 5,997 good and 3 failed requests (0.05% = burn 0.5x).
const inputs = (steps: number) => [
  { series: 'http_requests_total{route="/chat", code="200"}', values: counterValues(Array(steps).fill(300)) },
  { series: 'http_requests_total{route="/chat", code="500"}', values: counterValues(Array(steps).fill(300)) },
  { series: 'http_requests_total{route="/search", code="200"}', values: counterValues(Array(steps).fill(5997)) },
  { series: 'http_requests_total{route="/search", code="500"}', values: counterValues(Array(steps).fill(3)) },
];

describe.each([
  ['native', native],
  ['imported from Sloth', sloth],
])('one failing route beside a healthy one (%s)', (_, spec) => {
  it('pages and tickets for /chat only (1-minute evaluation)', () => {
    // /chat: 0.5 over every window: 500x > 14.4x (1h/5m), > 6x, > 3x, > 1x -> page and ticket.
    // /search: 0.0005 over every window: 0.5x, below every threshold -> nothing.
    const chat = [
      { exp_labels: { severity: 'page', ...labelsOf('/chat') } },
      { exp_labels: { severity: 'ticket', ...labelsOf('/chat') } },
    ];
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputs(120),
          alert_rule_test: ['5m', '1h', '2h'].map((t) => ({
            eval_time: t,
            alertname: 'ErrorBudgetBurn',
            exp_alerts: chat,
          })),
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate1h{route="/chat"}', labelsOf('/chat'), 0.5, '2h'),
            approx('slo:sli_error:ratio_rate1h{route="/search"}', labelsOf('/search'), 0.0005, '2h'),
            approx('slo:current_burn_rate:ratio{route="/chat"}', labelsOf('/chat'), 500, '2h'),
            approx('slo:current_burn_rate:ratio{route="/search"}', labelsOf('/search'), 0.5, '2h'),
          ],
        },
      ],
    });
  });

  it('freezes /chat and lets /search ship (hourly evaluation)', () => {
    // Same traffic per 5 minutes, 2 days (48 of 720 hours: coverage 1/15). Period ratio /chat 0.5
    // -> burn 500, budget remaining 1 - 500/15 = -32.33, freeze 1; /search 0.0005 -> burn 0.5,
    // remaining 1 - 0.5/15 = 0.9667, freeze 0.
    // Events in the period at 48h: 48 rollups of 12 * 600 = 345,600 (/chat) and 12 * 6,000 * 48 =
    // 3,456,000 (/search).
    const at = '48h';
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: inputs(48 * 12),
          promql_expr_test: [
            exactly('slo:release_freeze:bool', at, [
              { labels: seriesOf('slo:release_freeze:bool', '/chat'), value: 1 },
              { labels: seriesOf('slo:release_freeze:bool', '/search'), value: 0 },
            ]),
            approx('slo:period_burn_rate:ratio{route="/chat"}', labelsOf('/chat'), 500, at),
            approx('slo:period_burn_rate:ratio{route="/search"}', labelsOf('/search'), 0.5, at),
            approx('slo:period_error_budget_remaining:ratio{route="/chat"}', labelsOf('/chat'), 1 - 500 / 15, at),
            approx('slo:period_error_budget_remaining:ratio{route="/search"}', labelsOf('/search'), 1 - 0.5 / 15, at),
            approx('slo:sli_events:increase30d{route="/chat"}', labelsOf('/chat'), 345_600, at, 1),
            approx('slo:sli_events:increase30d{route="/search"}', labelsOf('/search'), 3_456_000, at, 1),
          ],
        },
      ],
    });
  });
});
