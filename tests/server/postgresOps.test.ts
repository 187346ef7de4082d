// Operating on PostgreSQL: a mistyped BURNRATE_DATABASE_URL or a database that does not answer
// stops the start with an error naming the variable (and never the password); `burnrate token
// create` writes into the server's PostgreSQL database; a database lost while the server runs gives
// 503 with Retry-After and a not-ready /readyz, and the server answers again once the database is
// back. A real PostgreSQL 15 (a throwaway cluster).

import { main } from '../../src/cli/main';
import { RunningServer, startServer } from '../../src/server/app';
import { ConfigError, loadConfig } from '../../src/server/config';
import { PostgresServer } from '../support/postgresServer';
import { freePort, waitFor } from '../support/prometheusServer';
import { Api, availabilitySlo, captureLog, secret, serverConfig, SERVICE, tempDir } from './helpers';

jest.setTimeout(60_000);

it('a BURNRATE_DATABASE_URL that is not a postgres:// URL is a configuration error naming it', () => {
  expect(() => loadConfig({ BURNRATE_DATABASE_URL: 'mysql://u:p@db/x' })).toThrow(ConfigError);
  expect(() => loadConfig({ BURNRATE_DATABASE_URL: 'mysql://u:p@db/x' })).toThrow('BURNRATE_DATABASE_URL: expected a postgres:// or postgresql:// URL, got mysql://');
  expect(() => loadConfig({ BURNRATE_DATABASE_URL: 'db.example.com:5432' })).toThrow('BURNRATE_DATABASE_URL');
  expect(loadConfig({ BURNRATE_DATABASE_URL: 'postgresql://u:p@db:5432/x' }).databaseUrl).toBe('postgresql://u:p@db:5432/x');
  expect(loadConfig({}).databaseUrl).toBeUndefined();
});

it('nothing listening at the URL: the start fails at once, naming the variable and not the password; `burnrate serve` exits 1', async () => {
  const port = await freePort();
  const url = `postgres://burnrate:hunter2-secret@127.0.0.1:${port}/burnrate`;
  const started = Date.now();
  const err = await startServer(serverConfig({ dbPath: tempDir('pg-none'), databaseUrl: url }), captureLog().log).then(
    () => undefined,
    (e: Error) => e
  );
  expect(err?.message).toMatch(new RegExp(`^PostgreSQL at postgres://burnrate:\\*\\*\\*@127\\.0\\.0\\.1:${port}/burnrate \\(BURNRATE_DATABASE_URL\\) cannot be reached`));
  expect(err?.message).not.toContain('hunter2');
  expect(Date.now() - started).toBeLessThan(10_000);

  let stderr = '';
  const code = await withDatabaseUrl(url, async () => main(['serve', '--port', '0'], { stdout: () => undefined, stderr: (t) => (stderr += t) }));
  expect(code).toBe(1);
  expect(stderr).toContain('(BURNRATE_DATABASE_URL) cannot be reached');
  expect(stderr).not.toContain('hunter2');
});

/** Runs `f` with BURNRATE_DATABASE_URL set to `url`. */
async function withDatabaseUrl<T>(url: string, f: () => Promise<T>): Promise<T> {
  const saved = process.env.BURNRATE_DATABASE_URL;
  process.env.BURNRATE_DATABASE_URL = url;
  try {
    return await f();
  } finally {
    process.env.BURNRATE_DATABASE_URL = saved;
    if (saved === undefined) {
      delete process.env.BURNRATE_DATABASE_URL;
    }
  }
}

describe('a server on PostgreSQL', () => {
  const pg = new PostgresServer();
  const ADMIN = secret();
  let server: RunningServer;
  let admin: Api;
  let url: string;

  beforeAll(async () => {
    await pg.start();
    url = await pg.createDatabase();
    server = await startServer(serverConfig({ dbPath: tempDir('pg-lost'), databaseUrl: url, bootstrapAdminToken: ADMIN }), captureLog().log);
    admin = new Api(server.url, ADMIN);
  }, 120_000);

  it('`burnrate token create` with BURNRATE_DATABASE_URL writes the token where the running server reads it', async () => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
    const code = await withDatabaseUrl(url, async () => main(['token', 'create', '--name', 'ci', '--role', 'viewer'], io));
    expect(code).toBe(0);
    expect(stderr).toContain(`created token ci (viewer) in postgres://burnrate@127.0.0.1:${pg.port}/`);
    const viewer = admin.as(stdout.trim());
    expect((await viewer.get('/api/v1/slos')).status).toBe(200);
    expect((await viewer.post('/api/v1/slos', availabilitySlo())).status).toBe(403);
    // The same name again: refused, as on SQLite.
    expect(await withDatabaseUrl(url, async () => main(['token', 'create', '--name', 'ci', '--role', 'viewer'], io))).toBe(1);
    expect(stderr).toContain('token ci exists already');
  });

  afterAll(async () => {
    await server?.close();
    await pg.stop();
  }, 60_000);

  it('requests get 503 with Retry-After and /readyz says why; once it is back, both answer again', async () => {
    expect((await admin.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    expect((await admin.get('/readyz')).status).toBe(200);
    await pg.halt();
    const lost = await admin.put(`/api/v1/slos/${SERVICE}/chat-availability`, availabilitySlo({ objective: 0.995 }), { 'If-Match': '"1"' });
    expect(lost.status).toBe(503);
    expect(lost.headers.get('retry-after')).toBe('1');
    expect(lost.body.error.message).toMatch(/nothing was changed: retry$/);
    const ready = await admin.get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toMatch(/^the database does not answer/);
    await pg.start();
    await waitFor('/readyz to answer 200 again', async () => (await admin.get('/readyz')).status === 200, 30_000, 200);
    // The edit refused while the database was away was not half-made: version 1 is still current.
    const again = await admin.put(`/api/v1/slos/${SERVICE}/chat-availability`, availabilitySlo({ objective: 0.995 }), { 'If-Match': '"1"' });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
  });
});
