// Does rule delivery block the server? A real server (build/server/app.js, in a child process of
// its own) with a temp SQLite database delivers N SLOs to a rules directory that a real
// Prometheus loads, while this process keeps asking /healthz, the status of one SLO and the gate
// of one service, one request at a time each. Phases:
//   import   POST /api/v1/import of all N SLOs (one JSON body), then the first delivery
//   passes   reconcile passes with nothing changed (POST /api/v1/sync, back to back, at least
//            BENCH_PASSES of them and for at least BENCH_PASS_SECONDS, default 3 and 15 s)
//   change   one SLO updated (PUT), then a pass
// Per phase: its duration, latency p50/p99/max of each probe, and the server's event-loop delay
// (perf_hooks.monitorEventLoopDelay at its 10 ms resolution, measured inside the server process:
// an idle loop shows about 10 ms).
//
//   npm run build:node && BENCH_SLOS=1000 node bench/eventLoop.js
//
// BENCH_SLOS (default 1000). Prints one JSON object and writes
// bench/results/eventLoop-<N>.json. Everything listens on 127.0.0.1; the processes started are
// stopped by pid and the temp directory is removed at the end (BENCH_KEEP=1 keeps it).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { randomBytes } = require('crypto');
const { fork } = require('child_process');
const { monitorEventLoopDelay } = require('perf_hooks');
const { Prometheus } = require('./lib/prometheus');
const { freePort, sleep } = require('./lib/proc');
const { nativeDocs, serviceOf } = require('./lib/rulesets');

const N = Number(process.env.BENCH_SLOS || 1000);
const PASSES = Number(process.env.BENCH_PASSES || 3);
/** Passes run back to back for at least this long, so that the probes see enough of them. */
const PASSES_MIN_MS = Number(process.env.BENCH_PASS_SECONDS || 15) * 1000;
const PROBE_TIMEOUT_MS = 60000;
/** A phase never runs longer than this: the bench stops and reports what it saw. */
const PHASE_LIMIT_MS = 10 * 60000;

function pct(xs, p) {
  if (xs.length === 0) {
    return null;
  }
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const round = (x) => (x === null ? null : Math.round(x * 10) / 10);

/** Child: the server, and its event-loop delay on request. */
async function serve() {
  const { startServer } = require('../build/server/app');
  const { createLogger } = require('../build/server/log');
  const s = await startServer(
    JSON.parse(process.env.BENCH_SERVER_CONFIG),
    createLogger('warn', (l) => process.stderr.write(l + '\n'))
  );
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  // BENCH_CPU_PROF also logs each stall over 80 ms with its end time in the profile's clock
  // (microseconds of process.hrtime), to find what ran then.
  if (process.env.BENCH_CPU_PROF) {
    let last = process.hrtime.bigint();
    setInterval(() => {
      const now = process.hrtime.bigint();
      if (now - last > 80_000_000n) {
        process.stderr.write(`stall ${(now - last) / 1_000_000n} ms ending at ${now / 1000n} us\n`);
      }
      last = now;
    }, 10).unref();
  }
  process.on('message', async (m) => {
    if (m === 'eld') {
      const ms = (ns) => round(ns / 1e6);
      const u = process.cpuUsage();
      process.send({ eld: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) }, cpuMs: (u.user + u.system) / 1000 });
      eld.reset();
    } else if (m === 'stop') {
      await s.close();
      process.exit(0);
    }
  });
  process.send({ url: s.url });
}

