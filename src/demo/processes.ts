// The demo's child processes (promtool, Prometheus) and ports on 127.0.0.1.

import { ChildProcess, execFileSync, spawn } from 'child_process';
import { createWriteStream } from 'fs';
import { createServer } from 'net';

export function which(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

export async function pickPort(preferred: number): Promise<number> {
  return preferred > 0 && (await portFree(preferred)) ? preferred : freePort();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every child process started here, so that a stop (or a crash) ends them all; `stopping` once
 * the demo is on its way out (nothing new starts). */
export const group = { children: new Set<ChildProcess>(), stopping: false };

export function run(cmd: string, args: string[], logFile: string): Promise<void> {
  return new Promise((res, rej) => {
    if (group.stopping) {
      return rej(new Error('stopping'));
    }
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    group.children.add(p);
    let out = '';
    const log = createWriteStream(logFile, { flags: 'a' });
    const onData = (b: Buffer) => {
      out = (out + b.toString()).slice(-4000);
      log.write(b);
    };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    p.once('error', (e) => {
      group.children.delete(p);
      rej(e);
    });
    p.once('exit', (code, signal) => {
      group.children.delete(p);
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
export async function pool<T>(items: T[], n: number, job: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(n, queue.length) }, async () => {
      while (queue.length) {
        await job(queue.shift()!);
      }
    })
  );
}

export function stopChild(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) {
    group.children.delete(p);
    return Promise.resolve();
  }
  return new Promise((res) => {
    const kill = setTimeout(() => p.kill('SIGKILL'), 10000);
    p.once('exit', () => {
      clearTimeout(kill);
      group.children.delete(p);
      res();
    });
    p.kill('SIGTERM');
  });
}
