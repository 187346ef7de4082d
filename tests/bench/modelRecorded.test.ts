// The bench's full size fills the month before its raw history with recorded series computed from
// the traffic model (bench/lib/modelRecorded.js) instead of from raw samples. That is only fair if
// each value is what the rule would have recorded: here a real Prometheus evaluates the real rules
// (Sloth-style 5m ratio, Burnrate's hourly rollups) over the model's raw samples, and every value
// and label set must match what the model computed for the same instant. Also the model's own
// error ratio over a window (`truth`, the bench's exact reference at the full size) against
// increase() over the raw samples.
// Needs prometheus and promtool (Debian package `prometheus`): fails, never skips, without them.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { freePort, PrometheusProcess, requirePrometheus, stopAllPrometheus } from '../support/prometheusServer';
import { requirePromtool } from '../support/promtool';

/* eslint-disable @typescript-eslint/no-require-imports */
const { Traffic, METRIC } = require('../../bench/lib/traffic');
const { ModelRecorded } = require('../../bench/lib/modelRecorded');
const { backfillHistory } = require('../../bench/lib/openmetrics');
const { burnrateGroups, slothGroups } = require('../../bench/lib/rulesets');
/* eslint-enable @typescript-eslint/no-require-imports */

interface Rule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}
interface Group {
  name: string;
  interval?: string;
  rules: Rule[];
}

const SLOS = 2;
const ROUTES = 2;
const HOUR = 3600;
// Hour-aligned, 6 hours ago: 5 hours of history, inside the default retention.
const T0 = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 6 * HOUR;
const END = T0 + 5 * HOUR;
const PHASE = 1234.567;

let work: string;
let prom: PrometheusProcess;
let sloth: Rule[];
let burnrate: Rule[];
let traffic: any;

const labelKey = (m: Record<string, string>) =>
  JSON.stringify(
    Object.entries(m)
      .filter(([k]) => k !== '__name__')
      .sort()
  );

beforeAll(async () => {
  requirePrometheus();
  requirePromtool();
  work = mkdtempSync(join(tmpdir(), 'burnrate-model-recorded-'));
  const dataDir = join(work, 'data');
  mkdirSync(dataDir);
  const pick = (groups: Group[], names: string[]) =>
    groups.flatMap((g) => g.rules.filter((r) => names.includes(r.record)));
  sloth = pick(slothGroups(SLOS), ['slo:sli_error:ratio_rate5m']);
  burnrate = pick(burnrateGroups(SLOS), ['slo:sli_error_events:increase1h', 'slo:sli_events:increase1h']);
  expect(sloth).toHaveLength(SLOS);
  expect(burnrate).toHaveLength(2 * SLOS);
  traffic = new Traffic({ slos: SLOS, routes: ROUTES, seed: 7, startSeconds: T0 });
  traffic.keepTotals(() => true);
  const slo = (r: Rule) => Number((r.labels.sloth_slo ?? r.labels.slo).replace('slo-', ''));
  const recorded = new ModelRecorded(traffic, [
    ...sloth.map((r) => ({
      record: r.record,
      labels: r.labels,
      slo: slo(r),
      kind: 'errorRatio',
      step: 60,
      until: Infinity,
    })),
    ...burnrate.map((r) => ({
      record: r.record,
      labels: r.labels,
      slo: slo(r),
      kind: r.record === 'slo:sli_events:increase1h' ? 'total' : 'errors',
      step: HOUR,
      until: Infinity,
    })),
    // The same rollups at a group's offset within the hour (between two raw samples), recorded
    // under another name: Prometheus extrapolates the 59 minutes of samples to the hour.
    ...burnrate.map((r) => ({
      record: `phased:${r.record}`,
      labels: r.labels,
      slo: slo(r),
      kind: r.record === 'slo:sli_events:increase1h' ? 'total' : 'errors',
      step: HOUR,
      phase: PHASE,
      until: Infinity,
    })),
  ]);
  // A minute of raw samples is written from T0 + 60 on; the recorded series from their first full window.
  const h = await backfillHistory(traffic, END, work, dataDir, undefined, { recorded });
  expect(h.samples).toBe(5 * 60 * SLOS * ROUTES * 6);
  // 5m ratio: every minute from T0 + 5m to END; rollups: every hour from T0 + 1h; per SLO x route.
  // The phased rollups: T0 + 1h + PHASE to T0 + 4h + PHASE.
  expect(h.recordedSamples).toBe(SLOS * ROUTES * (5 * 60 - 4 + 2 * 5 + 2 * 4));
  const configFile = join(work, 'prometheus.yml');
  writeFileSync(configFile, 'global:\n  evaluation_interval: 1m\nscrape_configs: []\n');
  prom = new PrometheusProcess(await freePort(), dataDir, configFile, []);
  await prom.start();
}, 120000);