function startChild(config) {
  const child = fork(__filename, ['serve'], {
    env: { ...process.env, BENCH_SERVER_CONFIG: JSON.stringify(config) },
    // BENCH_CPU_PROF=dir writes the server's CPU profile there (where a stall comes from).
    execArgv: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const message = () =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`server child exited ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  return {
    child,
    ready: message(),
    eld: () => {
      const p = message();
      child.send('eld');
      return p;
    },
    stop: () =>
      new Promise((resolve) => {
        const t = setTimeout(() => child.kill('SIGKILL'), 15000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.send('stop');
      }),
  };
}

async function call(url, token, method, p, body, headers = {}, timeoutMs = PROBE_TIMEOUT_MS) {
  const t0 = performance.now();
  try {
    const res = await fetch(url + p, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t0, etag: res.headers.get('etag') };
  } catch (e) {
    return { status: e.name === 'TimeoutError' ? `timeout (${timeoutMs / 1000} s)` : `error ${e.message}`, ms: performance.now() - t0 };
  }
}

/** Sequential probes, one loop per path, until stopped; latencies by probe. */
function probes(url, token, paths) {
  let stopped = false;
  const out = {};
  const loops = Object.entries(paths).map(async ([name, p]) => {
    const lat = [];
    const statuses = {};
    while (!stopped) {
      const r = await call(url, token, 'GET', p);
      lat.push(r.ms);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      await sleep(20);
    }
    out[name] = { requests: lat.length, p50: round(pct(lat, 50)), p99: round(pct(lat, 99)), max: round(Math.max(...lat)), statuses };
  });
  return async () => {
    stopped = true;
    await Promise.all(loops);
    return out;
  };
}

async function phase(server, url, token, paths, fn) {
  await server.eld(); // resets the histogram
  const stop = probes(url, token, paths);
  const t0 = performance.now();
  let detail;
  let limit;
  try {
    const timeout = new Promise((resolve) => {
      limit = setTimeout(() => resolve({ error: `not done within ${PHASE_LIMIT_MS / 60000} min` }), PHASE_LIMIT_MS);
    });
    detail = await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(limit);
    // Let the probes see the end of the phase (a pass's last writes, Prometheus's reload).
    await sleep(200);
  }
  const ms = performance.now() - t0;
  const latency = await stop();
  const e = await server.eld();
  return { ms: Math.round(ms), ...detail, latency, eventLoopDelayMs: e.eld, serverCpuMs: Math.round(e.cpuMs) };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-eventloop-'));
  const rulesDir = path.join(dir, 'rules');
  fs.mkdirSync(rulesDir);
  fs.mkdirSync(path.join(dir, 'prom'));
  const configFile = path.join(dir, 'prometheus.yml');
  // Prometheus's own pace (1m) for the rules; nothing to scrape: this measures delivery.
  fs.writeFileSync(configFile, `global:\n  evaluation_interval: 1m\nrule_files:\n  - ${JSON.stringify(path.join(rulesDir, '*.yaml'))}\n`);
  const prom = new Prometheus({ port: await freePort(), dataDir: path.join(dir, 'prom'), configFile });
  const token = `brt_bench_${randomBytes(24).toString('hex')}`;
  let server;
  const out = { slos: N, machine: `${os.cpus()[0].model}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at start`, node: process.version };
  try {
    await prom.start();
    // The server as `burnrate serve` runs it (default timeouts and status cache), with passes
    // driven from here instead of every 30 s, and a body limit that admits the import.
    server = startChild({
      host: '127.0.0.1',
      port: 0,
      dbPath: path.join(dir, 'burnrate.db'),
      prometheusUrl: prom.url,
      prometheusRules: { mode: 'directory', dir: rulesDir },
      bootstrapAdminToken: token,
      maxBodyBytes: 64 << 20,
      upstreamTimeoutMs: 5000,
      upstreamRetries: 2,
      reconcileIntervalMs: 3600000,
      statusCacheMs: 5000,
      logLevel: 'warn',
    });
    const { url } = await server.ready;
    const paths = {
      healthz: '/healthz',
      status: `/api/v1/slos/${serviceOf(0)}/slo-0/status`,
      gate: `/api/v1/gate?service=${serviceOf(0)}&route=%2Fchat`,
    };
    // One document per service, each written as JSON (a YAML flow mapping), between `---` lines.
    const body = nativeDocs(N).map((d) => JSON.stringify(d)).join('\n---\n');
    out.importBytes = body.length;
    const sync = async () => {
      const r = await call(url, token, 'POST', '/api/v1/sync', undefined, {}, PHASE_LIMIT_MS);
      return { status: r.status, ms: Math.round(r.ms), ok: r.status === 200 ? JSON.parse(r.text).lastRun?.ok : undefined };
    };
    // Groups Prometheus has loaded, from its own /metrics (one prometheus_rule_group_rules line per
    // group): /api/v1/rules lists every rule and takes minutes at 10,000 SLOs.
    const loaded = async () => {
      const files = fs.readdirSync(rulesDir).filter((f) => f.endsWith('.yaml')).length;
      try {
        const text = await (await fetch(`${prom.url}/metrics`, { signal: AbortSignal.timeout(120000) })).text();
        return { files, groupsLoaded: (text.match(/^prometheus_rule_group_rules\{/gm) ?? []).length };
      } catch (e) {
        return { files, groupsLoaded: `unknown: ${e.message}` };
      }
    };
    out.phases = {};
    // /healthz alone while the server is idle: the floor for the figures below.
    out.phases.idle = await phase(server, url, token, paths, () => sleep(3000).then(() => ({})));
    out.phases.import = await phase(server, url, token, paths, async () => {
      const r = await call(url, token, 'POST', '/api/v1/import?from=burnrate', body, {}, PHASE_LIMIT_MS);
      const importMs = Math.round(r.ms);
      if (r.status !== 201) {
        return { error: `import answered ${r.status}: ${String(r.text).slice(0, 300)}` };
      }
      // The import schedules a pass; this sync resolves after a pass that saw every SLO.
      const first = await sync();
      return { importMs, importStatus: r.status, firstDelivery: first };
    });
    out.afterImport = await loaded();
    out.phases.passes = await phase(server, url, token, paths, async () => {
      const runs = [];
      const t0 = performance.now();
      while (runs.length < PASSES || performance.now() - t0 < PASSES_MIN_MS) {
        runs.push(await sync());
      }
      const ms = runs.map((r) => r.ms);
      return { passes: runs.length, passMs: { p50: pct(ms, 50), max: Math.max(...ms) }, allOk: runs.every((r) => r.ok) };
    });
    out.phases.change = await phase(server, url, token, paths, async () => {
      const p = `/api/v1/slos/${serviceOf(1)}/slo-1`;
      const g = await call(url, token, 'GET', p);
      const spec = JSON.parse(g.text).spec;
      const put = await call(url, token, 'PUT', p, JSON.stringify({ ...spec, objective: 0.995 }), { 'If-Match': g.etag });
      return { putStatus: put.status, putMs: Math.round(put.ms), pass: await sync() };
    });
    out.atEnd = await loaded();
  } finally {
    if (server) {
      await server.stop();
    }
    await prom.stop();
    if (process.env.BENCH_KEEP !== '1') {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const text = JSON.stringify(out, null, 1);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', `eventLoop-${N}.json`), text + '\n');
  process.stdout.write(text + '\n');
}

(process.argv[2] === 'serve' ? serve() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
