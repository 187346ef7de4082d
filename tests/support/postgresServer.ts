// Runs a throwaway PostgreSQL (15, Debian's package `postgresql`) for tests: a new cluster in a
// temp directory, listening on 127.0.0.1 at a free port, trusting local connections. PostgreSQL
// refuses to run as root, so as root the cluster belongs to `nobody` and its programs run through
// runuser. Tests that need it fail when it is missing: nothing here skips.

import { ChildProcess, execFileSync, spawn } from 'child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import { freePort } from './prometheusServer';

/** Where initdb and postgres are: $PG_BIN, PATH, or Debian's /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string {
  const candidates = [process.env.PG_BIN, ...(process.env.PATH ?? '').split(':'), '/usr/local/bin'];
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    // Newest first.
    candidates.push(...readdirSync(debian).sort((a, b) => Number(b) - Number(a)).map((v) => join(debian, v, 'bin')));
  }
  const dir = candidates.find((d) => d && existsSync(join(d, 'initdb')) && existsSync(join(d, 'postgres')));
  if (!dir) {
    throw new Error('PostgreSQL not found (initdb and postgres in PATH, /usr/local/bin or /usr/lib/postgresql/*/bin): install the Debian package "postgresql" (see .ci/run)');
  }
  return dir;
}

const NOBODY = { uid: 65534, gid: 65534, name: 'nobody' };
const asRoot = () => process.getuid?.() === 0;

/** The command line that runs `program` as the cluster's owner. */
function asOwner(program: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', NOBODY.name, '--', program, ...args]] : [program, args];
}

export class PostgresServer {
  private proc?: ChildProcess;
  output = '';
  port = 0;
  private dir = '';
  private databases = 0;

  /** The URL of the cluster's `postgres` database (superuser `burnrate`, no password). */
  get adminUrl(): string {
    return `postgres://burnrate@127.0.0.1:${this.port}/postgres`;
  }

  async start(timeoutMs = 90_000): Promise<void> {
    if (this.dir) {
      // Started before and halted: the same cluster again, on the same port.
      return this.launch(timeoutMs);
    }
    const bin = postgresBinDir();
    const runDir = process.env.BURNRATE_TEST_TMPDIR;
    if (asRoot() && runDir) {
      // The run's temp directory is 0700 root: `nobody` needs to pass through it.
      chmodSync(runDir, 0o711);
    }
    this.dir = mkdtempSync(join(tmpdir(), 'postgres-'));
    if (asRoot()) {
      chownSync(this.dir, NOBODY.uid, NOBODY.gid);
    }
    const data = join(this.dir, 'data');
    const [initdb, initArgs] = asOwner(join(bin, 'initdb'), ['-D', data, '-U', 'burnrate', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale-provider=icu', '--icu-locale=en']);
    try {
      execFileSync(initdb, initArgs, { stdio: 'pipe', timeout: timeoutMs });
    } catch (e) {
      throw new Error(`initdb failed: ${(e as { stderr?: Buffer }).stderr?.toString() ?? (e as Error).message}`);
    }
    this.port = await freePort();
    return this.launch(timeoutMs);
  }

  private async launch(timeoutMs: number): Promise<void> {
    const bin = postgresBinDir();
    const data = join(this.dir, 'data');
    // fsync off: a test cluster need not survive a power cut. The socket goes in the cluster's own
    // directory (the default, /var/run/postgresql, is not writable by nobody).
    const [postgres, args] = asOwner(join(bin, 'postgres'), ['-D', data, '-h', '127.0.0.1', '-p', String(this.port), '-k', this.dir, '-c', 'fsync=off', '-c', 'max_connections=100']);
    this.proc = spawn(postgres, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.proc.stdout!.on('data', (d) => (this.output += d));
    this.proc.stderr!.on('data', (d) => (this.output += d));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.proc.exitCode !== null) {
        throw new Error(`postgres exited with ${this.proc.exitCode}:\n${this.output}`);
      }
      const c = new Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 2000 });
      try {
        await c.connect();
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch {
        await c.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        throw new Error(`postgres did not accept connections within ${timeoutMs} ms:\n${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A new, empty database; returns its URL. */
  async createDatabase(prefix = 'test'): Promise<string> {
    const name = `${prefix}_${++this.databases}`;
    const c = new Client({ connectionString: this.adminUrl });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } finally {
      await c.end();
    }
    return `postgres://burnrate@127.0.0.1:${this.port}/${name}`;
  }

  /** Fast shutdown (SIGINT: running transactions are rolled back), then the directory goes. */
  async stop(): Promise<void> {
    await this.halt();
    if (this.dir) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = '';
    }
  }

  /** Fast shutdown, keeping the cluster: `start()` brings it back with its data. */
  async halt(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      try {
        process.kill(-p.pid!, 'SIGINT');
      } catch {
        p.kill('SIGINT');
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 30_000)))]);
      clearTimeout(timer);
      if (p.exitCode === null) {
        process.kill(-p.pid!, 'SIGKILL');
      }
    }
  }
}
