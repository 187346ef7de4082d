// Two server processes on one SQLite file (issue 15: 5 of 100 parallel creates got 500 "database
// is locked": deferred transactions that read and then write fail at once when the other process
// writes; the busy timeout never applies to them). Write transactions start IMMEDIATE, so a
// writer waits for the other; a writer that waits longer than the busy timeout gets 503 with
// Retry-After, never 500. Both servers start at once on a new file: it is migrated once and the
// admin token created once.

import Database from 'better-sqlite3';
import { join } from 'path';
import { buildNode, ServerProcess, startServerProcess, stopAllServers } from '../support/serverProcess';
import { availabilitySlo, secret, tempDir } from '../server/helpers';
import { Tally } from './support';

jest.setTimeout(300_000);

const TOKEN = secret();
const tally = new Tally('Two servers on one SQLite file (twoServers.test.ts)');
let a: ServerProcess;
let b: ServerProcess;
let dbPath: string;

beforeAll(async () => {
  buildNode();
  dbPath = join(tempDir('two-db'), 'burnrate.db');
  // Each delivers to a rules directory of its own every 300 ms: its passes write sync state into
  // the shared file while the creates run.
  const env = (name: string) => ({ BURNRATE_DB: dbPath, BURNRATE_RULES_DIR: tempDir(`two-rules-${name}`), BURNRATE_RECONCILE_INTERVAL_MS: '300' });
  // Started at once on a new file: both migrate it and both would create the admin token.
  [a, b] = await Promise.all([startServerProcess(TOKEN, env('a')), startServerProcess(TOKEN, env('b'))]);
}, 240_000);

afterAll(async () => {
  await stopAllServers();
  tally.print();
});

it('both started on a new file: one set of tables, one admin token, both answer', async () => {
  const db = new Database(dbPath, { readonly: true });
  try {
    // Each migration applied once, in order (versions 1, 2, 3, ...), and one token key made.
    const versions = (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);
    expect(versions.length).toBeGreaterThanOrEqual(3);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(db.prepare('SELECT COUNT(*) AS n FROM token_key').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT name, role FROM tokens').all()).toEqual([{ name: 'admin', role: 'admin' }]);
  } finally {
    db.close();
  }
  expect((await a.api.get('/api/v1/slos')).status).toBe(200);
  expect((await b.api.get('/api/v1/slos')).status).toBe(200);
});

it('100 parallel creates, alternating between the two servers: each is 201, or 503 with Retry-After; none is 500; every 201 is stored once', async () => {
  const N = 100;
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) => (i % 2 ? b : a).api.post('/api/v1/slos', availabilitySlo({ service: `svc-${i % 7}`, name: `slo-${i}` })))
  );
  const byStatus: Record<number, number> = {};
  answers.forEach((r) => (byStatus[r.status] = (byStatus[r.status] ?? 0) + 1));
  for (const [status, n] of Object.entries(byStatus)) {
    tally.add(`creates answered ${status}`, n);
  }
  const bad = answers.filter((r) => r.status !== 201 && r.status !== 503);
  expect(bad.map((r) => `${r.status}: ${JSON.stringify(r.body)}`)).toEqual([]);
  for (const r of answers.filter((x) => x.status === 503)) {
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(r.body.error.message).toMatch(/database is busy/);
  }
  const created = answers.filter((r) => r.status === 201).map((r) => `${r.body.service}/${r.body.name}`);
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT service, name FROM slos').all() as Array<{ service: string; name: string }>;
    expect(rows.map((r) => `${r.service}/${r.name}`).sort()).toEqual(created.sort());
    const audits = (db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'slo.create'").get() as { n: number }).n;
    expect(audits).toBe(created.length);
  } finally {
    db.close();
  }
  // With waiting writers, the machine has to be very slow for a 503: expect most to succeed.
  expect(created.length).toBeGreaterThanOrEqual(90);
  // Both servers read what either wrote.
  const list = await b.api.get('/api/v1/slos?status=false&limit=1000');
  expect(list.body.total).toBe(created.length);
});

it('parallel updates and deletes of distinct SLOs through both servers: 200 and 204, or 503; never 500', async () => {
  const list = (await a.api.get('/api/v1/slos?status=false&limit=1000')).body.items as Array<{ service: string; name: string; version: number }>;
  const server = (i: number) => (i % 2 ? b : a);
  const puts = await Promise.all(
    list.map((s, i) => server(i).api.put(`/api/v1/slos/${s.service}/${s.name}`, availabilitySlo({ service: s.service, name: s.name, objective: 0.995 }), { 'If-Match': `"${s.version}"` }))
  );
  puts.forEach((r) => tally.add(`updates answered ${r.status}`));
  expect(puts.filter((r) => r.status !== 200 && r.status !== 503).map((r) => `${r.status}: ${JSON.stringify(r.body)}`)).toEqual([]);
  const dels = await Promise.all(list.slice(0, 50).map((s, i) => server(i + 1).api.del(`/api/v1/slos/${s.service}/${s.name}`)));
  dels.forEach((r) => tally.add(`deletes answered ${r.status}`));
  expect(dels.filter((r) => r.status !== 204 && r.status !== 503).map((r) => `${r.status}: ${JSON.stringify(r.body)}`)).toEqual([]);
  expect(puts.filter((r) => r.status === 200).length + dels.filter((r) => r.status === 204).length).toBeGreaterThanOrEqual(135);
});

it('a writer held out past the busy timeout (5 s) gets 503 with Retry-After, and nothing is stored', async () => {
  const holder = new Database(dbPath);
  const count = () => (holder.prepare('SELECT COUNT(*) AS n FROM slos').get() as { n: number }).n;
  const before = count();
  holder.exec('BEGIN IMMEDIATE');
  try {
    const r = await a.api.post('/api/v1/slos', availabilitySlo({ service: 'held', name: 'out' }));
    tally.add(`create while another connection held the write lock answered ${r.status}`);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.body.error.message).toMatch(/database is busy.*nothing was changed/);
  } finally {
    holder.exec('ROLLBACK');
  }
  expect(count()).toBe(before);
  // The lock released, the same request succeeds.
  expect((await a.api.post('/api/v1/slos', availabilitySlo({ service: 'held', name: 'out' }))).status).toBe(201);
  holder.close();
});
