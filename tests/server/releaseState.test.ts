// One release state on every surface (issue 16): against a real Prometheus 2.42 that evaluates the
// SLO's rules and scrapes the server's own /metrics. Tests run in order and share everything.
//
// Traffic: route /chat 9 ok + 1 error per second, error ratio 0.1; objective 0.99 (budget 0.01), so
// the burn rate is 10x. The SLO keeps the default policy (freeze over the period, caution over
// 1d): both read the hourly rollups, which Prometheus has not run within a test (the :rollup
// group first runs at its slot in the hour), so the SLO is "pending": rules loaded, burning 10x,
// budget not there yet. Never "no data".

import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { Exporter, startExporter } from '../support/exporter';
import { freePort, PrometheusProcess, requirePrometheus, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { Api, captureLog, DURATION_COUNT, secret, serverConfig, SERVICE, tempDir } from './helpers';

jest.setTimeout(120_000);

const ADMIN = secret();
const NAME = 'chat-new';
let exporter: Exporter;
let prom: PrometheusProcess;
let server: RunningServer;
let admin: Api;
let onCall: Api;

const slo = {
  service: SERVICE,
  name: NAME,
  objective: 0.99,
  window: '30d',
  groupBy: ['route'],
  evaluationInterval: '10s',
  sli: {
    ratio: {
      errors: `${DURATION_COUNT}{gen_ai_operation_name="chat", error_type!=""}`,
      total: `${DURATION_COUNT}{gen_ai_operation_name="chat"}`,
    },
  },
};

/** The release state as the list, the status and the gate give it. */
async function surfaces() {
  const list = await admin.get(`/api/v1/slos?service=${SERVICE}`);
  const status = await admin.get(`/api/v1/slos/${SERVICE}/${NAME}/status`);
  const gate = await admin.get(`/api/v1/gate?service=${SERVICE}`);
  expect([list.status, status.status, gate.status]).toEqual([200, 200, 200]);
  const row = list.body.items.find((i: { name: string }) => i.name === NAME);
  return { row, status: status.body, gate: gate.body };
}

beforeAll(async () => {
  requirePrometheus();
  const chat = { gen_ai_operation_name: 'chat', route: '/chat' };
  exporter = await startExporter([
    { name: DURATION_COUNT, labels: chat, rate: 9 },
    { name: DURATION_COUNT, labels: { ...chat, error_type: '500' }, rate: 1 },
  ]);
  const rulesDir = tempDir('release-rules');
  // The server's port is chosen first, so that Prometheus can scrape its /metrics.
  const port = await freePort();
  prom = await startPrometheus({ rulesDir, targets: [exporter.target, `127.0.0.1:${port}`] });
  server = await startServer(
    serverConfig({ port, dbPath: join(tempDir('release-db'), 'burnrate.db'), prometheusUrl: prom.url, prometheusRules: { mode: 'directory', dir: rulesDir }, bootstrapAdminToken: ADMIN }),
    captureLog().log
  );
  admin = new Api(server.url, ADMIN);
  const t = await admin.post('/api/v1/tokens', { name: 'on-call', role: 'editor' });
  onCall = admin.as(t.body.token);
  expect((await admin.post('/api/v1/slos', slo)).status).toBe(201);
}, 90_000);

afterAll(async () => {
  await server?.close();
  await exporter?.close();
  await stopAllPrometheus();
});

it('a new SLO whose windows are filling is pending, with its 10x burn, on the list, the status and the gate (never "no data")', async () => {
  const s = await waitFor(
    'the SLO pending with a burn rate',
    async () => {
      const st = (await admin.get(`/api/v1/slos/${SERVICE}/${NAME}/status`)).body;
      return st.groups?.length && st.groups[0].currentBurnRate !== undefined ? st : undefined;
    },
    90_000,
    1000
  );
  expect(s.state).toBe('pending');
  expect(s.release).toEqual(expect.objectContaining({ state: 'pending', source: 'policy' }));
  // 0.1 / 0.01 = 10x, exact up to float rounding (both counters grow linearly from one instant).
  expect(s.groups[0].currentBurnRate).toBeCloseTo(10, 3);
  expect(s.release.reason).toMatch(/^pending: chat-new\{route=\/chat\}: rules loaded, the period windows are filling: .*; burn 10x now/);
  expect(s.groups[0].release.reason).toMatch(/^pending: rules loaded, .*; burn 10x now/);
  // Prometheus answered, so the alerts are known (an empty list is "none firing", not unknown).
  expect(Array.isArray(s.alerts)).toBe(true);
  expect(s.alertsError).toBeUndefined();
  const { row, gate } = await surfaces();
  expect(row.release.state).toBe('pending');
  expect(row.status.state).toBe('pending');
  expect(row.status.groups[0].release.state).toBe('pending');
  expect(gate.release.state).toBe('pending');
  // One service with one SLO: the gate's words are the list's.
  expect(gate.release.reason).toBe(row.release.reason);
  expect(gate.decision).toBe('unknown');
});

it('a manual freeze shows identically, with its reason, in the list, the status and the gate; and in the SLO audit trail and the dashboards\' metrics', async () => {
  const f = await onCall.post('/api/v1/freezes', { service: SERVICE, reason: 'incident 42', duration: '2h' });
  expect(f.status).toBe(201);
  const hhmm = new Date(f.body.expiresAt).toISOString().slice(11, 16);
  const sameDay = new Date(f.body.expiresAt).toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10);
  const until = sameDay ? `${hhmm} UTC` : `${new Date(f.body.expiresAt).toISOString().slice(0, 10)} ${hhmm} UTC`;
  const expected = {
    state: 'freeze',
    source: 'manual-freeze',
    by: 'on-call',
    until: f.body.expiresAt,
    actionId: f.body.id,
    policy: 'pending',
    reason: `freeze: manual, incident 42, until ${until}, set by the token named on-call`,
  };
  const { row, status, gate } = await surfaces();
  expect(row.release).toEqual(expected);
  expect(row.status.release).toEqual(expected);
  expect(status.release).toEqual(expected);
  expect(status.groups[0].release).toEqual(expected);
  expect(gate.release).toEqual(expected);
  expect(gate.decision).toBe('freeze');
  expect(gate.reasons[0]).toBe(expected.reason);

  const audit = (await admin.get(`/api/v1/slos/${SERVICE}/${NAME}/audit`)).body.items as Array<{ actor: string; action: string; target: string; detail: { reason: string } }>;
  expect(audit.map((a) => `${a.actor} ${a.action} ${a.target}`)).toEqual([`on-call freeze.create ${SERVICE}`, `admin slo.create ${SERVICE}/${NAME}`]);
  expect(audit[0].detail.reason).toBe('incident 42');

  // Prometheus scrapes the server (1 s): the panel reads the freeze from there.
  const series = await waitFor(
    'the freeze in Prometheus',
    async () => {
      const r = await prom.query(`burnrate_manual_action_expiry_timestamp_seconds{slo_service="${SERVICE}"}`);
      return r.length ? r : undefined;
    },
    30_000,
    500
  );
  expect(series).toHaveLength(1);
  expect(series[0].metric).toEqual(expect.objectContaining({ kind: 'freeze', reason: 'incident 42', created_by: 'on-call', action_id: String(f.body.id) }));
  expect(series[0].metric.route).toBeUndefined();
  expect(Number(series[0].value[1])).toBe(Date.parse(f.body.expiresAt) / 1000);
});

