// `npm run demo`: Burnrate on a simulated LLM gateway, on this machine, in about a minute.
//
// 1. The simulator (src/simulator) writes N days of history (default 14) as OpenMetrics, one file
//    per day; `promtool tsdb create-blocks-from openmetrics` turns them into blocks in a fresh
//    Prometheus data dir (.burnrate/demo/prometheus).
// 2. Prometheus starts on 127.0.0.1 (--web.enable-lifecycle, --web.enable-remote-write-receiver,
//    an out-of-order window of 31d or more, retention 60d or more, rule_files =
//    the server's rules directory), scraping the simulator, which keeps serving live metrics that
//    continue the history (same counters, same seed).
// 3. The Burnrate server starts on its embedded SQLite with a fresh admin token; the example SLOs
//    (src/demo/slos.yaml) are loaded through its API and it delivers their rules.
// 4. History of the recorded series: the budget windows (1d, 3d, the period) sum the hourly
//    rollups, which Prometheus only records from now on. The server fills them, and the 5m rates
//    of the short windows over the last 6 hours, from the raw history above, as it does for any new
//    SLO (remote write into Prometheus's out-of-order window, at the live groups' own instants, so
//    nothing is counted twice). The budget windows run every 3 minutes and read the whole window
//    each time: their first evaluation after the fill shows the real numbers.
// 5. A status table (budget, burn, freeze per route) refreshes every few seconds, until Ctrl-C,
//    which stops everything started here.

import { randomBytes } from 'crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { stringify } from 'yaml';
import { loadConfig } from '../server/config';
import { startServer, RunningServer } from '../server/app';
import { createLogger } from '../server/log';
import { backfill } from '../simulator/backfill';
import { SCENARIOS } from '../simulator/model';
import { RunningSimulator, startSimulatorServer } from '../simulator/server';
import { parseOptions, usage } from './options';
import { group, pickPort, pool, run, stopChild, which } from './processes';
import { Prometheus } from './prometheusProcess';
import { renderTable, Row, rowsFromStatus, StatusAnswer, unavailableRow } from './statusTable';

const APT = 'sudo apt-get update && sudo apt-get install -y prometheus';

async function api(server: RunningServer, token: string, method: string, path: string, body?: string, type = 'application/json'): Promise<any> {
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': type } : {}) },
    body,
    signal: AbortSignal.timeout(30000),
  });
  const text = await r.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (r.status >= 300) {
    throw new Error(`${method} ${path} answered ${r.status}: ${text.slice(0, 500)}`);
  }
  return parsed;
}

// ---------- history ----------

