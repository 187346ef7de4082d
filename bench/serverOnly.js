// The server part of the bench alone, without the Sloth-style set and the month of history:
// a Prometheus holding Burnrate's rules for BENCH_SLOS x BENCH_ROUTES (default 200 x 10) over
// BENCH_HISTORYHOURS (default 3) of the bench's traffic, then bench/server.js against it
// (1,000 SLOs stored, the first BENCH_SLOS with data, concurrency 16).
//   npm run build:node && node bench/serverOnly.js
// Writes bench/results/server-only.json. The 1d/3d/period series need hourly rollups, which a
// fresh Prometheus does not have yet: status here reads the 5m..6h windows, burn rates and
// metadata only (about 60% of the contract series of the full run). 127.0.0.1 only.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startWithRules } = require('./lib/liveRun');
const { burnrateGroups } = require('./lib/rulesets');
const { run, sleep, stopAllSync } = require('./lib/proc');

const SLOS = Number(process.env.BENCH_SLOS || 200);
const ROUTES = Number(process.env.BENCH_ROUTES || 10);
const HOURS = Number(process.env.BENCH_HISTORYHOURS || 3);
const log = (m) => process.stderr.write(`[server-only ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-server-only-'));
  let prom;
  let exporter;
  try {
    ({ prom, exporter } = await startWithRules(work, burnrateGroups(SLOS), {
      slos: SLOS,
      routes: ROUTES,
      hours: HOURS,
      log,
    }));
    log(`prometheus with Burnrate's rules for ${SLOS} x ${ROUTES} on ${prom.url}; two evaluation cycles first`);
    await sleep(150000);
    const out = await run(process.execPath, [path.join(__dirname, 'server.js')], {
      env: {
        ...process.env,
        BENCH_PROM_URL: prom.url,
        BENCH_DATASET_SLOS: String(SLOS),
        BENCH_ROUTES: String(ROUTES),
        BENCH_REQUESTS: '500',
      },
    });
    const result = {
      at: new Date().toISOString(),
      slos: SLOS,
      routes: ROUTES,
      historyHours: HOURS,
      loadavg: os.loadavg(),
      server: JSON.parse(out.trim().split('\n').pop()),
    };
    fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    fs.writeFileSync(path.join(__dirname, 'results', 'server-only.json'), JSON.stringify(result, null, 2) + '\n');
    for (const [mode, eps] of Object.entries(result.server.runs)) {
      for (const [name, x] of Object.entries(eps)) {
        log(
          `${mode} ${name}: p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms, ${x.serverCpuMsPerRequest.toFixed(2)} ms CPU/request, ${JSON.stringify(x.statuses)}`
        );
      }
    }
  } finally {
    await prom?.stop();
    exporter?.close();
    stopAllSync();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  stopAllSync();
  process.exit(1);
});
