// Paging scenarios at 1-minute evaluation: a full outage pages within minutes; the min-events guard.
import { approx, counterValues, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const SVC = 'checkout';

describe('full outage', () => {
  // 99.9% over 30d: budget 0.001; page at 14.4x over 1h and 5m => both error ratios > 0.0144.
  // Only the page is enabled here: at 1m evaluation promtool runs the hourly rollup every minute,
  // so the ticket's 1d window is not what production computes (see promtoolHarness.ts).
  const spec = `
version: burnrate/v1
service: ${SVC}
slos:
  - name: availability
    objective: 0.999
    window: 30d
    sli:
      ratio:
        errors: http_requests_total{code="500"}
        total: http_requests_total
    alerting:
      ticket:
        disabled: true
`;
  const labels = { slo: 'availability', slo_service: SVC };

  const page = { exp_labels: { severity: 'page', ...labels } };
  const ratio = (w: string, v: number, at: string) =>
    approx(`slo:sli_error:ratio_rate${w}{slo="availability"}`, labels, v, at);

  it('pages 3 minutes after every request starts failing (1h and 5m over 14.4x)', () => {
    // 10 req/s = 600 per minute, input every minute, 6h of healthy traffic first so that every
    // window up to 6h is full. From t=360m every request fails: the code="200" counter stops and
    // the code="500" counter grows by 600 a minute (first at 361m).
    //
    // T5 = rate(total[5m]) = 10/s. E5 at 360m+k = 600*min(k,5)/300 = 2k/s for k<=5, then 10/s.
    // 5m ratio  = E5/T5 = 0.2k (k<=5), 1.0 from k=5                       > 0.0144 from k=1.
    // 1h ratio  = sum_over_time(E5[1h]) / sum_over_time(T5[1h]), 61 samples (closed range), T5 sum 610:
    //   k=2 (362m): (2+4)/610   = 0.00984 < 0.0144                         -> no page
    //   k=3 (363m): (2+4+6)/610 = 0.01967 > 0.0144 (burn 19.67x)           -> page
    // 6h/30m (6x = 0.006): k=4 (364m): the 6h window [4m, 364m] still holds T5(4m) = 8 (the first
    //   rates lack history), so 20/(8+360*10 = 3608) = 0.00554 (no); k=5: 30/(361*10 = 3610) =
    //   0.00831 (yes); the 1h/5m pair gets there two minutes earlier.
    // The alert has no `for`: it fires at 363m, 3 minutes into the outage, and stays firing.
    const ok = counterValues([...Array(360).fill(600), ...Array(60).fill(0)]);
    const bad = counterValues([...Array(360).fill(0), ...Array(60).fill(600)]);
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{code="200"}', values: ok },
            { series: 'http_requests_total{code="500"}', values: bad },
          ],
          alert_rule_test: [
            { eval_time: '359m', alertname: 'ErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '362m', alertname: 'ErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '363m', alertname: 'ErrorBudgetBurn', exp_alerts: [page] },
            { eval_time: '365m', alertname: 'ErrorBudgetBurn', exp_alerts: [page] },
            { eval_time: '420m', alertname: 'ErrorBudgetBurn', exp_alerts: [page] },
          ],
          promql_expr_test: [
            ratio('5m', 0.4, '362m'),
            ratio('1h', 6 / 610, '362m'),
            ratio('1h', 12 / 610, '363m'),
            ratio('6h', 20 / 3608, '364m'),
            ratio('30m', 20 / 310, '364m'),
            ratio('6h', 30 / 3610, '365m'),
            // 10 minutes in: E5 sum = 2+4+6+8+10*6 = 80.
            ratio('1h', 80 / 610, '370m'),
            approx(`slo:current_burn_rate:ratio{slo="availability"}`, labels, 1000, '370m'),
            approx(`slo:sli_events:rate5m{slo="availability"}`, labels, 10, '370m'),
          ],
        },
      ],
    });
  });

  it('pages 2 minutes into an outage that starts 60 minutes after the data (6h window not yet full)', () => {
    // The same outage from t=60m. Rates only exist from 1m, and the first 5m rates are short of
    // history (the counter starts at 0, no extrapolation past it): T5(1m..4m) = 2, 4, 6, 8, then 10.
    //   1h/5m at 62m: (2+4) / (4+6+8+58*10 = 598) = 0.01003 < 0.0144   -> not this pair
    //   6h/30m at 62m: the 6h window holds only 62 minutes: 6 / (2+4+6+8+58*10 = 600) = 0.0100 > 0.006,
    //                  30m: 6/310 = 0.0194 > 0.006                      -> page at 62m
    //   at 61m: 6h 2/(2+4+6+8+57*10 = 590) = 0.0034                       -> no page
    //   1h/5m at 63m: (2+4+6) / (6+8+59*10 = 604) = 0.01987 > 0.0144.
    const total = counterValues(Array(120).fill(600));
    const ok = counterValues([...Array(60).fill(600), ...Array(60).fill(0)]);
    const bad = counterValues([...Array(60).fill(0), ...Array(60).fill(600)]);
    expect(total).toBe('0 600+600x119');
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{code="200"}', values: ok },
            { series: 'http_requests_total{code="500"}', values: bad },
          ],
          alert_rule_test: [
            { eval_time: '61m', alertname: 'ErrorBudgetBurn', exp_alerts: [] },
            { eval_time: '62m', alertname: 'ErrorBudgetBurn', exp_alerts: [page] },
            { eval_time: '63m', alertname: 'ErrorBudgetBurn', exp_alerts: [page] },
          ],
          promql_expr_test: [
            ratio('1h', 6 / 598, '62m'),
            ratio('6h', 6 / 600, '62m'),
            ratio('30m', 6 / 310, '62m'),
            ratio('6h', 2 / 590, '61m'),
            ratio('1h', 12 / 604, '63m'),
          ],
        },
      ],
    });
  });
});