it('an override under the freeze: the freeze still wins and the override is named as not applied; revoking the freeze lets the override decide', async () => {
  const o = await onCall.post('/api/v1/freezes', { kind: 'override', service: SERVICE, reason: 'hotfix 7', duration: '1h' });
  expect(o.status).toBe(201);
  let { status, gate } = await surfaces();
  expect(status.release.state).toBe('freeze');
  expect(status.release.notApplied).toEqual([expect.stringMatching(/^ship: override, hotfix 7, until .* UTC, set by the token named on-call \(a manual freeze wins over an override\)$/)]);
  expect(gate.decision).toBe('freeze');

  const freeze = (await admin.get(`/api/v1/freezes?service=${SERVICE}`)).body.items.find((a: { kind: string }) => a.kind === 'freeze');
  expect((await onCall.del(`/api/v1/freezes/${freeze.id}?reason=resolved`)).status).toBe(204);
  ({ status, gate } = await surfaces());
  expect(status.release).toEqual(expect.objectContaining({ state: 'ship', source: 'override', policy: 'pending' }));
  expect(status.release.reason).toMatch(/^ship: override, hotfix 7, until .* UTC, set by the token named on-call \(the policy says pending: /);
  expect(gate.release).toEqual(status.release);
  expect(gate.decision).toBe('ship');
  const actions = ((await admin.get(`/api/v1/slos/${SERVICE}/${NAME}/audit`)).body.items as Array<{ action: string }>).map((a) => a.action);
  expect(actions.slice(0, 3)).toEqual(['freeze.revoke', 'override.create', 'freeze.create']);
});
