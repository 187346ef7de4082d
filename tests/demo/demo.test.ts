// Smoke test of `npm run demo`, run exactly as a user would (through npm, in its own process
// group, stopped with SIGINT as Ctrl-C does): it starts, the status table shows budget numbers,
// a scenario switch reaches the simulator, and Ctrl-C leaves no process and no open port.
// Needs the Debian package `prometheus` (prometheus and promtool): fails, never skips, without it.

import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { connect } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '..', '..');

function requirePrometheus(): void {
  for (const cmd of ['prometheus', 'promtool']) {
    try {
      execFileSync(cmd, ['--version'], { stdio: 'pipe' });
    } catch {
      throw new Error(`${cmd} not found: install the Debian package "prometheus" (see .ci/run)`);
    }
  }
}

/** Pids whose command line mentions `needle` (from /proc). */
function processesMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) {
      continue;
    }
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle)) {
        out.push(Number(d));
      }
    } catch {
      // gone
    }
  }
  return out;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

function waitForOutput(p: ChildProcess, get: () => string, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((res, rej) => {
    const timer = setInterval(() => {
      const m = get().match(re);
      if (m) {
        clearInterval(timer);
        clearTimeout(deadline);
        res(m);
      }
    }, 200);
    const deadline = setTimeout(() => {
      clearInterval(timer);
      rej(new Error(`no ${re} in the demo's output within ${timeoutMs} ms:\n${get().slice(-4000)}`));
    }, timeoutMs);
    p.once('exit', (code) => {
      setTimeout(() => {
        const m = get().match(re);
        clearInterval(timer);
        clearTimeout(deadline);
        m ? res(m) : rej(new Error(`the demo exited (${code}) before ${re}:\n${get().slice(-4000)}`));
      }, 300);
    });
  });
}

describe('npm run demo', () => {
  test('starts, shows budget numbers per route, switches a scenario, and Ctrl-C stops everything', async () => {
    requirePrometheus();
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-test-'));
    const started = Date.now();
    const child = spawn('npm', ['run', 'demo', '--', '--days', '1', '--dir', dir, '--refresh', '2', '--prometheus-port', '0', '--port', '0', '--simulator-port', '0'], {
      cwd: ROOT,
      detached: true, // its own process group, like a shell job: SIGINT to the group is Ctrl-C
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b) => (out += b));
    child.stderr!.on('data', (b) => (out += b));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    try {
      const prom = await waitForOutput(child, () => out, /history filled: \d+ samples written for \d+ SLOs/, 240000);
      expect(prom).toBeTruthy();
      const urls = await waitForOutput(child, () => out, /simulator\s+(http:\/\/127\.0\.0\.1:(\d+))\/metrics/, 10000);
      const promPort = Number(out.match(/Prometheus\s+http:\/\/127\.0\.0\.1:(\d+)/)![1]);
      const apiPort = Number(out.match(/Burnrate API\s+http:\/\/127\.0\.0\.1:(\d+)/)![1]);
      const simUrl = urls[1];
      expect(out).toMatch(/admin token\s+[0-9a-f]{48}/);
      expect(out).toContain(`curl -XPOST ${simUrl}/scenario -d '{"name":"provider-outage"}'`);
      // Budget numbers: a row of the availability SLO with a percentage left and a state.
      // The server has filled the hourly rollups; the budget rules (the :period group) run every
      // 2 minutes: within about 2 minutes of the fill, more on a busy machine.
      await waitForOutput(child, () => out, /availability\s+30d\s+\/chat\s+(ship|caution|freeze)\s+-?\d+\.\d%/, 240000);
      const numbersAfter = (Date.now() - started) / 1000;
      process.stdout.write(`demo: budget numbers ${numbersAfter.toFixed(0)} s after npm run demo\n`);
      // The history is there: 1 day of backfill gives the 30d availability window ~1 day of events.
      const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent('sum(slo:sli_events:increase30d{slo="availability"})')}`);
      const events = Number(((await r.json()) as any).data.result[0].value[1]);
      expect(events).toBeGreaterThan(0.8 * 86400 * 8); // > 0.8 day at >= 8 req/s (all routes together ~18/s)
      // Switch a scenario: the next tables say so.
      const sw = await fetch(`${simUrl}/scenario`, { method: 'POST', body: '{"name":"latency-regression"}' });
      expect(sw.status).toBe(200);
      await waitForOutput(child, () => out, /scenario: latency-regression/, 20000);
      expect(await portOpen(promPort)).toBe(true);
      expect(await portOpen(apiPort)).toBe(true);
      expect(processesMentioning(dir).length).toBeGreaterThan(0); // prometheus with --storage.tsdb.path in dir

      process.kill(-child.pid!, 'SIGINT');
      const { code, signal } = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(out).toMatch(/stopped; data left in/);
      await new Promise((r) => setTimeout(r, 500));
      expect(processesMentioning(dir)).toEqual([]);
      expect(processesMentioning('build/demo/main.js')).toEqual([]);
      for (const port of [promPort, apiPort, Number(simUrl.split(':').pop())]) {
        expect(await portOpen(port)).toBe(false);
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      for (const pid of processesMentioning(dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  }, 450000);

  test('without Prometheus on PATH it prints the apt-get command and exits non-zero', () => {
    const empty = mkdtempSync(join(tmpdir(), 'burnrate-empty-path-'));
    execFileSync('npx', ['tsc', '-p', 'tsconfig.node.json'], { cwd: ROOT, stdio: 'pipe' });
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'build', 'demo', 'main.js'), '--dir', join(empty, 'demo')], { env: { PATH: empty }, stdio: 'pipe', encoding: 'utf8' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toContain('sudo apt-get update && sudo apt-get install -y prometheus');
    expect(stderr).toMatch(/prometheus and promtool not found/);
  }, 120000);
});
