// A throwaway PostgreSQL cluster for the bench (the same recipe as tests/support/postgresServer.ts,
// which is TypeScript and not compiled into build/): initdb in a temp directory, listening on
// 127.0.0.1 at a free port, trusting local connections, fsync off. PostgreSQL refuses to run as
// root, so as root the cluster belongs to `nobody` and its programs run through runuser. The
// postmaster runs in a process group of its own and is stopped by that group's id (fast shutdown).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { Client } = require('pg');
const { freePort, onExit, sleep } = require('./proc');

const NOBODY = { uid: 65534, gid: 65534, name: 'nobody' };
const asRoot = () => process.getuid?.() === 0;

/** initdb and postgres: $PG_BIN, PATH, or Debian's /usr/lib/postgresql/<version>/bin, newest first. */
function postgresBinDir() {
  const candidates = [process.env.PG_BIN, ...(process.env.PATH ?? '').split(':'), '/usr/local/bin'];
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    candidates.push(
      ...fs
        .readdirSync(debian)
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(debian, v, 'bin'))
    );
  }
  const dir = candidates.find(
    (d) => d && fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'postgres'))
  );
  if (!dir) {
    throw new Error(
      'PostgreSQL not found (initdb and postgres on PATH or in /usr/lib/postgresql/*/bin): install the Debian package "postgresql"'
    );
  }
  return dir;
}

const asOwner = (program, args) =>
  asRoot() ? ['runuser', ['-u', NOBODY.name, '--', program, ...args]] : [program, args];

/** `postgres --version`, e.g. "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)". */
function postgresVersion() {
  return execFileSync(path.join(postgresBinDir(), 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
}

/** Starts a new cluster; resolves to { adminUrl, createDatabase(name), stop() }. */
async function startPostgres({ timeoutMs = 90000, maxConnections = 100 } = {}) {
  const bin = postgresBinDir();
  const runDir = process.env.BURNRATE_TEST_TMPDIR;
  if (asRoot() && runDir) {
    // Under the test runner the temp directory is 0700 root: `nobody` needs to pass through it.
    fs.chmodSync(runDir, 0o711);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-bench-postgres-'));
  if (asRoot()) {
    fs.chownSync(dir, NOBODY.uid, NOBODY.gid);
  }
  const data = path.join(dir, 'data');
  const [initdb, initArgs] = asOwner(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'burnrate',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  try {
    execFileSync(initdb, initArgs, { stdio: 'pipe', timeout: timeoutMs });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${e.stderr?.toString() ?? e.message}`);
  }
  const port = await freePort();
  const adminUrl = `postgres://burnrate@127.0.0.1:${port}/postgres`;
  // The socket goes in the cluster's own directory (/var/run/postgresql is not writable by nobody).
  const [postgres, args] = asOwner(path.join(bin, 'postgres'), [
    '-D',
    data,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'fsync=off',
    '-c',
    `max_connections=${maxConnections}`,
  ]);
  const proc = spawn(postgres, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (d) => (output = (output + d).slice(-20000));
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const killGroup = (sig) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      // already gone
    }
  };
  // If the bench dies, the cluster goes with it (its own process group is not signalled otherwise).
  onExit(() => {
    if (proc.exitCode === null) {
      killGroup('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      killGroup('SIGINT');
      const timer = setTimeout(() => killGroup('SIGKILL'), 30000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) {
      throw new Error(`postgres exited with ${proc.exitCode}:\n${output}`);
    }
    const c = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      break;
    } catch {
      await c.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`postgres did not accept connections within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(200);
  }
  return {
    adminUrl,
    port,
    /** A new, empty database; its URL. */
    async createDatabase(name) {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://burnrate@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}

module.exports = { startPostgres, postgresVersion, postgresBinDir };
