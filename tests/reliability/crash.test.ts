// The server killed with SIGKILL during rule delivery, again and again: `node bin/burnrate.js
// serve` runs as a child process (temp SQLite file, temp rules directory, no Prometheus: delivery
// writes files), SLOs are created and updated through the API, and the process is killed at a
// random moment, then restarted. After every kill: every *.yaml in the rules directory passes the
// real `promtool check rules` (no partial file; leftover *.tmp files are not *.yaml, so a
// Prometheus loading <dir>/*.yaml ignores them), the database passes PRAGMA integrity_check, and
// every SLO the API acknowledged (2xx) is there at least at the acknowledged version. After the
// last restart the directory holds exactly the stored SLOs' rules.

import Database from 'better-sqlite3';
import { ChildProcess, execSync, spawn } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ruleFileName } from '../../src/server/delivery/prometheusSink';
import { freePort, sleep, waitFor } from '../support/prometheusServer';
import { Api, availabilitySlo, secret, tempDir } from '../server/helpers';
import { NESTING_ATTACKS } from './mutate';
import { checkRulesDir, listDir, requirePromtool, Tally } from './support';

jest.setTimeout(300_000);

const KILLS = Number(process.env.RELIABILITY_KILLS ?? 25);
const ROOT = join(__dirname, '../..');
const ADMIN = secret();
const tally = new Tally('SIGKILL during rule delivery (crash.test.ts)');

