// Experiment behind the fresh 1d, 3d and period windows (src/core/rules/freshWindows.ts): what the
// tail since the rollup and the slid-out part of the oldest hour cost per minute, against the
// windows read from the hourly sums alone (the rules before), and what pays for them. Halves of
// the SLOs in one Prometheus, same cycles:
//   A  as before: the `:period` group every 2 minutes, 1d, 3d and period windows from the hourly
//      sums; the bad-events 5m rate takes its zero from the raw total
//   B  as generated: the `:period` group every 3 minutes, tails, fresh windows; the bad-events 5m
//      rate takes its zero from the 5m total recorded just before it
// Rollup groups run every minute here (their cost is not counted) so that the hourly sums exist
// with a few hours of history; the period groups read them over 2 minutes instead of 90 (so as
// many samples as in steady state). B's tails of a window ago (1d, 3d, 30d) are written as blocks
// before Prometheus starts, so that the windows read them as in steady state (values made up:
// the cost of reading does not depend on them). Prints each half's group time per minute (a
// group's duration x 60 / its interval) and each rule's median evaluation time. 127.0.0.1 only;
// about 10 minutes.
//   npm run build:node && node bench/experiments/freshWindows.js
'use strict';
const fs = require('fs');
const path = require('path');
const B = '../lib/';
const { startWithRules, printRuleTimes, median } = require(B + 'liveRun');
const { burnrateGroups, withRawInputs } = require(B + 'rulesets');
const { routeName } = require(B + 'traffic');
const { sleep, stopAllSync, run } = require(B + 'proc');
const N = Number(process.env.N ?? 200),
  R = 10,
  H = Number(process.env.H ?? 3),
  CYCLES = Number(process.env.CYCLES ?? 6);
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const variantOf = (i) => 'AB'[i % 2];
const DAY = 86400;

/** The rules before: windows from the latest hourly sums. */
function before(period, rollup) {
  const sel = /\{slo="[^"]+", slo_service="[^"]+"\}/.exec(period.rules[0].expr)[0];
  const latest = (n) => `last_over_time(${n}${sel}[90m])`;
  const ratio = (w) =>
    `${latest(`slo:sli_error_events:increase${w}_hourly`)}\n/\n(${latest(`slo:sli_events:increase${w}_hourly`)} > 0)`;
  const replace = {
    'slo:sli_error:ratio_rate1d': ratio('1d'),
    'slo:sli_error:ratio_rate3d': ratio('3d'),
    'slo:sli_error:ratio_rate30d': ratio('30d'),
    'slo:sli_events:increase30d': latest('slo:sli_events:increase30d_hourly'),
    'slo:period_coverage:ratio': `clamp_max(${latest('slo:sli_covered_hours:count_period_hourly')} / 720, 1)`,
  };
  const drop = /^slo:(sli_tail_start:seconds|sli_(error_)?events:increase_since_rollup|sli_rollup_time:seconds)$/;
  return {
    // The group as it was: every 2 minutes.
    period: { ...period, interval: '2m', rules: period.rules.filter((r) => !drop.test(r.record)).map((r) => ({ ...r, expr: replace[r.record] ?? r.expr })) },
    rollup: { ...rollup, rules: rollup.rules.filter((r) => !drop.test(r.record)) },
  };
}

/** The main group before: the bad-events rate first, its zero from the raw total. */
function mainBefore(main) {
  const [total, bad] = withRawInputs(main.rules.slice(0, 2));
  if (total.record !== 'slo:sli_events:rate5m' || bad.record !== 'slo:sli_error_events:rate5m') {
    throw new Error(`unexpected main group order: ${total.record}, ${bad.record}`);
  }
  return [bad, total, ...main.rules.slice(2)];
}

