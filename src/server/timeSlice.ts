// Long loops on the event loop (rendering thousands of SLOs, comparing their files, recording
// their sync state) give way to requests: each slice of work runs at most `budgetMs`, then the
// loop yields with setImmediate, so a request waits for one slice, not for the whole loop.

/** Resolves on a later turn of the event loop, after the I/O (requests) waiting now. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

export class TimeSlice {
  private started = performance.now();

  constructor(private readonly budgetMs = 10) {}

  /** Yields to the event loop when this slice has used its budget; otherwise returns at once. */
  async check(): Promise<void> {
    if (performance.now() - this.started >= this.budgetMs) {
      await nextTurn();
      this.started = performance.now();
    }
  }
}
