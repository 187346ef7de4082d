// The budgeting example every SRE knows, checked at hourly evaluation (the rollups then tile the
// period exactly), with the ticket's full annotations as promtool renders them.
import { approx, exactly, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

describe('99% over 30 days, 100,000 requests, 700 failures by day 10', () => {
  const spec = `
version: burnrate/v1
service: billing
slos:
  - name: requests
    objective: 0.99
    window: 30d
    sli:
      ratio:
        errors: requests_total{outcome="failure"}
        total: requests_total
    alerting:
      runbookUrl: https://runbooks.example.com/billing/requests
`;
  const labels = { slo: 'requests', slo_service: 'billing' };
  const at = '240h';

  it('reads 700 of 1,000 failures spent, 30% left, burn 2.1x, freeze, at day 10', () => {
    // Budget: 1% of 100,000 = 1,000 failures in 30 days. Traffic is even: 100,000 / 8,640 five-minute
    // steps = 11.574 requests per step (3,333.33 a day); failures 700 / 2,880 steps in 10 days.
    // At day 10 (t=240h) the 30d window reaches back before the data, so it holds exactly the 240
    // hourly rollups (1h..240h): no boundary sample to worry about.
    //   events in the period  = 240 * 138.889 = 33,333.33
    //   period error ratio    = 700 / 33,333.33 = 0.021
    //   period burn rate      = 0.021 / 0.01 = 2.1  (on pace to spend the budget by day 14.3)
    //   coverage              = 240 of 720 hours = 1/3
    //   budget remaining      = 1 - 2.1 * 1/3 = 0.3: the budget of the whole 30 days at this
    //                           traffic is 1,000 failures, 700 are spent, 300 (30%) are left
    //   release freeze        = 1 (burn 2.1 > 2; budget remaining 30% is above 0)
    //   release caution       = 1 (1d burn 2.1 > 1)
    // Ticket: 3d burn 2.1 > 1 and 6h burn 2.1 > 1 (1d/2h need 3x: no). Page: needs 14.4x or 6x: no.
    // The alert's value is the long-window burn of the matching condition: 3d, 2.10.
    const perStepTotal = 100_000 / 8640;
    const perStepBad = 700 / 2880;
    const steps = 2880;
    const ok = `0+${perStepTotal - perStepBad}x${steps}`;
    const bad = `0+${perStepBad}x${steps}`;
    expectPromtoolPass({
      groups: groupsFor(spec), // with annotations
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: [
            { series: 'requests_total{outcome="success"}', values: ok },
            { series: 'requests_total{outcome="failure"}', values: bad },
          ],
          alert_rule_test: [
            {
              eval_time: at,
              alertname: 'ErrorBudgetBurn',
              exp_alerts: [
                {
                  exp_labels: { severity: 'ticket', ...labels },
                  exp_annotations: {
                    summary: 'billing/requests is burning its error budget too fast',
                    description:
                      'Burn rate 2.10x over the long window (alerting at 3x over 1d and 2h, or 1x over 3d and 6h). ' +
                      'Error budget left this period: 30%.',
                    runbook_url: 'https://runbooks.example.com/billing/requests',
                  },
                },
              ],
            },
          ],
          promql_expr_test: [
            approx('slo:sli_events:increase30d', labels, 100_000 / 3, at, 0.01),
            approx('slo:sli_error:ratio_rate30d', labels, 0.021, at),
            approx('slo:period_burn_rate:ratio', labels, 2.1, at),
            approx('slo:period_coverage:ratio', labels, 1 / 3, at),
            approx('slo:period_error_budget_remaining:ratio', labels, 0.3, at),
            approx('slo:sli_error:ratio_rate1d', labels, 0.021, at),
            approx('slo:sli_error:ratio_rate3d', labels, 0.021, at),
            exactly('slo:release_freeze:bool', at, [
              { labels: 'slo:release_freeze:bool{slo="requests", slo_service="billing"}', value: 1 },
            ]),
            exactly('slo:release_caution:bool', at, [
              { labels: 'slo:release_caution:bool{slo="requests", slo_service="billing"}', value: 1 },
            ]),
            exactly('slo:objective:ratio', at, [
              { labels: 'slo:objective:ratio{slo="requests", slo_service="billing"}', value: 0.99 },
            ]),
            exactly('slo:error_budget:ratio', at, [
              { labels: 'slo:error_budget:ratio{slo="requests", slo_service="billing"}', value: 0.01 },
            ]),
            exactly('slo:time_period:days', at, [
              { labels: 'slo:time_period:days{slo="requests", slo_service="billing"}', value: 30 },
            ]),
          ],
        },
      ],
    });
  });

  it('on a calendar month, counts the whole month\'s budget: 700 of 1,000 failures by day 10 of 31', () => {
    // promtool's clock starts on 1970-01-01: January, 31 days. 100,000 requests expected in the
    // month (100,000 / 8,928 five-minute steps), 700 failures in the first 10 days.
    //   month to date at 240h: 240 hourly rollups = 240/744 of the month, 26,881.7 requests
    //   month error ratio = 700 / 26,881.7 = 0.02604; burn 2.604
    //   budget remaining = 1 - 2.604 * 240/744 = 1 - 700/1,000 = 0.3
    const monthly = spec.replace('window: 30d', 'window: calendar-month');
    const perStepTotal = 100_000 / 8928;
    const perStepBad = 700 / 2880;
    const steps = 2880;
    const events = (100_000 * 240) / 744;
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(monthly)),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: [
            { series: 'requests_total{outcome="success"}', values: `0+${perStepTotal - perStepBad}x${steps}` },
            { series: 'requests_total{outcome="failure"}', values: `0+${perStepBad}x${steps}` },
          ],
          promql_expr_test: [
            approx('slo:sli_events:increase_calendar_month', labels, events, at, 0.01),
            approx('slo:period_burn_rate:ratio', labels, 700 / events / 0.01, at),
            approx('slo:period_coverage:ratio', labels, 240 / 744, at),
            approx('slo:period_error_budget_remaining:ratio', labels, 0.3, at),
          ],
        },
      ],
    });
  });

  it('sums exactly 24 hourly rollups over 1d: a burst 25 hours ago is out of the window', () => {
    // 100 requests an hour all along, and 50 extra failed ones in the first hour only. At t=25h
    // the rollups of 2h..25h are the last day: 2,400 requests, no failures. The rollup of 1h (the
    // burst) lies exactly 1d before t; Prometheus 2's ranges include both ends, so a [1d] range
    // summed 25 rollups here (2,550 requests, 50 failures, ratio 2%). The 30d window holds all 25.
    const perStep = 100 / 12;
    expectPromtoolPass({
      groups: groupsFor(spec),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: [
            { series: 'requests_total{outcome="success"}', values: `0+${perStep}x320` },
            { series: 'requests_total{outcome="failure"}', values: `0+${50 / 12}x12 50+0x308` },
          ],
          promql_expr_test: [
            approx('slo:sli_events:increase1d_hourly', labels, 2400, '25h', 1e-3),
            approx('slo:sli_error_events:increase1d_hourly', labels, 0, '25h', 1e-3),
            approx('slo:sli_error:ratio_rate1d', labels, 0, '25h'),
            approx('slo:sli_events:increase30d', labels, 2550, '25h', 1e-3),
            approx('slo:sli_error:ratio_rate30d', labels, 50 / 2550, '25h'),
          ],
        },
      ],
    });
  });
});
