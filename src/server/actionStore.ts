// Manual freezes and overrides: each needs a reason and an expiry, and lands in the audit log.

import { Store } from './storage/store';
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
    private readonly db: Store,
    private readonly slos: SloStore,
    private readonly now: () => number = Date.now
  ) {}

  create(a: { kind: 'freeze' | 'override'; service: string; route?: string; reason: string; expiresAt: number }, actor: string): Promise<ManualAction> {
    return this.db.transaction(async () => {
      const r = await this.db.get<{ id: number }>('INSERT INTO actions (kind, service, route, reason, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id', [
        a.kind,
        a.service,
        a.route ?? null,
        a.reason,
        a.expiresAt,
        actor,
        this.now(),
      ]);
      const action = (await this.get(r!.id))!;
      // The audit detail is shown as the API shows the action.
      await this.slos.recordAudit(actor, `${a.kind}.create`, a.route ? `${a.service}?route=${a.route}` : a.service, actionAnswer(action));
      return action;
    });
  }

  async get(id: number): Promise<ManualAction | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM actions WHERE id = ?', [id]);
    return row ? toAction(row) : undefined;
  }

  /** Actions not revoked and not yet expired. */
  async active(service?: string): Promise<ManualAction[]> {
    const rows = await (service
      ? this.db.all<Row>('SELECT * FROM actions WHERE revoked_at IS NULL AND expires_at > ? AND service = ? ORDER BY id', [this.now(), service])
      : this.db.all<Row>('SELECT * FROM actions WHERE revoked_at IS NULL AND expires_at > ? ORDER BY id', [this.now()]));
    return rows.map(toAction);
  }

  revoke(id: number, actor: string, reason: string): Promise<boolean> {
    return this.db.transaction(async () => {
      const a = await this.get(id);
      const changed = (await this.db.run('UPDATE actions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [this.now(), id])).changes === 1;
      if (changed && a) {
        await this.slos.recordAudit(actor, `${a.kind}.revoke`, a.route ? `${a.service}?route=${a.route}` : a.service, { id, reason });
      }
      return changed;
    });
  }
}
