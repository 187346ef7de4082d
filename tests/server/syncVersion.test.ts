// Sync state names the version it confirmed (issue 15): a PUT during a delivery must not show the
// new version in-sync while Prometheus holds the old one, and a DELETE during a pass must not
// bring the deleted SLO's sync row back. A pass is held at its start (a gate in front of the
// real directory sink, with a real Prometheus behind it) while the test edits or deletes.

import { readFileSync } from 'fs';
import { join } from 'path';
import { validateSloText } from '../../src/core/spec/sloObject';
import { startServer } from '../../src/server/app';
import { openSqlite } from '../../src/server/storage/sqliteStore';
import { PrometheusDirectorySink, ruleFileName } from '../../src/server/delivery/prometheusSink';
import { Reconciler } from '../../src/server/delivery/reconciler';
import { RuleSink, SloRules, SyncOutcome } from '../../src/server/delivery/sink';
import { ServerMetrics } from '../../src/server/metrics';
import { SloStore } from '../../src/server/sloStore';
import { PrometheusClient } from '../../src/server/status/prometheusClient';
import { Upstream } from '../../src/server/upstream';
import { PrometheusProcess, runningPrometheusPids, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { Api, availabilitySlo, captureLog, secret, serverConfig, SERVICE, tempDir } from './helpers';

jest.setTimeout(120_000);

/** The real sink behind a gate: each pass waits at it until the test releases that pass. */
class GatedSink implements RuleSink {
  readonly target = 'prometheus' as const;
  /** Resolves when a pass has reached the gate. */
  entered!: Promise<void>;
  private enter!: () => void;
  private open!: () => void;
  private gate!: Promise<void>;
  private disposed = false;
  constructor(private readonly inner: RuleSink) {
    this.arm();
  }
  private arm(): void {
    this.entered = new Promise((r) => (this.enter = r));
    this.gate = this.disposed ? Promise.resolve() : new Promise((r) => (this.open = r));
  }
  /** Lets the waiting pass through; the next pass waits again. */
  release(): void {
    const open = this.open;
    this.arm();
    open();
  }
  /** Lets every pass through from now on. */
  dispose(): void {
    this.disposed = true;
    this.release();
  }
  async sync(desired: SloRules[]): Promise<Map<string, SyncOutcome>> {
    const gate = this.gate;
    this.enter();
    await gate;
    return this.inner.sync(desired);
  }
}

afterAll(async () => {
  await stopAllPrometheus();
  expect(runningPrometheusPids()).toEqual([]);
});

async function setup() {
  const dir = tempDir('syncv-rules');
  const prom: PrometheusProcess = await startPrometheus({ rulesDir: dir });
  const db = await openSqlite(':memory:');
  const store = new SloStore(db);
  const upstream = new Upstream({ allowedOrigins: [prom.url], timeoutMs: 10000, retries: 1 });
  const sink = new GatedSink(new PrometheusDirectorySink(dir, new PrometheusClient(prom.url, upstream), captureLog().log));
  const rec = new Reconciler(db, store, [sink], captureLog().log, new ServerMetrics(), 3_600_000);
  const put = async (spec: Record<string, unknown>, version?: number) => {
    const v = validateSloText(JSON.stringify(spec));
    const s = await (version === undefined ? store.create(v.spec!, v.slo!, 'test') : store.update(SERVICE, spec.name as string, v.spec!, v.slo!, version, 'test'));
    await rec.changed(s.service, s.name);
    return s;
  };
  return { dir, db, store, sink, rec, put };
}

it('a PUT while a pass delivers version 1: the state stays pending for version 2, never "version 2 in-sync" while the file holds version 1', async () => {
  const { dir, db, sink, rec, put } = await setup();
  try {
    await put(availabilitySlo());
    const pass = rec.run();
    await sink.entered; // the pass has read version 1 and is about to deliver it
    await put(availabilitySlo({ objective: 0.995 }), 1);
    sink.release();
    await pass;
    // The file holds version 1 (objective 0.99), so version 2 is not delivered.
    const file = readFileSync(join(dir, ruleFileName(`${SERVICE}/chat-availability`)), 'utf8');
    expect(file).toContain('0.99');
    expect(file).not.toContain('0.995');
    const [state] = await rec.states(SERVICE, 'chat-availability');
    expect(state).toEqual(expect.objectContaining({ target: 'prometheus', state: 'pending', version: 2 }));

    // The next pass delivers version 2 and names it.
    sink.dispose();
    await rec.run();
    expect(readFileSync(join(dir, ruleFileName(`${SERVICE}/chat-availability`)), 'utf8')).toContain('0.995');
    expect(await rec.states(SERVICE, 'chat-availability')).toEqual([expect.objectContaining({ state: 'in-sync', version: 2 })]);
  } finally {
    sink.dispose();
    await rec.stop();
    await db.close();
  }
});

it('a DELETE while a pass delivers: the deleted SLO has no sync row after the pass', async () => {
  const { db, store, sink, rec, put } = await setup();
  try {
    await put(availabilitySlo());
    await put(availabilitySlo({ name: 'chat-other' }));
    const pass = rec.run();
    await sink.entered;
    await store.delete(SERVICE, 'chat-availability', undefined, 'test');
    await rec.changed(SERVICE, 'chat-availability');
    sink.release();
    await pass;
    const rows = await db.all<{ name: string }>('SELECT name FROM sync_state ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(['chat-other']);
  } finally {
    sink.dispose();
    await rec.stop();
    await db.close();
  }
});

it('the API shows each target with the version it names; after an edit the old state is not shown as in-sync', async () => {
  const dir = tempDir('syncv-api-rules');
  const own = await startPrometheus({ rulesDir: dir });
  const admin = secret();
  const server = await startServer(
    serverConfig({
      dbPath: join(tempDir('syncv-api-db'), 'burnrate.db'),
      prometheusUrl: own.url,
      prometheusRules: { mode: 'directory', dir },
      bootstrapAdminToken: admin,
      reconcileIntervalMs: 3_600_000,
      upstreamTimeoutMs: 10000,
    }),
    captureLog().log
  );
  const api = new Api(server.url, admin);
  try {
    expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    await server.reconciler.run();
    const one = (await api.get(`/api/v1/slos/${SERVICE}/chat-availability`)).body;
    expect(one.sync).toEqual([expect.objectContaining({ target: 'prometheus', state: 'in-sync', version: 1 })]);
    // Version 2 stored; no pass has run: version 1's in-sync is not version 2's.
    await server.reconciler.stop();
    await server.storage.run("UPDATE sync_state SET state = 'in-sync', reason = NULL, version = 1");
    expect((await api.put(`/api/v1/slos/${SERVICE}/chat-availability`, availabilitySlo({ objective: 0.995 }), { 'If-Match': '"1"' })).status).toBe(200);
    await server.storage.run("UPDATE sync_state SET state = 'in-sync', reason = NULL, version = 1");
    const two = (await api.get(`/api/v1/slos/${SERVICE}/chat-availability`)).body;
    expect(two.version).toBe(2);
    expect(two.sync).toEqual([expect.objectContaining({ target: 'prometheus', state: 'pending', version: 1, reason: expect.stringMatching(/version 2/) })]);
    const listed = (await api.get('/api/v1/slos?status=false')).body.items[0];
    expect(listed.sync).toEqual(two.sync);
    await server.reconciler.run();
    await waitFor('version 2 in-sync', async () => {
      const s = (await api.get(`/api/v1/slos/${SERVICE}/chat-availability`)).body.sync;
      return s[0]?.state === 'in-sync' && s[0].version === 2;
    });
  } finally {
    await server.close();
  }
});
