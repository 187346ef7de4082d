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

import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { join, resolve } from 'path';
import { stringify } from 'yaml';
import { parseDuration } from '../core/spec/duration';
import { loadConfig } from '../server/config';
import { startServer, RunningServer } from '../server/app';
import { createLogger } from '../server/log';
import { backfill } from '../simulator/backfill';
import { SCENARIOS } from '../simulator/model';
import { RunningSimulator, startSimulatorServer } from '../simulator/server';

const ROOT = resolve(__dirname, '..', '..');
const APT = 'sudo apt-get update && sudo apt-get install -y prometheus';

interface Options {
  days: number;
  dir: string;
  sloFile: string;
  refreshMs: number;
  ports: { prometheus: number; server: number; simulator: number };
  seed: number;
}

function usage(message: string): never {
  process.stderr.write(
    `demo: ${message}\n\nUsage: npm run demo -- [--days N] [--dir DIR] [--slos FILE] [--refresh SECONDS] [--seed N]\n` +
      `         [--prometheus-port N] [--port N] [--simulator-port N]\n`
  );
  process.exit(2);
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    days: Number(process.env.BURNRATE_DEMO_DAYS ?? 14),
    dir: process.env.BURNRATE_DEMO_DIR ?? join(ROOT, '.burnrate', 'demo'),
    sloFile: join(ROOT, 'src', 'demo', 'slos.yaml'),
    refreshMs: 5000,
    ports: { prometheus: 9090, server: 8787, simulator: 9464 },
    seed: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) {
        usage(`${a} needs a value`);
      }
      return x;
    };
    const int = (x: string, min: number, max: number) => {
      const n = Number(x);
      if (!Number.isInteger(n) || n < min || n > max) {
        usage(`${a} must be a whole number from ${min} to ${max}`);
      }
      return n;
    };
    switch (a) {
      case '--days': {
        const x = v();
        const n = Number(x);
        o.days = Number.isFinite(n) ? n : (parseDuration(x) ?? NaN) / 86400;
        break;
      }
      case '--dir':
        o.dir = resolve(v());
        break;
      case '--slos':
        o.sloFile = resolve(v());
        break;
      case '--refresh':
        o.refreshMs = Number(v()) * 1000;
        break;
      case '--seed':
        o.seed = int(v(), 0, 2 ** 31);
        break;
      case '--prometheus-port':
        o.ports.prometheus = int(v(), 0, 65535);
        break;
      case '--port':
        o.ports.server = int(v(), 0, 65535);
        break;
      case '--simulator-port':
        o.ports.simulator = int(v(), 0, 65535);
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          'npm run demo: Prometheus, the LLM traffic simulator (with backfilled history) and the Burnrate server on this machine.\n' +
            'Options: --days N (history, default 14), --dir DIR (default .burnrate/demo, wiped at start), --slos FILE,\n' +
            '  --refresh SECONDS (status table, default 5), --seed N, --prometheus-port N (9090), --port N (8787), --simulator-port N (9464).\n' +
            'A port that is taken is replaced by a free one.\n'
        );
        process.exit(0);
        break;
      default:
        usage(`unknown option ${a}`);
    }
  }
  if (!(o.days >= 0.25 && o.days <= 45)) {
    usage('--days must be between 0.25 and 45');
  }
  if (!(o.refreshMs >= 500)) {
    usage('--refresh must be at least 0.5 seconds');
  }
  return o;
}

function which(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

async function pickPort(preferred: number): Promise<number> {
  return preferred > 0 && (await portFree(preferred)) ? preferred : freePort();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every child process started here, so that a stop (or a crash) ends them all. */
const children = new Set<ChildProcess>();
let stopping = false;

function run(cmd: string, args: string[], logFile: string): Promise<void> {
  return new Promise((res, rej) => {
    if (stopping) {
      return rej(new Error('stopping'));
    }
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(p);
    let out = '';
    const log = createWriteStream(logFile, { flags: 'a' });
    const onData = (b: Buffer) => {
      out = (out + b.toString()).slice(-4000);
      log.write(b);
    };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    p.once('error', (e) => {
      children.delete(p);
      rej(e);
    });
    p.once('exit', (code, signal) => {
      children.delete(p);
      log.end();
      if (code === 0) {
        res();
      } else {
        rej(new Error(`${cmd} ${args.slice(0, 4).join(' ')} ... failed (${signal ?? `exit ${code}`}):\n${out}`));
      }
    });
  });
}

/** Runs `jobs` with at most `n` at a time. */
async function pool<T>(items: T[], n: number, job: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      while (queue.length) {
        await job(queue.shift()!);
      }
    })
  );
}

