// Manual freezes and overrides: each needs a reason and an expiry, and lands in the audit log.

import { Db, writeTransaction } from './db';
import { ManualAction } from '../core/policy/gate';
import { SloStore } from './sloStore';
import { actionAnswer } from './timestamps';

interface Row {
  id: number;
  kind: 'freeze' | 'override';
  service: string;
  route: string | null;
  reason: string;
  expires_at: number;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

const toAction = (r: Row): ManualAction => ({
  id: r.id,
  kind: r.kind,
  service: r.service,
  route: r.route ?? undefined,
  reason: r.reason,
  expiresAt: r.expires_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export class ActionStore {
  constructor(
    private readonly db: Db,
    private readonly slos: SloStore,
    private readonly now: () => number = Date.now
  ) {}

  create(a: { kind: 'freeze' | 'override'; service: string; route?: string; reason: string; expiresAt: number }, actor: string): ManualAction {
    return writeTransaction(this.db, () => {
      const r = this.db
        .prepare('INSERT INTO actions (kind, service, route, reason, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(a.kind, a.service, a.route ?? null, a.reason, a.expiresAt, actor, this.now());
      const action = this.get(Number(r.lastInsertRowid))!;
      // The audit detail is shown as the API shows the action.
      this.slos.recordAudit(actor, `${a.kind}.create`, a.route ? `${a.service}?route=${a.route}` : a.service, actionAnswer(action));
      return action;
    });
  }

  get(id: number): ManualAction | undefined {
    const row = this.db.prepare('SELECT * FROM actions WHERE id = ?').get(id) as Row | undefined;
    return row ? toAction(row) : undefined;
  }

  /** Actions not revoked and not yet expired. */
  active(service?: string): ManualAction[] {
    const rows = (
      service
        ? this.db.prepare('SELECT * FROM actions WHERE revoked_at IS NULL AND expires_at > ? AND service = ? ORDER BY id').all(this.now(), service)
        : this.db.prepare('SELECT * FROM actions WHERE revoked_at IS NULL AND expires_at > ? ORDER BY id').all(this.now())
    ) as Row[];
    return rows.map(toAction);
  }

  revoke(id: number, actor: string, reason: string): boolean {
    return writeTransaction(this.db, () => {
      const a = this.get(id);
      const changed = this.db.prepare('UPDATE actions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now(), id).changes === 1;
      if (changed && a) {
        this.slos.recordAudit(actor, `${a.kind}.revoke`, a.route ? `${a.service}?route=${a.route}` : a.service, { id, reason });
      }
      return changed;
    });
  }
}