/** Waits until the server's history backfill has run for every SLO; a failed one stops the demo. */
async function waitForBackfill(server: RunningServer, token: string, timeoutMs: number): Promise<{ slos: number; written: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = (await api(server, token, 'GET', '/api/v1/slos?status=false&limit=1000')).items as Array<{ name: string; backfill?: { state: string; written?: number; reason?: string } }>;
    const broken = items.find((i) => i.backfill?.state === 'failed' || i.backfill?.state === 'unsupported');
    if (broken) {
      throw new Error(`history backfill of ${broken.name} ${broken.backfill!.state}: ${broken.backfill!.reason}`);
    }
    if (items.every((i) => i.backfill?.state === 'done')) {
      return { slos: items.length, written: items.reduce((n, i) => n + (i.backfill!.written ?? 0), 0) };
    }
    if (Date.now() > deadline) {
      throw new Error(`history backfill not done after ${timeoutMs / 1000} s: ${items.filter((i) => i.backfill?.state !== 'done').map((i) => i.name).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function statusRows(server: RunningServer, token: string, slos: Array<{ service: string; name: string; window: string }>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of slos) {
    try {
      const st = await api(server, token, 'GET', `/api/v1/slos/${encodeURIComponent(s.service)}/${encodeURIComponent(s.name)}/status`);
      rows.push(...rowsFromStatus(s, st as StatusAnswer));
    } catch (e) {
      rows.push(unavailableRow(s, (e as Error).message));
    }
  }
  return rows;
}

// ---------- main ----------

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const say = (m: string) => process.stdout.write(`[${elapsed().padStart(7)}] ${m}\n`);

  const missing = ['prometheus', 'promtool'].filter((c) => !which(c));
  if (missing.length) {
    process.stderr.write(
      `demo: ${missing.join(' and ')} not found on PATH. The demo runs a real Prometheus; install it (Debian/Ubuntu) with:\n\n  ${APT}\n\nthen run \`npm run demo\` again.\n`
    );
    process.exit(1);
  }
  if (!existsSync(o.sloFile)) {
    usage(`no SLO file ${o.sloFile}`);
  }

  let prom: Prometheus | undefined;
  let sim: RunningSimulator | undefined;
  let server: RunningServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (code: number) => {
    if (stopped) {
      return stopped;
    }
    group.stopping = true;
    stopped = (async () => {
      if (timer) {
        clearInterval(timer);
      }
      process.stdout.write('\nstopping: simulator, Burnrate server, Prometheus ...\n');
      await sim?.close().catch(() => undefined);
      await server?.close().catch(() => undefined);
      await prom?.stop();
      await Promise.all([...group.children].map(stopChild));
      process.stdout.write(`stopped; data left in ${o.dir}\n`);
      process.exit(code);
    })();
    return stopped;
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));

  try {
    // Wipe the previous demo's data, but never a folder the demo did not make.
    if (existsSync(o.dir) && readdirSync(o.dir).length > 0 && !existsSync(join(o.dir, 'prometheus.yml')) && !existsSync(join(o.dir, 'prometheus'))) {
      throw new Error(`${o.dir} is not empty and not a demo folder: pass an empty or new --dir`);
    }
    rmSync(o.dir, { recursive: true, force: true });
    const dirs = { data: join(o.dir, 'prometheus'), rules: join(o.dir, 'rules'), history: join(o.dir, 'history'), logs: join(o.dir, 'logs') };
    Object.values(dirs).forEach((d) => mkdirSync(d, { recursive: true }));
    const ports = {
      prometheus: await pickPort(o.ports.prometheus),
      server: await pickPort(o.ports.server),
      simulator: await pickPort(o.ports.simulator),
    };

    // 1. History.
    say(`simulating ${o.days} days of LLM gateway traffic (seed ${o.seed}) ...`);
    const bf = backfill({ seed: o.seed, endMs: Date.now(), rangeMs: Math.round(o.days * 86400) * 1000 }, dirs.history);
    say(`wrote ${(bf.samples / 1e6).toFixed(2)} M samples (${(bf.bytes / 1e6).toFixed(0)} MB, ${bf.files.length} files); importing with promtool ...`);
    await pool(bf.files, 2, (f) => run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', f, dirs.data], join(dirs.logs, 'promtool.log')));
    rmSync(dirs.history, { recursive: true, force: true });
    say(`history imported: ${new Date(bf.startMs).toISOString()} to ${new Date(bf.endMs).toISOString()}`);

    // 2. Simulator (live, continuing the history) and Prometheus.
    sim = await startSimulatorServer({ simulator: bf.simulator, port: ports.simulator, logs: join(dirs.logs, 'llm-events.jsonl'), onError: () => undefined });
    const promConfig = join(o.dir, 'prometheus.yml');
    writeFileSync(
      promConfig,
      stringify({
        global: { scrape_interval: '15s', evaluation_interval: '15s' },
        // The server writes each new SLO's past rollups (up to its 30d period) by remote write.
        storage: { tsdb: { out_of_order_time_window: `${Math.max(31, Math.ceil(o.days) + 1)}d` } },
        rule_files: [join(dirs.rules, '*.yaml')],
        scrape_configs: [
          { job_name: 'llm-gateway', static_configs: [{ targets: [`127.0.0.1:${ports.simulator}`] }] },
          { job_name: 'burnrate', static_configs: [{ targets: [`127.0.0.1:${ports.server}`] }] },
        ],
      })
    );
    const retentionDays = Math.max(60, Math.ceil(o.days) + 30);
    prom = new Prometheus(
      ports.prometheus,
      [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${dirs.data}`,
        `--storage.tsdb.retention.time=${retentionDays}d`,
        `--web.listen-address=127.0.0.1:${ports.prometheus}`,
        '--web.enable-lifecycle',
        '--web.enable-remote-write-receiver',
        '--log.level=warn',
      ],
      join(dirs.logs, 'prometheus.log')
    );
    await prom.start();
    say(`Prometheus ready on ${prom.url}`);

    // 3. Burnrate server with the demo SLOs.
    const token = randomBytes(24).toString('hex');
    const config = loadConfig({
      BURNRATE_HOST: '127.0.0.1',
      BURNRATE_PORT: String(ports.server),
      BURNRATE_DB: join(o.dir, 'burnrate.db'),
      BURNRATE_PROMETHEUS_URL: prom.url,
      BURNRATE_RULES_DIR: dirs.rules,
      BURNRATE_ADMIN_TOKEN: token,
      BURNRATE_RECONCILE_INTERVAL_MS: '10000',
      BURNRATE_STATUS_CACHE_MS: '2000',
    });
    const serverLog = createWriteStream(join(dirs.logs, 'server.log'), { flags: 'a' });
    server = await startServer(config, createLogger('info', (l) => serverLog.write(l)));
    const imported = await api(server, token, 'POST', '/api/v1/import?from=burnrate', readFileSync(o.sloFile, 'utf8'), 'application/yaml');
    await api(server, token, 'POST', '/api/v1/sync');
    const list = (await api(server, token, 'GET', '/api/v1/slos?status=false')).items as Array<{ service: string; name: string; window: string; sync: unknown }>;
    const unsynced = list.filter((s) => JSON.stringify(s.sync).includes('"failed"'));
    if (unsynced.length) {
      throw new Error(`Prometheus rejected the rules of ${unsynced.map((s) => s.name).join(', ')}: ${JSON.stringify(unsynced[0].sync)}`);
    }
    say(`Burnrate server on ${server.url}: ${imported.created.length} SLOs loaded through the API, rules delivered to ${dirs.rules}`);

    // 4. History: the server fills each new SLO's rollups and short-window rates from the raw
    // history above (remote write into Prometheus's out-of-order window), as it would in production.
    say('filling the rollups of the SLOs from the history Prometheus holds ...');
    const filled = await waitForBackfill(server, token, 240_000);
    say(`history filled: ${filled.written} samples written for ${filled.slos} SLOs; budget numbers appear within about 3 minutes (the budget rules run every 3 minutes)`);

    // 5. Status table.
    const scenarioList = Object.keys(SCENARIOS).join(', ');
    const banner = [
      '',
      'Burnrate demo is running:',
      `  Prometheus      ${prom.url}   (rules: ${prom.url}/rules, alerts: ${prom.url}/alerts)`,
      `  Burnrate API    ${server.url}   (OpenAPI: ${server.url}/api/openapi.json)`,
      `  simulator       ${sim.url}/metrics`,
      `  admin token     ${token}`,
      '',
      'Try:',
      `  curl -XPOST ${sim.url}/scenario -d '{"name":"provider-outage"}'     (scenarios: ${scenarioList})`,
      `  curl -H "Authorization: Bearer ${token}" '${server.url}/api/v1/gate?service=llm-gateway&route=/chat'`,
      `  BURNRATE_URL=${server.url} BURNRATE_TOKEN=${token} npx burnrate gate --service llm-gateway --route /chat`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n');
    process.stdout.write(banner + '\n');
    const tty = !!process.stdout.isTTY;
    let last = '';
    let numbersAt: number | undefined;
    const refresh = async () => {
      const rows = await statusRows(server!, token, list);
      // Only once every SLO has them: the :period groups run at different offsets.
      if (numbersAt === undefined && rows.length > 0 && rows.every((r) => r.budget !== undefined)) {
        numbersAt = Date.now();
        say(`budget numbers are in (${elapsed()} after start)`);
      }
      const table = renderTable(rows, tty);
      const scenario = sim!.simulator.scenario;
      const header = `\nstatus at ${new Date().toISOString().slice(11, 19)} UTC, scenario: ${scenario}, ${o.days} days of history (refreshes every ${o.refreshMs / 1000} s)`;
      // Piped output gets a table only when something in it changed: the numbers, or the scenario
      // (a switch must show at once, not when the next evaluation moves a number).
      const shown = `${scenario}\n${table}`;
      if (tty) {
        process.stdout.write(`\x1b[2J\x1b[H${banner}\n${header}\n${table}\n`);
      } else if (shown !== last) {
        process.stdout.write(`${header}\n${table}\n`);
      }
      last = shown;
    };
    let busy = false;
    const tick = () => {
      if (busy || group.stopping) {
        return;
      }
      busy = true;
      refresh()
        .catch((e) => process.stdout.write(`status: ${(e as Error).message}\n`))
        .finally(() => (busy = false));
    };
    tick();
    timer = setInterval(tick, o.refreshMs);
  } catch (e) {
    if (!group.stopping) {
      process.stderr.write(`demo failed: ${(e as Error).message}\nlogs: ${join(o.dir, 'logs')}\n`);
      await stop(1);
    }
  }
}

void main();