class Prometheus {
  proc?: ChildProcess;
  readonly url: string;
  constructor(
    readonly port: number,
    readonly args: string[],
    readonly logFile: string
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const p = spawn('prometheus', this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = p;
    children.add(p);
    const log = createWriteStream(this.logFile, { flags: 'a' });
    let tail = '';
    const onData = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
      log.write(b);
    };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    let exited = false;
    p.once('exit', () => {
      exited = true;
      children.delete(p);
      log.end();
    });
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`Prometheus exited at start:\n${tail}`);
      }
      if (stopping) {
        return;
      }
      try {
        const r = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (r.status === 200) {
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`Prometheus was not ready within 60 s:\n${tail}`);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (p) {
      await stopChild(p);
    }
  }
}

function stopChild(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) {
    children.delete(p);
    return Promise.resolve();
  }
  return new Promise((res) => {
    const kill = setTimeout(() => p.kill('SIGKILL'), 10000);
    p.once('exit', () => {
      clearTimeout(kill);
      children.delete(p);
      res();
    });
    p.kill('SIGTERM');
  });
}

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

// ---------- status table ----------

function pct(x: number | undefined): string {
  return x === undefined ? '-' : `${(x * 100).toFixed(1)}%`;
}

function burn(x: number | undefined): string {
  return x === undefined ? '-' : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}x`;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

interface Row {
  slo: string;
  route: string;
  state: string;
  budget?: number;
  burn5m?: number;
  burn1h?: number;
  burnPeriod?: number;
  window: string;
}

async function statusRows(server: RunningServer, token: string, slos: Array<{ service: string; name: string; window: string }>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of slos) {
    try {
      const st = await api(server, token, 'GET', `/api/v1/slos/${encodeURIComponent(s.service)}/${encodeURIComponent(s.name)}/status`);
      const groups = [...st.groups].sort((a: any, b: any) => String(a.group.route).localeCompare(String(b.group.route)));
      if (!groups.length) {
        rows.push({ slo: s.name, route: '(no data yet)', state: st.state, window: s.window });
      }
      for (const g of groups) {
        rows.push({
          slo: s.name,
          route: g.group.route ?? '',
          state: g.state,
          budget: g.budgetRemaining,
          burn5m: g.currentBurnRate,
          burn1h: g.windows.find((w: any) => w.window === '1h')?.burnRate,
          burnPeriod: g.periodBurnRate,
          window: s.window,
        });
      }
    } catch (e) {
      rows.push({ slo: s.name, route: `(status unavailable: ${(e as Error).message.slice(0, 60)})`, state: '-', window: s.window });
    }
  }
  return rows;
}

const STATE_COLOR: Record<string, string> = { ship: '\x1b[32m', caution: '\x1b[33m', freeze: '\x1b[31m' };

function renderTable(rows: Row[], color: boolean): string {
  const head = `${pad('SLO', 22)}${pad('window', 8)}${pad('route', 12)}${pad('state', 9)}${pad('budget left', 13, true)}${pad('burn 5m', 10, true)}${pad('burn 1h', 10, true)}${pad('burn period', 13, true)}`;
  const lines = [head, '-'.repeat(head.length)];
  for (const r of rows) {
    const state = pad(r.state, 9);
    lines.push(
      `${pad(r.slo, 22)}${pad(r.window, 8)}${pad(r.route, 12)}${color && STATE_COLOR[r.state] ? `${STATE_COLOR[r.state]}${state}\x1b[0m` : state}` +
        `${pad(pct(r.budget), 13, true)}${pad(burn(r.burn5m), 10, true)}${pad(burn(r.burn1h), 10, true)}${pad(burn(r.burnPeriod), 13, true)}`
    );
  }
  return lines.join('\n');
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
    stopping = true;
    stopped = (async () => {
      if (timer) {
        clearInterval(timer);
      }
      process.stdout.write('\nstopping: simulator, Burnrate server, Prometheus ...\n');
      await sim?.close().catch(() => undefined);
      await server?.close().catch(() => undefined);
      await prom?.stop();
      await Promise.all([...children].map(stopChild));
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
      if (busy || stopping) {
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
    if (!stopping) {
      process.stderr.write(`demo failed: ${(e as Error).message}\nlogs: ${join(o.dir, 'logs')}\n`);
      await stop(1);
    }
  }
}

void main();
