// Runs the tasks of tasks.ts on one worker thread, so that the event loop keeps answering requests
// while a big body is parsed. The worker starts on first use and is restarted after a crash (an
// out-of-memory parse fails that task, not the server); it does not keep the process alive.

import { join } from 'path';
import { Worker } from 'worker_threads';
import { Tasks } from './tasks';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class OffThreadError extends Error {}

export class OffThread {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private start(): Worker {
    const entry = join(__dirname, `worker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
    // Built code runs worker.js; tests run the TypeScript sources, which the worker compiles the
    // same way (ts-node with swc, development dependencies).
    const w = __filename.endsWith('.ts')
      ? new Worker(
          `require('ts-node').register({ transpileOnly: true, swc: true, project: ${JSON.stringify(join(__dirname, '../../../tsconfig.node.json'))} }); require(${JSON.stringify(entry)});`,
          { eval: true }
        )
      : new Worker(entry);
    w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) {
        w.unref();
      }
      if (m.error !== undefined) {
        p?.reject(new OffThreadError(m.error));
      } else {
        p?.resolve(m.result);
      }
    });
    const fail = (why: string) => {
      if (this.worker === w) {
        this.worker = undefined;
      }
      const err = new OffThreadError(`the background worker stopped: ${why}`);
      this.pending.forEach((p) => p.reject(err));
      this.pending.clear();
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    w.unref();
    return w;
  }

  run<K extends keyof Tasks>(task: K, args: Parameters<Tasks[K]>): Promise<Awaited<ReturnType<Tasks[K]>>> {
    this.worker ??= this.start();
    const w = this.worker;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.ref();
      w.postMessage({ id, task, args });
    });
  }
}

/** The server's one worker, shared by every caller. */
export const offThread = new OffThread();
