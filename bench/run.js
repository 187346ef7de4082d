// Burnrate's rules against Sloth-style rules in one real Prometheus. `npm run bench` (small size)
// or `BENCH_SIZE=full npm run bench`. See bench/README.md for what is measured and how.
// Writes bench/results/<size>.json and regenerates bench/results.md from every size measured.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Traffic, METRIC, appName, SERIES_PER_ROUTE, serveTraffic } = require('./lib/traffic');
const { backfillHistory } = require('./lib/openmetrics');
const {
  burnrateGroups,
  slothGroups,
  renderSloth,
  renderRuleFile,
  baseRuleFiles,
  withRawInputs,
  serviceOf,
} = require('./lib/rulesets');
const { Prometheus, writeConfig } = require('./lib/prometheus');
const { run, freePort, sleep, stopAllSync, onExit } = require('./lib/proc');
const { writeResultsMd } = require('./lib/report');
const { backfillRules } = require('./lib/rulebackfill');
const { ModelRecorded } = require('./lib/modelRecorded');
const { groupPhase, evaluationAtOrAfter } = require('../build/core/rules/groupPhase');
const { modelTails, tailLines, sloRoutes } = require('./lib/modelTails');

const durationSeconds = (d) => ({ s: 1, m: 60, h: 3600, d: 86400 })[d.slice(-1)] * Number(d.slice(0, -1));

const SIZES = {
  // The whole month of raw history, real rule backfills, every figure (about 25 minutes, 15 of them
  // the each-set-alone phases).
  small: { slos: 5, routes: 4, historyHours: 31 * 24, monthHours: 31 * 24, cycles: 4, requests: 1000 },
  // README table: 200 SLOs x 10 routes. A month of 1-minute history for 12,000 raw series is
  // 536M samples, more than promtool converts on this machine in the time a run may take, so the
  // raw history is 3 days + 4 hours (every raw window, up to 3d, complete) and the month before it
  // holds only what the two 30d windows read, the recorded series computed from the traffic model
  // (lib/modelRecorded.js): both sets' 30d windows read a steady-state amount of data.
  full: { slos: 200, routes: 10, historyHours: 76, monthHours: 31 * 24, cycles: 3, requests: 500 },
};
const SIZE = process.env.BENCH_SIZE || 'small';
const cfg = { ...SIZES[SIZE], seed: Number(process.env.BENCH_SEED || 42) };
if (!SIZES[SIZE]) {
  throw new Error(`BENCH_SIZE must be one of ${Object.keys(SIZES).join(', ')}`);
}
for (const k of ['slos', 'routes', 'historyHours', 'monthHours', 'cycles']) {
  const v = process.env[`BENCH_${k.toUpperCase()}`];
  if (v) {
    cfg[k] = Number(v);
  }
}

const started = Date.now();
const log = (msg) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const nowS = () => Math.floor(Date.now() / 1000);
/** The long windows of the dataset's SLOs (30d periods), whose as-served error is measured. */
const WINDOWS = [
  ['1d', 86400],
  ['3d', 3 * 86400],
  ['30d', 30 * 86400],
];

