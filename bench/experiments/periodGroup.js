// Experiment behind the -period group (bench/results/notes.md): how much of an SLO's cost per
// minute goes away when the series that change only once an hour (1d, 3d and period windows,
// period burn and budget, objective metadata, freeze, caution) are recorded every 2 minutes
// instead of every minute, and what taking the bad-events rate's zero from the recorded total
// (instead of re-reading the raw total) would add. Thirds of the SLOs in one Prometheus, same cycles:
//   A  everything every minute in one group (the layout before the -period group)
//   B  as generated: main group every minute, -period every SLOW (default 2m)
//   C  as B, and the zero fallback reads slo:sli_events:rate5m of the same evaluation
// Rollup groups run every minute here (their cost is not counted) so that the hourly sums exist
// with a few hours of history; the recorded 5m rates are not backfilled, so the 30m..6h windows
// read less than in steady state. Prints each third's group time per minute (a group's duration x
// 60 / its interval). 127.0.0.1 only; about 10 minutes.
//   npm run build:node && node bench/experiments/periodGroup.js
'use strict';
const fs = require('fs');
const B = '../lib/';
const { startWithRules, printRuleTimes, median } = require(B + 'liveRun');
const { burnrateGroups } = require(B + 'rulesets');
const { sleep, stopAllSync } = require(B + 'proc');
const N = Number(process.env.N ?? 201),
  R = 10,
  H = Number(process.env.H ?? 7),
  SLOW = process.env.SLOW ?? '2m',
  CYCLES = Number(process.env.CYCLES ?? 6);
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const variantOf = (i) => 'ABC'[i % 3];
(async () => {
  const work = require('path').join(require('os').tmpdir(), 'burnrate-exp-period');
  fs.rmSync(work, { recursive: true, force: true });
  const out = [];
  const bySlo = new Map();
  for (const g of burnrateGroups(N)) {
    const i = Number(/slo-(\d+)/.exec(g.name)[1]);
    bySlo.set(i, { ...bySlo.get(i), [/-(rollup|period)$/.exec(g.name)?.[1] ?? 'main']: g });
  }
  for (const [i, { rollup, period, main }] of bySlo) {
    const v = variantOf(i);
    out.push({ ...rollup, name: `${rollup.name}-${v}`, interval: '1m' });
    if (v === 'A') {
      const alerts = main.rules.filter((r) => r.alert);
      out.push({
        ...main,
        name: `${main.name}-A`,
        rules: [...main.rules.filter((r) => !r.alert), ...period.rules, ...alerts],
      });
      continue;
    }
    let fast = main.rules;
    if (v === 'C') {
      const total = fast.find((r) => r.record === 'slo:sli_events:rate5m');
      const bad = fast.find((r) => r.record === 'slo:sli_error_events:rate5m');
      const sel = /\{slo="[^"]+", slo_service="[^"]+"\}/.exec(
        fast.find((r) => r.record === 'slo:sli_error:ratio_rate5m').expr
      )[0];
      // `sum by (route)`: the recorded total carries the SLO's labels, the raw sum does not.
      const zeroFrom = `sum by (route) (slo:sli_events:rate5m${sel})`;
      const newBad = { ...bad, expr: bad.expr.replace(/ or 0 \* .*\)$/, ` or 0 * ${zeroFrom})`) };
      if (newBad.expr === bad.expr) {
        throw new Error('fallback not found: ' + bad.expr);
      }
      fast = [total, newBad, ...fast.filter((r) => r !== total && r !== bad)];
    }
    out.push({ ...main, name: `${main.name}-${v}`, rules: fast });
    out.push({ ...period, name: `${main.name}-${v}-slow`, interval: SLOW });
  }
  for (const g of out.filter((g) => /slo-[12]-/.test(g.name))) {
    console.log(`${g.name} (${g.interval}): ${g.rules.map((r) => r.record ?? 'alert').join(', ')}`);
  }
  const { prom, exporter } = await startWithRules(work, out, { slos: N, routes: R, hours: H, log });
  log('prometheus up');
  await sleep(180000);
  const perVariant = { A: [], B: [], C: [] };
  for (let c = 0; c < CYCLES; c++) {
    await sleep(60000);
    const m = await prom.ruleGroupMetrics();
    const sum = { A: 0, B: 0, C: 0 };
    const slow = { A: 0, B: 0, C: 0 };
    for (const [k, g] of m) {
      const v = /-([ABC])(-slow)?$/.exec(k);
      if (!v || /-rollup-/.test(k)) {
        continue;
      }
      const perMin = (g.last_duration_seconds * 60) / g.interval_seconds;
      sum[v[1]] += perMin;
      if (v[2]) {
        slow[v[1]] += perMin;
      }
    }
    for (const v of 'ABC') {
      perVariant[v].push(sum[v]);
    }
    log(
      'per minute, s: ' +
        'ABC'
          .split('')
          .map((v) => `${v} ${sum[v].toFixed(3)} (slow ${slow[v].toFixed(3)})`)
          .join('  ')
    );
  }
  const a = median(perVariant.A);
  for (const v of 'ABC') {
    console.log(
      `${v}: median ${median(perVariant[v]).toFixed(3)} s per minute for ${Math.ceil(N / 3)} SLOs, ${(a / median(perVariant[v])).toFixed(2)}x less than A`
    );
  }
  await printRuleTimes(prom, (g) => {
    const v = /-([ABC])(-slow)?$/.exec(g.name);
    return !v || /-rollup-/.test(g.name) ? undefined : `${v[1]}${v[2] ?? ''}`;
  });
  await prom.stop();
  exporter.close();
  stopAllSync();
})().catch((e) => {
  console.error(e);
  stopAllSync();
  process.exit(1);
});
