// Experiment behind bench/results/notes.md ("Where Burnrate's evaluation time goes"): do windows
// evaluated once for all SLOs cost less than per-SLO windows? SLOs 0..N/2-1 keep the generated rules;
// SLOs N/2..N-1 keep only raw rates, metadata, freeze, caution and alerts, and one shared group
// computes every window and burn rate for all of them. Same Prometheus, same cycles: prints the
// summed group durations of each half per cycle. 127.0.0.1 only; about 8 minutes.
//   npm run build:node && node bench/experiments/sharedWindows.js
'use strict';
const fs = require('fs');
const B = '../lib/';
const { startWithRules, printRuleTimes } = require(B + 'liveRun');
const { burnrateGroups } = require(B + 'rulesets');
const { sleep, stopAllSync } = require(B + 'proc');
const N = 200,
  R = 10,
  H = 3;
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const KEEP = new Set([
  'slo:sli_error_events:rate5m',
  'slo:sli_events:rate5m',
  'slo:objective:ratio',
  'slo:error_budget:ratio',
  'slo:time_period:days',
  'slo:release_freeze:bool',
  'slo:release_caution:bool',
]);
(async () => {
  const work = require('path').join(require('os').tmpdir(), 'burnrate-exp-shared');
  fs.rmSync(work, { recursive: true, force: true });
  const groups = burnrateGroups(N);
  const out = [];
  let shared;
  for (const g of groups) {
    const i = Number(/slo-(\d+)/.exec(g.name)[1]);
    if (i < N / 2 || g.interval === '1h') {
      out.push(g);
      continue;
    }
    const tag = (r) => ({ ...r, labels: { ...(r.labels || {}), layout: 'shared' } });
    out.push({ ...g, name: g.name + '-b', rules: g.rules.filter((r) => r.alert || KEEP.has(r.record)).map(tag) });
    if (!shared) {
      const sel = /\{slo="slo-\d+", slo_service="svc-\d+"\}/g;
      shared = {
        name: 'burnrate-shared',
        interval: '1m',
        rules: g.rules
          .filter((r) => r.record && !KEEP.has(r.record))
          .map((r) => ({
            record: r.record,
            expr: r.expr
              .replace(sel, '{layout="shared"}')
              .replace(/ \/ 0\.01$/, ' / slo:error_budget:ratio{layout="shared"}'),
          })),
      };
      out.push(shared);
    }
  }
  console.log(shared.rules.map((r) => r.record + ' :: ' + r.expr.replace(/\n/g, ' ')).join('\n'));
  const { prom, exporter } = await startWithRules(work, out, { slos: N, routes: R, hours: H, log });
  log('prometheus up');
  await sleep(130000);
  const cycles = [];
  for (let c = 0; c < 4; c++) {
    await sleep(60000);
    const m = await prom.ruleGroupMetrics();
    let a = 0,
      b = 0,
      n = 0;
    for (const [k, g] of m) {
      if (g.interval_seconds > 60) {
        continue;
      }
      if (/-b$|burnrate-shared$/.test(k)) {
        b += g.last_duration_seconds;
      } else {
        a += g.last_duration_seconds;
      }
      n++;
    }
    cycles.push({ perSloLayout: +a.toFixed(3), sharedLayout: +b.toFixed(3), groups: n });
    log(JSON.stringify(cycles[cycles.length - 1]));
  }
  // Median evaluation time per rule in each half (the table in bench/results/notes.md).
  await printRuleTimes(prom, (g) =>
    g.interval > 60
      ? undefined
      : g.name === 'burnrate-shared'
        ? 'shared group'
        : g.name.endsWith('-b')
          ? 'shared layout'
          : 'per-SLO layout'
  );
  await prom.stop();
  exporter.close();
  stopAllSync();
})().catch((e) => {
  console.error(e);
  stopAllSync();
  process.exit(1);
});