async function main() {
  const out = { size: SIZE, config: cfg, machine: machine(), startedAt: new Date().toISOString() };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-'));
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir);
  if (!process.env.BENCH_KEEP) {
    onExit(() => fs.rmSync(work, { recursive: true, force: true }));
  }
  let prom;
  let exporter;
  try {
    out.machine.prometheus = (await run('prometheus', ['--version'])).split('\n')[0];

    // 1. Generation throughput (bench/generation.js: 1,000 SLOs of five kinds).
    log('rule generation throughput');
    out.generation = await run(process.execPath, [path.join(__dirname, 'generation.js')], {
      env: { ...process.env, N: '1000', RUNS: '5' },
    });

    // 2. Rule sets.
    const burnrate = burnrateGroups(cfg.slos);
    const sloth = slothGroups(cfg.slos);
    const files = {
      burnrate: path.join(work, 'burnrate.rules.yml'),
      sloth: path.join(work, 'sloth.rules.yml'),
    };
    fs.writeFileSync(files.burnrate, renderRuleFile(burnrate));
    fs.writeFileSync(files.sloth, renderSloth(sloth));
    await run('promtool', ['check', 'rules', files.burnrate, files.sloth]);
    const base = baseRuleFiles(burnrate, sloth);
    for (const [k, text] of Object.entries(base)) {
      fs.writeFileSync(path.join(work, `base-${k}.yml`), text);
    }
    out.rules = {
      burnrate: { groups: burnrate.length, rules: burnrate.reduce((a, g) => a + g.rules.length, 0) },
      sloth: { groups: sloth.length, rules: sloth.reduce((a, g) => a + g.rules.length, 0) },
    };

    // 3. History, backfilled with promtool (one file per day): raw samples for the last
    // historyHours; before that, back to monthHours, the recorded inputs of the 30d windows
    // computed from the model (up to where the backfill from raw samples, step 5, takes over).
    const end = Math.floor(nowS() / 60) * 60;
    const startS = end - cfg.historyHours * 3600;
    const monthS = end - Math.max(cfg.monthHours, cfg.historyHours) * 3600;
    const traffic = new Traffic({ slos: cfg.slos, routes: cfg.routes, seed: cfg.seed, startSeconds: monthS });
    // The model's own counts around the instants the accuracy is measured at (the end of the
    // history up to 3 hours later) and a window (1d, 3d, 30d) before them: the exact ratios, and the
    // tails since the rollup the fresh windows read (lib/modelTails.js).
    const MONTH = 30 * 86400;
    const kept = (t) => t >= end - 4 * 3600 || WINDOWS.some(([, w]) => t >= end - w - 3 * 3600 && t <= end - w + 3 * 3600);
    traffic.keepTotals(kept);
    traffic.keepErrorSeries(kept);
    const from = { sloth5m: startS + 600, burnrate1h: startS + 3600 };
    // Burnrate's hourly rollups are backfilled at the instants the live groups will evaluate them
    // (src/core/rules/groupPhase.ts), so that the first live rollup continues the backfilled ones.
    const phaseOf = (g) => (g.interval === '1h' ? groupPhase(g.name, files.burnrate, 3600) : 0);
    const sloIndex = (r) => Number((r.labels.sloth_slo ?? r.labels.slo).replace('slo-', ''));
    const modelSeries = (groups, name, kind, until) =>
      groups.flatMap((g) =>
        g.rules
          .filter((r) => r.record === name)
          .map((r) => ({
            record: r.record,
            labels: r.labels,
            slo: sloIndex(r),
            kind,
            step: durationSeconds(g.interval ?? '1m'),
            phase: phaseOf(g),
            until,
          }))
      );
    const recorded =
      monthS < startS
        ? new ModelRecorded(traffic, [
            ...modelSeries(sloth, 'slo:sli_error:ratio_rate5m', 'errorRatio', from.sloth5m),
            ...modelSeries(burnrate, 'slo:sli_error_events:increase1h', 'errors', from.burnrate1h),
            ...modelSeries(burnrate, 'slo:sli_events:increase1h', 'total', from.burnrate1h),
          ])
        : undefined;
    log(
      `history: ${cfg.slos} SLOs x ${cfg.routes} routes x ${SERIES_PER_ROUTE} series, ${cfg.historyHours}h at 1m` +
        (recorded
          ? `; recorded inputs of the 30d windows from the model for the ${((startS - monthS) / 3600).toFixed(0)}h before`
          : '')
    );
    out.history = await backfillHistory(traffic, end, work, dataDir, log, { rawFrom: startS, recorded });
    out.history.series = traffic.routes.length * SERIES_PER_ROUTE;
    out.history.monthHours = (end - monthS) / 3600;
    // The tails a window ago of the even SLOs (lib/modelTails.js), so that their fresh windows
    // read the slid-out part as after a window of running; the odd SLOs have none, as in the first
    // window after the rules arrive. Written for the 150 minutes after the history's end, which
    // the measurements fall in.
    const tails = (specs) => {
      let text = '';
      let n = 0;
      for (const { slos, from: f, to } of specs) {
        for (const i of slos) {
          const t = modelTails((r, m) => traffic.counts(r, m), {
            ...tailPhases(burnrate, files.burnrate, i),
            routes: sloRoutes(traffic, i, serviceOf(i)),
            from: f,
            to,
          });
          n += t.length * 2;
          text += tailLines(t);
        }
      }
      return { text, samples: n };
    };
    const even = [...Array(cfg.slos).keys()].filter((i) => i % 2 === 0);
    const twins = tails(WINDOWS.map(([, w]) => ({ slos: even, from: end - w - 600, to: end - w + 150 * 60 })));
    out.tails = { twins: await tailBlocks('twins', twins, work, dataDir) };
    log(`tails a window ago: ${twins.samples} samples`);
    log(
      `history: ${out.history.samples} raw and ${out.history.recordedSamples} recorded samples (generate ${out.history.genMs} ms, promtool ${out.history.promtoolMs} ms)`
    );

    // 4. The traffic goes on live: an exporter Prometheus scrapes every minute (honor_labels, so the
    // live samples continue the backfilled series).
    exporter = await serveTraffic(traffic);
    const exporterPort = exporter.address().port;
    const port = await freePort();
    const configFile = path.join(work, 'prometheus.yml');
    writeConfig(configFile, { exporterPort });
    prom = new Prometheus({ port, dataDir, configFile });
    await prom.start();
    log(`prometheus (raw data only) on ${prom.url}`);

    // 5. Recording rules that the long windows read, backfilled from the raw data (see
    // lib/rulebackfill.js) into a separate directory while Prometheus serves the raw blocks.
    // Burnrate's hourly rollups at the instants the live groups will evaluate them
    // (src/core/rules/groupPhase.ts), so that the first live rollup continues the backfilled ones.
    const bfEnd = Math.floor(nowS() / 60) * 60 - 60;
    const pickRules = (groups, names, step) =>
      groups.flatMap((g) =>
        g.rules
          .filter((r) => names.includes(r.record))
          .map((r) => ({ ...r, step: step ?? durationSeconds(g.interval), phase: phaseOf(g) }))
      );
    out.ruleBackfill = {};
    const backfill = async (k, rules, fromS, toS, what) => {
      const blocks = path.join(work, `blocks-${k}`);
      fs.mkdirSync(blocks);
      const t0 = Date.now();
      const r = await backfillRules(prom, rules, fromS, toS, work, blocks, k);
      out.ruleBackfill[k] = {
        what,
        rules: rules.length,
        from: new Date(fromS * 1000).toISOString(),
        to: new Date(toS * 1000).toISOString(),
        ms: Date.now() - t0,
        ...r,
      };
      log(`rule backfill ${k}: ${r.samples} samples, ${Date.now() - t0} ms`);
      return blocks;
    };
    const handOver = (blocks) => {
      for (const b of fs.readdirSync(blocks)) {
        fs.renameSync(path.join(blocks, b), path.join(dataDir, b));
      }
    };
    // With their time (the tails count from it), from raw data only.
    const rollupRules = pickRules(
      burnrate.map((g) => ({ ...g, rules: withRawInputs(g.rules) })),
      ['slo:sli_error_events:increase1h', 'slo:sli_events:increase1h', 'slo:sli_rollup_time:seconds']
    );
    const early = [
      await backfill(
        'sloth5m',
        pickRules(sloth, ['slo:sli_error:ratio_rate5m'], 60),
        from.sloth5m,
        bfEnd,
        'Sloth slo:sli_error:ratio_rate5m (1m)'
      ),
      await backfill(
        'burnrate5m',
        // From raw data only: the bad-events rate reads the recorded total live.
        pickRules(
          burnrate.map((g) => ({ ...g, rules: withRawInputs(g.rules) })),
          ['slo:sli_error_events:rate5m', 'slo:sli_events:rate5m']
        ),
        Math.max(startS + 600, bfEnd - 86400),
        bfEnd,
        'Burnrate 5m event rates (1m, last day)'
      ),
      await backfill(
        'burnrate1h',
        rollupRules,
        from.burnrate1h,
        bfEnd,
        "Burnrate hourly rollups (1h, at each group's offset)"
      ),
    ];
    await prom.stop();
    early.forEach(handOver);
    // The tails since the latest rollup up to now, of every SLO, as the period groups would have
    // recorded them had they run before: the live groups continue them.
    const tailsTo = nowS();
    while (traffic.t < Math.floor(tailsTo / 60) * 60) {
      traffic.step();
    }
    const all = [...Array(cfg.slos).keys()];
    out.tails.recent = await tailBlocks('recent', tails([{ slos: all, from: end - 5400, to: tailsTo }]), work, dataDir);

    // 6. Both rule sets in one Prometheus.
    writeConfig(configFile, { exporterPort, ruleFiles: [files.burnrate, files.sloth] });
    await prom.start();
    const rulesLoadedAt = nowS();
    // The rollups of the groups whose instant fell between the backfill and now: the live group
    // starts with its next one. (An instant both evaluated, after the rules loaded, is one sample:
    // the same millisecond.) A group with an instant in the next minute or so, before Prometheus
    // loads these blocks, had its previous one before the backfill's end, which it has.
    const rollupsTo = nowS();
    handOver(
      await backfill(
        'burnrate1hGap',
        rollupRules,
        bfEnd + 0.001,
        rollupsTo,
        'Burnrate hourly rollups due since the backfill'
      )
    );
    await waitForRollups(prom, burnrate, phaseOf, bfEnd, rollupsTo);
    // The hourly sums (increase<w>_hourly) of the last two hours, from those rollups, so that the
    // -period groups have them from their first cycle.
    const hourlySums = burnrate.flatMap((g) =>
      g.rules.filter((r) => /_hourly$/.test(r.record ?? '')).map((r) => ({ ...r, step: 3600, phase: phaseOf(g) }))
    );
    if (hourlySums.length > 0) {
      handOver(
        await backfill(
          'burnrateSums',
          hourlySums,
          rollupsTo - 7200,
          rollupsTo,
          'Burnrate hourly sums over 1d, 3d, 30d (1h, last 2 hours)'
        )
      );
    }
    log('prometheus with both rule sets; waiting for block compaction to settle');
    out.compaction = await settle(prom);
    log(`compaction: ${JSON.stringify(out.compaction)}`);
    out.evaluation = await measureEvaluation(prom, files, cfg.cycles);
    log('evaluation measured');

    out.evaluation.rollupQueries = await rollupAsQueries(prom, burnrate);
    out.samplesReadPerSlo = await samplesRead(prom, burnrate, sloth);
    out.series = await seriesCounts(prom);
    out.accuracy = await accuracy(prom, cfg, traffic, !!recorded);
    log('accuracy measured');
    out.queries = await panelQueries(prom);
    log('panel queries measured');

    // 7. Server latency with 1,000 SLOs against this Prometheus.
    log('server latency');
    // Saved first: a failure of the server part keeps the Prometheus figures.
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', `${SIZE}.partial.json`), JSON.stringify(out, null, 2) + '\n');
    try {
      const srv = await run(process.execPath, [path.join(__dirname, 'server.js')], {
        env: {
          ...process.env,
          BENCH_PROM_URL: prom.url,
          BENCH_DATASET_SLOS: String(cfg.slos),
          BENCH_ROUTES: String(cfg.routes),
          BENCH_REQUESTS: String(cfg.requests),
        },
      });
      out.server = JSON.parse(srv.trim().split('\n').pop());
    } catch (e) {
      out.serverError = String(e.message).slice(0, 2000);
      log(`server bench failed: ${out.serverError}`);
    }

    // 8. Each set alone, then no rules: group durations without the other set's work on the same
    // cores, and Prometheus's own CPU time per minute, the cost a user pays for.
    out.alone = {};
    for (const [set, ruleFiles] of [
      ['burnrate', [files.burnrate]],
      ['sloth', [files.sloth]],
      ['none', []],
    ]) {
      writeConfig(configFile, { exporterPort, ruleFiles });
      await prom.reload();
      log(`${set === 'none' ? 'no rules' : `${set} rules alone`}: warm-up cycle`);
      await sleep(65000);
      const c0 = await prom.cpuSeconds();
      const t0 = Date.now();
      const evaluation = set === 'none' ? undefined : await measureEvaluation(prom, files, cfg.cycles, set);
      if (set === 'none') {
        await sleep(cfg.cycles * 60000);
      }
      const minutes = (Date.now() - t0) / 60000;
      out.alone[set] = {
        minutes,
        cpuSecondsPerMinute: ((await prom.cpuSeconds()) - c0) / minutes,
        loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
        ...(evaluation
          ? { evaluation: evaluation.perSet[set], missedIterations: evaluation.missedIterations[set] ?? 0 }
          : {}),
      };
      log(`${set}: ${out.alone[set].cpuSecondsPerMinute.toFixed(2)} CPU s per minute`);
      if (set === 'burnrate') {
        // Burnrate's rules have run without a break since they loaded: its windows as served at
        // every minute since (after 6 minutes of settling: blocks loaded, tails continued).
        // BENCH_ACCURACY_MINUTES keeps them running that long after loading first, so that every
        // SLO's windows are also measured after its first live rollup.
        const until = rulesLoadedAt + 60 * Number(process.env.BENCH_ACCURACY_MINUTES || 0);
        if (until > nowS()) {
          log(`as-served accuracy: running Burnrate's rules until ${new Date(until * 1000).toISOString()}`);
          await sleep((until - nowS()) * 1000);
        }
        const firstRollup = (i) => {
          const phase = tailPhases(burnrate, files.burnrate, i).phases.rollup;
          return Math.ceil((rulesLoadedAt - phase) / 3600) * 3600 + phase;
        };
        out.accuracyOverMinutes = await accuracyOverMinutes(prom, traffic, rulesLoadedAt + 360, nowS(), firstRollup);
        log('as-served accuracy at every minute measured');
      }
    }
  } finally {
    if (prom) {
      await prom.stop();
    }
    exporter?.close();
    stopAllSync();
    if (!process.env.BENCH_KEEP) {
      fs.rmSync(work, { recursive: true, force: true });
    } else {
      log(`kept ${work}`);
    }
  }
  out.durationS = Math.round((Date.now() - started) / 1000);
  const resultsDir = path.join(__dirname, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `${SIZE}.json`), JSON.stringify(out, null, 2) + '\n');
  fs.rmSync(path.join(resultsDir, `${SIZE}.partial.json`), { force: true });
  writeResultsMd(resultsDir, path.join(__dirname, 'results.md'));
  log(`done in ${out.durationS}s: bench/results/${SIZE}.json, bench/results.md`);
}

