// Delivery to a Prometheus rules directory: one file per SLO, written atomically (temp file,
// fsync, rename), then `POST /-/reload`, then confirmed through `/api/v1/rules`. When Prometheus
// rejects a reload, the batch is rolled back and retried one SLO at a time so that only the
// SLOs whose rules were rejected fail. Prometheus must load `<dir>/*.yaml` (rule_files).

import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'fs';
import { join } from 'path';
import { renderRuleFile } from '../../core/rules/render';
import { Logger } from '../log';
import { PrometheusClient } from '../status/prometheusClient';
import { UpstreamError } from '../upstream';
import { RuleSink, SloRules, SyncOutcome } from './sink';

const PREFIX = 'burnrate_';
const SUFFIX = '.rules.yaml';

/** `service/name` -> file name; "@" cannot occur in names, so the mapping is one to one. */
export function ruleFileName(key: string): string {
  const [service, name] = key.split('/');
  return `${PREFIX}${service}@${name}${SUFFIX}`;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const data = Buffer.from(text, 'utf8');
  try {
    const fd = openSync(tmp, 'w');
    try {
      let done = 0;
      while (done < data.length) {
        done += writeSync(fd, data, done, data.length - done);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    // A full or read-only disk: leave no partial temp file behind.
    try {
      unlinkSync(tmp);
    } catch {
      // already gone, or never created
    }
    throw e;
  }
}

type Change = { file: string; key?: string; before?: string; after?: string };

export class PrometheusDirectorySink implements RuleSink {
  readonly target = 'prometheus' as const;
  /** A reload that never reached Prometheus (or a fresh start after a crash) is retried. */
  private reloadPending = true;
  /** /api/v1/rules lists every group Prometheus has (seconds for thousands of SLOs), so it is
   * asked after a change and every `confirmEvery` passes, not on every pass. */
  private passesSinceConfirm = Infinity;
  private static readonly confirmEvery = 10;
  private static readonly confirmTimeoutMs = 60_000;
  private lastConfirmed = new Map<string, SyncOutcome>();

  constructor(
    private readonly dir: string,
    private readonly prometheus: PrometheusClient | undefined,
    private readonly log: Logger
  ) {}

  private current(): Map<string, string> {
    const out = new Map<string, string>();
    for (const f of readdirSync(this.dir)) {
      if (f.startsWith(PREFIX) && f.endsWith(SUFFIX)) {
        out.set(f, readFileSync(join(this.dir, f), 'utf8'));
      } else if (f.startsWith(PREFIX) && f.endsWith('.tmp')) {
        // Left by a crash mid-write: never loaded by Prometheus (not *.yaml), safe to drop.
        unlinkSync(join(this.dir, f));
      }
    }
    return out;
  }

  private apply(changes: Change[], direction: 'forward' | 'back'): void {
    for (const c of changes) {
      const text = direction === 'forward' ? c.after : c.before;
      const path = join(this.dir, c.file);
      if (text === undefined) {
        if (existsSync(path)) {
          unlinkSync(path);
        }
      } else {
        writeAtomic(path, text);
      }
    }
  }

  async sync(desired: SloRules[]): Promise<Map<string, SyncOutcome>> {
    const outcomes = new Map<string, SyncOutcome>();
    const wanted = new Map(desired.map((d) => [ruleFileName(d.key), d]));
    let existing: Map<string, string>;
    try {
      existing = this.current();
    } catch (e) {
      const reason = `cannot read rules directory ${this.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      desired.forEach((d) => outcomes.set(d.key, { state: 'failed', reason }));
      return outcomes;
    }
    const changes: Change[] = [];
    for (const [file, d] of wanted) {
      const text = renderRuleFile(d.groups);
      if (existing.get(file) !== text) {
        changes.push({ file, key: d.key, before: existing.get(file), after: text });
      }
    }
    for (const [file, text] of existing) {
      if (!wanted.has(file)) {
        changes.push({ file, before: text, after: undefined });
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

  /** Applies changes; returns the SLOs whose rules had to be rolled back, with the reason. */
  private async applyAndReload(changes: Change[]): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    try {
      this.apply(changes, 'forward');
    } catch (e) {
      const reason = `cannot write rules to ${this.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      try {
        this.apply(changes, 'back');
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
    this.apply(changes, 'back');
    await this.reload();
    this.log.warn('Prometheus rejected a rules batch; retrying one SLO at a time', { changes: changes.length, reason: rejected });
    for (const c of changes) {
      this.apply([c], 'forward');
      const reason = await this.reload();
      if (reason !== undefined) {
        this.apply([c], 'back');
        await this.reload();
        if (c.key) {
          failed.set(c.key, `Prometheus rejected the rules: ${reason}`);
        }
      }
    }
    return failed;
  }

  /** undefined when the reload succeeded or Prometheus could not be reached; else its reason. */
  private async reload(): Promise<string | undefined> {
    try {
      await this.prometheus!.reload();
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
      loaded = new Set((await this.prometheus.ruleGroups(PrometheusDirectorySink.confirmTimeoutMs)).map((g) => g.name));
      this.passesSinceConfirm = 0;
    } catch (e) {
      const reason = `rules written; Prometheus cannot confirm them yet: ${(e as Error).message}`;
      open.forEach((d) => outcomes.set(d.key, { state: 'pending', reason }));
      return;
    }
    this.lastConfirmed.clear();
    for (const d of open) {
      const missing = d.groups.filter((g) => !loaded.has(g.name)).map((g) => g.name);
      const o: SyncOutcome = missing.length ? { state: 'pending', reason: `Prometheus has not loaded ${missing.join(', ')}` } : { state: 'in-sync' };
      outcomes.set(d.key, o);
      this.lastConfirmed.set(d.key, o);
    }
  }
}
