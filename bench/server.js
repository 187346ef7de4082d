// Server latency: list, status and gate of the Burnrate server (build/server/app.js) with 1,000
// SLOs in a temp SQLite database, against the bench Prometheus, at concurrency 16 from Node.
// Run by bench/run.js as a child process (its own event loop, apart from the bench's exporter):
//   BENCH_PROM_URL=http://127.0.0.1:PORT BENCH_DATASET_SLOS=N node bench/server.js
// Prints one JSON object. 127.0.0.1 only; the temp directory is removed at the end.
// The server runs in a child process of its own (lib/serverChild.js), so that the
// load generator's fetch calls do not share its event loop; the child reports its CPU time, and
// the figures include server CPU ms per request.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { randomBytes } = require('crypto');
const { load: loadWith } = require('./lib/load');
const { startChild } = require('./lib/serverChild');
const { serviceOf } = require('./lib/rulesets');
const { mulberry32, routeName } = require('./lib/traffic');

const PROM = process.env.BENCH_PROM_URL;
const TOTAL_SLOS = Number(process.env.BENCH_SERVER_SLOS || 1000);
const DATASET_SLOS = Number(process.env.BENCH_DATASET_SLOS || 5);
const ROUTES = Number(process.env.BENCH_ROUTES || 4);
const REQUESTS = Number(process.env.BENCH_REQUESTS || 1000);
const CONCURRENCY = 16;
const MAX_MS_PER_ENDPOINT = 60000;

const load = (url, token, pathFor, requests = REQUESTS) =>
  loadWith(url, token, pathFor, { requests, concurrency: CONCURRENCY, maxMs: MAX_MS_PER_ENDPOINT });

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-server-'));
  const token = `brt_bench_${randomBytes(24).toString('hex')}`;
  const out = {
    slos: TOTAL_SLOS,
    datasetSlos: DATASET_SLOS,
    concurrency: CONCURRENCY,
    requestsPerEndpoint: REQUESTS,
    runs: {},
  };
  let current;
  try {
    const config = (cacheMs) => ({
      host: '127.0.0.1',
      port: 0,
      dbPath: path.join(dir, 'burnrate.db'),
      prometheusUrl: PROM,
      prometheusRules: { mode: 'none' },
      bootstrapAdminToken: token,
      maxBodyBytes: 1 << 20,
      upstreamTimeoutMs: 10000,
      upstreamRetries: 1,
      reconcileIntervalMs: 3600000,
      statusCacheMs: cacheMs,
      logLevel: 'error',
    });
    const rand = mulberry32(7);
    const withData = () => Math.floor(rand() * DATASET_SLOS);
    let first = true;
    for (const [mode, cacheMs] of [
      ['no cache (every request queries Prometheus)', 0],
      ['default 5 s status cache', 5000],
    ]) {
      current = startChild(config(cacheMs), first ? TOTAL_SLOS : 0);
      const hello = await current.ready;
      if (first) {
        out.createMs = hello.createMs;
        first = false;
      }
      const measure = async (pathFor) => {
        // Warm-up, not measured: a fifth as many requests first, so the figures are those of a
        // server in use (a dashboard or CI fleet polling), not of its first request per service.
        await load(hello.url, token, pathFor, Math.ceil(REQUESTS / 5));
        const c0 = await current.cpuMs();
        const r = await load(hello.url, token, pathFor);
        r.serverCpuMsPerRequest = ((await current.cpuMs()) - c0) / r.requests;
        return r;
      };
      const r = {};
      r.list100 = await measure(() => '/api/v1/slos');
      r.list1000 = await measure(() => '/api/v1/slos?limit=1000');
      r.status = await measure(() => {
        const i = withData();
        return `/api/v1/slos/${serviceOf(i)}/slo-${i}/status`;
      });
      r.gate = await measure(() => {
        const i = withData();
        return `/api/v1/gate?service=${serviceOf(i)}&route=${encodeURIComponent(routeName(Math.floor(rand() * ROUTES)))}`;
      });
      out.runs[mode] = r;
      await current.stop();
      current = undefined;
    }
  } finally {
    if (current) {
      current.child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
