// SLO definitions in the database, with optimistic concurrency: every write names the version it
// replaces, and a stale write changes nothing. Each change and its audit entry commit together.

import { Store } from './storage/store';
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

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: unknown;
}

type AuditRow = Omit<AuditEntry, 'detail'> & { detail: string | null };

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
    private readonly db: Store,
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

  async get(service: string, name: string): Promise<StoredSlo | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM slos WHERE service = ? AND name = ?', [service, name]);
    return row ? this.toStored(row) : undefined;
  }

  /** The composite SLOs (found without reading every row: their spec holds a composite SLI). */
  async composites(): Promise<StoredSlo[]> {
    return (await this.db.all<Row>(`SELECT * FROM slos WHERE spec LIKE '%"composite"%' ORDER BY service, name`))
      .map((r) => this.toStored(r))
      .filter((s) => s.slo.sli.kind === 'composite');
  }

  async all(): Promise<StoredSlo[]> {
    return (await this.db.all<Row>('SELECT * FROM slos ORDER BY service, name')).map((r) => this.toStored(r));
  }

  /** Every SLO, read a page at a time with the event loop free between pages (rule delivery
   * reads all of them on every pass: 10,000 rows at once hold it for tens of milliseconds). Not
   * one snapshot: an SLO changed during the read may show either version, as it would had the
   * read come a moment earlier or later. */
  async allInPages(pageSize = 500): Promise<StoredSlo[]> {
    const out: StoredSlo[] = [];
    let after: [string, string] = ['', ''];
    for (;;) {
      const rows = await this.db.all<Row>('SELECT * FROM slos WHERE service > ? OR (service = ? AND name > ?) ORDER BY service, name LIMIT ?', [after[0], after[0], after[1], pageSize]);
      out.push(...rows.map((r) => this.toStored(r)));
      if (rows.length < pageSize) {
        return out;
      }
      after = [rows[rows.length - 1].service, rows[rows.length - 1].name];
      await nextTurn();
    }
  }

  /** How many SLOs are stored, by source. */
  async countBySource(): Promise<Record<'api' | 'git', number>> {
    const rows = await this.db.all<{ source: 'api' | 'git'; n: number }>('SELECT source, COUNT(*) AS n FROM slos GROUP BY source');
    const out = { api: 0, git: 0 };
    rows.forEach((r) => (out[r.source] = r.n));
    return out;
  }

  /** Every SLO of one service (of all services when none is given), without paging. */
  async byService(service: string | undefined): Promise<StoredSlo[]> {
    if (service === undefined) {
      return this.all();
    }
    return (await this.db.all<Row>('SELECT * FROM slos WHERE service = ? ORDER BY name', [service])).map((r) => this.toStored(r));
  }

  /** The services that have an SLO, sorted. */
  async services(): Promise<string[]> {
    return (await this.db.all<{ service: string }>('SELECT DISTINCT service FROM slos ORDER BY service')).map((r) => r.service);
  }

  async list(f: ListFilter): Promise<{ items: StoredSlo[]; total: number }> {
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
      const total = (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM slos ${whereSql}`, args))!.n;
      const rows = await this.db.all<Row>(`SELECT * FROM slos ${whereSql} ORDER BY service, name LIMIT ? OFFSET ?`, [...args, limit, offset]);
      return { items: rows.map((r) => this.toStored(r)), total };
    }
    let items = (await this.db.all<Row>(`SELECT * FROM slos ${whereSql} ORDER BY service, name`, args)).map((r) => this.toStored(r));
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

  private async audit(actor: string, action: string, target: string, detail: unknown): Promise<void> {
    await this.db.run('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)', [this.now(), actor, action, target, JSON.stringify(detail)]);
  }

  /** Records that `text` (a spec as stored) parses to `slo`, which the caller has just validated
   * from that spec: reading the row back then needs no second validation (an import of 10,000
   * SLOs would validate each twice, in one transaction). */
  private remember(slo: Slo, spec: Record<string, unknown>, text: string): void {
    this.parsed.set(`${slo.service}/${slo.name}`, { text, spec, slo });
  }

  create(spec: Record<string, unknown>, slo: Slo, actor: string, source: { kind: 'api' | 'git'; path?: string } = { kind: 'api' }): Promise<StoredSlo> {
    const now = this.now();
    return this.db.transaction(async () => {
      const text = JSON.stringify(spec);
      // ON CONFLICT DO NOTHING: an existing SLO is a 409, found without reading it first.
      const r = await this.db.run(
        `INSERT INTO slos (service, name, spec, version, source, source_path, team, created_at, updated_at, updated_by) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (service, name) DO NOTHING`,
        [slo.service, slo.name, text, source.kind, source.path ?? null, slo.labels.team ?? null, now, now, actor]
      );
      if (r.changes !== 1) {
        throw new StoreError(409, `SLO ${slo.service}/${slo.name} already exists`);
      }
      this.remember(slo, spec, text);
      await this.audit(actor, 'slo.create', `${slo.service}/${slo.name}`, { version: 1, changes: changedFields(undefined, spec) });
      return { service: slo.service, name: slo.name, version: 1, source: source.kind, sourcePath: source.path, spec, slo, createdAt: now, updatedAt: now, updatedBy: actor };
    });
  }

  /** Replaces an SLO if it is still at `expectedVersion`; a stale write throws 412. */
  update(service: string, name: string, spec: Record<string, unknown>, slo: Slo, expectedVersion: number, actor: string, allowGit = false): Promise<StoredSlo> {
    return this.db.transaction(async () => {
      const current = await this.get(service, name);
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
      const r = await this.db.run('UPDATE slos SET spec = ?, version = version + 1, team = ?, updated_at = ?, updated_by = ? WHERE service = ? AND name = ? AND version = ?', [
        text,
        slo.labels.team ?? null,
        this.now(),
        actor,
        service,
        name,
        expectedVersion,
      ]);
      if (r.changes !== 1) {
        // Another server may have changed it since it was read here: name the version it is at.
        const now = current.version === expectedVersion ? ((await this.get(service, name))?.version ?? current.version) : current.version;
        throw new StoreError(412, `SLO ${service}/${name} is at version ${now}, not ${expectedVersion}: reload it and apply your change again`);
      }
      this.remember(slo, spec, text);
      await this.audit(actor, 'slo.update', `${service}/${name}`, { version: expectedVersion + 1, changes: changedFields(current.spec, spec) });
      return (await this.get(service, name))!;
    });
  }

  async delete(service: string, name: string, expectedVersion: number | undefined, actor: string, allowGit = false): Promise<void> {
    await this.db.transaction(async () => {
      const current = await this.get(service, name);
      if (!current) {
        throw new StoreError(404, `SLO ${service}/${name} does not exist`);
      }
      if (current.source === 'git' && !allowGit) {
        throw new StoreError(409, `SLO ${service}/${name} is managed by git (${current.sourcePath}); remove it from the repository instead`);
      }
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new StoreError(412, `SLO ${service}/${name} is at version ${current.version}, not ${expectedVersion}`);
      }
      // Only the version read above: another server's change since then makes this a 412 too.
      if ((await this.db.run('DELETE FROM slos WHERE service = ? AND name = ? AND version = ?', [service, name, current.version])).changes !== 1) {
        throw new StoreError(412, `SLO ${service}/${name} changed while it was being deleted: reload it and try again`);
      }
      await this.db.run('DELETE FROM sync_state WHERE service = ? AND name = ?', [service, name]);
      await this.audit(actor, 'slo.delete', `${service}/${name}`, { version: current.version, changes: changedFields(current.spec, undefined) });
    });
    this.parsed.delete(`${service}/${name}`);
  }

  async auditLog(target?: string, limit = 100): Promise<AuditEntry[]> {
    const rows = await (target
      ? this.db.all<AuditRow>('SELECT * FROM audit WHERE target = ? ORDER BY id DESC LIMIT ?', [target, limit])
      : this.db.all<AuditRow>('SELECT * FROM audit ORDER BY id DESC LIMIT ?', [limit]));
    return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : undefined }));
  }

  /**
   * The SLO's audit trail: its own entries, and the manual freezes and overrides of its service
   * (targets `service` and `service?route=...`), which decide its release state too.
   */
  async sloAuditLog(service: string, name: string, limit = 100): Promise<AuditEntry[]> {
    const routePrefix = `${service}?route=`;
    const rows = await this.db.all<AuditRow>(
      'SELECT * FROM audit WHERE target = ? OR target = ? OR (target >= ? AND target < ?) ORDER BY id DESC LIMIT ?',
      // Every target starting with the prefix sorts from it up to the prefix with "=" raised to ">".
      [`${service}/${name}`, service, routePrefix, `${service}?route>`, limit]
    );
    return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : undefined }));
  }

  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  recordAudit(actor: string, action: string, target: string, detail: unknown): Promise<void> {
    return this.audit(actor, action, target, detail);
  }
}
