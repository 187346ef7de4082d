// How fast the demo's numbers follow an outage: starts `npm run demo` (14 days of history, the
// default), waits for budget numbers, switches the simulator to `provider-outage`, and reads the
// status API of the availability SLO on /chat every 5 s: budget left, the 1d and period burn rates
// and the state. Prints when "budget left" first moves by 0.1 point and when the state turns
// freeze, and the policy's own threshold (period burn above 2x). 127.0.0.1 only; about 15 minutes.
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
    const read = async () => {
      const r = await fetch(`${api}/api/v1/slos/llm-gateway/availability/status`, { headers: { Authorization: `Bearer ${token}` } });
      const st = await r.json();
      const g = st.groups.find((x) => x.group.route === '/chat');
      const w = (name) => g.windows.find((x) => x.window === name)?.burnRate;
      return { budget: g.budgetRemaining, burn1d: w('1d'), burnPeriod: g.periodBurnRate, burn5m: g.currentBurnRate, state: g.state, reasons: g.reasons };
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
    let moved;
    let frozen;
    while ((Date.now() - t0) / 1000 < LIMIT_S && frozen === undefined) {
      await sleep(5000);
      const s = await read();
      const at = (Date.now() - t0) / 1000;
      if (moved === undefined && Math.abs(s.budget - before.budget) >= 0.001) {
        moved = at;
      }
      if (frozen === undefined && s.state === 'freeze') {
        frozen = at;
      }
      log(`+${at.toFixed(0)} s budget ${(s.budget * 100).toFixed(2)}% burn 5m ${s.burn5m?.toFixed(2)} 1d ${s.burn1d?.toFixed(3)} period ${s.burnPeriod?.toFixed(3)} ${s.state}`);
    }
    console.log(JSON.stringify({ budgetMovedAfterS: moved, freezeAfterS: frozen, before }, null, 2));
  } finally {
    stop();
    await sleep(2000);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
