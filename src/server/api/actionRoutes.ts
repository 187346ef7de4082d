// Manual freezes and overrides: list, create (a reason and an expiry are required), revoke.

import { parseDuration } from '../../core/spec/duration';
import { HttpError, Router } from '../http/router';
import { actionAnswer } from '../timestamps';
import { objectBody } from './httpHelpers';
import type { ApiDeps } from './routes';

export function registerActionRoutes(r: Router, d: ApiDeps): void {
  r.add('GET', '/api/v1/freezes', 'viewer', async (ctx) => ({ body: { items: (await d.actions.active(ctx.query.get('service') ?? undefined)).map(actionAnswer) } }));

  r.add('POST', '/api/v1/freezes', 'editor', async (ctx) => {
    const b = await objectBody(ctx);
    const kind = b.kind ?? 'freeze';
    if (kind !== 'freeze' && kind !== 'override') {
      throw new HttpError(400, 'kind must be "freeze" or "override"');
    }
    if (typeof b.service !== 'string' || !b.service) {
      throw new HttpError(400, 'service is required');
    }
    if (typeof b.reason !== 'string' || b.reason.trim().length < 3) {
      throw new HttpError(400, 'a reason is required (at least 3 characters)');
    }
    if (b.route !== undefined && typeof b.route !== 'string') {
      throw new HttpError(400, 'route must be a string');
    }
    let expiresAt: number | undefined;
    if (typeof b.expiresAt === 'string') {
      // Without Z or an offset, Date.parse reads the server's local time.
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(b.expiresAt.trim())) {
        throw new HttpError(400, `expiresAt needs a time zone: an ISO 8601 time such as 2026-12-01T10:00:00Z or 2026-12-01T12:00:00+02:00, got ${JSON.stringify(b.expiresAt).slice(0, 80)}`);
      }
      expiresAt = Date.parse(b.expiresAt.trim());
    } else if (typeof b.duration === 'string' && parseDuration(b.duration)) {
      expiresAt = Date.now() + parseDuration(b.duration)! * 1000;
    }
    if (expiresAt === undefined || !Number.isFinite(expiresAt) || expiresAt <= Date.now()) {
      throw new HttpError(400, 'an expiry in the future is required: expiresAt (ISO 8601) or duration ("4h", "2d")');
    }
    if (expiresAt - Date.now() > 90 * 86400 * 1000) {
      throw new HttpError(400, 'an expiry at most 90 days away');
    }
    const a = await d.actions.create({ kind, service: b.service, route: b.route as string | undefined, reason: b.reason.trim(), expiresAt }, ctx.principal.name);
    return { status: 201, body: actionAnswer(a) };
  });

  r.add('DELETE', '/api/v1/freezes/{id}', 'editor', async (ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isInteger(id) || !(await d.actions.revoke(id, ctx.principal.name, ctx.query.get('reason') ?? ''))) {
      throw new HttpError(404, `no active freeze or override ${ctx.params.id}`);
    }
    return { status: 204 };
  });
}
