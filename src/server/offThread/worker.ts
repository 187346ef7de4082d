// The worker thread's entry: runs the tasks of tasks.ts by name and posts back their results.

import { parentPort } from 'worker_threads';
import { tasks, Tasks } from './tasks';

interface Request {
  id: number;
  task: keyof Tasks;
  args: unknown[];
}

parentPort!.on('message', ({ id, task, args }: Request) => {
  Promise.resolve()
    .then(() => (tasks[task] as (...a: unknown[]) => unknown)(...args))
    .then(
      (result) => parentPort!.postMessage({ id, result }),
      (e) => parentPort!.postMessage({ id, error: (e as Error)?.message ?? String(e) })
    );
});
