// The server at scale: N SLOs (BENCH_SCALE, default 10,000) stored on SQLite and then on
// PostgreSQL (a throwaway PostgreSQL 15 cluster), each in a server process of its own against the
// same Prometheus. Per store:
//   create        N SLOs stored one after another (validation + store.create, as the API's POST)
//   first pass    the first reconcile pass: N rule files written to a rules directory
//   idle          list (random pages of 100 and of 1,000), status of one SLO, gate of one service
//   passes        status and gate again while reconcile passes run back to back (POST
//                 /api/v1/sync as soon as the last one answered), with the passes that
//                 overlapped each measurement and how long each took
// Latency at concurrency 16 from Node (bench/lib/load.js): BENCH_REQUESTS per endpoint (default
// 1,000; at most 60 s each; status and gate for at least BENCH_PASS_SECONDS, default 20) after a
// warm-up of a fifth as many, with the default 5 s status cache.
//
//   npm run bench:scale                      (npm run build:node && node bench/serverScale.js)
//   BENCH_SCALE=200 npm run bench:scale      a quick run
//
// The Prometheus holds Burnrate's rules and BENCH_HISTORYHOURS (default 2) of the bench traffic
// for the first BENCH_DATASET_SLOS (default 20) SLOs x 4 routes; status and gate ask about those.
// The server delivers to a rules directory (mode `directory`) and reloads that same Prometheus,
// which does not load the directory: the passes do the server's whole share of the work (read
// every SLO, render, compare every file, record states, reload, confirm against /api/v1/rules
// every 10 passes) but Prometheus never evaluates the N SLOs' rules, which would swamp 2 cores.
// So every SLO stays `pending` ("Prometheus has not loaded ...") and each pass reports ok=false.
// Writes bench/results/server-scale-<N>.json. 127.0.0.1 only; every process started here is
// stopped by its pid (PostgreSQL by its process group) and the temp directory is removed.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { randomBytes } = require('crypto');
const { startWithRules } = require('./lib/liveRun');
const { burnrateGroups, serviceOf } = require('./lib/rulesets');
const { mulberry32, routeName } = require('./lib/traffic');
const { sleep, stopAllSync } = require('./lib/proc');
const { load } = require('./lib/load');
const { startChild } = require('./lib/serverChild');
const { startPassLoop, passesDuring, syncOnce } = require('./lib/passLoop');
const { startPostgres, postgresVersion } = require('./lib/postgres');
const { machine } = require('./lib/machine');

const N = Number(process.env.BENCH_SCALE || 10000);
const DATA_SLOS = Number(process.env.BENCH_DATASET_SLOS || 20);
const ROUTES = 4;
const HOURS = Number(process.env.BENCH_HISTORYHOURS || 2);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 1000);
const STORES = (process.env.BENCH_STORES || 'sqlite,postgres').split(',');
const CONCURRENCY = 16;
/** Status reads the recorded series: give Prometheus two evaluation cycles before measuring. */
const PROM_WARM_MS = 130000;
/** Status and gate are measured for at least this long each (BENCH_PASS_SECONDS, default 20). */
const PASS_WINDOW_MS = Number(process.env.BENCH_PASS_SECONDS || 20) * 1000;
const log = (m) => process.stderr.write(`[server-scale ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const r1 = (x) => (x === null || x === undefined ? x : Math.round(x * 10) / 10);

async function measureStore(store, { work, prom, promReadyAt, pg, token }) {
  const rulesDir = path.join(work, `rules-${store}`);
  fs.mkdirSync(rulesDir);
  const config = {
    host: '127.0.0.1',
    port: 0,
    dbPath: path.join(work, 'burnrate.db'),
    ...(store === 'postgres' ? { databaseUrl: await pg.createDatabase('bench_scale') } : {}),
    prometheusUrl: prom.url,
    prometheusRules: { mode: 'directory', dir: rulesDir },
    bootstrapAdminToken: token,
    maxBodyBytes: 1 << 20,
    upstreamTimeoutMs: 10000,
    upstreamRetries: 1,
    // Passes are driven from here (POST /api/v1/sync); the timer's would only add to them.
    reconcileIntervalMs: 3600000,
    statusCacheMs: 5000,
    logLevel: 'error',
  };
  const out = {};
  log(`${store}: starting the server and storing ${N} SLOs`);
  const server = startChild(config, N);
  try {
    const hello = await server.ready;
    out.createMs = Math.round(hello.createMs);
    out.createPerSloMs = r1(hello.createMs / N);
    log(`${store}: created ${N} SLOs in ${out.createMs} ms; first pass`);
    const first = await syncOnce(hello.url, token);
    out.firstPass = {
      ms: Math.round(first.t1 - first.t0),
      status: first.status,
      ok: first.ok,
      files: fs.readdirSync(rulesDir).length,
    };
    log(`${store}: first pass ${out.firstPass.ms} ms, ${out.firstPass.files} files`);
    const wait = promReadyAt + PROM_WARM_MS - Date.now();
    if (wait > 0) {
      log(`${store}: waiting ${Math.round(wait / 1000)} s for Prometheus's first evaluation cycles`);
      await sleep(wait);
    }
    const rand = mulberry32(7);
    const withData = () => Math.floor(rand() * DATA_SLOS);
    const pages = (size) => () => `/api/v1/slos?limit=${size}&offset=${size * Math.floor((rand() * N) / size)}`;
    const statusPath = () => {
      const i = withData();
      return `/api/v1/slos/${serviceOf(i)}/slo-${i}/status`;
    };
    const gatePath = () =>
      `/api/v1/gate?service=${serviceOf(withData())}&route=${encodeURIComponent(routeName(Math.floor(rand() * ROUTES)))}`;
    const measure = async (name, pathFor, requests = REQUESTS, minMs = 0) => {
      await load(hello.url, token, pathFor, { requests: Math.ceil(requests / 5), concurrency: CONCURRENCY });
      const c0 = await server.cpuMs();
      const from = performance.now();
      const r = await load(hello.url, token, pathFor, { requests, concurrency: CONCURRENCY, minMs });
      const to = performance.now();
      const res = {
        ...r,
        p50: r1(r.p50),
        p99: r1(r.p99),
        max: r1(r.max),
        perSecond: r1(r.perSecond),
        serverCpuMsPerRequest: r1(((await server.cpuMs()) - c0) / r.requests),
      };
      log(
        `${store} ${name}: p50 ${res.p50} ms, p99 ${res.p99} ms, ${res.requests} requests ${JSON.stringify(res.statuses)}`
      );
      return { res, from, to };
    };
    out.idle = {};
    // Lists answer with live status for every SLO on the page: fewer requests of the big pages.
    out.idle.list100 = (await measure('idle list100', pages(100), Math.min(REQUESTS, 500))).res;
    out.idle.list1000 = (await measure('idle list1000', pages(1000), Math.min(REQUESTS, 100))).res;
    // As long as the measurements while passes run, so that both see as many 5 s cache expiries.
    out.idle.status = (await measure('idle status', statusPath, REQUESTS, PASS_WINDOW_MS)).res;
    out.idle.gate = (await measure('idle gate', gatePath, REQUESTS, PASS_WINDOW_MS)).res;
    log(`${store}: status and gate while passes run back to back`);
    const passes = startPassLoop(hello.url, token);
    out.duringPasses = {};
    const windows = {};
    try {
      // Measured from the end of the loop's first pass on, for at least PASS_WINDOW_MS each, so
      // that each window spans several passes, the slower ones among them (every 10th pass
      // re-reads every rule file and confirms against Prometheus).
      await passes.until(1);
      for (const [name, pathFor] of [
        ['status', statusPath],
        ['gate', gatePath],
      ]) {
        const m = await measure(`passes ${name}`, pathFor, REQUESTS, PASS_WINDOW_MS);
        out.duringPasses[name] = m.res;
        windows[name] = m;
      }
    } finally {
      const all = await passes.stop();
      const ms = all.map((p) => p.t1 - p.t0);
      out.allPasses = {
        count: all.length,
        ms: ms.map(Math.round),
        okValues: [...new Set(all.map((p) => p.ok))],
        statuses: [...new Set(all.map((p) => p.status))],
      };
      // Only now: the pass under way at the end of a window has finished.
      for (const [name, m] of Object.entries(windows)) {
        out.duringPasses[name].passes = passesDuring(all, m.from, m.to);
        log(`${store} passes during ${name}: ${JSON.stringify(out.duringPasses[name].passes)}`);
      }
    }
  } finally {
    await server.stop();
  }
  return out;
}

