// SLO definitions in SQLite, with optimistic concurrency: every write names the version it
// replaces, and a stale write changes nothing. Each change and its audit entry commit together.

import { Db, writeTransaction } from './db';
import { nextTurn } from './timeSlice';
import { validateSloObject } from '../core/spec/sloObject';
import { Slo } from '../core/spec/types';

export interface StoredSlo {
  service: string;
  name: string;
  version: number;
  source: 'api' | 'git';
  sourcePath?: string;
  spec: Record<string, unknown>;
  slo: Slo;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

export interface ListFilter {
  service?: string;
  team?: string;
  /** `key=value` on the SLO's labels. */
  label?: string;
  /** Case-insensitive text in name, service or description. */
  q?: string;
  limit?: number;
  offset?: number;
}

export class StoreError extends Error {
  constructor(
    readonly status: 404 | 409 | 412,
    message: string
  ) {
    super(message);
  }
}

interface Row {
  service: string;
  name: string;
  spec: string;
  version: number;
  source: 'api' | 'git';
  source_path: string | null;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

/** Top-level fields that differ, for the audit log. */
export function changedFields(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Record<string, { from?: unknown; to?: unknown }> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: Record<string, { from?: unknown; to?: unknown }> = {};
  for (const k of [...keys].sort()) {
    const a = before?.[k];
    const b = after?.[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      out[k] = { from: a, to: b };
    }
  }
  return out;
}

export class SloStore {
  /**
   * Parsed specs by "service/name", reused while the stored text is the same: requests read
   * SLOs far more often than they change, and parsing and validating 1,000 specs per list
   * request would cost more than the rest of it. Keyed by text, not version, because a deleted
   * and re-created SLO starts again at version 1.
   */
  private parsed = new Map<string, { text: string; spec: Record<string, unknown>; slo: Slo }>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now
  ) {}

  private toStored(row: Row): StoredSlo {
    const key = `${row.service}/${row.name}`;
    let p = this.parsed.get(key);
    if (!p || p.text !== row.spec) {
      const spec = JSON.parse(row.spec) as Record<string, unknown>;
      const r = validateSloObject(spec);
      if (!r.slo) {
        throw new Error(`stored SLO ${key} no longer validates: ${r.diagnostics.map((d) => d.message).join('; ')}`);
      }
      p = { text: row.spec, spec, slo: r.slo };
      this.parsed.set(key, p);
    }
    return {
      service: row.service,
      name: row.name,
      version: row.version,
      source: row.source,
      sourcePath: row.source_path ?? undefined,
      spec: p.spec,
      slo: p.slo,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    };
  }

  get(service: string, name: string): StoredSlo | undefined {
    const row = this.db.prepare('SELECT * FROM slos WHERE service = ? AND name = ?').get(service, name) as Row | undefined;
    return row ? this.toStored(row) : undefined;
  }

  /** The composite SLOs (found without reading every row: their spec holds a composite SLI). */
  composites(): StoredSlo[] {
    return (this.db.prepare(`SELECT * FROM slos WHERE spec LIKE '%"composite"%' ORDER BY service, name`).all() as Row[])
      .map((r) => this.toStored(r))
      .filter((s) => s.slo.sli.kind === 'composite');
  }

  all(): StoredSlo[] {
    return (this.db.prepare('SELECT * FROM slos ORDER BY service, name').all() as Row[]).map((r) => this.toStored(r));
  }

  /** Every SLO, read a page at a time with the event loop free between pages (rule delivery
   * reads all of them on every pass: 10,000 rows at once hold it for tens of milliseconds). Not
   * one snapshot: an SLO changed during the read may show either version, as it would had the
   * read come a moment earlier or later. */
  async allInPages(pageSize = 500): Promise<StoredSlo[]> {
    const out: StoredSlo[] = [];
    let after: [string, string] = ['', ''];
    for (;;) {
      const rows = this.db
        .prepare('SELECT * FROM slos WHERE service > ? OR (service = ? AND name > ?) ORDER BY service, name LIMIT ?')
        .all(after[0], after[0], after[1], pageSize) as Row[];
      out.push(...rows.map((r) => this.toStored(r)));
      if (rows.length < pageSize) {
        return out;
      }
      after = [rows[rows.length - 1].service, rows[rows.length - 1].name];
      await nextTurn();
    }
  }

