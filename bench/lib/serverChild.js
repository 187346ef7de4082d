// The Burnrate server (build/server/app.js) in a child process of its own, forked from this file,
// so that the load generator's fetch calls do not share its event loop. The parent passes the
// server configuration; with `create`, the child first stores `slos` SLOs of the bench dataset
// (the API's POST does the same validation and the same store.create) and reports how long that
// took. The child answers 'cpu' with its CPU time and 'stop' by closing the server.
'use strict';
const { fork } = require('child_process');

/** Child side: runs the server until told to stop. */
async function serve() {
  const { startServer } = require('../../build/server/app');
  const { createLogger } = require('../../build/server/log');
  const { validateSloValue } = require('../../build/core/spec/sloObject');
  const { sloDef, serviceOf } = require('./rulesets');
  const s = await startServer(
    JSON.parse(process.env.BENCH_SERVER_CONFIG),
    createLogger('error', () => {})
  );
  let createMs;
  const total = Number(process.env.BENCH_CREATE_SLOS || 0);
  if (total > 0) {
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const spec = { service: serviceOf(i), ...sloDef(i) };
      const v = validateSloValue({ value: spec, index: 0, lineOf: () => undefined });
      if (!v.slo) {
        throw new Error(JSON.stringify(v.diagnostics));
      }
      await s.store.create(spec, v.slo, 'bench');
    }
    createMs = performance.now() - t0;
  }
  process.on('message', async (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send({ cpuMs: (u.user + u.system) / 1000 });
    } else if (m === 'stop') {
      await s.close();
      process.exit(0);
    }
  });
  process.send({ url: s.url, createMs });
}

/** Parent side: forks the server with `config`; `create` SLOs stored first (0: none). */
function startChild(config, create = 0) {
  const child = fork(__filename, ['serve'], {
    env: { ...process.env, BENCH_SERVER_CONFIG: JSON.stringify(config), BENCH_CREATE_SLOS: String(create) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = () =>
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
    ready: next(),
    cpuMs: async () => {
      const p = next();
      child.send('cpu');
      return (await p).cpuMs;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        const t = setTimeout(() => child.kill('SIGKILL'), 15000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.send('stop');
      }),
  };
}

if (require.main === module && process.argv[2] === 'serve') {
  serve().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

module.exports = { startChild };
