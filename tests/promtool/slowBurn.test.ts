// Burns inside the budget and slow burns: nothing fires, or a ticket opens and nothing pages.
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const SVC = 'search';
const spec = (name: string) => `
version: burnrate/v1
service: ${SVC}
slos:
  - name: ${name}
    objective: 0.999
    window: 30d
    sli:
      ratio:
        errors: http_requests_total{code="500"}
        total: http_requests_total
`;
const repeat = (n: number, v: number) => Array(n).fill(v) as number[];

describe('a steady error rate inside the budget', () => {
  // 99.9%: budget 0.001. 100 req/s with 0.05% errors: burn 0.5x, below every threshold
  // (page 14.4x and 6x, ticket 3x and 1x) and below the policy's freeze (burn > 2x or budget spent).
  const labels = { slo: 'steady', slo_service: SVC };
  const series = (stepTotal: number, stepErrors: number, steps: number) => [
    { series: 'http_requests_total{code="200"}', values: counterValues(repeat(steps, stepTotal - stepErrors)) },
    { series: 'http_requests_total{code="500"}', values: counterValues(repeat(steps, stepErrors)) },
  ];

  it('fires nothing over 7 hours at 1-minute evaluation', () => {
    // 6,000 requests and 3 errors a minute: every short window's ratio is 3/6000 = 0.0005.
    const noAlerts = ['30m', '1h', '3h', '6h', '7h'].map((t) => ({
      eval_time: t,
      alertname: 'ErrorBudgetBurn',
      exp_alerts: [],
    }));
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec('steady'))),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: series(6000, 3, 420),
          alert_rule_test: noAlerts,
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate5m', labels, 0.0005, '7h'),
            approx('slo:sli_error:ratio_rate1h', labels, 0.0005, '7h'),
            approx('slo:sli_error:ratio_rate6h', labels, 0.0005, '7h'),
            approx('slo:current_burn_rate:ratio', labels, 0.5, '7h'),
            exactly('slo:release_freeze:bool', '7h', [
              { labels: 'slo:release_freeze:bool{slo="steady", slo_service="search"}', value: 0 },
            ]),
          ],
        },
      ],
    });
  });

  it('keeps budget, burn and freeze steady over 4 days at hourly evaluation', () => {
    // 30,000 requests and 15 errors every 5 minutes (5m input, so 5m rates exist at hourly steps).
    // At 96h: hourly rollups at 1h..96h each hold 360,000 requests and 180 errors.
    //   ratio over 1d, 3d and 30d = 180/360000 = 0.0005; period burn 0.5; coverage 96 of 720
    //   hours; budget remaining 1 - 0.5 * 96/720 = 0.933333 (the whole month's budget, a 15th spent);
    //   freeze 0 (0.5 > 0 left, 0.5 <= 2x); caution 0 (1d burn 0.5 <= 1x).
    //   events in the period: the 30d window reaches back before the data, so exactly the 96
    //   rollups: 96 * 360,000 = 34,560,000.
    const noAlerts = ['24h', '48h', '72h', '96h'].map((t) => ({
      eval_time: t,
      alertname: 'ErrorBudgetBurn',
      exp_alerts: [],
    }));
    const at = '96h';
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec('steady'))),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: series(30000, 15, 96 * 12),
          alert_rule_test: noAlerts,
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate1d', labels, 0.0005, at),
            approx('slo:sli_error:ratio_rate3d', labels, 0.0005, at),
            approx('slo:sli_error:ratio_rate30d', labels, 0.0005, at),
            approx('slo:period_burn_rate:ratio', labels, 0.5, at),
            approx('slo:period_error_budget_remaining:ratio', labels, 1 - 0.5 * (96 / 720), at),
            approx('slo:sli_events:increase30d', labels, 34_560_000, at, 1),
            exactly('slo:release_freeze:bool', at, [
              { labels: 'slo:release_freeze:bool{slo="steady", slo_service="search"}', value: 0 },
            ]),
            exactly('slo:release_caution:bool', at, [
              { labels: 'slo:release_caution:bool{slo="steady", slo_service="search"}', value: 0 },
            ]),
          ],
        },
      ],
    });
  });
});

