// Many clients at once against one in-process server (temp SQLite file, rules directory):
// 50 distinct creates, 50 creates of the same SLO, 50 parallel edits of one SLO with the same
// If-Match, and edits racing deletes. Exactly one writer wins where one must; the losers get a
// conflict and change nothing (rows, audit entries and rule files are counted).

import { readFileSync } from 'fs';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { ruleFileName } from '../../src/server/delivery/prometheusSink';
import { Api, availabilitySlo, captureLog, secret, serverConfig, tempDir } from '../server/helpers';
import { listDir, rowCounts, Tally } from './support';

jest.setTimeout(60_000);

const ADMIN = secret();
const N = 50;
const tally = new Tally('Concurrency (concurrency.test.ts)');
let server: RunningServer;
let api: Api;
let rulesDir: string;

beforeAll(async () => {
  rulesDir = tempDir('conc-rules');
  server = await startServer(
    serverConfig({ dbPath: join(tempDir('conc-db'), 'burnrate.db'), bootstrapAdminToken: ADMIN, prometheusRules: { mode: 'directory', dir: rulesDir }, reconcileIntervalMs: 600_000 }),
    captureLog().log
  );
  api = new Api(server.url, ADMIN);
});

afterAll(async () => {
  await server?.close();
  tally.print();
});

const statuses = (rs: Array<{ status: number }>) => rs.map((r) => r.status).reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {});
const audits = (target: string) => server.store.auditLog(target, 1000);

it(`${N} clients create ${N} distinct SLOs at once: ${N} created, ${N} rule files`, async () => {
  const rs = await Promise.all(Array.from({ length: N }, (_, i) => api.post('/api/v1/slos', availabilitySlo({ service: 'conc', name: `distinct-${i}` }))));
  expect(statuses(rs)).toEqual({ 201: N });
  expect((await server.store.list({ service: 'conc', limit: 1000 })).total).toBe(N);
  expect((await audits(undefined as unknown as string)).filter((a) => a.action === 'slo.create').length).toBe(N);
  await server.reconciler.run();
  expect(listDir(rulesDir).filter((f) => f.startsWith('burnrate_conc@distinct-')).length).toBe(N);
  tally.add(`distinct creates at once: ${JSON.stringify(statuses(rs))}`, N);
});

it(`${N} clients create the same SLO at once: exactly one 201, ${N - 1} x 409, one row, one audit entry`, async () => {
  const before = await rowCounts(server.storage);
  const rs = await Promise.all(
    Array.from({ length: N }, (_, i) => api.post('/api/v1/slos', availabilitySlo({ service: 'conc', name: 'same', description: `client ${i}` })))
  );
  expect(statuses(rs)).toEqual({ 201: 1, 409: N - 1 });
  const winner = rs.find((r) => r.status === 201)!;
  const stored = await api.get('/api/v1/slos/conc/same');
  expect(stored.body.description).toBe(winner.body.description);
  expect(stored.body.version).toBe(1);
  expect(rs.filter((r) => r.status === 409).every((r) => /already exists/.test(r.body.error.message))).toBe(true);
  const after = await rowCounts(server.storage);
  expect(after.slos - before.slos).toBe(1);
  expect(after.audit - before.audit).toBe(1);
  expect((await audits('conc/same')).length).toBe(1);
  tally.add(`same-name creates at once: ${JSON.stringify(statuses(rs))}`, N);
});

it(`${N} parallel edits of one SLO with the same If-Match: exactly one 200, ${N - 1} x 412; the winner's edit is what is stored and delivered`, async () => {
  const rs = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      api.put('/api/v1/slos/conc/same', availabilitySlo({ service: 'conc', name: 'same', objective: 0.9 + i / 1000 }), { 'If-Match': '"1"' })
    )
  );
  expect(statuses(rs)).toEqual({ 200: 1, 412: N - 1 });
  const winner = rs.find((r) => r.status === 200)!;
  const stored = await api.get('/api/v1/slos/conc/same');
  expect(stored.body.version).toBe(2);
  expect(stored.body.objective).toBe(winner.body.objective);
  expect((await audits('conc/same')).filter((a) => a.action === 'slo.update').length).toBe(1);
  await server.reconciler.run();
  expect(readFileSync(join(rulesDir, ruleFileName('conc/same')), 'utf8')).toBe((await api.get('/api/v1/slos/conc/same/rules')).body.prometheus);
  tally.add(`parallel edits with one If-Match: ${JSON.stringify(statuses(rs))}`, N);
});

it(`${N / 2} edits racing ${N / 2} deletes, all with the current If-Match: exactly one wins`, async () => {
  const v = (await api.get('/api/v1/slos/conc/same')).body.version;
  const rs = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      i % 2 === 0
        ? api.put('/api/v1/slos/conc/same', availabilitySlo({ service: 'conc', name: 'same', objective: 0.95 }), { 'If-Match': `"${v}"` })
        : api.del('/api/v1/slos/conc/same', { 'If-Match': `"${v}"` })
    )
  );
  const wins = rs.filter((r) => r.status === 200 || r.status === 204);
  expect(wins.length).toBe(1);
  // Losers: 412 (stale version) or 404 (deleted under them); never 5xx.
  expect(rs.every((r) => [200, 204, 404, 412].includes(r.status))).toBe(true);
  const now = await api.get('/api/v1/slos/conc/same');
  if (wins[0].status === 204) {
    expect(now.status).toBe(404);
  } else {
    expect(now.body.version).toBe(v + 1);
  }
  tally.add(`edits racing deletes: ${JSON.stringify(statuses(rs))}`, N);
});
