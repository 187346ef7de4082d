// Delivery to a Prometheus rules directory: one file per SLO, written atomically (temp file,
// fsync, rename), then `POST /-/reload`, then confirmed through `/api/v1/rules`. When Prometheus
// rejects a reload, the batch is rolled back and retried one SLO at a time so that only the
// SLOs whose rules were rejected fail. Prometheus must load `<dir>/*.yaml` (rule_files).
//
// A pass with nothing to change costs a directory listing: the sink remembers a digest of every
// file it wrote, and reads the files' contents only on its first pass and every `rereadEvery`
// passes (to repair files edited by hand). All file I/O is asynchronous, so a pass that writes
// thousands of files leaves the event loop to requests.

import { promises as fsp } from 'fs';
import { join } from 'path';
import { Logger } from '../log';
import { PrometheusClient } from '../status/prometheusClient';
import { UpstreamError } from '../upstream';
import { digestOf } from './ruleRenderer';
import { RuleSink, SloRules, SyncOutcome } from './sink';
import { TimeSlice } from '../timeSlice';

const PREFIX = 'burnrate_';
const SUFFIX = '.rules.yaml';
/** Files written or read at once. */
const IO_PARALLEL = 16;

/** `service/name` -> file name; "@" cannot occur in names, so the mapping is one to one. */
export function ruleFileName(key: string): string {
  const [service, name] = key.split('/');
  return `${PREFIX}${service}@${name}${SUFFIX}`;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const f = await fsp.open(tmp, 'w');
    try {
      await f.writeFile(text, 'utf8');
      await f.sync();
    } finally {
      await f.close();
    }
    await fsp.rename(tmp, path);
  } catch (e) {
    // A full or read-only disk: leave no partial temp file behind.
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Runs `fn` on every item, `IO_PARALLEL` at a time; all run, then the first error is thrown. */
async function eachParallel<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IO_PARALLEL, items.length) }, worker));
  if (failure) {
    throw failure.error;
  }
}

/** One file to write (`after`) or remove; `before` is its content to roll back to, read just
 * before the change when the file `existed`. */
type Change = { file: string; key?: string; existed: boolean; before?: string; after?: string };

export class PrometheusDirectorySink implements RuleSink {
  readonly target = 'prometheus' as const;
  /** A reload that never reached Prometheus (or a fresh start after a crash) is retried. */
  private reloadPending = true;
  /** /api/v1/rules lists every rule Prometheus has (12 MB and seconds of its time for 1,000
   * SLOs), so it is asked after a change and every `confirmEvery` passes, not on every pass. */
  private passesSinceConfirm = Infinity;
  private static readonly confirmEvery = 10;
  private static readonly confirmTimeoutMs = 120_000;
  /** A reload parses every rule file: seconds for thousands of groups. */
  private static readonly reloadTimeoutMs = 120_000;
  private static readonly rereadEvery = 10;
  private lastConfirmed = new Map<string, SyncOutcome>();
  /** Rules Prometheus rejected, by SLO: the digest of the rejected file and Prometheus's reason.
   * Kept in memory: a restart (or a Prometheus upgrade plus restart) tries them once more. */
  private readonly rejected = new Map<string, { digest: string; reason: string }>();
  /** Digest of each of our files as last written or read; undefined until the directory is read. */
  private files?: Map<string, string>;
  private passesSinceRead = 0;

  constructor(
    private readonly dir: string,
    private readonly prometheus: PrometheusClient | undefined,
    private readonly log: Logger
  ) {}

