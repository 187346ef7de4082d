// Two server processes on one PostgreSQL database (replicas behind a load balancer). Both answer
// the API; one, the leader (a session advisory lock), runs rule delivery. Concurrent edits of one
// SLO through both: one lands, the other gets 412, never 500. SIGKILL of the leader: the other
// takes over within seconds and delivers. A real PostgreSQL 15 (a throwaway cluster).

import { readdirSync } from 'fs';
import { Client } from 'pg';
import { PostgresServer } from '../support/postgresServer';
import { waitFor } from '../support/prometheusServer';
import { buildNode, ServerProcess, startServerProcess, stopAllServers } from '../support/serverProcess';
import { availabilitySlo, secret, SERVICE, tempDir } from '../server/helpers';
import { Tally } from './support';

jest.setTimeout(300_000);

const TOKEN = secret();
const tally = new Tally('Two servers on one PostgreSQL database (replicas.test.ts)');
const pg = new PostgresServer();
let url: string;
const rules = { a: tempDir('replica-rules-a'), b: tempDir('replica-rules-b') };
const servers: Record<'a' | 'b', ServerProcess> = {} as Record<'a' | 'b', ServerProcess>;

const ruleFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.rules.yaml'));
async function isLeader(s: ServerProcess): Promise<boolean | undefined> {
  const r = await s.api.get('/metrics');
  const m = /^burnrate_leader (\d)$/m.exec(String(r.body));
  return m ? m[1] === '1' : undefined;
}
async function query<T>(sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  buildNode();
  await pg.start();
  url = await pg.createDatabase('replicas');
  // Each delivers to a rules directory of its own, so the files show which server delivered.
  const env = (name: 'a' | 'b') => ({ BURNRATE_DATABASE_URL: url, BURNRATE_RULES_DIR: rules[name], BURNRATE_RECONCILE_INTERVAL_MS: '300', BURNRATE_LEADER_RETRY_MS: '500' });
  // Started at once on a new database: both migrate it and both would create the admin token.
  [servers.a, servers.b] = await Promise.all([startServerProcess(TOKEN, env('a')), startServerProcess(TOKEN, env('b'))]);
}, 240_000);

afterAll(async () => {
  await stopAllServers();
  await pg.stop();
  tally.print();
}, 60_000);

let leader: 'a' | 'b';
let follower: 'a' | 'b';

it('started at once on a new database: each migration applied once, one admin token, exactly one leader, both ready', async () => {
  expect(await query('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  expect(await query("SELECT name FROM tokens WHERE role = 'admin'")).toEqual([{ name: 'admin' }]);
  await waitFor('one leader', async () => (await isLeader(servers.a)) || (await isLeader(servers.b)), 20_000, 100);
  const flags = { a: await isLeader(servers.a), b: await isLeader(servers.b) };
  expect([flags.a, flags.b].sort()).toEqual([false, true]);
  leader = flags.a ? 'a' : 'b';
  follower = leader === 'a' ? 'b' : 'a';
  for (const name of ['a', 'b'] as const) {
    const ready = await waitFor(`${name} ready`, async () => {
      const r = await servers[name].api.get('/readyz');
      return r.status === 200 && r.body;
    });
    expect(ready.leader).toBe(name === leader);
  }
});

it('rules are delivered by the leader alone: SLOs created through the follower reach the leader\'s directory, none the follower\'s', async () => {
  for (const name of ['one', 'two', 'three']) {
    expect((await servers[follower].api.post('/api/v1/slos', availabilitySlo({ name }))).status).toBe(201);
  }
  await waitFor('3 rule files from the leader', () => ruleFiles(rules[leader]).length === 3, 20_000, 100);
  // 10 reconcile intervals later the follower has still delivered nothing.
  await new Promise((r) => setTimeout(r, 3000));
  expect(ruleFiles(rules[follower])).toEqual([]);
  const sync = await servers[follower].api.post('/api/v1/sync');
  expect(sync.status).toBe(503);
  expect(sync.body.error.message).toMatch(/not the leader/);
  expect((await servers[leader].api.post('/api/v1/sync')).status).toBe(200);
});

it('concurrent edits of one SLO through both servers: each round one 200 and one 412, never a 500; concurrent creates: one 201, the rest 409', async () => {
  const path = `/api/v1/slos/${SERVICE}/race`;
  expect((await servers.a.api.post('/api/v1/slos', availabilitySlo({ name: 'race' }))).status).toBe(201);
  const ROUNDS = 20;
  for (let round = 0; round < ROUNDS; round++) {
    const version = (await servers.a.api.get(path)).body.version;
    const answers = await Promise.all(
      (['a', 'b'] as const).map((name, i) => servers[name].api.put(path, availabilitySlo({ name: 'race', objective: 0.99 - (round * 2 + i) / 10000 }), { 'If-Match': `"${version}"` }))
    );
    answers.forEach((r) => tally.add(`concurrent PUTs answered ${r.status}`));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 412]);
  }
  expect((await servers.b.api.get(path)).body.version).toBe(ROUNDS + 1);
  expect(await query(`SELECT COUNT(*)::int AS n FROM audit WHERE target = '${SERVICE}/race' AND action = 'slo.update'`)).toEqual([{ n: ROUNDS }]);

  const creates = await Promise.all(Array.from({ length: 20 }, (_, i) => servers[i % 2 ? 'a' : 'b'].api.post('/api/v1/slos', availabilitySlo({ name: 'same' }))));
  creates.forEach((r) => tally.add(`concurrent creates answered ${r.status}`));
  expect(creates.map((r) => r.status).sort()).toEqual([201, ...new Array(19).fill(409)]);
});

it('SIGKILL of the leader: the other server is the leader within seconds and delivers a change made after', async () => {
  const before = ruleFiles(rules[follower]).length;
  expect(before).toBe(0);
  const killed = Date.now();
  servers[leader].proc.kill('SIGKILL');
  await waitFor('the follower to lead', () => isLeader(servers[follower]), 15_000, 50);
  const tookOver = Date.now() - killed;
  tally.add(`milliseconds from SIGKILL of the leader to the other leading (retry every 500 ms)`, tookOver);
  expect(tookOver).toBeLessThan(10_000);
  // The new leader delivers every SLO (its first pass) and a change made now.
  expect((await servers[follower].api.post('/api/v1/slos', availabilitySlo({ name: 'after' }))).status).toBe(201);
  await waitFor('the new leader to deliver all 6 SLOs', () => ruleFiles(rules[follower]).length === 6, 20_000, 100);
  expect((await servers[follower].api.get('/readyz')).body).toMatchObject({ status: 'ready', leader: true });
});