function machine() {
  return {
    cpu: os.cpus()[0].model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadavgAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** Waits (at most 3 minutes) until Prometheus serves every rollup due in (from, to]. */
async function waitForRollups(prom, burnrate, phaseOf, from, to) {
  const due = burnrate
    .filter((g) => g.interval === '1h')
    .map((g) => ({ labels: g.rules[0].labels, at: evaluationAtOrAfter(from, 3600, phaseOf(g)) }))
    .filter((x) => x.at > from && x.at <= to);
  const t0 = Date.now();
  while (due.length > 0) {
    const x = due[0];
    const sel = `slo="${x.labels.slo}", slo_service="${x.labels.slo_service}"`;
    // Within half a millisecond: the same stored millisecond, whatever the float's last digit.
    const r = await prom.query(`abs(timestamp(slo:sli_events:increase1h{${sel}}) - ${x.at}) < 0.0005`, x.at);
    if (r.result.length > 0) {
      due.shift();
      continue;
    }
    if (Date.now() - t0 > 180000) {
      throw new Error(`${due.length} backfilled rollups were not loaded within 3 minutes (${sel} at ${x.at})`);
    }
    await sleep(2000);
  }
}

/**
 * Backfilled blocks overlap in time (raw and recorded series of the same days), so Prometheus
 * merges them (vertical compaction), first about a minute after start. The measurement waits
 * until the number of loaded blocks has not changed for 60 s (at most 4 minutes).
 */
async function settle(prom) {
  const t0 = Date.now();
  const read = async () => {
    const text = await (await fetch(`${prom.url}/metrics`)).text();
    const v = (n) => Number(new RegExp(`^${n} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    return {
      blocks: v('prometheus_tsdb_blocks_loaded'),
      compactions: v('prometheus_tsdb_compactions_total'),
      vertical: v('prometheus_tsdb_vertical_compactions_total'),
    };
  };
  const first = await read();
  let last = first;
  let stableSince = Date.now();
  while (Date.now() - t0 < 240000) {
    await sleep(5000);
    const cur = await read();
    if (cur.blocks !== last.blocks || cur.compactions !== last.compactions) {
      stableSince = Date.now();
    }
    last = cur;
    if (Date.now() - t0 > 75000 && Date.now() - stableSince >= 60000) {
      break;
    }
  }
  return {
    blocksAtStart: first.blocks,
    blocksAfter: last.blocks,
    compactions: last.compactions,
    verticalCompactions: last.vertical,
    waitedS: Math.round((Date.now() - t0) / 1000),
  };
}

const setOf = (key, files) =>
  key.startsWith(files.burnrate + ';') ? 'burnrate' : key.startsWith(files.sloth + ';') ? 'sloth' : undefined;
const kindOf = (group) => {
  // burnrate:<service>:<slo>[:<part>] (src/core/rules/seriesNames.ts)
  const m = /^burnrate:[^:]+:[^:]+:(rollup|slices|period)$/.exec(group) ?? /^sloth-slo-(sli-recordings|meta-recordings|alerts)-/.exec(group);
  return m ? m[1] : group.startsWith('burnrate:') ? 'main' : 'other';
};

/** Rule group evaluations over several cycles, from Prometheus's own gauges. */
async function measureEvaluation(prom, files, cycles, only) {
  const evals = new Map(); // key -> [{ts, dur, samples}]
  const info = new Map();
  const deadline = Date.now() + (cycles + 3) * 60000 + 60000;
  let missed = {};
  for (;;) {
    const m = await prom.ruleGroupMetrics();
    for (const [key, g] of m) {
      const set = setOf(key, files);
      if (!set || (only && set !== only)) {
        continue;
      }
      info.set(key, { set, interval: g.interval_seconds, group: key.split(';')[1] });
      missed[set] = (missed[set] ?? 0) + (g.iterations_missed_total ?? 0);
      const list = evals.get(key) ?? [];
      if (
        g.last_evaluation_timestamp_seconds > 0 &&
        (list.length === 0 || list[list.length - 1].ts !== g.last_evaluation_timestamp_seconds)
      ) {
        list.push({
          ts: g.last_evaluation_timestamp_seconds,
          dur: g.last_duration_seconds,
          samples: g.last_evaluation_samples,
        });
        evals.set(key, list);
      }
    }
    const frequent = [...info].filter(([, i]) => i.interval <= 60).map(([k]) => k);
    const slower = [...info].filter(([, i]) => i.interval > 60 && i.interval < 3600).map(([k]) => k);
    // The first evaluation of each group is a warm-up (cold caches, first reads of the blocks).
    const done =
      frequent.length > 0 &&
      frequent.every((k) => (evals.get(k)?.length ?? 0) >= cycles + 1) &&
      slower.every((k) => (evals.get(k)?.length ?? 0) >= 2);
    if (done || Date.now() > deadline) {
      break;
    }
    missed = {};
    await sleep(5000);
  }
  const result = { cycles, perSet: {}, missedIterations: missed };
  for (const set of only ? [only] : ['burnrate', 'sloth']) {
    const keys = [...info].filter(([, i]) => i.set === set).map(([k]) => k);
    // Groups that run more often than hourly count per minute: a 2-minute group's evaluation
    // counts half (duration x 60 / interval); its evaluations are reused across the cycles.
    const frequent = keys.filter((k) => info.get(k).interval < 3600);
    const perCycle = [];
    const samplesPerCycle = [];
    const byKind = {};
    for (let c = 1; c <= cycles; c++) {
      let d = 0;
      let s = 0;
      for (const k of frequent) {
        const list = evals.get(k) ?? [];
        const e = list[c] ?? (list.length > 1 ? list[1 + ((c - 1) % (list.length - 1))] : undefined);
        if (!e) {
          continue;
        }
        const perMinute = 60 / info.get(k).interval;
        d += e.dur * perMinute;
        s += e.samples * perMinute;
        const kind = kindOf(info.get(k).group);
        byKind[kind] = byKind[kind] ?? [];
        byKind[kind][c - 1] = (byKind[kind][c - 1] ?? 0) + e.dur * perMinute;
      }
      perCycle.push(d);
      samplesPerCycle.push(s);
    }
    const hourly = keys.filter((k) => info.get(k).interval >= 3600);
    const hourlyEvals = hourly.flatMap((k) => evals.get(k) ?? []);
    result.perSet[set] = {
      groups: keys.length,
      frequentGroups: frequent.length,
      hourlyGroups: hourly.length,
      evalSecondsPerCycle: perCycle,
      evalSecondsPerCycleMedian: median(perCycle),
      byKindMedianSeconds: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, median(v)])),
      samplesWrittenPerCycle: median(samplesPerCycle),
      hourlyGroupEvaluationsSeen: hourlyEvals.length,
      hourlyGroupSecondsSeen: hourlyEvals.reduce((a, e) => a + e.dur, 0),
      hourlySamplesPerHour: hourly.reduce((a, k) => a + ((evals.get(k) ?? []).slice(-1)[0]?.samples ?? 0), 0),
    };
  }
  return result;
}

/** Burnrate's hourly rollup expressions, timed as instant queries (they run once an hour). */
async function rollupAsQueries(prom, burnrate) {
  let evalMs = 0;
  let samples = 0;
  let written = 0;
  for (const g of burnrate.filter((x) => x.interval === '1h')) {
    for (const r of g.rules) {
      const q = await prom.query(r.expr);
      evalMs += q.evalMs;
      samples += q.samples ?? 0;
      written += q.result.length;
    }
  }
  return { evalMsPerHour: evalMs, samplesReadPerHour: samples, samplesWrittenPerHour: written };
}

/** Samples read by each rule of the first SLO, as instant queries (stats=all). */
async function samplesRead(prom, burnrate, sloth) {
  const out = {};
  for (const [set, groups, prefix] of [
    ['burnrate', burnrate, 'burnrate:svc-0:slo-0:'],
    ['sloth', sloth, 'sloth-slo-'],
  ]) {
    const rows = [];
    for (const g of groups.filter(
      (x) =>
        (x.name.startsWith(prefix) || x.name === prefix.slice(0, -1)) &&
        (set === 'burnrate' || x.name.endsWith('svc-0-slo-0'))
    )) {
      // Evaluations per minute: 1 for the every-minute groups, 1/2 for Burnrate's -period, 1/60 hourly.
      const perMinute = 60 / durationSeconds(g.interval ?? '1m');
      for (const r of g.rules) {
        const q = await prom.query(r.expr);
        rows.push({
          group: g.name,
          rule: r.record ?? `alert ${r.alert} ${r.labels?.severity ?? ''}`.trim(),
          samples: q.samples ?? 0,
          evalMs: q.evalMs,
          hourly: perMinute < 1 / 2,
          perMinute,
        });
      }
    }
    out[set] = { rows, samplesPerMinute: rows.reduce((a, r) => a + r.samples * r.perMinute, 0) };
  }
  return out;
}

async function seriesCounts(prom) {
  const count = async (q) => Number((await prom.query(`count(${q})`)).result[0]?.value[1] ?? 0);
  return {
    burnrate: await count('{__name__=~"slo:.+", slo_service=~"svc-.+"}'),
    sloth: await count('{__name__=~"slo:.+|sloth_slo_info", sloth_service=~"svc-.+"}'),
    raw: await count(`${METRIC}`),
  };
}

/**
 * Period SLI of both rule sets against the exact ratio at one instant. The exact ratio is
 * increase(bad[30d]) / increase(total[30d]) over the raw samples when they cover the month, and
 * the model's own counts (`traffic.truth`) when the month's start has only model-computed
 * recorded series (`modelMonth`); where both exist their difference is reported (a check of the
 * model's counts against Prometheus's).
 */
async function accuracy(prom, c, traffic, modelMonth) {
  const t = nowS() - 5;
  const exact = await prom.query(
    `sum by (service_name, route) (increase(${METRIC}{error_type!=""}[30d])) / sum by (service_name, route) (increase(${METRIC}[30d]))`,
    t
  );
  const br = await prom.query('slo:sli_error:ratio_rate30d{slo_service=~"svc-.+"}', t);
  const sl = await prom.query('slo:sli_error:ratio_rate30d{sloth_service=~"svc-.+"}', t);
  const byKey = (res, sloLabel) =>
    new Map(res.result.map((r) => [`${r.metric[sloLabel]}|${r.metric.route}`, Number(r.value[1])]));
  const rawEx = new Map(
    exact.result.map((r) => [`slo-${r.metric.service_name.replace('app-', '')}|${r.metric.route}`, Number(r.value[1])])
  );
  const modelEx = traffic.truth(t, 30 * 86400);
  if (modelMonth && !modelEx) {
    throw new Error(`the model's counts at ${new Date(t * 1000).toISOString()} and 30d before were not kept`);
  }
  const ex = modelMonth ? modelEx : rawEx;
  const b = byKey(br, 'slo');
  const s = byKey(sl, 'sloth_slo');
  const rows = [];
  for (const [k, e] of ex) {
    rows.push({ key: k, exact: e, burnrate: b.get(k), sloth: s.get(k) });
  }
  // Burnrate's period window trails real time by up to an hour (hourly rollups). The error of the
  // method alone: each SLO's 30d expression at its own newest rollup's timestamp (the groups run at
  // different offsets within the hour) against the exact ratio at that instant, and Sloth-style's
  // 30d expression at the same instant.
  const newest = await prom.query(
    'max by (slo) (max_over_time(timestamp(slo:sli_events:increase1h{slo_service=~"svc-.+"})[2h:1m]))',
    t
  );
  const rawExR = new Map();
  const modelExR = new Map();
  const bR = new Map();
  const sR = new Map();
  const instants = [];
  for (const n of newest.result) {
    const slo = n.metric.slo;
    const tr = Number(n.value[1]);
    instants.push(tr);
    const put = async (map, expr) => {
      for (const r of (await prom.query(expr, tr)).result) {
        map.set(`${slo}|${r.metric.route}`, Number(r.value[1]));
      }
    };
    const br = `slo="${slo}", slo_service=~"svc-.+"`;
    const sl = `sloth_slo="${slo}", sloth_service=~"svc-.+"`;
    // The generated rule's range: a minute short of 30d, so that it sums 720 hourly rollups.
    await put(
      bR,
      `sum by (route) (sum_over_time(slo:sli_error_events:increase1h{${br}}[29d23h59m])) / sum by (route) (sum_over_time(slo:sli_events:increase1h{${br}}[29d23h59m]))`
    );
    await put(
      sR,
      `sum by (route) (sum_over_time(slo:sli_error:ratio_rate5m{${sl}}[30d])) / sum by (route) (count_over_time(slo:sli_error:ratio_rate5m{${sl}}[30d]))`
    );
    if (!modelMonth) {
      const app = `service_name="app-${slo.replace('slo-', '')}"`;
      await put(
        rawExR,
        `sum by (route) (increase(${METRIC}{${app}, error_type!=""}[30d])) / sum by (route) (increase(${METRIC}{${app}}[30d]))`
      );
    }
    for (const [k, v] of traffic.truth(tr, 30 * 86400) ?? []) {
      if (k.startsWith(`${slo}|`)) {
        modelExR.set(k, v);
      }
    }
  }
  const exR = modelMonth ? modelExR : rawExR;
  const rowsR = [...exR].map(([k, e]) => ({ key: k, exact: e, burnrate: bR.get(k), sloth: sR.get(k) }));
  const rel = (x, e) => (x === undefined ? NaN : Math.abs(x / e - 1));
  const budgetPts = (x, e) => (x === undefined ? NaN : Math.abs(x - e) / 0.01);
  const summary = (f, key, rs = rows) => {
    const v = rs.map((r) => f(r[key], r.exact)).filter((x) => !Number.isNaN(x));
    return { median: median(v), max: Math.max(...v), routes: v.length };
  };
  // The model's counts against Prometheus's increase() over the raw samples, where those cover the month.
  const agreement = (raw, model) => {
    if (modelMonth || !model) {
      return undefined;
    }
    const v = [...raw].filter(([k]) => model.has(k)).map(([k, x]) => Math.abs(model.get(k) / x - 1));
    return { median: median(v), max: Math.max(...v), routes: v.length };
  };
  return {
    at: new Date(t * 1000).toISOString(),
    historyHours: c.historyHours,
    monthHours: c.monthHours,
    exactFrom: modelMonth ? 'model' : 'raw',
    modelAgainstRaw: { served: agreement(rawEx, modelEx), atRollup: agreement(rawExR, modelExR) },
    routes: rows.length,
    exactQueryMs: exact.evalMs,
    relativeError: { burnrate: summary(rel, 'burnrate'), sloth: summary(rel, 'sloth') },
    budgetError: { burnrate: summary(budgetPts, 'burnrate'), sloth: summary(budgetPts, 'sloth') },
    atRollup: {
      at: `${new Date(Math.min(...instants) * 1000).toISOString()} to ${new Date(Math.max(...instants) * 1000).toISOString()}`,
      basis: "each SLO's newest rollup",
      relativeError: { burnrate: summary(rel, 'burnrate', rowsR), sloth: summary(rel, 'sloth', rowsR) },
      budgetError: { burnrate: summary(budgetPts, 'burnrate', rowsR), sloth: summary(budgetPts, 'sloth', rowsR) },
    },
    exactRatio: {
      median: median(rows.map((r) => r.exact)),
      min: Math.min(...rows.map((r) => r.exact)),
      max: Math.max(...rows.map((r) => r.exact)),
    },
    worstSloth: rows.sort((x, y) => rel(y.sloth, y.exact) - rel(x.sloth, x.exact)).slice(0, 3),
  };
}

/** Panel- and dashboard-style queries on each rule set's series, repeated; Prometheus's eval time. */
async function panelQueries(prom) {
  const B = 'slo_service=~"svc-.+"';
  const S = 'sloth_service=~"svc-.+"';
  const contract =
    'slo:(sli_error:ratio_rate30d|period_burn_rate:ratio|period_error_budget_remaining:ratio|current_burn_rate:ratio)';
  const queries = [
    [
      'contract series of all SLOs (list page, overview panel)',
      `{__name__=~"${contract}", ${B}}`,
      `{__name__=~"${contract}", ${S}}`,
    ],
    [
      'one SLO, every window (detail page)',
      '{__name__=~"slo:sli_error:ratio_rate.+", slo="slo-0", slo_service="svc-0"}',
      '{__name__=~"slo:sli_error:ratio_rate.+", sloth_slo="slo-0", sloth_service="svc-0"}',
    ],
    [
      'budget remaining of all SLOs, last 15m at 1m (range)',
      `slo:period_error_budget_remaining:ratio{${B}}`,
      `slo:period_error_budget_remaining:ratio{${S}}`,
      'range',
    ],
    [
      'worst 5m burn rate per SLO (topk panel)',
      `topk(10, max by (slo) (slo:current_burn_rate:ratio{${B}}))`,
      `topk(10, max by (sloth_slo) (slo:current_burn_rate:ratio{${S}}))`,
    ],
  ];
  const REPS = 10;
  const rows = [];
  for (const [name, qb, qs, kind] of queries) {
    const row = { name };
    for (const [set, q] of [
      ['burnrate', qb],
      ['sloth', qs],
    ]) {
      const ev = [];
      const wall = [];
      let n = 0;
      for (let i = 0; i < REPS; i++) {
        const t = nowS();
        const r = kind === 'range' ? await prom.queryRange(q, t - 900, t, 60) : await prom.query(q, t);
        ev.push(r.evalMs);
        wall.push(r.wallMs);
        n = r.result.length;
      }
      row[set] = { query: q, evalMsMedian: median(ev), wallMsMedian: median(wall), series: n };
    }
    rows.push(row);
  }
  return rows;
}

/**
 * The 1d, 3d and 30d windows as served at every minute from `fromS` to `toS` against the exact
 * ratio over the window ending at that minute (the model's counts), per route-minute: the relative
 * error, and the smallest relative error against the exact windows ending up to 5 minutes earlier
 * (within that, the window is "at most 5 minutes behind"). Burnrate's SLOs with even numbers have
 * the tails a window ago (as after a window of running), the odd ones none (the first window
 * after the rules arrive); Sloth-style's values exist while its rules were loaded.
 */
async function accuracyOverMinutes(prom, traffic, fromS, toS, firstRollup) {
  const from = Math.ceil(fromS / 60) * 60;
  const to = Math.floor(toS / 60) * 60;
  const windows = {};
  for (const [name, w] of WINDOWS) {
    const exact = new Map();
    const exactAt = (t) => {
      if (!exact.has(t)) {
        exact.set(t, traffic.truth(t, w));
      }
      return exact.get(t);
    };
    windows[name] = {};
    for (const [set, sel, sloLabel] of [
      ['burnrate', 'slo_service=~"svc-.+"', 'slo'],
      ['sloth', 'sloth_service=~"svc-.+"', 'sloth_slo'],
    ]) {
      const res = await prom.queryRange(`slo:sli_error:ratio_rate${name}{${sel}}`, from, to, 60);
      const errors = { steady: [], first: [], beforeRollup: [], afterRollup: [] };
      for (const s of res.result) {
        const slo = s.metric[sloLabel];
        const key = `${slo}|${s.metric.route}`;
        const i = Number(slo.replace('slo-', ''));
        const regime = i % 2 === 0 ? 'steady' : 'first';
        // Burnrate's tails restart at each SLO's first live rollup (the next :period evaluation,
        // up to 3 minutes on): before it they may continue the bench's written tails or start cold.
        const restart = set === 'burnrate' ? firstRollup(i) + 180 : undefined;
        for (const [t, v] of s.values) {
          const e = exactAt(t)?.get(key);
          if (!(e > 0)) {
            continue;
          }
          const rel = Math.abs(Number(v) / e - 1);
          let behind = rel;
          for (let k = 1; k <= 5; k++) {
            const ek = exactAt(t - 60 * k)?.get(key);
            if (ek > 0) {
              behind = Math.min(behind, Math.abs(Number(v) / ek - 1));
            }
          }
          errors[regime].push([rel, behind]);
          if (restart !== undefined) {
            errors[t >= restart ? 'afterRollup' : 'beforeRollup'].push([rel, behind]);
          }
        }
      }
      errors.all = [...errors.steady, ...errors.first];
      if (set !== 'burnrate') {
        delete errors.beforeRollup;
        delete errors.afterRollup;
      }
      windows[name][set] = Object.fromEntries(Object.entries(errors).map(([k, xs]) => [k, errorSummary(xs)]));
    }
  }
  return { from: new Date(from * 1000).toISOString(), to: new Date(to * 1000).toISOString(), minutes: (to - from) / 60 + 1, windows };
}

/** [[relative error, within 5 minutes]] -> median, p99, worst, and shares within 1%. */
function errorSummary(xs) {
  const rel = xs.map((x) => x[0]).sort((a, b) => a - b);
  const q = (p) => (rel.length ? rel[Math.min(rel.length - 1, Math.floor(p * rel.length))] : NaN);
  return {
    routeMinutes: xs.length,
    median: q(0.5),
    p99: q(0.99),
    max: rel.length ? rel[rel.length - 1] : NaN,
    within1pct: xs.filter((x) => x[0] <= 0.01).length / xs.length,
    within1pctOr5minBehind: xs.filter((x) => x[1] <= 0.01).length / xs.length,
    maxWithin5min: xs.reduce((m, x) => Math.max(m, x[1]), 0),
  };
}

/** Offsets and intervals of SLO `i`'s groups, for modelTails. */
function tailPhases(burnrate, file, i) {
  const of = (part) => burnrate.find((g) => g.name === `burnrate:${serviceOf(i)}:slo-${i}${part}`);
  const [main, period, rollup] = [of(''), of(':period'), of(':rollup')];
  const s = (g) => durationSeconds(g.interval);
  return {
    phases: {
      main: groupPhase(main.name, file, s(main)),
      period: groupPhase(period.name, file, s(period)),
      rollup: groupPhase(rollup.name, file, s(rollup)),
    },
    mainS: s(main),
    periodS: s(period),
  };
}

/** Writes OpenMetrics `tails.text` and converts it into blocks in dataDir. */
async function tailBlocks(name, tails, work, dataDir) {
  const file = path.join(work, `tails-${name}.om`);
  fs.writeFileSync(file, tails.text + '# EOF\n');
  const t0 = Date.now();
  await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir], { quiet: true });
  fs.unlinkSync(file);
  return { samples: tails.samples, promtoolMs: Date.now() - t0 };
}

main().catch((e) => {
  console.error(e);
  stopAllSync();
  process.exit(1);
});
