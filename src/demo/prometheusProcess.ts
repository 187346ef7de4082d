// Prometheus as the demo runs it: started with the demo's flags, ready when /-/ready says so,
// stopped with the demo.

import { ChildProcess, spawn } from 'child_process';
import { createWriteStream } from 'fs';
import { group, sleep, stopChild } from './processes';

export class Prometheus {
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
    group.children.add(p);
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
      group.children.delete(p);
      log.end();
    });
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`Prometheus exited at start:\n${tail}`);
      }
      if (group.stopping) {
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
