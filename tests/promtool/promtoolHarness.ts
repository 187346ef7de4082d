// Runs generated rules through the real `promtool test rules` (Prometheus 2.42, Debian package).
//
// A scenario is: an inline native SLO spec, the rule file Burnrate generates from it, and one
// promtool test file (input series, alert_rule_test, promql_expr_test). The harness writes both
// into a temp dir, runs /usr/bin/promtool and fails with promtool's own output (and the kept temp
// dir) when a check fails. A missing promtool is a failure, never a skip.
//
// Evaluation interval, and why scenarios pick one or the other:
//   The generated groups run at different intervals: the main group (1m: 5m..6h windows; 1d, 3d
//   and period windows read from the hourly sums; burn, budget remaining, freeze; alerts) and
//   `:rollup` (1h: hourly increases and their sums). promtool 2.42 ignores each group's `interval`
//   and evaluates every group at the test file's `evaluation_interval`. So:
//   - scenarios about 1d/3d/period numbers (budget, freeze, events in the period, tickets on the
//     1d/3d windows) use `evaluation_interval: 1h`: the rollup then runs hourly as in production
//     and its hourly increases tile the period exactly;
//   - scenarios about the 5m..6h windows and paging use `evaluation_interval: 1m`; there the rollup
//     runs every minute, its increases overlap, and 1d/3d/period sums are ~60x too large (their
//     ratios stay right for a steady error rate, absolute counts do not).
//
// Boundaries: Prometheus 2.x range selectors are closed at both ends and promtool evaluates on an
// aligned grid, so `sum_over_time(x[1d])` over hourly samples reads 25 samples when the window is
// completely filled (24 in a live Prometheus, whose hourly and per-minute groups are not aligned).
// Likewise a 5m window over per-minute records reads 6, a 1h window 61. Scenarios assert ratios
// (robust) or compute absolute numbers knowing this, and say so where it matters.
//
// Float values: promtool compares sample values exactly. `approx()` wraps a query in
// `round(q, step)` and computes the expected value with Prometheus's own rounding formula, so a
// failure still prints the (rounded) value promtool got.

import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { loadText } from '../../src/core/load';
import { parseDuration } from '../../src/core/spec/duration';
import { generateRules } from '../../src/core/rules/generate';
import { renderRuleFile } from '../../src/core/rules/render';
import { isAlertingRule, RuleGroup } from '../../src/core/rules/types';

export const PROMTOOL = '/usr/bin/promtool';

export interface InputSeries {
  series: string;
  values: string;
}

export interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}

export interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}

export interface ExpSample {
  labels: string;
  value: number;
}

export interface PromqlExprTest {
  expr: string;
  eval_time: string;
  exp_samples: ExpSample[];
}

export interface PromtoolTest {
  name?: string;
  /** Step of the input series. */
  interval: string;
  input_series: InputSeries[];
  alert_rule_test?: AlertRuleTest[];
  promql_expr_test?: PromqlExprTest[];
}

/** Validates a native spec and returns its Prometheus rule groups; throws on any diagnostic error. */
export function groupsFor(specYaml: string): RuleGroup[] {
  const r = loadText(specYaml, 'scenario.yaml');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || r.slos.length === 0) {
    throw new Error(`the scenario's spec does not validate:\n${JSON.stringify(r.diagnostics, null, 2)}`);
  }
  return generateRules(r.slos).prometheus;
}

/**
 * promtool compares every annotation of every firing alert. Scenarios that check expressions and
 * labels drop annotations (their `budget left` text depends on the period sum, which is only
 * meaningful at hourly evaluation); the annotation scenario keeps them.
 */
export function withoutAnnotations(groups: RuleGroup[]): RuleGroup[] {
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => (isAlertingRule(r) ? { ...r, annotations: {} } : r)),
  }));
}

/**
 * promtool 2.42 evaluates every group at the test's evaluation interval. For scenarios that need
 * the groups at their own intervals (the hourly `:rollup`, the 2-minute `:period`, the 1-minute
 * main group), the test runs at a shorter interval and each rule of a slower group is gated to its
 * own instants: `(expr) and on() (vector(time()) % interval == offset)`, an offset (seconds) per
 * group part (`main` for the main group). Between its instants a gated series has a stale marker,
 * as a series that left a rule's output does; the rules read other groups' series so that this
 * does not matter (a live Prometheus writes none there), and checks read a gated group's series at
 * its own instants. Alerting rules cannot be gated (it would change their `for`): drop them first.
 */