/** PostgreSQL over SQLite for each figure measured on both. */
function ratios(a, b) {
  const out = { createMs: r1(b.createMs / a.createMs) };
  for (const phase of ['idle', 'duringPasses']) {
    for (const [name, x] of Object.entries(a[phase] ?? {})) {
      const y = b[phase]?.[name];
      if (y) {
        out[`${phase}.${name}`] = {
          p50: Math.round((y.p50 / x.p50) * 100) / 100,
          p99: Math.round((y.p99 / x.p99) * 100) / 100,
        };
      }
    }
  }
  return out;
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-scale-'));
  const token = `brt_bench_${randomBytes(24).toString('hex')}`;
  const out = {
    at: new Date().toISOString(),
    slos: N,
    datasetSlos: DATA_SLOS,
    routes: ROUTES,
    historyHours: HOURS,
    concurrency: CONCURRENCY,
    requestsPerEndpoint: REQUESTS,
    passWindowMs: PASS_WINDOW_MS,
    statusCacheMs: 5000,
    machine: machine({ postgres: STORES.includes('postgres') ? postgresVersion() : undefined }),
    stores: {},
  };
  log(`machine: ${out.machine.nproc} cores, ${out.machine.cpuModel}, load ${out.machine.loadavgAtStart.join(' ')}`);
  let prom;
  let exporter;
  let pg;
  try {
    ({ prom, exporter } = await startWithRules(work, burnrateGroups(DATA_SLOS), {
      slos: DATA_SLOS,
      routes: ROUTES,
      hours: HOURS,
      log,
    }));
    const promReadyAt = Date.now();
    log(`prometheus with Burnrate's rules for ${DATA_SLOS} x ${ROUTES} on ${prom.url}`);
    if (STORES.includes('postgres')) {
      pg = await startPostgres();
      log(`postgres on 127.0.0.1:${pg.port}`);
    }
    for (const store of STORES) {
      out.stores[store] = await measureStore(store, { work, prom, promReadyAt, pg, token });
    }
    if (out.stores.sqlite && out.stores.postgres) {
      out.postgresOverSqlite = ratios(out.stores.sqlite, out.stores.postgres);
    }
    out.loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  } finally {
    await pg?.stop();
    await prom?.stop();
    exporter?.close();
    if (process.env.BENCH_KEEP !== '1') {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  const text = JSON.stringify(out, null, 1);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', `server-scale-${N}.json`), text + '\n');
  process.stdout.write(text + '\n');
}

main().catch((e) => {
  console.error(e);
  stopAllSync();
  process.exit(1);
});
