// Keeps every target holding exactly the rules of the stored SLOs: after each change (debounced)
// and on a timer, which also repairs drift (a ruler that lost groups, a file removed by hand,
// rules of SLOs deleted while the server was down). Sync state per SLO and target is stored.

import { Logger } from '../log';
import { ServerMetrics } from '../metrics';
import { SloStore } from '../sloStore';
import { placeholders, Store } from '../storage/store';
import { RuleRenderer } from './ruleRenderer';
import { RuleSink, SloRules, SyncOutcome } from './sink';
import { nextTurn, TimeSlice } from '../timeSlice';

export interface SyncRecord {
  target: string;
  state: 'pending' | 'in-sync' | 'failed';
  reason?: string;
  /** The version of the SLO this state is about (absent on rows from before versions were kept). */
  version?: number;
  updatedAt: number;
}

/** The records as they stand for `version` of the SLO: a state about another version (an edit
 * not delivered yet) is shown as pending, naming the version the target has. */
export function syncFor(records: SyncRecord[], version: number): SyncRecord[] {
  return records.map((r) =>
    r.version === version
      ? r
      : {
          ...r,
          state: 'pending',
          reason: `version ${version} is not delivered yet (${r.state} is about ${r.version === undefined ? 'an earlier version' : `version ${r.version}`}${r.reason ? `: ${r.reason}` : ''})`,
        }
  );
}

export class Reconciler {
  private timer?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private paused = false;
  lastRun?: { at: number; ok: boolean };
  readonly renderer = new RuleRenderer();

  constructor(
    private readonly db: Store,
    private readonly store: SloStore,
    private readonly sinks: RuleSink[],
    private readonly log: Logger,
    private readonly metrics: ServerMetrics,
    private readonly intervalMs: number,
    /** Told each SLO's outcome per target after every pass (starts the history backfill). */
    private readonly onOutcome?: (target: string, key: string, version: number, outcome: SyncOutcome) => void | Promise<void>
  ) {}

  start(): void {
    this.paused = false;
    clearInterval(this.timer);
    this.timer = setInterval(() => this.runInBackground(), this.intervalMs);
    this.timer.unref();
    this.runInBackground();
  }

  /** No passes by themselves until start() (a server that is not the leader); a pass under way
   * finishes. Changes still mark their SLOs pending. */
  pause(): void {
    this.paused = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
  }

  /** A pass nobody awaits: its failure (e.g. the database busy past its timeout) is logged, and
   * the next pass tries again. */
  private runInBackground(): void {
    if (this.paused) {
      return;
    }
    this.run().catch((e) => this.log.error('rule delivery pass failed', { error: (e as Error).message }));
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    return (this.next ?? this.running ?? Promise.resolve()).catch(() => undefined);
  }

  /** Marks an SLO pending on every target that needs it, and schedules a run soon. */
  async changed(service: string, name: string): Promise<void> {
    try {
      const slo = await this.store.get(service, name);
      if (slo) {
        const rendered = this.renderer.render(slo.slo);
        for (const sink of this.sinks) {
          if (rendered[sink.target]) {
            await this.setState(service, name, sink.target, { state: 'pending', reason: 'waiting for delivery' }, slo.version);
          }
        }
      }
    } catch (e) {
      // The change is stored; the pass scheduled below records its state.
      this.log.warn('could not mark an SLO pending', { slo: `${service}/${name}`, error: (e as Error).message });
    }
    this.soon();
  }

  /** Many SLOs changed at once (an import): the next pass marks them pending as it renders them,
   * in slices, rather than all of them being rendered here in one go. */
  changedMany(): void {
    this.soon();
  }

