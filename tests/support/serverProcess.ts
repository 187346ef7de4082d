// `node bin/burnrate.js serve` as a child process on 127.0.0.1 (the built code in build/): for
// tests whose observer must not share the server's event loop, or that need several servers.
// Every process started here is stopped by stopAllServers() (call it in afterAll). Also the CLI
// run to its end (runCli).

import { ChildProcess, execSync, spawn } from 'child_process';
import { join } from 'path';
import { Api } from '../server/helpers';
import { freePort, waitFor } from './prometheusServer';

const ROOT = join(__dirname, '../..');
const running = new Set<ChildProcess>();

/** Compiles src/ to build/, which bin/burnrate.js runs (call in beforeAll). */
export function buildNode(): void {
  execSync('npm run build:node', { cwd: ROOT, stdio: 'pipe', timeout: 180_000 });
}

/** Runs `node bin/burnrate.js ...args` to its end (BURNRATE_TOKEN unset: pass --token). */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'burnrate.js'), ...args], { cwd: ROOT, env: { ...process.env, BURNRATE_TOKEN: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b));
    p.stderr.on('data', (b) => (stderr += b));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  proc: ChildProcess;
  api: Api;
  /** The last 20,000 characters of its stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a server with these BURNRATE_* variables and waits until /healthz answers. */
export async function startServerProcess(token: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(ROOT, 'bin/burnrate.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, BURNRATE_PORT: String(port), BURNRATE_HOST: '127.0.0.1', BURNRATE_ADMIN_TOKEN: token, BURNRATE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-20000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  void exited.then(() => running.delete(proc));
  const api = new Api(`http://127.0.0.1:${port}`, token);
  await waitFor(
    'the server to answer /healthz',
    async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`the server exited at start:\n${out}`);
      }
      return (await fetch(`${api.base}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined))?.status === 200;
    },
    30000,
    50
  );
  return {
    proc,
    api,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const kill = setTimeout(() => proc.kill('SIGKILL'), 10000);
        proc.kill('SIGTERM');
        await exited;
        clearTimeout(kill);
      }
    },
  };
}

export async function stopAllServers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) {
            return resolve();
          }
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        })
    )
  );
}
