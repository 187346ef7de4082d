// Keeps every target holding exactly the rules of the stored SLOs: after each change (debounced)
// and on a timer, which also repairs drift (a ruler that lost groups, a file removed by hand,
// rules of SLOs deleted while the server was down). Sync state per SLO and target is stored.

import { Db } from '../db';
import { Logger } from '../log';
import { ServerMetrics } from '../metrics';
import { SloStore } from '../sloStore';
import { sloRuleGroups } from '../../core/rules/ruleGroups';
import { RuleSink, SloRules, SyncOutcome } from './sink';

export interface SyncRecord {
  target: string;
  state: 'pending' | 'in-sync' | 'failed';
  reason?: string;
  updatedAt: number;
}

export class Reconciler {
  private timer?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  lastRun?: { at: number; ok: boolean };

  constructor(
    private readonly db: Db,
    private readonly store: SloStore,
    private readonly sinks: RuleSink[],
    private readonly log: Logger,
    private readonly metrics: ServerMetrics,
    private readonly intervalMs: number,
    /** Told each SLO's outcome per target after every pass (starts the history backfill). */
    private readonly onOutcome?: (target: string, key: string, outcome: SyncOutcome) => void
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
    void this.run();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    return (this.next ?? this.running ?? Promise.resolve()).catch(() => undefined);
  }

  /** Marks an SLO pending on every target that needs it, and schedules a run soon. */
  changed(service: string, name: string): void {
    const slo = this.store.get(service, name);
    for (const sink of this.sinks) {
      if (slo && this.groupsFor(slo.slo, sink.target).length > 0) {
        this.setState(service, name, sink.target, { state: 'pending', reason: 'waiting for delivery' });
      }
    }
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.run(), 200);
    this.debounce.unref();
  }

  private groupsFor(slo: import('../../core/spec/types').Slo, target: 'prometheus' | 'loki') {
    const g = sloRuleGroups(slo);
    return target === 'prometheus' ? g.prometheus : g.loki;
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
    const slos = this.store.all();
    let ok = true;
    for (const sink of this.sinks) {
      const desired: SloRules[] = slos
        .map((s) => ({ key: `${s.service}/${s.name}`, groups: this.groupsFor(s.slo, sink.target) }))
        .filter((d) => d.groups.length > 0);
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
      for (const d of desired) {
        const o = outcomes.get(d.key) ?? { state: 'pending', reason: 'no answer from the target' };
        counts[o.state]++;
        const [service, name] = d.key.split('/');
        this.setState(service, name, sink.target, o);
        this.onOutcome?.(sink.target, d.key, o);
      }
      // Targets an SLO no longer needs (e.g. it stopped reading Loki) keep no stale state.
      const keep = new Set(desired.map((d) => d.key));
      for (const row of this.db.prepare('SELECT service, name FROM sync_state WHERE target = ?').all(sink.target) as Array<{ service: string; name: string }>) {
        if (!keep.has(`${row.service}/${row.name}`)) {
          this.db.prepare('DELETE FROM sync_state WHERE service = ? AND name = ? AND target = ?').run(row.service, row.name, sink.target);
        }
      }
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

  private setState(service: string, name: string, target: string, o: SyncOutcome): void {
    this.db
      .prepare(
        `INSERT INTO sync_state (service, name, target, state, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (service, name, target) DO UPDATE SET state = excluded.state, reason = excluded.reason, updated_at = excluded.updated_at`
      )
      .run(service, name, target, o.state, o.reason ?? null, Date.now());
  }

  states(service: string, name: string): SyncRecord[] {
    const rows = this.db
      .prepare('SELECT service, name, target, state, reason, updated_at FROM sync_state WHERE service = ? AND name = ? ORDER BY target')
      .all(service, name) as SyncRow[];
    return rows.map(syncRecord);
  }

  /** Sync records of every SLO of the given services, by "service/name", in one query (list pages). */
  statesOf(services: string[]): Map<string, SyncRecord[]> {
    const rows = this.db
      .prepare('SELECT service, name, target, state, reason, updated_at FROM sync_state WHERE service IN (SELECT value FROM json_each(?)) ORDER BY target')
      .all(JSON.stringify(services)) as SyncRow[];
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
  updated_at: number;
}

function syncRecord(r: SyncRow): SyncRecord {
  return { target: r.target, state: r.state, reason: r.reason ?? undefined, updatedAt: r.updated_at };
}