describe('minimum-events guard', () => {
  // Two SLOs on the same counters, grouped by route; one sets alerting.minEvents: 10.
  // /rare gets 3 requests (at 31m, 32m, 33m), all failing: error ratio 1 = 1000x the budget.
  // /chat gets 600 requests a minute, all failing, from t=0: a real outage.
  const slo = (name: string, extra: string) => `
  - name: ${name}
    objective: 0.999
    window: 30d
    groupBy: [route]
    sli:
      ratio:
        errors: http_requests_total{code="500"}
        total: http_requests_total${extra}`;
  const spec = `
version: burnrate/v1
service: ${SVC}
slos:${slo('guarded', '\n    alerting:\n      minEvents: 10')}${slo('unguarded', '')}
`;
  const alert = (name: string, route: string, severity: string) => ({
    exp_labels: { severity, slo: name, slo_service: SVC, route },
  });

  it('keeps 3 failing requests in 5m from paging with minEvents 10, and pages without it', () => {
    // /rare: the counter exists from t=0; /new: the counter is born with the first request (1 at
    // 31m), as client libraries do for a new label value. At 35m, for /rare: rate(total[5m]) =
    // 3/300s = 0.01/s, error ratio 1 over every window.
    //   guard (page, 1h/5m): slo:sli_events:rate5m * 300 = 3 < 10                     -> no page
    //   guard (page, 6h/30m): sum_over_time(rate5m[30m]) * 60 (the evaluation interval):
    //     rates at 31m..35m = 1,2,3,3,3 per 300s: 12/300 * 60 = 2.4 < 10              -> no page
    //   guard (ticket, 2h and 6h windows): the same 2.4                                -> no ticket
    //   without the guard: 1000x over every window                                     -> page and ticket
    // /new: 2.37 events by the same measure: no page, no ticket.
    // /chat: 3,000 events in 5m, far above 10: pages and tickets under both SLOs.
    //
    // The guard used to be avg_over_time(rate5m[w]) * w, which divides by the samples that exist:
    // for /new at 35m that read 14.2 events in 30m and 56.8 in 2h (5 samples of a rate that only
    // began at 31m), so three failed requests on a new route paged. Asserted below.
    const rare = '0x30 1 2 3 3x26';
    const fresh = '_x30 1 2 3 3x26';
    const chat = counterValues(Array(60).fill(600));
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{route="/rare", code="500"}', values: rare },
            { series: 'http_requests_total{route="/chat", code="500"}', values: chat },
            { series: 'http_requests_total{route="/new", code="500"}', values: fresh },
          ],
          alert_rule_test: [
            {
              eval_time: '35m',
              alertname: 'ErrorBudgetBurn',
              exp_alerts: [
                alert('guarded', '/chat', 'page'),
                alert('guarded', '/chat', 'ticket'),
                alert('unguarded', '/chat', 'page'),
                alert('unguarded', '/chat', 'ticket'),
                alert('unguarded', '/new', 'page'),
                alert('unguarded', '/new', 'ticket'),
                alert('unguarded', '/rare', 'page'),
                alert('unguarded', '/rare', 'ticket'),
              ],
            },
          ],
          promql_expr_test: [
            approx(
              `sum_over_time(slo:sli_events:rate5m{slo="guarded", route="/rare"}[30m]) * 60`,
              { slo: 'guarded', slo_service: SVC, route: '/rare' },
              2.4,
              '35m'
            ),
            approx(
              `sum_over_time(slo:sli_events:rate5m{slo="guarded", route="/new"}[30m]) * 60`,
              { slo: 'guarded', slo_service: SVC, route: '/new' },
              71 / 30,
              '35m'
            ),
            approx(
              `avg_over_time(slo:sli_events:rate5m{slo="guarded", route="/new"}[30m]) * 1800`,
              { slo: 'guarded', slo_service: SVC, route: '/new' },
              14.2,
              '35m'
            ),
            approx(
              `slo:sli_events:rate5m{slo="guarded", route="/rare"} * 300`,
              { slo: 'guarded', slo_service: SVC, route: '/rare' },
              3,
              '35m'
            ),
            approx(
              `slo:sli_error:ratio_rate5m{slo="guarded", route="/rare"}`,
              { slo: 'guarded', slo_service: SVC, route: '/rare' },
              1,
              '35m'
            ),
            approx(
              `slo:sli_error:ratio_rate1h{slo="guarded", route="/rare"}`,
              { slo: 'guarded', slo_service: SVC, route: '/rare' },
              1,
              '35m'
            ),
          ],
        },
      ],
    });
  });
});