describe('a slow burn', () => {
  // 99.9%: budget 0.001. 0.4% errors = burn 4x: above the ticket's 3x (1d and 2h) and 1x (3d and
  // 6h), below both pages (14.4x over 1h/5m, 6x over 6h/30m).
  const labels = { slo: 'slow', slo_service: SVC };
  const ticket = { exp_labels: { severity: 'ticket', ...labels } };

  it('opens a ticket once 19 hours of 4x burn fill the 1d window (hourly evaluation), never a page', () => {
    // 30,000 requests per 5m (100 req/s). Healthy for 72h (no errors), then 120 errors per 5m (0.4%).
    // Hourly rollup at k holds the hour (k-1h, k]; the burn shows in rollups from 73h on.
    // At t = 72h + h, the rules sum exactly the window's hourly rollups:
    //   1d ratio = 24 rollups (t-24h, t], h of them at 0.004:  0.004*h/24 > 0.003  <=>  h >= 19
    //   3d ratio = 72 rollups (t-72h, t]:                      0.004*h/72 > 0.001  <=>  h >= 19
    //   (both long windows spend 10% of the budget, so they agree: 4x * h / 720h > 10%)
    //   2h and 6h ratios (5m rates summed hourly) = 0.004 from 75h and 79h: burn 4x > 3x and > 1x.
    //   h=18 (90h): 1d burn 4*18/24 = 3.00x, 3d burn 4*18/72 = 1.00x   -> no ticket (not above)
    //   h=19 (91h): 1d burn 4*19/24 = 3.17x, 3d burn 4*19/72 = 1.06x   -> ticket
    // The 1h, 5m, 6h and 30m ratios never exceed 0.004 = 4x: no page, ever.
    const steps = 100 * 12;
    const burnFrom = 72 * 12;
    const errors = [...repeat(burnFrom, 0), ...repeat(steps - burnFrom, 120)];
    const ok = errors.map((e) => 30000 - e);
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec('slow'))),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: [
            { series: 'http_requests_total{code="200"}', values: counterValues(ok) },
            { series: 'http_requests_total{code="500"}', values: counterValues(errors) },
          ],
          alert_rule_test: [
            { eval_time: '72h', alertname: 'ErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '80h', alertname: 'ErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '90h', alertname: 'ErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '91h', alertname: 'ErrorBudgetBurn', exp_alerts: [ticket] },
            { eval_time: '95h', alertname: 'ErrorBudgetBurn', exp_alerts: [ticket] },
            { eval_time: '100h', alertname: 'ErrorBudgetBurn', exp_alerts: [ticket] },
          ],
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate1d', labels, (0.004 * 18) / 24, '90h'),
            approx('slo:sli_error:ratio_rate3d', labels, (0.004 * 18) / 72, '90h'),
            approx('slo:sli_error:ratio_rate1d', labels, (0.004 * 19) / 24, '91h'),
            approx('slo:sli_error:ratio_rate3d', labels, (0.004 * 19) / 72, '91h'),
            approx('slo:sli_error:ratio_rate2h', labels, 0.004, '91h'),
            approx('slo:sli_error:ratio_rate1h', labels, 0.004, '91h'),
            approx('slo:sli_error:ratio_rate6h', labels, 0.004, '91h'),
            // Period (30d reaches before the data): 28 burning hours of 100 at 100h.
            approx('slo:period_burn_rate:ratio', labels, (4 * 28) / 100, '100h'),
          ],
        },
      ],
    });
  });

  it('never pages at 1-minute evaluation: only the ticket fires over 7 hours of 4x burn', () => {
    // 6,000 requests and 24 errors a minute from t=0: every window's ratio is 0.004 (the 1d and 3d
    // sums of per-minute rollups overlap at this step, but errors and requests overlap alike).
    // 1h/5m 4x < 14.4x and 6h/30m 4x < 6x: no page. 1d/2h 4x > 3x: ticket.
    const alerts = ['5m', '30m', '2h', '6h', '7h'].map((t) => ({
      eval_time: t,
      alertname: 'ErrorBudgetBurn',
      exp_alerts: [ticket],
    }));
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec('slow'))),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{code="200"}', values: counterValues(repeat(420, 5976)) },
            { series: 'http_requests_total{code="500"}', values: counterValues(repeat(420, 24)) },
          ],
          alert_rule_test: alerts,
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate1h', labels, 0.004, '7h'),
            approx('slo:sli_error:ratio_rate6h', labels, 0.004, '7h'),
            approx('slo:current_burn_rate:ratio', labels, 4, '7h'),
          ],
        },
      ],
    });
  });
});
