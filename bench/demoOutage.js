// How fast the demo's numbers follow an outage: starts `npm run demo` (14 days of history, the
// default), waits for budget numbers, switches the simulator to `provider-outage`, and reads the
// status API of every demo SLO on /chat every 5 s: budget left, the 5m, 1h, 1d and period burn
// rates and the state. Prints, per SLO, when "budget left" first moves and when the state turns
// freeze. The demo's policy freezes when the 1h burn rate is above 5x: at a steady burn B after
// the switch that takes 1h x 5 / B, plus a scrape and an evaluation. 127.0.0.1 only; up to 20
// minutes after the switch (OUTAGE_LIMIT_S).
//   npm run build:node && node bench/demoOutage.js
'use strict';
const { spawn } = require('child_process');
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join, resolve } = require('path');

const ROOT = resolve(__dirname, '..');
const LIMIT_S = Number(process.env.OUTAGE_LIMIT_S ?? 1200);
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-demo-outage-'));
  const child = spawn('node', [join(ROOT, 'build/demo/main.js'), '--dir', dir, '--refresh', '30', '--prometheus-port', '0', '--port', '0', '--simulator-port', '0'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {
      // gone
    }
  };
  process.on('SIGINT', () => (stop(), process.exit(130)));
  try {
    const started = Date.now();
    while (!/availability\s+30d\s+\/chat\s+(ship|caution|freeze)\s+-?\d+\.\d%/.test(out)) {
      if (Date.now() - started > 600_000 || child.exitCode !== null) {
        throw new Error(`no budget numbers:\n${out.slice(-3000)}`);
      }
      await sleep(1000);
    }
    const api = out.match(/Burnrate API\s+(http:\/\/127\.0\.0\.1:\d+)/)[1];
    const sim = out.match(/simulator\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/)[1];
    const token = out.match(/admin token\s+([0-9a-f]{48})/)[1];
    log(`budget numbers ${((Date.now() - started) / 1000).toFixed(0)} s after start`);
    const slos = ['availability', 'provider-reliability', 'ttft', 'answer-quality'];
    const read = async () => {
      const out = {};
      for (const name of slos) {
        const r = await fetch(`${api}/api/v1/slos/llm-gateway/${name}/status`, { headers: { Authorization: `Bearer ${token}` } });
        const st = await r.json();
        const g = st.groups.find((x) => x.group.route === '/chat');
        const w = (n) => g?.windows.find((x) => x.window === n)?.burnRate;
        out[name] = g && { budget: g.budgetRemaining, burn5m: g.currentBurnRate, burn1h: w('1h'), burn1d: w('1d'), burnPeriod: g.periodBurnRate, state: g.state };
      }
      return out;
    };
    // Let the fresh windows settle on live data before the outage.
    await sleep(Number(process.env.OUTAGE_SETTLE_S ?? 240) * 1000);
    const before = await read();
    log(`before: ${JSON.stringify(before)}`);
    const t0 = Date.now();
    const sw = await fetch(`${sim}/scenario`, { method: 'POST', body: '{"name":"provider-outage"}' });
    if (sw.status !== 200) {
      throw new Error(`scenario switch: ${sw.status}`);
    }
    log('provider-outage on');
    const moved = {};
    const frozen = {};
    const burns = {};
    const f = (x, d) => (x === undefined ? '-' : x.toFixed(d));
    while ((Date.now() - t0) / 1000 < LIMIT_S && Object.keys(frozen).length < slos.length) {
      await sleep(5000);
      const now = await read();
      const at = Math.round((Date.now() - t0) / 1000);
      const line = [];
      for (const name of slos) {
        const s = now[name];
        if (!s) {
          continue;
        }
        if (moved[name] === undefined && s.budget !== before[name]?.budget) {
          moved[name] = at;
        }
        if (frozen[name] === undefined && s.state === 'freeze') {
          frozen[name] = at;
        }
        if (at >= 120) {
          (burns[name] ??= []).push(s.burn5m);
        }
        line.push(`${name} ${f(s.budget * 100, 2)}% 5m ${f(s.burn5m, 1)} 1h ${f(s.burn1h, 2)} 1d ${f(s.burn1d, 3)} ${s.state}`);
      }
      log(`+${at} s | ${line.join(' | ')}`);
      if (frozen['provider-reliability'] !== undefined && at > 900) {
        break;
      }
    }
    const implied = Object.fromEntries(
      Object.entries(burns).map(([k, xs]) => {
        const b = xs.reduce((a, x) => a + (x ?? 0), 0) / xs.length;
        return [k, { burn5mAfter2min: Number(b.toFixed(2)), policyImpliesS: b > 5 ? Math.round((3600 * 5) / b) : undefined }];
      })
    );
    console.log(JSON.stringify({ budgetMovedAfterS: moved, freezeAfterS: frozen, implied }, null, 2));
  } finally {
    stop();
    await sleep(2000);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