  /** Our files in the directory, by digest of their content. */
  private async current(): Promise<Map<string, string>> {
    const names: string[] = [];
    for (const f of await fsp.readdir(this.dir)) {
      if (f.startsWith(PREFIX) && f.endsWith(SUFFIX)) {
        names.push(f);
      } else if (f.startsWith(PREFIX) && f.endsWith('.tmp')) {
        // Left by a crash mid-write: never loaded by Prometheus (not *.yaml), safe to drop.
        await fsp.unlink(join(this.dir, f)).catch(() => undefined);
      }
    }
    const reread = !this.files || ++this.passesSinceRead >= PrometheusDirectorySink.rereadEvery;
    const known = reread ? new Map<string, string>() : this.files!;
    const out = new Map<string, string>();
    const unknown: string[] = [];
    for (const f of names) {
      const d = known.get(f);
      if (d === undefined) {
        unknown.push(f);
      } else {
        out.set(f, d);
      }
    }
    await eachParallel(unknown, async (f) => {
      out.set(f, digestOf(await fsp.readFile(join(this.dir, f), 'utf8')));
    });
    if (reread) {
      this.passesSinceRead = 0;
    }
    this.files = out;
    return out;
  }

  private async apply(changes: Change[], direction: 'forward' | 'back'): Promise<void> {
    try {
      await eachParallel(changes, async (c) => {
        const text = direction === 'forward' ? c.after : c.before;
        const path = join(this.dir, c.file);
        if (text === undefined) {
          await fsp.unlink(path).catch((e: NodeJS.ErrnoException) => {
            if (e.code !== 'ENOENT') {
              throw e;
            }
          });
          this.files?.delete(c.file);
        } else {
          await writeAtomic(path, text);
          this.files?.set(c.file, digestOf(text));
        }
      });
    } catch (e) {
      // Some files may hold either version: read the directory again on the next pass.
      this.files = undefined;
      throw e;
    }
  }

