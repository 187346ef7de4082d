// API tokens at rest and from configuration (issue 15, item 14): a keyed hash per database, with
// the tokens of a database from before it still accepted; admin and Grafana app tokens given by
// configuration, the app's with the editor role only; weak configured tokens refused; database
// files readable by their owner only. Real SQLite files and a real server on 127.0.0.1.

import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { main } from '../../src/cli/main';
import { RunningServer, startServer } from '../../src/server/app';
import { ConfigError, loadConfig } from '../../src/server/config';
import { migrate } from '../../src/server/storage/migrations';
import { SqliteStore } from '../../src/server/storage/sqliteStore';
import { tokenDigest } from '../../src/server/tokenHash';
import { Api, availabilitySlo, captureLog, secret, serverConfig, tempDir } from './helpers';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(o: Parameters<typeof serverConfig>[0], log = captureLog()) {
  const s = await startServer(serverConfig(o), log.log);
  servers.push(s);
  return s;
}

async function stop(s: RunningServer) {
  servers.splice(servers.indexOf(s), 1);
  await s.close();
}

/** A database as the version before the key left it: schema migrations 1-2, and each token kept as
 * its plain SHA-256, as that version's TokenStore.create wrote it. */
async function databaseOfTheVersionBefore(path: string, tokens: Array<[string, string, string]>): Promise<void> {
  const db = new Database(path);
  await migrate(new SqliteStore(db, path), 2);
  for (const [name, role, token] of tokens) {
    db.prepare('INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, tokenDigest(token), 1);
  }
  db.close();
}

function storedHashes(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare('SELECT hash FROM tokens ORDER BY id').all() as Array<{ hash: string }>;
  db.close();
  return rows.map((r) => r.hash);
}

describe('tokens at rest', () => {
  it('tokens of a database from before the keyed hash keep working after the upgrade; their rows are rehashed', async () => {
    const admin = secret();
    const editor = secret();
    const viewer = secret();
    const path = join(tempDir('tokens-upgrade'), 'burnrate.db');
    await databaseOfTheVersionBefore(path, [
      ['admin', 'admin', admin],
      ['team', 'editor', editor],
      ['ci', 'viewer', viewer],
    ]);
    expect(storedHashes(path)).toEqual([admin, editor, viewer].map(tokenDigest));

    const server = await serve({ dbPath: path });
    const api = new Api(server.url);
    expect((await api.as(admin).get('/api/v1/tokens')).body.items.map((t: any) => `${t.name}:${t.role}`)).toEqual(['admin:admin', 'team:editor', 'ci:viewer']);
    expect((await api.as(editor).post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    expect((await api.as(viewer).get('/api/v1/slos')).status).toBe(200);
    expect((await api.as(secret()).get('/api/v1/slos')).status).toBe(401);
    await stop(server);

    // The plain SHA-256 (the same in every database) is gone; what is kept is keyed.
    const after = storedHashes(path);
    expect(after).toHaveLength(3);
    after.forEach((h, i) => {
      expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(h).not.toBe(tokenDigest([admin, editor, viewer][i]));
    });
    // And the tokens still work after another restart (the key is kept in the database).
    const again = await serve({ dbPath: path });
    expect((await new Api(again.url, admin).get('/api/v1/tokens')).status).toBe(200);
  });

  it('the same token is stored differently in two databases', async () => {
    const token = secret();
    const a = await serve({ dbPath: join(tempDir('tokens-a'), 'burnrate.db'), bootstrapAdminToken: token });
    const b = await serve({ dbPath: join(tempDir('tokens-b'), 'burnrate.db'), bootstrapAdminToken: token });
    expect(a.tokens.stored(token)).not.toBe(b.tokens.stored(token));
    expect((await new Api(a.url, token).get('/api/v1/tokens')).status).toBe(200);
    expect((await new Api(b.url, token).get('/api/v1/tokens')).status).toBe(200);
  });

  it('a new database folder is 0700 and its files (with -wal and -shm) are 0600, whatever the umask lets through', async () => {
    const old = process.umask(0o022);
    try {
      const dir = join(tempDir('tokens-perms'), 'state', 'burnrate');
      const path = join(dir, 'burnrate.db');
      const server = await serve({ dbPath: path, bootstrapAdminToken: secret() });
      await new Api(server.url).get('/healthz');
      const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
      // Before issue 15: 755 and 644 (the umask's defaults).
      expect([dir, join(dir, '..')].map(mode)).toEqual(['700', '700']);
      expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
      expect([path, `${path}-wal`, `${path}-shm`].map(mode)).toEqual(['600', '600', '600']);
    } finally {
      process.umask(old);
    }
  });
});

describe('the Grafana app token', () => {
  it('has the editor role: it writes SLOs, and minting or listing tokens with it is refused', async () => {
    const admin = secret();
    const app = secret();
    const server = await serve({ dbPath: join(tempDir('tokens-app'), 'burnrate.db'), bootstrapAdminToken: admin, grafanaToken: app });
    const api = new Api(server.url, app);
    expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    const mint = await api.post('/api/v1/tokens', { name: 'mine', role: 'admin' });
    expect(mint.status).toBe(403);
    expect(mint.body.error.message).toMatch(/needs admin/);
    expect((await api.get('/api/v1/tokens')).status).toBe(403);
    expect((await api.del('/api/v1/tokens/admin')).status).toBe(403);
    const list = await api.as(admin).get('/api/v1/tokens');
    expect(list.body.items.map((t: any) => `${t.name}:${t.role}`)).toEqual(['admin:admin', 'grafana:editor']);
  });

  it('upgrading a compose stack whose app held its default admin token: that token stays (with a warning to revoke it), the app gets its own editor token, and a rotated app token replaces the old one', async () => {
    const path = join(tempDir('tokens-app-upgrade'), 'burnrate.db');
    const admin = 'burnrate-demo-token-change-me'; // docker-compose.yaml's default before issue 15
    await databaseOfTheVersionBefore(path, [['admin', 'admin', admin]]);
    const first = secret();
    const firstLog = captureLog();
    let server = await serve({ dbPath: path, grafanaToken: first }, firstLog);
    expect(firstLog.lines.map((l) => JSON.parse(l).msg)).toContain(
      'the token named admin (admin) is the default admin token of earlier compose stacks, published in this repository: revoke it (DELETE /api/v1/tokens/admin)'
    );
    expect((await new Api(server.url, admin).get('/api/v1/tokens')).body.items.map((t: any) => `${t.name}:${t.role}`)).toEqual(['admin:admin', 'grafana:editor']);
    expect((await new Api(server.url, first).get('/api/v1/slos')).status).toBe(200);
    await stop(server);

    const second = secret();
    const log = captureLog();
    server = await serve({ dbPath: path, grafanaToken: second }, log);
    expect((await new Api(server.url, first).get('/api/v1/slos')).status).toBe(401);
    expect((await new Api(server.url, second).get('/api/v1/slos')).status).toBe(200);
    expect(log.lines.join('')).toContain("updated the Grafana app's token (named grafana, role editor)");
    expect(log.lines.join('')).not.toContain(second);
  });

  it('a configured app token that another token already is stops the start with the reason', async () => {
    const path = join(tempDir('tokens-app-clash'), 'burnrate.db');
    const shared = secret();
    await databaseOfTheVersionBefore(path, [['ci', 'viewer', shared]]);
    await expect(serve({ dbPath: path, grafanaToken: shared })).rejects.toThrow(
      'the token configured for grafana is already the token named ci (viewer): give grafana a token of its own'
    );
  });
});

describe('tokens given by configuration', () => {
  const weak: Array<[string, string]> = [
    ['x'.repeat(32), 'it is guessable (repeats, runs or few distinct characters): about 0 bits by a simple estimate, at least 80 are needed'],
    ['burnrate-demo-token-change-me', 'it has 29 characters; at least 32 are needed'],
    ['burnrate-demo-token-change-me-please', 'it contains "change-me", a placeholder'],
    // 36 distinct characters, but 34 of its 35 steps are +1: 36 x 0.187 bits = 6.7.
    ['abcdefghijklmnopqrstuvwxyz0123456789', 'it is guessable (repeats, runs or few distinct characters): about 7 bits by a simple estimate, at least 80 are needed'],
  ];

  it.each(weak)('BURNRATE_ADMIN_TOKEN=%j is refused: %s', (token, why) => {
    expect(() => loadConfig({ BURNRATE_ADMIN_TOKEN: token })).toThrow(new ConfigError(`BURNRATE_ADMIN_TOKEN: the token is too weak: ${why}. Make one with \`openssl rand -hex 32\``));
  });

  it('from a file (BURNRATE_ADMIN_TOKEN_FILE, adminTokenFile) the error names the file; the Grafana token is checked the same way', () => {
    const dir = tempDir('tokens-config');
    const file = join(dir, 'admin-token');
    writeFileSync(file, 'x'.repeat(40) + '\n');
    expect(() => loadConfig({ BURNRATE_ADMIN_TOKEN_FILE: file })).toThrow(`the file ${file}: the token is too weak`);
    const config = join(dir, 'burnrate.yaml');
    writeFileSync(config, `adminTokenFile: ${file}\n`);
    expect(() => loadConfig({ BURNRATE_CONFIG: config })).toThrow(`the file ${file}: the token is too weak`);
    expect(() => loadConfig({ BURNRATE_GRAFANA_TOKEN: 'short' })).toThrow('BURNRATE_GRAFANA_TOKEN: the token is too weak: it has 5 characters');
    expect(() => loadConfig({ BURNRATE_ADMIN_TOKEN_FILE: join(dir, 'nope') })).toThrow(`BURNRATE_ADMIN_TOKEN_FILE: no such file: ${join(dir, 'nope')}`);
    expect(() => loadConfig({ BURNRATE_ADMIN_TOKEN: secret(), BURNRATE_ADMIN_TOKEN_FILE: file })).toThrow('give either BURNRATE_ADMIN_TOKEN or BURNRATE_ADMIN_TOKEN_FILE, not both');
  });

  it('a strong token from a file is read trimmed; the app token may not be the admin token', () => {
    const dir = tempDir('tokens-config-ok');
    const token = secret();
    writeFileSync(join(dir, 'admin'), `${token}\n`);
    expect(loadConfig({ BURNRATE_ADMIN_TOKEN_FILE: join(dir, 'admin') }).bootstrapAdminToken).toBe(token);
    expect(() => loadConfig({ BURNRATE_ADMIN_TOKEN_FILE: join(dir, 'admin'), BURNRATE_GRAFANA_TOKEN: token })).toThrow(
      'the Grafana app token is the admin token: give the app a token of its own (it gets the editor role only)'
    );
  });

  it('`burnrate serve` with a weak admin token exits 1 with the reason and starts nothing', async () => {
    const db = join(tempDir('tokens-serve'), 'burnrate.db');
    const saved = { ...process.env };
    Object.assign(process.env, { BURNRATE_ADMIN_TOKEN: 'changeme', BURNRATE_DB: db, BURNRATE_PORT: '0' });
    let stderr = '';
    try {
      const code = await main(['serve'], { stdout: () => undefined, stderr: (t) => (stderr += t) });
      expect(code).toBe(1);
    } finally {
      process.env = saved;
    }
    expect(stderr).toBe('burnrate serve: BURNRATE_ADMIN_TOKEN: the token is too weak: it has 8 characters; at least 32 are needed. Make one with `openssl rand -hex 32`\n');
    expect(existsSync(db)).toBe(false);
  });
});

