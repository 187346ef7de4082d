// The alert factor table (docs/spec.md, Alerting) through the real promtool, for 7d, 28d, 30d and a
// calendar month. One SLO per period, grouped by route; each route is its own scenario, so one
// promtool run checks them all side by side:
//   - steady burns inside the budget (0.6x and 0.95x) fire nothing, once every window is full;
//   - for each of the four conditions, a burn 5% above its factor that fills exactly its long window
//     (and its short one) fires its severity, and 5% below fires nothing.
// Objective 99% (budget 0.01) and 10,000 requests per input step: a burn b is 100*b errors per step.
import { approx, counterValues, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(120_000);

const SVC = 'factors';
const PER_STEP = 10000;

interface Period {
  window: string;
  /** page 1h/5m, page 6h/30m, ticket 1d/2h, ticket 3d/6h. */
  factors: [number, number, number, number];
}

const PERIODS: Period[] = [
  { window: '7d', factors: [3.36, 1.4, 1, 1] },
  { window: '28d', factors: [13.44, 5.6, 2.8, 1] },
  { window: '30d', factors: [14.4, 6, 3, 1] },
  { window: 'calendar-month', factors: [14.4, 6, 3, 1] },
];

const spec = (window: string, alerting = '') => `
version: burnrate/v1
service: ${SVC}
slos:
  - name: f
    objective: 0.99
    window: ${window}
    groupBy: [route]
    sli:
      ratio:
        errors: http_requests_total{code="500"}
        total: http_requests_total${alerting}
`;

const labelsOf = (route: string) => ({ route, slo: 'f', slo_service: SVC });
const alert = (route: string, severity: string) => ({ exp_labels: { severity, ...labelsOf(route) } });
/** Burn over a window as the rules record it: the window's error ratio over the budget. */
const burn = (w: string, route: string, value: number, at: string) =>
  approx(`slo:sli_error:ratio_rate${w}{route="${route}"} / 0.01`, labelsOf(route), value, at);

/** Input series of a route: `healthy` steps without errors, then `burning` steps at burn `b`. */
function route(name: string, healthy: number, burning: number, b: number) {
  const errors = [...Array(healthy).fill(0), ...Array(burning).fill(100 * b)];
  return [
    { series: `http_requests_total{route="${name}", code="500"}`, values: counterValues(errors) },
    {
      series: `http_requests_total{route="${name}", code="200"}`,
      values: counterValues(errors.map((e) => PER_STEP - e)),
    },
  ];
}

const round = (x: number) => Number(x.toPrecision(12));

describe.each(PERIODS)('alert factors for $window', ({ window, factors: [f1h, f6h, f1d, f3d] }) => {
  it(`pages above ${f1h}x over 1h/5m and ${f6h}x over 6h/30m, not 5% below (1-minute evaluation)`, () => {
    // Input every minute; evaluated at 420m. Tickets are off here: at 1-minute evaluation promtool
    // runs the hourly rollup every minute (see promtoolHarness.ts); the next test covers them.
    //   /1h-*: healthy, then 65 minutes at b: the 5m rates read by the 1h window ([355m, 420m], 61
    //          samples) all lie inside the burn, so the 1h and 5m burns are b. The 6h window holds 63
    //          burning samples' worth of 361: about 0.17b, below the 6h factor (f1h / f6h = 2.4).
    //   /6h-*: healthy, then 365 minutes at b: every window up to 6h reads b; b < f1h.
    const up = { h1: round(1.05 * f1h), h6: round(1.05 * f6h) };
    const down = { h1: round(0.95 * f1h), h6: round(0.95 * f6h) };
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec(window, '\n    alerting:\n      ticket:\n        disabled: true'))),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            ...route('/1h-above', 355, 65, up.h1),
            ...route('/1h-below', 355, 65, down.h1),
            ...route('/6h-above', 55, 365, up.h6),
            ...route('/6h-below', 55, 365, down.h6),
          ],
          alert_rule_test: [
            { eval_time: '354m', alertname: 'ErrorBudgetBurn', exp_alerts: [] },
            {
              eval_time: '420m',
              alertname: 'ErrorBudgetBurn',
              exp_alerts: [alert('/1h-above', 'page'), alert('/6h-above', 'page')],
            },
          ],
          promql_expr_test: [
            burn('1h', '/1h-above', up.h1, '420m'),
            burn('5m', '/1h-above', up.h1, '420m'),
            burn('1h', '/1h-below', down.h1, '420m'),
            burn('6h', '/6h-above', up.h6, '420m'),
            burn('30m', '/6h-above', up.h6, '420m'),
            burn('6h', '/6h-below', down.h6, '420m'),
            // 63 of 361 samples: 61 full ones and the four 5m rates that ramp into the burn.
            burn('6h', '/1h-above', (up.h1 * 63) / 361, '420m'),
          ],
        },
      ],
    });
  });

  it(`tickets above ${f1d}x over 1d/2h and ${f3d}x over 3d/6h, not 5% below; steady 0.6x and 0.95x fire nothing (hourly evaluation)`, () => {
    // Input every 5 minutes; evaluated hourly, so the hourly rollups tile the time exactly (the
    // rollup at k holds (k-1h, k]; the 1d window sums 24 of them, the 3d window 72). At 80h:
    //   /steady-*: the burn from t=0: every window reads it, every factor is at least 1: nothing.
    //   /1d-*: healthy to 55h, then 25h at b: the 1d window, (56h, 80h], burns throughout: b. The
    //          3d window, (8h, 80h], holds 25 burning hours of 72. Where 25/72 * 1.05 * f1d passes
    //          1 (30d: 1.09) the 3d/6h condition fires too; it is the same ticket.
    //   /3d-*: healthy to 7h, then 73h at b: the 3d window burns throughout: b.
    // Pages stay on: no route burns above a page factor (the largest burn is 1.05 * f1d).
    // At 74h: /1d-above's 1d window, (50h, 74h], holds 19 burning hours of 24; /3d-above's 3d
    // window, (2h, 74h], 67 of 72; both below their factors. But /3d-above's 1d window burns at
    // 1.05x throughout: where the 1d factor is 1 too (7d), that is already a ticket.
    const at74h = f1d < 1.05 * f3d ? [alert('/3d-above', 'ticket')] : [];
    const up = { d1: round(1.05 * f1d), d3: round(1.05 * f3d) };
    const down = { d1: round(0.95 * f1d), d3: round(0.95 * f3d) };
    const steps = 80 * 12;
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec(window))),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '5m',
          input_series: [
            ...route('/steady-0.6', 0, steps, 0.6),
            ...route('/steady-0.95', 0, steps, 0.95),
            ...route('/1d-above', 55 * 12, 25 * 12, up.d1),
            ...route('/1d-below', 55 * 12, 25 * 12, down.d1),
            ...route('/3d-above', 7 * 12, 73 * 12, up.d3),
            ...route('/3d-below', 7 * 12, 73 * 12, down.d3),
          ],
          alert_rule_test: [
            { eval_time: '74h', alertname: 'ErrorBudgetBurn', exp_alerts: at74h },
            {
              eval_time: '80h',
              alertname: 'ErrorBudgetBurn',
              exp_alerts: [alert('/1d-above', 'ticket'), alert('/3d-above', 'ticket')],
            },
          ],
          promql_expr_test: [
            burn('3d', '/steady-0.6', 0.6, '80h'),
            burn('1h', '/steady-0.95', 0.95, '80h'),
            burn('1d', '/steady-0.95', 0.95, '80h'),
            burn('3d', '/steady-0.95', 0.95, '80h'),
            burn('1d', '/1d-above', up.d1, '80h'),
            burn('2h', '/1d-above', up.d1, '80h'),
            burn('1d', '/1d-below', down.d1, '80h'),
            burn('3d', '/1d-below', (down.d1 * 25) / 72, '80h'),
            burn('3d', '/3d-above', up.d3, '80h'),
            burn('6h', '/3d-above', up.d3, '80h'),
            burn('3d', '/3d-below', down.d3, '80h'),
            burn('1d', '/1d-above', (up.d1 * 19) / 24, '74h'),
            burn('3d', '/3d-above', (up.d3 * 67) / 72, '74h'),
          ],
        },
      ],
    });
  });
});