/** Made-up tails a window ago for B's SLOs, as OpenMetrics, converted into blocks. */
async function twins(work, dataDir, end) {
  const file = path.join(work, 'twins.om');
  const fd = fs.openSync(file, 'w');
  const series = [];
  for (let i = 0; i < N; i++) {
    if (variantOf(i) !== 'B') {
      continue;
    }
    for (let j = 0; j < R; j++) {
      const l = `route="${routeName(j)}",slo="slo-${i}",slo_service="svc-${Math.floor(i / 10)}"`;
      series.push(l);
    }
  }
  // One sample every 2 minutes from a window + 2h ago to a window - 1h ago: the experiment's hour.
  for (const w of [DAY, 3 * DAY, 30 * DAY]) {
    let text = '';
    for (let t = end - w - 2 * 3600; t <= end - w + 3600; t += 120) {
      const start = Math.floor(t / 3600) * 3600;
      for (const l of series) {
        text += `slo:sli_events:increase_since_rollup{${l}} ${(t - start) * 2} ${t}\n`;
        text += `slo:sli_error_events:increase_since_rollup{${l}} ${(t - start) * 0.01} ${t}\n`;
      }
    }
    fs.writeSync(fd, text);
  }
  fs.writeSync(fd, '# EOF\n');
  fs.closeSync(fd);
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir], { quiet: true });
}

(async () => {
  const work = path.join(require('os').tmpdir(), 'burnrate-exp-fresh');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const bySlo = new Map();
  for (const g of burnrateGroups(N)) {
    const i = Number(/slo-(\d+)/.exec(g.name)[1]);
    bySlo.set(i, { ...bySlo.get(i), [/:(rollup|period)$/.exec(g.name)?.[1] ?? 'main']: g });
  }
  const out = [];
  // With rollups every minute a [90m] range holds 90 of them; in steady state (hourly) it holds
  // one or two: read them over [2m] here, in both halves.
  const steady = (g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, expr: r.expr.replace(/\[90m\]/g, '[2m]') })) });
  for (const [i, { rollup, period, main }] of bySlo) {
    const v = variantOf(i);
    const g = v === 'A' ? before(period, rollup) : { period, rollup };
    g.period = steady(g.period);
    out.push({ ...g.rollup, name: `${rollup.name}-${v}`, interval: '1m' });
    out.push({ ...main, name: `${main.name}-${v}`, rules: v === 'A' ? mainBefore(main) : main.rules });
    out.push({ ...g.period, name: `${period.name}-${v}` });
  }
  for (const g of out.filter((g) => /slo-[01]:period/.test(g.name))) {
    console.log(`${g.name} (${g.interval}): ${g.rules.map((r) => r.record ?? 'alert').join(', ')}`);
  }
  const { prom, exporter } = await startWithRules(work, out, {
    slos: N,
    routes: R,
    hours: H,
    log,
    beforeStart: (dataDir, end) => twins(work, dataDir, end),
  });
  log('prometheus up');
  await sleep(180000);
  const per = { A: [], B: [] };
  const perPeriod = { A: [], B: [] };
  for (let c = 0; c < CYCLES; c++) {
    await sleep(60000);
    const m = await prom.ruleGroupMetrics();
    const sum = { A: 0, B: 0 };
    const slow = { A: 0, B: 0 };
    for (const [k, g] of m) {
      const v = /-([AB])$/.exec(k);
      if (!v || /:rollup-/.test(k)) {
        continue;
      }
      const perMin = (g.last_duration_seconds * 60) / g.interval_seconds;
      sum[v[1]] += perMin;
      if (/:period-/.test(k)) {
        slow[v[1]] += perMin;
      }
    }
    for (const v of 'AB') {
      per[v].push(sum[v]);
      perPeriod[v].push(slow[v]);
    }
    log(`per minute, s: A ${sum.A.toFixed(3)} (period ${slow.A.toFixed(3)})  B ${sum.B.toFixed(3)} (period ${slow.B.toFixed(3)})`);
  }
  for (const v of 'AB') {
    console.log(`${v}: median ${median(per[v]).toFixed(3)} s per minute (period group ${median(perPeriod[v]).toFixed(3)}) for ${N / 2} SLOs`);
  }
  console.log(`B / A: ${(median(per.B) / median(per.A)).toFixed(3)}`);
  await printRuleTimes(prom, (g) => {
    const v = /-([AB])$/.exec(g.name);
    return !v || /:rollup-/.test(g.name) ? undefined : `${v[1]} ${/:period-/.test(g.name) ? 'period' : 'main'}`;
  });
  await prom.stop();
  exporter.close();
  stopAllSync();
})().catch((e) => {
  console.error(e);
  stopAllSync();
  process.exit(1);
});