  private soon(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.runInBackground(), 200);
    this.debounce.unref();
  }

  /** One pass over every target. A call made while a pass runs resolves after the next pass,
   * which sees every change made before the call; concurrent calls share that next pass. */
  run(): Promise<void> {
    if (this.running) {
      this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.run();
      });
      return this.next;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const slos = await this.store.allInPages();
    const rendered = await this.renderer.renderAll(slos.map((s) => s.slo));
    const work = this.sinks.map((sink) => {
      const desired: SloRules[] = [];
      slos.forEach((s, i) => {
        const r = rendered[i][sink.target];
        if (r) {
          desired.push({ key: `${s.service}/${s.name}`, version: s.version, ...r });
        }
      });
      return { sink, desired };
    });
    // What each state written below is about: the SLO as this pass read it. A state is recorded
    // only while the SLO is still at that revision, so an edit made during the pass keeps its own
    // pending state and a deleted SLO gets no row back.
    const revisions = new Map(slos.map((s) => [`${s.service}/${s.name}`, { version: s.version, updatedAt: s.updatedAt }]));
    // SLOs a target has never seen (an import) show as pending while the deliveries run.
    for (const { sink, desired } of work) {
      const rows = await this.stateRows(sink.target);
      const fresh = desired.filter((d) => !rows.has(d.key));
      await this.recordStates(sink.target, fresh.map((d) => [d.key, { state: 'pending', reason: 'waiting for delivery' }]), rows, revisions);
    }
    let ok = true;
    for (const { sink, desired } of work) {
      const started = process.hrtime.bigint();
      let outcomes: Map<string, SyncOutcome>;
      try {
        outcomes = await sink.sync(desired);
      } catch (e) {
        const reason = (e as Error).message;
        this.log.error('rule delivery failed', { target: sink.target, error: reason });
        outcomes = new Map(desired.map((d) => [d.key, { state: 'failed' as const, reason }]));
      }
      this.metrics.syncDuration.observe({ target: sink.target }, Number(process.hrtime.bigint() - started) / 1e9);
      const counts = { 'in-sync': 0, pending: 0, failed: 0 };
      const results: Array<[string, SyncOutcome]> = desired.map((d) => {
        const o = outcomes.get(d.key) ?? { state: 'pending', reason: 'no answer from the target' };
        counts[o.state]++;
        return [d.key, o];
      });
      for (const [key, o] of results) {
        await this.onOutcome?.(sink.target, key, revisions.get(key)!.version, o);
      }
      const rows = await this.stateRows(sink.target);
      await this.recordStates(sink.target, results, rows, revisions);
      // Targets an SLO no longer needs (e.g. it stopped reading Loki) keep no stale state; an SLO
      // created during the pass keeps the pending state its creation recorded.
      const keep = new Set(desired.map((d) => d.key));
      const seen = new Set(slos.map((s) => `${s.service}/${s.name}`));
      const stale = [...rows.keys()].filter((k) => !keep.has(k));
      await this.db.transaction(async () => {
        for (const k of stale) {
          const [service, name] = k.split('/');
          const sql = seen.has(k)
            ? 'DELETE FROM sync_state WHERE service = ? AND name = ? AND target = ?'
            : 'DELETE FROM sync_state WHERE service = ? AND name = ? AND target = ? AND NOT EXISTS (SELECT 1 FROM slos WHERE service = ? AND name = ?)';
          await this.db.run(sql, [service, name, sink.target, ...(seen.has(k) ? [] : [service, name])]);
        }
      });
      for (const [state, n] of Object.entries(counts)) {
        this.metrics.syncStates.set({ target: sink.target, state }, n);
      }
      const result = counts.failed > 0 ? 'failed' : counts.pending > 0 ? 'pending' : 'success';
      this.metrics.syncs.inc({ target: sink.target, result });
      if (result === 'success') {
        this.metrics.syncLastSuccess.set({ target: sink.target }, Date.now() / 1000);
      } else {
        ok = false;
      }
    }
    this.lastRun = { at: Date.now(), ok };
  }

  /** Sync state of every SLO on one target, by "service/name". */
  private async stateRows(target: string): Promise<Map<string, SyncOutcome & { version?: number }>> {
    const rows = await this.db.all<SyncRow>('SELECT service, name, state, reason, version FROM sync_state WHERE target = ?', [target]);
    return new Map(rows.map((r) => [`${r.service}/${r.name}`, { state: r.state, reason: r.reason ?? undefined, version: r.version ?? undefined }]));
  }

  /** Writes the outcomes that differ from the rows as they were, each only while its SLO is still
   * at the revision the pass read; a few hundred per transaction, leaving the event loop to
   * requests between transactions. */
  private async recordStates(
    target: string,
    outcomes: Array<[string, SyncOutcome]>,
    before: Map<string, SyncOutcome & { version?: number }>,
    revisions: Map<string, { version: number; updatedAt: number }>
  ): Promise<void> {
    await nextTurn();
    const slice = new TimeSlice();
    const changed = outcomes.filter(([k, o]) => {
      const b = before.get(k);
      return !b || b.state !== o.state || b.reason !== o.reason || b.version !== revisions.get(k)!.version;
    });
    for (let i = 0; i < changed.length; i += 500) {
      await this.db.transaction(async () => {
        for (const [k, o] of changed.slice(i, i + 500)) {
          const [service, name] = k.split('/');
          const r = revisions.get(k)!;
          // The casts give PostgreSQL the types of values it cannot infer in a SELECT list.
          await this.db.run(
            `INSERT INTO sync_state (service, name, target, state, reason, version, updated_at)
             SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT)
             WHERE EXISTS (SELECT 1 FROM slos WHERE service = ? AND name = ? AND version = ? AND updated_at = ?)
             ON CONFLICT (service, name, target) DO UPDATE SET state = excluded.state, reason = excluded.reason, version = excluded.version, updated_at = excluded.updated_at`,
            [service, name, target, o.state, o.reason ?? null, r.version, Date.now(), service, name, r.version, r.updatedAt]
          );
        }
      });
      await slice.check();
    }
  }

  private async setState(service: string, name: string, target: string, o: SyncOutcome, version: number): Promise<void> {
    await this.db.run(
      `INSERT INTO sync_state (service, name, target, state, reason, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (service, name, target) DO UPDATE SET state = excluded.state, reason = excluded.reason, version = excluded.version, updated_at = excluded.updated_at`,
      [service, name, target, o.state, o.reason ?? null, version, Date.now()]
    );
  }

  async states(service: string, name: string): Promise<SyncRecord[]> {
    const rows = await this.db.all<SyncRow>('SELECT service, name, target, state, reason, version, updated_at FROM sync_state WHERE service = ? AND name = ? ORDER BY target', [service, name]);
    return rows.map(syncRecord);
  }

  /** Sync records of every SLO of the given services, by "service/name", in one query (list pages). */
  async statesOf(services: string[]): Promise<Map<string, SyncRecord[]>> {
    const rows = await this.db.all<SyncRow>(
      `SELECT service, name, target, state, reason, version, updated_at FROM sync_state WHERE service IN (${placeholders(services.length)}) ORDER BY target`,
      services
    );
    const out = new Map<string, SyncRecord[]>();
    for (const r of rows) {
      const k = `${r.service}/${r.name}`;
      let list = out.get(k);
      if (!list) {
        out.set(k, (list = []));
      }
      list.push(syncRecord(r));
    }
    return out;
  }
}

interface SyncRow {
  service: string;
  name: string;
  target: string;
  state: SyncRecord['state'];
  reason: string | null;
  version: number | null;
  updated_at: number;
}

function syncRecord(r: SyncRow): SyncRecord {
  return { target: r.target, state: r.state, reason: r.reason ?? undefined, ...(r.version !== null ? { version: r.version } : {}), updatedAt: r.updated_at };
}