  /** How many SLOs are stored, by source. */
  countBySource(): Record<'api' | 'git', number> {
    const rows = this.db.prepare('SELECT source, COUNT(*) AS n FROM slos GROUP BY source').all() as Array<{ source: 'api' | 'git'; n: number }>;
    const out = { api: 0, git: 0 };
    rows.forEach((r) => (out[r.source] = r.n));
    return out;
  }

  /** Every SLO of one service (of all services when none is given), without paging. */
  byService(service: string | undefined): StoredSlo[] {
    if (service === undefined) {
      return this.all();
    }
    return (this.db.prepare('SELECT * FROM slos WHERE service = ? ORDER BY name').all(service) as Row[]).map((r) => this.toStored(r));
  }

  /** The services that have an SLO, sorted. */
  services(): string[] {
    return (this.db.prepare('SELECT DISTINCT service FROM slos ORDER BY service').all() as Array<{ service: string }>).map((r) => r.service);
  }

  list(f: ListFilter): { items: StoredSlo[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.service) {
      where.push('service = ?');
      args.push(f.service);
    }
    if (f.team) {
      where.push('team = ?');
      args.push(f.team);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const offset = f.offset ?? 0;
    const limit = f.limit ?? 100;
    if (!f.label && !f.q) {
      // Only the page is read and parsed; label and text filters need every row.
      const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM slos ${whereSql}`).get(...args) as { n: number }).n;
      const rows = this.db.prepare(`SELECT * FROM slos ${whereSql} ORDER BY service, name LIMIT ? OFFSET ?`).all(...args, limit, offset) as Row[];
      return { items: rows.map((r) => this.toStored(r)), total };
    }
    let items = (this.db.prepare(`SELECT * FROM slos ${whereSql} ORDER BY service, name`).all(...args) as Row[]).map((r) => this.toStored(r));
    if (f.label) {
      const eq = f.label.indexOf('=');
      const k = eq > 0 ? f.label.slice(0, eq) : f.label;
      const v = eq > 0 ? f.label.slice(eq + 1) : undefined;
      items = items.filter((s) => (v === undefined ? k in s.slo.labels : s.slo.labels[k] === v));
    }
    if (f.q) {
      const q = f.q.toLowerCase();
      items = items.filter((s) => `${s.service} ${s.name} ${s.slo.description ?? ''}`.toLowerCase().includes(q));
    }
    return { items: items.slice(offset, offset + limit), total: items.length };
  }

  private audit(actor: string, action: string, target: string, detail: unknown): void {
    this.db.prepare('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)').run(this.now(), actor, action, target, JSON.stringify(detail));
  }

  /** Records that `text` (a spec as stored) parses to `slo`, which the caller has just validated
   * from that spec: reading the row back then needs no second validation (an import of 10,000
   * SLOs would validate each twice, in one transaction). */
  private remember(slo: Slo, spec: Record<string, unknown>, text: string): void {
    this.parsed.set(`${slo.service}/${slo.name}`, { text, spec, slo });
  }

  create(spec: Record<string, unknown>, slo: Slo, actor: string, source: { kind: 'api' | 'git'; path?: string } = { kind: 'api' }): StoredSlo {
    const now = this.now();
    return writeTransaction(this.db, () => {
      const text = JSON.stringify(spec);
      // ON CONFLICT DO NOTHING: an existing SLO is a 409, found without reading it first.
      const r = this.db
        .prepare(
          `INSERT INTO slos (service, name, spec, version, source, source_path, team, created_at, updated_at, updated_by) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (service, name) DO NOTHING`
        )
        .run(slo.service, slo.name, text, source.kind, source.path ?? null, slo.labels.team ?? null, now, now, actor);
      if (r.changes !== 1) {
        throw new StoreError(409, `SLO ${slo.service}/${slo.name} already exists`);
      }
      this.remember(slo, spec, text);
      this.audit(actor, 'slo.create', `${slo.service}/${slo.name}`, { version: 1, changes: changedFields(undefined, spec) });
      return { service: slo.service, name: slo.name, version: 1, source: source.kind, sourcePath: source.path, spec, slo, createdAt: now, updatedAt: now, updatedBy: actor };
    });
  }

  /** Replaces an SLO if it is still at `expectedVersion`; a stale write throws 412. */
  update(service: string, name: string, spec: Record<string, unknown>, slo: Slo, expectedVersion: number, actor: string, allowGit = false): StoredSlo {
    return writeTransaction(this.db, () => {
      const current = this.get(service, name);
      if (!current) {
        throw new StoreError(404, `SLO ${service}/${name} does not exist`);
      }
      if (current.source === 'git' && !allowGit) {
        throw new StoreError(409, `SLO ${service}/${name} is managed by git (${current.sourcePath}); change the file instead`);
      }
      if (slo.service !== service || slo.name !== name) {
        throw new StoreError(409, `the body names ${slo.service}/${slo.name}, not ${service}/${name}: renaming is a delete and a create`);
      }
      const text = JSON.stringify(spec);
      const r = this.db
        .prepare('UPDATE slos SET spec = ?, version = version + 1, team = ?, updated_at = ?, updated_by = ? WHERE service = ? AND name = ? AND version = ?')
        .run(text, slo.labels.team ?? null, this.now(), actor, service, name, expectedVersion);
      if (r.changes !== 1) {
        throw new StoreError(412, `SLO ${service}/${name} is at version ${current.version}, not ${expectedVersion}: reload it and apply your change again`);
      }
      this.remember(slo, spec, text);
      this.audit(actor, 'slo.update', `${service}/${name}`, { version: expectedVersion + 1, changes: changedFields(current.spec, spec) });
      return this.get(service, name)!;
    });
  }

  delete(service: string, name: string, expectedVersion: number | undefined, actor: string, allowGit = false): void {
    writeTransaction(this.db, () => {
      const current = this.get(service, name);
      if (!current) {
        throw new StoreError(404, `SLO ${service}/${name} does not exist`);
      }
      if (current.source === 'git' && !allowGit) {
        throw new StoreError(409, `SLO ${service}/${name} is managed by git (${current.sourcePath}); remove it from the repository instead`);
      }
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new StoreError(412, `SLO ${service}/${name} is at version ${current.version}, not ${expectedVersion}`);
      }
      this.db.prepare('DELETE FROM slos WHERE service = ? AND name = ?').run(service, name);
      this.db.prepare('DELETE FROM sync_state WHERE service = ? AND name = ?').run(service, name);
      this.audit(actor, 'slo.delete', `${service}/${name}`, { version: current.version, changes: changedFields(current.spec, undefined) });
    });
    this.parsed.delete(`${service}/${name}`);
  }

  auditLog(target?: string, limit = 100): Array<{ id: number; at: number; actor: string; action: string; target: string; detail: unknown }> {
    const rows = (
      target
        ? this.db.prepare('SELECT * FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?').all(target, limit)
        : this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit)
    ) as Array<{ id: number; at: number; actor: string; action: string; target: string; detail: string | null }>;
    return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : undefined }));
  }

  /**
   * The SLO's audit trail: its own entries, and the manual freezes and overrides of its service
   * (targets `service` and `service?route=...`), which decide its release state too.
   */
  sloAuditLog(service: string, name: string, limit = 100): ReturnType<SloStore['auditLog']> {
    const routePrefix = `${service}?route=`;
    const rows = this.db
      .prepare('SELECT * FROM audit WHERE target = ? OR target = ? OR (target >= ? AND target < ?) ORDER BY id DESC LIMIT ?')
      // Every target starting with the prefix sorts from it up to the prefix with "=" raised to ">".
      .all(`${service}/${name}`, service, routePrefix, `${service}?route>`, limit) as Array<{ id: number; at: number; actor: string; action: string; target: string; detail: string | null }>;
    return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : undefined }));
  }

  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T {
    return writeTransaction(this.db, fn);
  }

  recordAudit(actor: string, action: string, target: string, detail: unknown): void {
    this.audit(actor, action, target, detail);
  }
}