export function atOwnIntervals(groups: RuleGroup[], evaluationSeconds: number, offsets: Record<string, number> = {}): RuleGroup[] {
  return groups.map((g) => {
    const seconds = g.interval ? parseDuration(g.interval) : undefined;
    if (seconds === undefined || seconds <= evaluationSeconds) {
      return g;
    }
    const offset = offsets[g.name.split(':')[3] ?? 'main'] ?? 0;
    return {
      ...g,
      rules: g.rules.map((r) => {
        if (isAlertingRule(r)) {
          throw new Error(`alert ${r.alert} in ${g.name}: gating would change its 'for'; drop alerts to gate`);
        }
        return { ...r, expr: `(${r.expr})\nand on() (vector(time()) % ${seconds} == ${offset})` };
      }),
    };
  });
}

export interface Scenario {
  /** Rule groups under test (usually `withoutAnnotations(groupsFor(spec))`). */
  groups: RuleGroup[];
  /** promtool evaluates every group at this step; see the note at the top of this file. */
  evaluationInterval: '30s' | '1m' | '1h';
  tests: PromtoolTest[];
}

export interface PromtoolResult {
  ok: boolean;
  output: string;
  dir: string;
}

export function runPromtool(s: Scenario): PromtoolResult {
  if (!existsSync(PROMTOOL)) {
    // Never skip: these tests are the proof that the generated rules behave.
    throw new Error(`${PROMTOOL} is missing: install the Debian package "prometheus" (it ships promtool 2.42)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-promtool-'));
  writeFileSync(join(dir, 'rules.yaml'), renderRuleFile(s.groups));
  const testFile = {
    rule_files: ['rules.yaml'],
    evaluation_interval: s.evaluationInterval,
    // Without an order promtool evaluates groups in any order at each step, so an alert could read
    // the previous step's windows (flaky by one step). Generated order: slices, sli, rollup, budget,
    // alerts — each group reads what the ones before it wrote at the same timestamp.
    group_eval_order: s.groups.map((g) => g.name),
    tests: s.tests,
  };
  writeFileSync(join(dir, 'test.yaml'), stringify(testFile, { lineWidth: 0 }));
  const r = spawnSync(PROMTOOL, ['test', 'rules', 'test.yaml'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  return { ok: r.status === 0, output, dir };
}

/** Runs the scenario and fails with promtool's output when any check fails. */
export function expectPromtoolPass(s: Scenario): void {
  const r = runPromtool(s);
  if (!r.ok) {
    throw new Error(`promtool test rules failed (files kept in ${r.dir}):\n${r.output}`);
  }
  rmSync(r.dir, { recursive: true, force: true });
}

// ---- helpers to write checks -------------------------------------------------------------

/** `{a="x", b="y"}` with keys sorted, optionally prefixed with a metric name. */
export function sel(labels: Record<string, string>, name = ''): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ');
  return `${name}{${body}}`;
}

/** Prometheus's round(v, to): floor(v * (1/to) + 0.5) / (1/to). */
export function promRound(v: number, to: number): number {
  const inv = 1 / to;
  return Math.floor(v * inv + 0.5) / inv;
}

/**
 * A check that `query` (one series with `labels`, metric name dropped by round) equals `expected`
 * to within `to` (both rounded on the same grid; keep `expected` away from half-steps).
 */
export function approx(
  query: string,
  labels: Record<string, string>,
  expected: number,
  evalTime: string,
  to = 1e-6
): PromqlExprTest {
  return {
    expr: `round(${query}, ${to})`,
    eval_time: evalTime,
    exp_samples: [{ labels: sel(labels), value: promRound(expected, to) }],
  };
}

/** A check that `query` returns nothing at `evalTime`. */
export function none(query: string, evalTime: string): PromqlExprTest {
  return { expr: query, eval_time: evalTime, exp_samples: [] };
}

/** A check that `query` returns exactly these samples (values that are exact in binary). */
export function exactly(query: string, evalTime: string, samples: ExpSample[]): PromqlExprTest {
  return { expr: query, eval_time: evalTime, exp_samples: samples };
}

/**
 * Counter values in promtool's expanding notation from per-step increments: `0 a+ax0 ...`.
 * incs[i] is the increase between sample i and i+1; runs of equal increments are folded.
 */
export function counterValues(incs: number[], start = 0): string {
  const parts: string[] = [String(start)];
  let c = start;
  let i = 0;
  while (i < incs.length) {
    let j = i;
    while (j + 1 < incs.length && incs[j + 1] === incs[i]) {
      j++;
    }
    const n = j - i + 1;
    const inc = incs[i];
    // n values: c+inc, c+2inc, ..., c+n*inc
    parts.push(inc === 0 ? `${c}x${n - 1}` : `${c + inc}+${inc}x${n - 1}`);
    c += inc * n;
    i = j + 1;
  }
  return parts.join(' ');
}
