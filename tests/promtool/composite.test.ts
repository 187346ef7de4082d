// A composite SLO of three SLOs with known counts, through the real `promtool test rules`: the
// composite's ratio is the hand-computed weighted ratio per route, a component without data for a
// route adds nothing to it, and the composite freezes in the hour its own budget runs out.
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const spec = `
version: burnrate/v1
service: support
slos:
  - name: available
    objective: 0.99
    groupBy: [route]
    sli:
      ratio:
        errors: answers_total{route=~".+", outcome="error"}
        total: answers_total{route=~".+"}
  - name: fast
    objective: 0.95
    groupBy: [route, model]
    sli:
      ratio:
        errors: slow_answers_total
        total: timed_answers_total
  - name: good
    objective: 0.9
    groupBy: [route]
    sli:
      ratio:
        errors: judged_answers_total{verdict="fail"}
        total: judged_answers_total
  - name: journey
    objective: 0.99
    window: 4d
    groupBy: [route]
    sli:
      composite:
        components:
          - slo: available
          - slo: fast
            weight: 2
          - slo: good
    policy:
      freeze:
        burnRate: 1000 # so that only a spent budget freezes
`;

const minutes = 20 * 60;
const perMinute = (n: number) => counterValues(Array(minutes).fill(n));
const chat = { slo: 'journey', slo_service: 'support', route: '/chat' };
const search = { slo: 'journey', slo_service: 'support', route: '/search' };

const INPUTS = [
    { series: 'answers_total{route="/chat",outcome="ok"}', values: perMinute(99) },
    { series: 'answers_total{route="/chat",outcome="error"}', values: perMinute(1) },
    { series: 'answers_total{route="/search",outcome="ok"}', values: perMinute(100) },
    { series: 'slow_answers_total{route="/chat",model="a"}', values: perMinute(3) },
    { series: 'timed_answers_total{route="/chat",model="a"}', values: perMinute(30) },
    { series: 'slow_answers_total{route="/chat",model="b"}', values: perMinute(2) },
    { series: 'timed_answers_total{route="/chat",model="b"}', values: perMinute(20) },
    { series: 'slow_answers_total{route="/search",model="a"}', values: perMinute(0) },
    { series: 'timed_answers_total{route="/search",model="a"}', values: perMinute(50) },
    { series: 'judged_answers_total{route="/chat",verdict="fail"}', values: perMinute(4) },
    { series: 'judged_answers_total{route="/chat",verdict="pass"}', values: perMinute(16) },
  ];

test('three SLOs weighted 1, 2, 1: 15 of 220 weighted events bad on /chat; freeze once the 4d budget is spent', () => {
  // Per minute:                          /chat bad / total         /search bad / total
  //   available (weight 1)                1 / 100                    0 / 100
  //   fast (weight 2; two models summed)  (3+2) / (30+20)            0 / 50
  //   good (weight 1)                     4 / 20                     no data at all
  // Composite /chat: (1 + 2*5 + 4) / (100 + 2*50 + 20) = 15/220 = 0.068182: a burn of 6.8182 on a
  // 1% budget. /search: 0 / (100 + 2*50) = 0 over 200 weighted events a minute ("good" has no
  // /search data and adds nothing).
  // Budget left after h hourly rollups of a 96-hour period: 1 - 6.8182 * h/96; 14h: +0.57%,
  // 15h: -6.53%. So the freeze (budget spent; the burn-rate trigger is set out of reach) goes
  // from 0 at 14h to 1 at 15h. Weighted events in the period at 10h: 220 * 600 = 132,000.
  expectPromtoolPass({
    groups: withoutAnnotations(groupsFor(spec)),
    evaluationInterval: '1h',
    tests: [
      {
        interval: '1m',
        input_series: INPUTS,
        promql_expr_test: [
          approx('slo:sli_error:ratio_rate5m{slo="journey",route="/chat"}', chat, 15 / 220, '10h'),
          approx('slo:sli_error:ratio_rate5m{slo="journey",route="/search"}', search, 0, '10h'),
          approx('slo:sli_events:rate5m{slo="journey",route="/search"}', search, 200 / 60, '10h'),
          approx('slo:sli_error:ratio_rate4d{slo="journey",route="/chat"}', chat, 15 / 220, '10h'),
          approx('slo:sli_error:ratio_rate1d{slo="journey",route="/chat"}', chat, 15 / 220, '10h'),
          approx('slo:sli_events:increase4d{slo="journey",route="/chat"}', chat, 132_000, '10h', 0.001),
          approx('slo:period_burn_rate:ratio{slo="journey",route="/chat"}', chat, 1500 / 220, '10h'),
          approx('slo:period_error_budget_remaining:ratio{slo="journey",route="/chat"}', chat, 1 - ((1500 / 220) * 14) / 96, '14h'),
          approx('slo:period_error_budget_remaining:ratio{slo="journey",route="/chat"}', chat, 1 - ((1500 / 220) * 15) / 96, '15h'),
          approx('slo:period_error_budget_remaining:ratio{slo="journey",route="/search"}', search, 1, '15h'),
          exactly('slo:release_freeze:bool{slo="journey"}', '14h', [
            { labels: 'slo:release_freeze:bool{route="/chat", slo="journey", slo_service="support"}', value: 0 },
            { labels: 'slo:release_freeze:bool{route="/search", slo="journey", slo_service="support"}', value: 0 },
          ]),
          exactly('slo:release_freeze:bool{slo="journey"}', '15h', [
            { labels: 'slo:release_freeze:bool{route="/chat", slo="journey", slo_service="support"}', value: 1 },
            { labels: 'slo:release_freeze:bool{route="/search", slo="journey", slo_service="support"}', value: 0 },
          ]),
        ],
      },
    ],
  });
});

test('the composite pages on /chat (burn 6.8 > the 4d page factor 1.92) where no component pages, and not on /search', () => {
  // At 1-minute evaluation every window holds the same steady 15/220; page needs 1.92x over
  // 1h and 5m (4d period: 50 hours' urgency / 96 hours). Each component pages or not on its own.
  expectPromtoolPass({
    groups: withoutAnnotations(groupsFor(spec)),
    evaluationInterval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: INPUTS,
        promql_expr_test: [approx('slo:current_burn_rate:ratio{slo="journey",route="/chat"}', chat, 1500 / 220, '30m')],
        alert_rule_test: [
          {
            eval_time: '30m',
            alertname: 'ErrorBudgetBurn',
            exp_alerts: [
              // The components, on their own 30d budgets: available /chat 1/100 burns exactly 1x its
              // 1% (no alert fires at 1x); fast burns 0.1/0.05 = 2x per model and good 0.2/0.1 = 2x:
              // above the 1x ticket, below the 14.4x and 6x pages. The composite: page and ticket.
              { exp_labels: { slo: 'fast', slo_service: 'support', route: '/chat', model: 'a', severity: 'ticket' } },
              { exp_labels: { slo: 'fast', slo_service: 'support', route: '/chat', model: 'b', severity: 'ticket' } },
              { exp_labels: { slo: 'good', slo_service: 'support', route: '/chat', severity: 'ticket' } },
              { exp_labels: { ...chat, severity: 'page' } },
              { exp_labels: { ...chat, severity: 'ticket' } },
            ],
          },
        ],
      },
    ],
  });
});
