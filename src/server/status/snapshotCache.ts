// A cache of values that come from slow queries (Prometheus under rule-evaluation load can take
// hundreds of milliseconds), for answers that may be a few seconds old: the contract series change
// once per evaluation interval (1m by default) anyway.
//
// - younger than ttlMs: served as is;
// - between ttlMs and 2 x ttlMs: served as is, and refreshed in the background (one refresh at a
//   time per key), so a busy endpoint never waits for Prometheus while its answer is recent;
// - older, missing or failed: loaded, and the caller waits.
// Requests for a key whose load is in flight share it, also with ttlMs = 0.

interface Entry<V> {
  at: number;
  settled: boolean;
  value: Promise<V>;
}

export class SnapshotCache<V> {
  private entries = new Map<string, Entry<V>>();
  private refreshing = new Set<string>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10000
  ) {}

  /** The values of `keys`; `load` is called once with every key that has to be (re)loaded. */
  get(keys: string[], load: (keys: string[]) => Map<string, Promise<V>>): Map<string, Promise<V>> {
    const out = new Map<string, Promise<V>>();
    const missing: string[] = [];
    const stale: string[] = [];
    for (const k of keys) {
      const e = this.entries.get(k);
      const age = e ? this.now() - e.at : Infinity;
      if (e && (!e.settled || age < this.ttlMs)) {
        out.set(k, e.value);
      } else if (e && age < 2 * this.ttlMs) {
        out.set(k, e.value);
        if (!this.refreshing.has(k)) {
          stale.push(k);
        }
      } else {
        missing.push(k);
      }
    }
    if (missing.length) {
      for (const [k, e] of this.start(missing, load)) {
        this.entries.set(k, e);
        out.set(k, e.value);
        // A failed load is not kept: the next request loads again.
        e.value.catch(() => this.entries.get(k) === e && this.entries.delete(k));
      }
    }
    if (stale.length) {
      stale.forEach((k) => this.refreshing.add(k));
      for (const [k, e] of this.start(stale, load)) {
        // The old value stays until the new one is in; a failed refresh leaves it to expire.
        e.value.then(
          () => this.entries.set(k, e),
          () => undefined
        ).finally(() => this.refreshing.delete(k));
      }
    }
    if (this.entries.size > this.maxEntries) {
      this.entries.clear();
    }
    return out;
  }

  private start(keys: string[], load: (keys: string[]) => Map<string, Promise<V>>): Map<string, Entry<V>> {
    const at = this.now();
    const loaded = load(keys);
    const out = new Map<string, Entry<V>>();
    for (const k of keys) {
      const e: Entry<V> = { at, settled: false, value: loaded.get(k) ?? Promise.reject(new Error(`nothing loaded for ${k}`)) };
      e.value.then(
        () => (e.settled = true),
        () => undefined
      );
      out.set(k, e);
    }
    return out;
  }
}