  async sync(desired: SloRules[]): Promise<Map<string, SyncOutcome>> {
    const outcomes = new Map<string, SyncOutcome>();
    let existing: Map<string, string>;
    try {
      existing = await this.current();
    } catch (e) {
      const reason = `cannot read rules directory ${this.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      desired.forEach((d) => outcomes.set(d.key, { state: 'failed', reason }));
      return outcomes;
    }
    const changes: Change[] = [];
    const wanted = new Set<string>();
    const slice = new TimeSlice();
    for (const d of desired) {
      const file = ruleFileName(d.key);
      wanted.add(file);
      const known = this.rejected.get(d.key);
      if (known?.digest === d.digest) {
        // Prometheus rejected exactly these rules before: reloading them again changes nothing.
        outcomes.set(d.key, { state: 'failed', reason: `${known.reason} (not sent again until the SLO changes)` });
      } else if (existing.get(file) !== d.digest) {
        this.rejected.delete(d.key);
        changes.push({ file, key: d.key, existed: existing.has(file), after: d.text });
      }
      await slice.check();
    }
    const keys = new Set(desired.map((d) => d.key));
    [...this.rejected.keys()].filter((k) => !keys.has(k)).forEach((k) => this.rejected.delete(k));
    for (const file of existing.keys()) {
      if (!wanted.has(file)) {
        changes.push({ file, existed: true });
      }
    }
    const wasPending = this.reloadPending;
    if (changes.length > 0) {
      const failed = await this.applyAndReload(changes);
      for (const [key, reason] of failed) {
        outcomes.set(key, { state: 'failed', reason });
      }
    } else if (this.reloadPending && this.prometheus) {
      await this.reload();
    }
    if (changes.length === 0 && !wasPending && this.passesSinceConfirm < PrometheusDirectorySink.confirmEvery) {
      // Nothing changed since the last confirmed state: the files on disk are what Prometheus loaded.
      this.passesSinceConfirm++;
      desired.filter((d) => !outcomes.has(d.key)).forEach((d) => outcomes.set(d.key, this.lastConfirmed.get(d.key) ?? { state: 'in-sync' }));
      return outcomes;
    }
    await this.confirm(desired, outcomes);
    return outcomes;
  }

  /** The previous content of the files about to change, to roll back to: read only now, for
   * the files a pass changes. */
  private async readBefore(changes: Change[]): Promise<void> {
    await eachParallel(
      changes.filter((c) => c.existed),
      async (c) => {
        c.before = await fsp.readFile(join(this.dir, c.file), 'utf8').catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') {
            throw e;
          }
          return undefined;
        });
      }
    );
  }

  /** Applies changes; returns the SLOs whose rules had to be rolled back, with the reason. */
  private async applyAndReload(changes: Change[]): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    const cannot = (what: string, e: unknown) => `cannot ${what} rules ${what === 'read' ? 'in' : 'to'} ${this.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    try {
      await this.readBefore(changes);
    } catch (e) {
      changes.forEach((c) => c.key && failed.set(c.key, cannot('read', e)));
      return failed;
    }
    try {
      await this.apply(changes, 'forward');
    } catch (e) {
      const reason = cannot('write', e);
      try {
        await this.apply(changes, 'back');
      } catch (e2) {
        this.log.error('rollback after a failed write failed too', { dir: this.dir, error: (e2 as Error).message });
      }
      changes.forEach((c) => c.key && failed.set(c.key, reason));
      return failed;
    }
    if (!this.prometheus) {
      return failed;
    }
    const rejected = await this.reload();
    if (rejected === undefined) {
      return failed;
    }
    // Rejected: restore the previous files, then find the culprits one SLO at a time.
    await this.apply(changes, 'back');
    // Without our changes Prometheus loads the folder: what it rejects next is ours alone.
    const ours = (await this.reload()) === undefined;
    this.log.warn('Prometheus rejected a rules batch; retrying one SLO at a time', { changes: changes.length, reason: rejected });
    for (const c of changes) {
      await this.apply([c], 'forward');
      const reason = await this.reload();
      if (reason !== undefined) {
        await this.apply([c], 'back');
        await this.reload();
        if (c.key) {
          failed.set(c.key, `Prometheus rejected the rules: ${reason}`);
          if (ours && c.after !== undefined) {
            this.rejected.set(c.key, { digest: digestOf(c.after), reason: `Prometheus rejected the rules: ${reason}` });
          }
        }
      }
    }
    return failed;
  }

  /** undefined when the reload succeeded or Prometheus could not be reached; else its reason. */
  private async reload(): Promise<string | undefined> {
    try {
      await this.prometheus!.reload(PrometheusDirectorySink.reloadTimeoutMs);
      this.reloadPending = false;
      return undefined;
    } catch (e) {
      if (e instanceof UpstreamError && e.status !== undefined && e.status < 500) {
        return e.message;
      }
      if (e instanceof UpstreamError && e.status !== undefined) {
        // Prometheus answers 500 to a reload whose rule files fail to load.
        return (e.body ?? e.message).trim().slice(0, 500);
      }
      this.reloadPending = true;
      return undefined;
    }
  }

  private async confirm(desired: SloRules[], outcomes: Map<string, SyncOutcome>): Promise<void> {
    const open = desired.filter((d) => !outcomes.has(d.key));
    if (!this.prometheus) {
      open.forEach((d) => outcomes.set(d.key, { state: 'in-sync', reason: 'written; no Prometheus URL configured to confirm' }));
      return;
    }
    let loaded: Set<string>;
    try {
      loaded = new Set((await this.prometheus.loadedRuleGroups(PrometheusDirectorySink.confirmTimeoutMs)).map((g) => g.name));
      this.passesSinceConfirm = 0;
    } catch (e) {
      const reason = `rules written; Prometheus cannot confirm them yet: ${(e as Error).message}`;
      open.forEach((d) => outcomes.set(d.key, { state: 'pending', reason }));
      return;
    }
    this.lastConfirmed.clear();
    const slice = new TimeSlice();
    for (const d of open) {
      const missing = d.groups.filter((g) => !loaded.has(g.name)).map((g) => g.name);
      const o: SyncOutcome = missing.length ? { state: 'pending', reason: `Prometheus has not loaded ${missing.join(', ')}` } : { state: 'in-sync' };
      outcomes.set(d.key, o);
      this.lastConfirmed.set(d.key, o);
      await slice.check();
    }
  }
}
