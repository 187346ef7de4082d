// The HTTP API without a data source: optimistic concurrency, validation, body limits, access.
// The server runs in-process on 127.0.0.1:<free port> with a temp SQLite file.

import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { SqliteStore } from '../../src/server/storage/sqliteStore';
import { tokenDigest } from '../../src/server/tokenHash';
import { Api, availabilitySlo, captureLog, CapturedLog, secret, serverConfig, SERVICE, tempDir } from './helpers';

jest.setTimeout(30_000);

const ADMIN = secret();
let server: RunningServer;
let logs: CapturedLog;
let admin: Api;
let dbPath: string;
const secrets: string[] = [ADMIN];

beforeAll(async () => {
  dbPath = join(tempDir('api'), 'burnrate.db');
  logs = captureLog();
  server = await startServer(serverConfig({ dbPath, bootstrapAdminToken: ADMIN, maxBodyBytes: 16 * 1024 }), logs.log);
  admin = new Api(server.url, ADMIN);
});

afterAll(async () => {
  await server?.close();
});

describe('optimistic concurrency', () => {
  const path = `/api/v1/slos/${SERVICE}/chat-availability`;

  beforeAll(async () => {
    const r = await admin.post('/api/v1/slos', availabilitySlo());
    expect(r.status).toBe(201);
    expect(r.headers.get('etag')).toBe('"1"');
  });

  it('a PUT with a stale If-Match gets 412 and changes nothing', async () => {
    const ok = await admin.put(path, availabilitySlo({ objective: 0.995 }), { 'If-Match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
    expect(ok.headers.get('etag')).toBe('"2"');
    const before = await admin.get(path);

    const stale = await admin.put(path, availabilitySlo({ objective: 0.9 }), { 'If-Match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.message).toMatch(/version 2, not 1/);

    const after = await admin.get(path);
    expect(after.body.version).toBe(2);
    expect(after.body.objective).toBe(0.995);
    expect(after.body.spec).toEqual(before.body.spec);
    expect(after.body.updatedAt).toBe(before.body.updatedAt);
  });

  it('a PUT without If-Match gets 428', async () => {
    const r = await admin.put(path, availabilitySlo({ objective: 0.9 }));
    expect(r.status).toBe(428);
    expect((await admin.get(path)).body.version).toBe(2);
  });

  it('10 parallel PUTs with the same If-Match: exactly one 200, nine 412, version +1', async () => {
    const before = (await admin.get(path)).body.version as number;
    const auditBefore = (await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/audit`)).body.items.length;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => admin.put(path, availabilitySlo({ description: `writer ${i}` }), { 'If-Match': `"${before}"` }))
    );
    const codes = results.map((r) => r.status).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 412)).toHaveLength(9);
    const winner = results.find((r) => r.status === 200)!;
    const now = await admin.get(path);
    expect(now.body.version).toBe(before + 1);
    expect(now.body.description).toBe(winner.body.description);
    // One audit entry for the one write that landed.
    const audit = (await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/audit`)).body.items;
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit[0].action).toBe('slo.update');
    expect(audit[0].detail.version).toBe(before + 1);
  });
});

describe('validation and limits', () => {
  it('an invalid SLO gets 422 with diagnostics (path, message) and nothing is stored', async () => {
    const countBefore = (await admin.get('/api/v1/slos?status=false')).body.total;
    const auditBefore = (await admin.get('/api/v1/audit?limit=1000')).body.items.length;
    const r = await admin.post('/api/v1/slos', availabilitySlo({ name: 'broken', objective: 99.5, groupBy: ['slo'] }));
    expect(r.status).toBe(422);
    const details = r.body.error.details as Array<{ severity: string; path?: string; message: string }>;
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'error', path: 'objective', message: expect.stringMatching(/outside \(0,1\).*0\.995/) }),
        expect.objectContaining({ severity: 'error', path: 'groupBy[0]', message: expect.stringMatching(/cannot group by "slo"/) }),
      ])
    );
    expect(r.body.error.message).toMatch(/objective/);
    expect((await admin.get(`/api/v1/slos/${SERVICE}/broken`)).status).toBe(404);
    expect((await admin.get('/api/v1/slos?status=false')).body.total).toBe(countBefore);
    expect((await admin.get('/api/v1/audit?limit=1000')).body.items.length).toBe(auditBefore);
  });

  it('an invalid PUT gets 422 and the stored version is unchanged', async () => {
    const path = `/api/v1/slos/${SERVICE}/chat-availability`;
    const before = (await admin.get(path)).body;
    const r = await admin.put(path, availabilitySlo({ window: '2d' }), { 'If-Match': `"${before.version}"` });
    expect(r.status).toBe(422);
    expect(r.body.error.details.some((d: any) => d.path === 'window' && /too short/.test(d.message))).toBe(true);
    expect((await admin.get(path)).body.version).toBe(before.version);
  });

  it('malformed JSON and a non-object body get 422 with a message', async () => {
    const r = await admin.post('/api/v1/slos', '{"service": "x", ', { 'Content-Type': 'application/json' });
    expect(r.status).toBe(422);
    expect(r.body.error.details.length).toBeGreaterThan(0);
    const arr = await admin.post('/api/v1/slos', '[1, 2]', { 'Content-Type': 'application/json' });
    expect(arr.status).toBe(422);
  });

  // Prometheus 2.42 refuses a whole rule file whose alert annotation is not a valid template
  // ("unclosed action"), so the API refuses such an SLO up front with a diagnostic.
  it('an SLO whose alert annotation is not a valid template gets 422', async () => {
    const r = await admin.post('/api/v1/slos', availabilitySlo({ name: 'bad-template', alerting: { annotations: { summary: '{{ .Broken ' } } }));
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.error?.details ?? [])).toMatch(/annotations/);
  });

  // "2026-12-01T10:00:00" was read in the server's local time zone: a freeze ended hours early or late.
  it('a freeze whose expiresAt has no time zone gets 400; with Z or an offset it is stored at that instant', async () => {
    const future = new Date(Date.now() + 2 * 86400_000);
    const local = future.toISOString().slice(0, 19); // 2026-12-01T10:00:00
    const bad = await admin.post('/api/v1/freezes', { service: SERVICE, reason: 'incident 7', expiresAt: local });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('expiresAt needs a time zone');
    expect(await server.storage.get('SELECT COUNT(*) AS n FROM actions')).toEqual({ n: 0 });
    // The same wall-clock time at +02:00 is two hours earlier than at Z.
    const withOffset = await admin.post('/api/v1/freezes', { service: SERVICE, reason: 'incident 7', expiresAt: `${local}+02:00` });
    expect(withOffset.status).toBe(201);
    expect(withOffset.body.expiresAt).toBe(new Date(Date.parse(`${local}Z`) - 2 * 3600_000).toISOString());
    expect((await admin.del(`/api/v1/freezes/${withOffset.body.id}`)).status).toBe(204);
  });

  it('a body over the limit gets 413 (declared length and chunked) and nothing is stored', async () => {
    const big = availabilitySlo({ name: 'too-big', description: 'x'.repeat(20 * 1024) });
    const r = await admin.post('/api/v1/slos', big);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/limit is 16384/);
    // Without Content-Length (streamed): the limit holds while reading.
    const text = JSON.stringify(big);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < text.length; i += 1024) {
          c.enqueue(new TextEncoder().encode(text.slice(i, i + 1024)));
        }
        c.close();
      },
    });
    const res = await fetch(`${server.url}/api/v1/slos`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await admin.get(`/api/v1/slos/${SERVICE}/too-big`)).status).toBe(404);
    // The server still answers after refusing a body it did not drain.
    expect((await admin.get('/healthz')).status).toBe(200);
  });
});

