// API tokens (admin only): a token and its audit entry are written together.

import { Role } from '../auth';
import { HttpError, Router } from '../http/router';
import { SloStore } from '../sloStore';
import { isUniqueViolation } from '../storage/store';
import { rfc3339 } from '../timestamps';
import { objectBody } from './httpHelpers';
import type { ApiDeps } from './routes';

export function registerTokenRoutes(r: Router, d: ApiDeps, store: SloStore): void {
  r.add('POST', '/api/v1/tokens', 'admin', async (ctx) => {
    const b = await objectBody(ctx);
    if (typeof b.name !== 'string' || !/^[a-zA-Z0-9._-]{1,64}$/.test(b.name)) {
      throw new HttpError(400, 'name must be 1-64 letters, digits, ".", "_" or "-"');
    }
    if (b.role !== 'viewer' && b.role !== 'editor' && b.role !== 'admin') {
      throw new HttpError(400, 'role must be viewer, editor or admin');
    }
    let secret: string;
    try {
      // The token and its audit entry commit together.
      secret = await store.transaction(async () => {
        const created = await d.tokens.create(b.name as string, b.role as Role);
        await store.recordAudit(ctx.principal.name, 'token.create', `token/${b.name}`, { role: b.role });
        return created;
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new HttpError(409, `a token named ${b.name} exists`);
      }
      throw e;
    }
    return { status: 201, body: { name: b.name, role: b.role, token: secret } };
  });
  r.add('GET', '/api/v1/tokens', 'admin', async () => ({ body: { items: (await d.tokens.list()).map((t) => ({ ...t, createdAt: rfc3339(t.createdAt) })) } }));
  r.add('DELETE', '/api/v1/tokens/{name}', 'admin', async (ctx) => {
    const revoked = await store.transaction(async () => {
      const done = await d.tokens.revoke(ctx.params.name);
      if (done) {
        await store.recordAudit(ctx.principal.name, 'token.revoke', `token/${ctx.params.name}`, {});
      }
      return done;
    });
    if (!revoked) {
      throw new HttpError(404, `no token named ${ctx.params.name}`);
    }
    return { status: 204 };
  });
}
