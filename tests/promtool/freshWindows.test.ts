// The 1d and period windows follow real time between hourly rollups (src/core/rules/freshWindows.ts),
// checked in promtool with 1-minute counters over two rollups.
//
// promtool evaluates every group at the test's interval, so the test runs at 30s and gates each
// group to its own instants (`atOwnIntervals`): `:rollup` on the hour, the main group on every
// minute, `:period` every 3 minutes from 1m30s past the hour (a live Prometheus spreads groups
// over their intervals too). At each period instant t the newest 5m rate is the main group's, at x = t - 30s.
// Where the counters run straight over the 5 minutes before x and before the first main sample
// after the rollup (and the same a window earlier), the rules' arithmetic is exact:
//   window(t) = the exact window ending at x
// Numbers per minute: 1,000 requests; 10 failures (1%), 310 in the 10 minutes after 1h10 (a
// burst), 510 from 25h40 on (a step). A day holds 1,440,000 requests and 14,400 failures at 1%.

import { approx, atOwnIntervals, counterValues, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';
import { isAlertingRule, RuleGroup } from '../../src/core/rules/types';

jest.setTimeout(180_000);

const spec = (window: string) => `
version: burnrate/v1
service: gateway
slos:
  - name: chat
    objective: 0.99
    window: ${window}
    sli:
      ratio:
        errors: requests_total{outcome="error"}
        total: requests_total
`;
const labels = { slo: 'chat', slo_service: 'gateway' };
const MINUTES = 26 * 60 + 20;
/** Failures in the minute ending at minute m. */
const badAt = (m: number) => (m > 70 && m <= 80 ? 310 : m > 25 * 60 + 40 ? 510 : 10);
const incs = (from: number, f: (m: number) => number) => Array.from({ length: MINUTES - from }, (_, i) => f(from + i + 1));
/** Raw counters from minute `from` on (promtool's `_` is a missing sample). */
const counters = (from = 0) => [
  { series: 'requests_total{outcome="ok"}', values: (from > 0 ? `_x${from} ` : '') + counterValues(incs(from, (m) => 1000 - badAt(m))) },
  { series: 'requests_total{outcome="error"}', values: (from > 0 ? `_x${from} ` : '') + counterValues(incs(from, badAt)) },
];
const groups = (window: string) =>
  atOwnIntervals(
    withoutAnnotations(groupsFor(spec(window))).map((g) => ({ ...g, rules: g.rules.filter((r) => !isAlertingRule(r)) })),
    30,
    { period: 90 }
  );
/** `25h17m30s` for 25, 17 (the period instant 30s past that minute). */
const at = (h: number, m: number) => `${h}h${m}m30s`;
const day = (failures: number) => failures / 1_440_000;

describe('fresh 1d and period windows (1-minute counters, two hourly rollups)', () => {
  it('follow a burst out of the window and a step into it within minutes, and equal the hourly sums after a rollup', () => {
    // The 1d window as served (failures of the day ending at x), against the hourly sums alone:
    //   25h01m30s: (1h01, 25h01]: 14,400 + the burst's 3,000 extra = 17,400, the hourly sum at 25h
    //   25h16m30s: (1h16, 25h16]: 4 burst minutes left, 14,400 + 1,200 = 15,600 (hourly sum: 17,400)
    //   25h25m30s: the burst has left: 14,400
    //   25h49m30s: 9 minutes of the step, 500 extra each: 18,900 (hourly sum: 17,400)
    //   25h58m30s: 18 minutes: 23,400
    //   26h01m30s: 21 minutes: 24,900 (the hourly sum at 26h: 24,400, the day to 26h00)
    //   26h13m30s: 33 minutes: 30,900
    // The 30d window is young (26 hours): nothing slides out, it holds everything up to x. At
    // 25h49m30s: 1,549,000 requests, 15,490 + 3,000 + 4,500 = 22,990 failures; the tail since the
    // rollup at 25h, 49,000 requests; coverage 25 hours and 49.5 minutes of 720 hours.
    expectPromtoolPass({
      groups: groups('30d'),
      evaluationInterval: '30s',
      tests: [
        {
          interval: '1m',
          input_series: counters(),
          promql_expr_test: [
            approx('slo:sli_error_events:increase1d_hourly', labels, 17_400, '25h', 1e-6),
            approx('slo:sli_error:ratio_rate1d', labels, day(17_400), at(25, 1), 1e-9),
            approx('slo:sli_error:ratio_rate1d', labels, day(15_600), at(25, 16), 1e-9),
            approx('slo:sli_error:ratio_rate1d', labels, day(14_400), at(25, 25), 1e-9),
            approx('slo:sli_error:ratio_rate1d', labels, day(18_900), at(25, 49), 1e-9),
            approx('slo:sli_error:ratio_rate1d', labels, day(23_400), at(25, 58), 1e-9),
            approx('slo:sli_error_events:increase1d_hourly', labels, 24_400, '26h', 1e-6),
            approx('slo:sli_error:ratio_rate1d', labels, day(24_900), at(26, 1), 1e-9),
            approx('slo:sli_error:ratio_rate1d', labels, day(30_900), at(26, 13), 1e-9),
            approx('slo:sli_events:increase_since_rollup', labels, 49_000, at(25, 49), 1e-6),
            approx('slo:sli_events:increase30d', labels, 1_549_000, at(25, 49), 1e-6),
            approx('slo:sli_error:ratio_rate30d', labels, 22_990 / 1_549_000, at(25, 49), 1e-9),
            approx('slo:period_coverage:ratio', labels, (25 + 49.5 / 60) / 720, at(25, 49), 1e-9),
          ],
        },
      ],
    });
  });

  it('slides nothing out where no tail was recorded a window ago (history filled in): the window is up to an hour longer', () => {
    // The first 24 hours exist only as hourly rollups (what a history backfill writes), the raw
    // counters and the rules start at 24h: a day before 25h16m30s no tail was recorded, so the 1d
    // window keeps the oldest rollup hour whole, (1h, 2h] with the burst, and covers (1h, 25h16]:
    //   failures 17,400 + 160 (tail) = 17,560, requests 1,440,000 + 16,000 = 1,456,000
    //   (the exact day: 15,600 of 1,440,000)
    // At 26h13m30s the burst's hour has left the sums: (2h, 26h13], 24,400 + 13 x 510 = 31,030 of
    // 1,453,000 (the exact day: 30,900 of 1,440,000).
    const hourly = (f: (m: number) => number) =>
      `_x60 ${Array.from({ length: 24 }, (_, h) => `${incs(0, f).slice(60 * h, 60 * h + 60).reduce((a, b) => a + b, 0)} _x59`).join(' ')}`;
    // The rules arrive at 24h, with the filled-in history (promtool runs them from 0: gated).
    const arriveAt = (gs: RuleGroup[]) =>
      gs.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, expr: `(${r.expr})\nand on() (vector(time()) >= ${24 * 3600})` })) }));
    expectPromtoolPass({
      groups: arriveAt(groups('30d')),
      evaluationInterval: '30s',
      tests: [
        {
          interval: '1m',
          input_series: [
            ...counters(24 * 60),
            { series: 'slo:sli_error_events:increase1h{slo="chat", slo_service="gateway"}', values: hourly(badAt) },
            { series: 'slo:sli_events:increase1h{slo="chat", slo_service="gateway"}', values: hourly(() => 1000) },
          ],
          promql_expr_test: [
            approx('slo:sli_error_events:increase1d_hourly', labels, 17_400, '25h', 1e-6),
            approx('slo:sli_error:ratio_rate1d', labels, 17_560 / 1_456_000, at(25, 16), 1e-9),
            approx('slo:sli_error:ratio_rate1d', labels, 31_030 / 1_453_000, at(26, 13), 1e-9),
          ],
        },
      ],
    });
  });

  it('starts cold from the last hour of 5m rates, not the newest one: a burst that ended before the rules arrived still counts', () => {
    // The SLO is created at 24h40 with its history filled (hourly rollups and 5m rates from 0), so
    // the \`:period\` group starts at 24h40m30s with no tail to continue, 40 minutes after the
    // rollup at 24h. Failures: 10 a minute, 310 in the 10 minutes after 24h20 (a burst that is over
    // by 24h25m+5m, the 5m rate back to 10 a minute at x = 24h40).
    //   exact since the rollup: 40 x 10 + 10 x 300 = 3,400 failures, 40,000 requests
    //   the newest 5m rate x age (the old start): 10/60 x 2,400 s = 400
    //   the last hour of 5m rates, x 60 s: the events of (23h38, 24h38] = 3,600; lead 120 s x 10/60 = 20;
    //   less the rollup hour's 600 failures x (3,600 + 120 - 2,400) / 3,600 = 220: 3,400
    // The 1d window then holds the hourly sums of (0h, 24h] and the tail (nothing slides out: no
    // tail was recorded a day before): 14,400 + 3,400 of 1,440,000 + 40,000. Three minutes on the
    // tail continues: 3,400 + 3 x 10.
    const bad = (m: number) => (m > 24 * 60 + 20 && m <= 24 * 60 + 30 ? 310 : 10);
    const minutes = 25 * 60;
    const inc = (f: (m: number) => number) => Array.from({ length: minutes }, (_, i) => f(i + 1));
    const arrive = 24 * 3600 + 40 * 60;
    const coldGroups = groups('30d').map((g) =>
      g.name.endsWith(':period') ? { ...g, rules: g.rules.map((r) => ({ ...r, expr: `(${r.expr})\nand on() (vector(time()) >= ${arrive})` })) } : g
    );
    expectPromtoolPass({
      groups: coldGroups,
      evaluationInterval: '30s',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'requests_total{outcome="ok"}', values: counterValues(inc((m) => 1000 - bad(m))) },
            { series: 'requests_total{outcome="error"}', values: counterValues(inc(bad)) },
          ],
          promql_expr_test: [
            approx('slo:sli_error_events:increase_since_rollup', labels, 3_400, at(24, 40), 1e-6),
            approx('slo:sli_events:increase_since_rollup', labels, 40_000, at(24, 40), 1e-6),
            approx('slo:sli_error:ratio_rate1d', labels, 17_800 / 1_480_000, at(24, 40), 1e-9),
            approx('slo:sli_error_events:increase_since_rollup', labels, 3_430, at(24, 43), 1e-6),
          ],
        },
      ],
    });
  });

  it('brings the calendar month to date up to now', () => {
    // promtool's clock starts on 1970-01-01: the month to date at x = 25h49 is everything so far,
    // as in the young 30d window above; January has 744 hours.
    expectPromtoolPass({
      groups: groups('calendar-month'),
      evaluationInterval: '30s',
      tests: [
        {
          interval: '1m',
          input_series: counters(),
          promql_expr_test: [
            approx('slo:sli_events:increase_calendar_month', labels, 1_549_000, at(25, 49), 1e-6),
            approx('slo:sli_error:ratio_rate_calendar_month', labels, 22_990 / 1_549_000, at(25, 49), 1e-9),
            approx('slo:period_coverage:ratio', labels, (25 + 49.5 / 60) / 744, at(25, 49), 1e-9),
          ],
        },
      ],
    });
  });
});