afterAll(async () => {
  await stopAllPrometheus();
  rmSync(work, { recursive: true, force: true });
});

/** The rule's expression at t (with the rule's labels added) against the recorded series at t. */
async function compare(rules: Rule[], t: number, prefix = ''): Promise<number> {
  let n = 0;
  for (const r of rules) {
    const fromRule = await prom.query(r.expr, t);
    const sel = Object.entries(r.labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    // Only a sample stored at t's millisecond: the recorded value of that evaluation.
    const name = prefix + r.record;
    const fromModel = await prom.query(`${name}{${sel}} and abs(timestamp(${name}{${sel}}) - ${t}) < 0.0005`, t);
    expect(fromRule).toHaveLength(ROUTES);
    const model = new Map(fromModel.map((s) => [labelKey(s.metric), Number(s.value[1])]));
    for (const s of fromRule) {
      const key = labelKey({ ...s.metric, ...r.labels });
      expect(model.has(key)).toBe(true);
      const want = Number(s.value[1]);
      expect(Math.abs(model.get(key)! - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
      n++;
    }
  }
  return n;
}

test("Sloth-style 5m ratio: the model's value is Prometheus's, label for label, at every minute checked", async () => {
  let n = 0;
  for (const t of [T0 + 6 * 60, T0 + HOUR + 17 * 60, T0 + 3 * HOUR, END]) {
    n += await compare(sloth, t);
  }
  expect(n).toBe(4 * SLOS * ROUTES);
}, 60000);

test("Burnrate's hourly rollups: the model's increase over each hour is Prometheus's", async () => {
  let n = 0;
  for (const t of [T0 + 2 * HOUR, T0 + 4 * HOUR, END]) {
    n += await compare(burnrate, t);
  }
  expect(n).toBe(3 * 2 * SLOS * ROUTES);
  n = 0;
  for (const t of [T0 + HOUR + PHASE, T0 + 3 * HOUR + PHASE]) {
    n += await compare(burnrate, t, 'phased:');
  }
  expect(n).toBe(2 * 2 * SLOS * ROUTES);
}, 60000);

test("the model's error ratio over a window is increase(bad) / increase(total) over its raw samples", async () => {
  for (const [t, w] of [
    [END, 2 * HOUR],
    [T0 + 4 * HOUR + 30 * 60, 3 * HOUR],
  ]) {
    const exact = await prom.query(
      `sum by (service_name, route) (increase(${METRIC}{error_type!=""}[${w}s])) / sum by (service_name, route) (increase(${METRIC}[${w}s]))`,
      t
    );
    const model: Map<string, number> = traffic.truth(t, w);
    expect(exact).toHaveLength(SLOS * ROUTES);
    for (const s of exact) {
      const key = `slo-${s.metric.service_name.replace('app-', '')}|${s.metric.route}`;
      expect(model.get(key)).toBeCloseTo(Number(s.value[1]), 12);
      expect(model.get(key)).toBeGreaterThan(0);
    }
  }
  expect(traffic.truth(T0 - HOUR, HOUR)).toBeUndefined();
}, 60000);
