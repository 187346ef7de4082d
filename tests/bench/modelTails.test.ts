// The bench gives its fresh windows the tails a window ago, computed from the traffic model
// (bench/lib/modelTails.js) because a live Prometheus records them only from the moment the rules
// load. That is only fair if each value is what the rules would have recorded: here promtool
// evaluates Burnrate's real rules over the model's raw samples, each group at its own interval and
// offset (the main group 30 s into every minute, so that its 5m rates extrapolate as between two
// scrapes; the period group a minute into every 3; the rollups on the hour), and every tail of
// the last hour must be the model's, route by route.

import { approx, atOwnIntervals, expectPromtoolPass, PromqlExprTest } from '../promtool/promtoolHarness';
import { isAlertingRule, RuleGroup } from '../../src/core/rules/types';

/* eslint-disable @typescript-eslint/no-require-imports */
const { Traffic, METRIC } = require('../../bench/lib/traffic');
const { burnrateGroups } = require('../../bench/lib/rulesets');
const { modelTails, sloRoutes, TAIL_E, TAIL_T } = require('../../bench/lib/modelTails');
/* eslint-enable @typescript-eslint/no-require-imports */

jest.setTimeout(180_000);

const SLOS = 2;
const ROUTES = 2;
const MINUTES = 3 * 60;

test("the model's tails since the rollup are the rules' own, at every period instant of an hour", () => {
  // promtool's clock starts at 0: so does the model.
  const traffic = new Traffic({ slos: SLOS, routes: ROUTES, seed: 11, startSeconds: 0 });
  traffic.keepTotals(() => true);
  traffic.keepErrorSeries(() => true);
  const values = new Map<string, number[]>();
  const sample = () => {
    for (const r of traffic.routes) {
      for (const line of r.lines('').trim().split('\n')) {
        const [series, value] = [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))];
        values.set(series, [...(values.get(series) ?? []), value]);
      }
    }
  };
  // step() stores the counts of the minute it ends: the snapshot at 0 is the model before any.
  traffic.snapshots.set(0, new Float64Array(2 * traffic.routes.length));
  traffic.errorSnapshots.set(0, new Float32Array(4 * traffic.routes.length));
  sample();
  for (let m = 1; m <= MINUTES; m++) {
    traffic.step();
    sample();
  }
  expect([...values.keys()].every((k) => k.startsWith(METRIC))).toBe(true);

  const groups = burnrateGroups(SLOS).map((g: RuleGroup) => ({ ...g, rules: g.rules.filter((r) => !isAlertingRule(r)) }));
  const checks: PromqlExprTest[] = [];
  for (let i = 0; i < SLOS; i++) {
    const routes = sloRoutes(traffic, i, 'svc-0');
    const tails = modelTails((r: number, t: number) => traffic.counts(r, t), {
      routes,
      phases: { main: 30, period: 60, rollup: 0 },
      mainS: 60,
      periodS: 180,
      from: 2 * 3600,
      to: 3 * 3600,
    });
    expect(tails).toHaveLength(ROUTES * 20);
    for (const t of tails) {
      const at = `${t.t}s`;
      const sel = `{route="${t.route.labels.route}", slo="slo-${i}"}`;
      checks.push(approx(`${TAIL_T}${sel}`, { ...t.route.labels }, t.total, at, 1e-4));
      checks.push(approx(`${TAIL_E}${sel}`, { ...t.route.labels }, t.bad, at, 1e-4));
    }
  }
  // The hour checked holds a rollup (at 2h) and tails from 1 to 60 minutes long; errors too.
  expect(checks.filter((c) => c.exp_samples[0].value > 0)).not.toHaveLength(0);
  expectPromtoolPass({
    groups: atOwnIntervals(groups, 30, { main: 30, period: 60 }),
    evaluationInterval: '30s',
    tests: [{ interval: '1m', input_series: [...values].map(([series, v]) => ({ series, values: v.join(' ') })), promql_expr_test: checks }],
  });
});
