// The API on each database the server supports: the same requests give the same answers on a
// SQLite file and on a real PostgreSQL 15 (a throwaway cluster). Versions, conflicts, an import
// that fails whole, freezes, tokens and the audit log; then a restart on the same database.

import { RunningServer, startServer } from '../../src/server/app';
import { storeBackends } from '../support/storeBackends';
import { Api, availabilitySlo, captureLog, secret, serverConfig, SERVICE } from './helpers';

jest.setTimeout(60_000);

describe.each(storeBackends())('the API on %s', (_, backend) => {
  const ADMIN = secret();
  let config: Awaited<ReturnType<typeof backend.config>>;
  let server: RunningServer;
  let admin: Api;
  const path = `/api/v1/slos/${SERVICE}/chat-availability`;

  beforeAll(async () => {
    await backend.setUp();
    config = await backend.config();
    server = await startServer(serverConfig({ ...config, bootstrapAdminToken: ADMIN }), captureLog().log);
    admin = new Api(server.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await backend.tearDown();
  }, 60_000);

  it('versions: create 201 at version 1, a second create 409, PUT with If-Match "1" gives version 2, a stale PUT or DELETE 412', async () => {
    const made = await admin.post('/api/v1/slos', availabilitySlo());
    expect(made.status).toBe(201);
    expect(made.headers.get('etag')).toBe('"1"');
    expect((await admin.post('/api/v1/slos', availabilitySlo())).status).toBe(409);
    const put = await admin.put(path, availabilitySlo({ objective: 0.995 }), { 'If-Match': '"1"' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, objective: 0.995 });
    const stale = await admin.put(path, availabilitySlo({ objective: 0.9 }), { 'If-Match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.message).toContain('is at version 2, not 1');
    expect((await admin.del(path, { 'If-Match': '"1"' })).status).toBe(412);
    expect((await admin.get(path)).body).toMatchObject({ version: 2, objective: 0.995, updatedBy: 'admin' });
  });

  it('an import with one SLO that exists already is refused whole (409) and stores nothing; without it all land', async () => {
    const before = (await admin.get('/api/v1/slos?status=false')).body.total;
    const yaml = (names: string[]) => JSON.stringify({ version: 'burnrate/v1', service: SERVICE, slos: names.map((n) => ({ ...availabilitySlo({ name: n }), service: undefined })) });
    const refused = await admin.call('POST', '/api/v1/import?from=burnrate', yaml(['imp-a', 'chat-availability', 'imp-b']), { 'Content-Type': 'application/yaml' });
    expect(refused.body.error?.message).toContain('chat-availability already exists');
    expect(refused.status).toBe(409);
    expect((await admin.get('/api/v1/slos?status=false')).body.total).toBe(before);
    const ok = await admin.call('POST', '/api/v1/import?from=burnrate', yaml(['imp-a', 'imp-b']), { 'Content-Type': 'application/yaml' });
    expect(ok.status).toBe(201);
    expect(ok.body.created).toEqual([`${SERVICE}/imp-a`, `${SERVICE}/imp-b`]);
    const page = (await admin.get('/api/v1/slos?status=false&limit=2&offset=1')).body;
    expect(page.total).toBe(before + 2);
    expect(page.items.map((s: { name: string }) => s.name)).toEqual(['imp-a', 'imp-b']);
  });

  it('freezes, tokens and the audit log', async () => {
    const f = await admin.post('/api/v1/freezes', { service: SERVICE, reason: 'incident 9', duration: '2h' });
    expect(f.status).toBe(201);
    expect(typeof f.body.id).toBe('number');
    expect((await admin.get('/api/v1/freezes')).body.items).toEqual([expect.objectContaining({ id: f.body.id, reason: 'incident 9' })]);
    expect((await admin.get('/metrics')).body).toContain('burnrate_manual_actions 1');
    expect((await admin.del(`/api/v1/freezes/${f.body.id}`)).status).toBe(204);
    expect((await admin.del(`/api/v1/freezes/${f.body.id}`)).status).toBe(404);
    const t = await admin.post('/api/v1/tokens', { name: 'ci', role: 'viewer' });
    expect(t.status).toBe(201);
    expect((await admin.post('/api/v1/tokens', { name: 'ci', role: 'viewer' })).status).toBe(409);
    const viewer = admin.as(t.body.token);
    expect((await viewer.get(path)).status).toBe(200);
    expect((await viewer.post('/api/v1/slos', availabilitySlo({ name: 'x' }))).status).toBe(403);
    const audit = (await admin.get('/api/v1/audit?limit=10')).body.items.map((e: { action: string }) => e.action);
    expect(audit.slice(0, 3)).toEqual(['token.create', 'freeze.revoke', 'freeze.create']);
    const own = (await admin.get(`${path}/audit`)).body.items.map((e: { action: string }) => e.action);
    // The SLO's own entries and its service's freeze, newest first.
    expect(own).toEqual(['freeze.revoke', 'freeze.create', 'slo.update', 'slo.create']);
    expect((await admin.get('/readyz')).status).toBe(200);
  });

  it('a restart on the same database keeps everything and applies no migration again', async () => {
    await server.close();
    server = await startServer(serverConfig({ ...config, bootstrapAdminToken: ADMIN }), captureLog().log);
    admin = new Api(server.url, ADMIN);
    expect((await admin.get(path)).body).toMatchObject({ version: 2 });
    expect((await admin.get('/api/v1/tokens')).body.items.map((t: { name: string }) => t.name)).toEqual(['admin', 'ci']);
    expect(await server.storage.all('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });
});
