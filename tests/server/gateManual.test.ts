// A manual freeze or override answers the gate without Prometheus (issue 15: with Prometheus down
// the gate answered 503 and `burnrate gate` exited 3, though a manual freeze wins over
// everything). Prometheus here is a port nobody listens on; the CLI is the built one.

import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { freePort } from '../support/prometheusServer';
import { buildNode, runCli } from '../support/serverProcess';
import { Api, availabilitySlo, captureLog, secret, serverConfig, SERVICE, tempDir } from './helpers';

jest.setTimeout(240_000);

const ADMIN = secret();
let server: RunningServer;
let api: Api;

function gateCli(route?: string) {
  return runCli(['gate', '--service', SERVICE, '--server', server.url, '--token', ADMIN, ...(route ? ['--route', route] : [])]);
}

beforeAll(async () => {
  buildNode();
  const down = `http://127.0.0.1:${await freePort()}`;
  server = await startServer(
    serverConfig({ dbPath: join(tempDir('gate-manual-db'), 'burnrate.db'), prometheusUrl: down, bootstrapAdminToken: ADMIN, upstreamTimeoutMs: 2000 }),
    captureLog().log
  );
  api = new Api(server.url, ADMIN);
  expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
}, 200_000);

afterAll(async () => {
  await server?.close();
});

const freeze = (body: Record<string, unknown>) => api.post('/api/v1/freezes', { service: SERVICE, reason: 'incident 42: payments down', duration: '2h', ...body });

it('without a manual action, Prometheus down is still "cannot decide": 503, exit 3', async () => {
  const r = await api.get(`/api/v1/gate?service=${SERVICE}&route=/chat`);
  expect(r.status).toBe(503);
  expect(r.body.error.message).toMatch(/Prometheus is unavailable/);
  expect((await gateCli('/chat')).code).toBe(3);
});

it('a route freeze answers for its route (200 freeze, exit 1) with the reason and that the numbers are unknown; other routes still 503', async () => {
  const f = await freeze({ route: '/chat' });
  expect(f.status).toBe(201);
  try {
    const r = await api.get(`/api/v1/gate?service=${SERVICE}&route=/chat`);
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('freeze');
    expect(r.body.reasons).toEqual([expect.stringMatching(/^freeze: manual on route \/chat, incident 42: payments down, until (\d\d:\d\d|\d{4}-\d\d-\d\d \d\d:\d\d) UTC, set by the token named admin$/)]);
    expect(r.body.warnings).toEqual([expect.stringMatching(/SLO states are unknown: Prometheus is unavailable/)]);
    expect(r.body.manual).toEqual([expect.objectContaining({ kind: 'freeze', route: '/chat' })]);
    const cli = await gateCli('/chat');
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^FREEZE: llm-gateway route \/chat/);
    expect((await api.get(`/api/v1/gate?service=${SERVICE}&route=/summarize`)).status).toBe(503);
  } finally {
    expect((await api.del(`/api/v1/freezes/${f.body.id}`)).status).toBe(204);
  }
});

it('an override answers ship (200, exit 0), naming the override and that the numbers are unknown', async () => {
  const f = await freeze({ kind: 'override', reason: 'hotfix for the outage' });
  try {
    const r = await api.get(`/api/v1/gate?service=${SERVICE}&route=/chat`);
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('ship');
    expect(r.body.reasons).toEqual([expect.stringMatching(/^ship: override, hotfix for the outage, until .* UTC, set by the token named admin \(the policy says unknown: Prometheus is unavailable: .*\)$/)]);
    expect(r.body.warnings).toEqual([expect.stringMatching(/SLO states are unknown: Prometheus is unavailable/)]);
    expect((await gateCli('/chat')).code).toBe(0);
  } finally {
    await api.del(`/api/v1/freezes/${f.body.id}`);
  }
});

it('a freeze and an override together: the freeze wins', async () => {
  const a = await freeze({});
  const b = await freeze({ kind: 'override', reason: 'hotfix for the outage' });
  try {
    const r = await api.get(`/api/v1/gate?service=${SERVICE}`);
    expect(r.status).toBe(200);
    expect(r.body.decision).toBe('freeze');
    expect((await gateCli()).code).toBe(1);
  } finally {
    await api.del(`/api/v1/freezes/${a.body.id}`);
    await api.del(`/api/v1/freezes/${b.body.id}`);
  }
});

it('Prometheus down: the list still carries each SLO\'s release state, the manual freeze identical to the gate\'s, else unknown with why', async () => {
  const before = await api.get(`/api/v1/slos?service=${SERVICE}`);
  expect(before.status).toBe(200);
  expect(before.body.statusError).toMatch(/Prometheus is unavailable/);
  expect(before.body.items[0].status).toBeUndefined();
  expect(before.body.items[0].release).toEqual(expect.objectContaining({ state: 'unknown', source: 'policy', policy: 'unknown' }));
  expect(before.body.items[0].release.reason).toMatch(/^unknown: Prometheus is unavailable: /);
  const f = await freeze({});
  try {
    const gate = await api.get(`/api/v1/gate?service=${SERVICE}`);
    const list = await api.get(`/api/v1/slos?service=${SERVICE}`);
    expect(gate.body.release.reason).toMatch(/^freeze: manual, incident 42: payments down, until .* UTC, set by the token named admin$/);
    expect(list.body.items[0].release).toEqual(gate.body.release);
    expect(list.body.items[0].release.policy).toBe('unknown');
  } finally {
    await api.del(`/api/v1/freezes/${f.body.id}`);
  }
});