describe('access', () => {
  let viewer: Api;
  let editor: Api;

  beforeAll(async () => {
    const v = await admin.post('/api/v1/tokens', { name: 'ci-viewer', role: 'viewer' });
    expect(v.status).toBe(201);
    expect(v.body.token).toMatch(/^brt_/);
    const e = await admin.post('/api/v1/tokens', { name: 'team-editor', role: 'editor' });
    expect(e.status).toBe(201);
    secrets.push(v.body.token, e.body.token);
    viewer = admin.as(v.body.token);
    editor = admin.as(e.body.token);
  });

  it('401 without a token or with an unknown one, on reads and writes', async () => {
    for (const api of [admin.as(undefined), admin.as('brt_not_a_real_token')]) {
      const list = await api.get('/api/v1/slos');
      expect(list.status).toBe(401);
      expect(list.headers.get('www-authenticate')).toBe('Bearer');
      expect((await api.post('/api/v1/slos', availabilitySlo({ name: 'anon' }))).status).toBe(401);
      expect((await api.get(`/api/v1/gate?service=${SERVICE}`)).status).toBe(401);
    }
    // Public endpoints stay public.
    expect((await admin.as(undefined).get('/healthz')).status).toBe(200);
    expect((await admin.as(undefined).get('/api/openapi.json')).status).toBe(200);
  });

  it("403 for a viewer's writes; the viewer reads; an editor writes but cannot manage tokens", async () => {
    expect((await viewer.get('/api/v1/slos')).status).toBe(200);
    const create = await viewer.post('/api/v1/slos', availabilitySlo({ name: 'by-viewer' }));
    expect(create.status).toBe(403);
    expect(create.body.error.message).toMatch(/needs editor/);
    expect((await viewer.post('/api/v1/freezes', { service: SERVICE, reason: 'nope', duration: '1h' })).status).toBe(403);
    expect((await viewer.del(`/api/v1/slos/${SERVICE}/chat-availability`)).status).toBe(403);
    expect((await viewer.post('/api/v1/tokens', { name: 'x', role: 'admin' })).status).toBe(403);
    expect((await admin.get(`/api/v1/slos/${SERVICE}/by-viewer`)).status).toBe(404);

    const made = await editor.post('/api/v1/slos', availabilitySlo({ name: 'by-editor' }));
    expect(made.status).toBe(201);
    expect(made.body.updatedBy).toBe('team-editor');
    expect((await editor.post('/api/v1/tokens', { name: 'y', role: 'viewer' })).status).toBe(403);
    expect((await editor.get('/api/v1/tokens')).status).toBe(403);
  });

  it('tokens are stored with a keyed hash: neither a token nor its plain SHA-256 anywhere in the SQLite files', async () => {
    const list = await admin.get('/api/v1/tokens');
    expect(list.body.items.map((t: any) => t.name).sort()).toEqual(['admin', 'ci-viewer', 'team-editor']);
    expect(JSON.stringify(list.body)).not.toMatch(/brt_/);
    (server.storage as SqliteStore).db.pragma('wal_checkpoint(PASSIVE)');
    const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter((f) => existsSync(f));
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    for (const s of secrets) {
      expect(bytes.includes(Buffer.from(s))).toBe(false);
      // Before issue 15 the plain SHA-256 was stored: the same in every database.
      expect(bytes.includes(Buffer.from(tokenDigest(s)))).toBe(false);
      expect(bytes.includes(Buffer.from(server.tokens.stored(s)))).toBe(true);
    }
  });

  it('no token appears in any log line', () => {
    expect(logs.lines.length).toBeGreaterThan(10);
    for (const line of logs.lines) {
      for (const s of secrets) {
        expect(line).not.toContain(s);
      }
      expect(line).not.toMatch(/Bearer /);
    }
  });
});