interface Child {
  proc: ChildProcess;
  api: Api;
  output: string;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

async function startChild(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(ROOT, 'bin/burnrate.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, BURNRATE_PORT: String(port), BURNRATE_HOST: '127.0.0.1', BURNRATE_ADMIN_TOKEN: ADMIN, BURNRATE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = {
    proc,
    api: new Api(`http://127.0.0.1:${port}`, ADMIN),
    output: '',
    exited: new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  const onData = (b: Buffer) => (child.output = (child.output + b.toString()).slice(-20000));
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  let dead = false;
  void child.exited.then(() => (dead = true));
  await waitFor(
    'the server to answer /healthz',
    async () => {
      if (dead) {
        throw new Error(`the server exited at start:\n${child.output}`);
      }
      try {
        return (await fetch(`${child.api.base}/healthz`, { signal: AbortSignal.timeout(500) })).status === 200;
      } catch {
        return false;
      }
    },
    20000,
    20
  );
  return child;
}

async function kill9(c: Child): Promise<void> {
  if (c.proc.exitCode === null && c.proc.signalCode === null) {
    c.proc.kill('SIGKILL');
  }
  await c.exited;
}

beforeAll(() => {
  requirePromtool();
  execSync('npm run build:node', { cwd: ROOT, stdio: 'pipe', timeout: 180_000 });
}, 200_000);

afterAll(() => tally.print());

describe('SIGKILL during rule delivery', () => {
  const dbPath = join(tempDir('crash-db'), 'burnrate.db');
  const rulesDir = tempDir('crash-rules');
  const env = { BURNRATE_DB: dbPath, BURNRATE_RULES_DIR: rulesDir, BURNRATE_RECONCILE_INTERVAL_MS: '300' };
  /** Highest version the API acknowledged, per SLO name. */
  const acked = new Map<string, number>();
  let rnd = 20261129;
  const random = () => {
    // xorshift: the same kill schedule on every run
    rnd ^= rnd << 13;
    rnd ^= rnd >>> 17;
    rnd ^= rnd << 5;
    return (rnd >>> 0) / 2 ** 32;
  };
  let created = 0;
  let tmpLeft = 0;
  let killedMidFlight = 0;

  function checkAfterKill(cycle: number): void {
    const check = checkRulesDir(rulesDir);
    if (!check.ok) {
      throw new Error(`after kill ${cycle}: promtool check rules failed:\n${check.output}`);
    }
    const others = listDir(rulesDir).filter((f) => !f.endsWith('.rules.yaml'));
    // Anything else must be a temp file Prometheus's *.yaml glob does not load.
    expect(others.filter((f) => !/^burnrate_.*\.rules\.yaml\.\d+\.tmp$/.test(f))).toEqual([]);
    tmpLeft += others.length;
    const db = new Database(dbPath);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT name, version FROM slos').all() as Array<{ name: string; version: number }>;
      const have = new Map(rows.map((r) => [r.name, r.version]));
      for (const [name, v] of acked) {
        if (!((have.get(name) ?? 0) >= v)) {
          throw new Error(`after kill ${cycle}: ${name} was acknowledged at version ${v}, the database has ${have.get(name)}`);
        }
      }
    } finally {
      db.close();
    }
  }

  async function expectReconciled(c: Child): Promise<void> {
    expect((await c.api.post('/api/v1/sync')).status).toBe(200);
    const list = await c.api.get('/api/v1/slos?status=false&limit=1000');
    const files = listDir(rulesDir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const want = list.body.items.map((s: any) => ruleFileName(`${s.service}/${s.name}`)).sort();
    expect(files).toEqual(want);
    for (const s of list.body.items.slice(0, 20)) {
      const rules = await c.api.get(`/api/v1/slos/${s.service}/${s.name}/rules`);
      expect(readFileSync(join(rulesDir, ruleFileName(`${s.service}/${s.name}`)), 'utf8')).toBe(rules.body.prometheus);
    }
  }

  it(`${KILLS} kills at random moments: promtool passes on the directory, the database is intact, nothing acknowledged is lost, the next start reconciles`, async () => {
    for (let cycle = 1; cycle <= KILLS; cycle++) {
      const c = await startChild(env);
      // A burst of writes: new SLOs and updates of acknowledged ones; killed after 0-400 ms.
      const ops: Array<Promise<void>> = [];
      const n = 1 + Math.floor(random() * 4);
      for (let i = 0; i < n; i++) {
        const existing = [...acked.keys()];
        if (existing.length > 0 && random() < 0.5) {
          const name = existing[Math.floor(random() * existing.length)];
          const v = acked.get(name)!;
          const objective = 0.9 + Math.floor(random() * 99) / 1000;
          ops.push(
            c.api
              .put(`/api/v1/slos/svc-crash/${name}`, availabilitySlo({ service: 'svc-crash', name, objective }), { 'If-Match': `"${v}"` })
              .then((r) => {
                if (r.status === 200) {
                  acked.set(name, Math.max(acked.get(name) ?? 0, r.body.version));
                }
              })
              .catch(() => undefined)
          );
        } else {
          const name = `slo-${++created}`;
          ops.push(
            c.api
              .post('/api/v1/slos', availabilitySlo({ service: 'svc-crash', name, groupBy: ['route', 'model'] }))
              .then((r) => {
                if (r.status === 201) {
                  acked.set(name, 1);
                }
              })
              .catch(() => undefined)
          );
        }
      }
      await sleep(Math.floor(random() * 400));
      const settled = await Promise.race([Promise.all(ops).then(() => true), sleep(0).then(() => false)]);
      if (!settled) {
        killedMidFlight++;
      }
      await kill9(c);
      await Promise.allSettled(ops);
      checkAfterKill(cycle);
      tally.add('kills');
      if (cycle % 25 === 0) {
        const again = await startChild(env);
        await expectReconciled(again);
        await kill9(again);
        tally.add('reconciliation checks after a restart');
      }
    }
    const last = await startChild(env);
    await expectReconciled(last);
    const count = (await last.api.get('/api/v1/slos?status=false&limit=1000')).body.total;
    await kill9(last);
    tally.add('SLOs acknowledged (all still there)', acked.size);
    tally.add('SLOs stored at the end', count);
    tally.add('kills with requests still in flight', killedMidFlight);
    tally.add('kills that left a *.tmp file (removed by the next start)', tmpLeft);
    expect(count).toBeGreaterThanOrEqual(acked.size);
  });
});

describe('a fresh server process and deeply nested bodies', () => {
  // yaml's composer recurses once per nesting level: near the stack limit V8 aborted the whole
  // process ("RegExpCompiler Allocation failed", found by this test). A pre-scan refused deep texts
  // until a quote in a comment or wide spacing fooled it; now the parser itself stops at 64 levels
  // (src/core/spec/parseLimits.ts), whatever the text looks like.
  const ROUNDS = 3;
  it(`every nesting attack, ${ROUNDS} times, to /validate and /preview (viewer), /import (editor) and /freezes (JSON) of one process: 4xx each time, /healthz answers after every round`, async () => {
    const c = await startChild({ BURNRATE_DB: join(tempDir('deep'), 'db') });
    const viewer = new Api(c.api.base, (await c.api.post('/api/v1/tokens', { name: 'fuzz-viewer', role: 'viewer' })).body.token);
    const targets: Array<[Api, string, Record<string, string>]> = [
      [viewer, '/api/v1/validate', {}],
      [viewer, '/api/v1/preview', {}],
      [c.api, '/api/v1/import?from=burnrate', {}],
      [c.api, '/api/v1/freezes', { 'Content-Type': 'application/json' }],
    ];
    const seen: string[] = [];
    const fail = async (why: string) => {
      await sleep(200);
      const exit = c.proc.exitCode ?? c.proc.signalCode;
      throw new Error(`${why}\n${seen.slice(-8).join('\n')}\nprocess exit: ${exit}\n${c.output.split('\n').filter((l) => /FATAL|Error/.test(l)).slice(0, 3).join('\n')}`);
    };
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        for (const [name, text] of NESTING_ATTACKS) {
          for (const [api, path, headers] of targets) {
            let status: number | string;
            try {
              status = (await api.call('POST', path, text, headers)).status;
            } catch (e) {
              status = `no answer (${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`;
            }
            tally.add('nesting attacks sent to a fresh process');
            seen.push(`round ${round}, ${path}, ${name}: ${status}`);
            if (typeof status !== 'number' || status < 400 || status >= 500) {
              await fail(`expected a 4xx`);
            }
          }
        }
        const health = await fetch(`${c.api.base}/healthz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, (e) => String(e));
        if (health !== 200) {
          await fail(`/healthz after round ${round}: ${health}`);
        }
      }
      expect(c.proc.exitCode).toBeNull();
    } finally {
      await kill9(c);
    }
  });
});
