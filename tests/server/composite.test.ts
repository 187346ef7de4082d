// Composite SLOs through the API: a composite is stored only when its components are SLOs the
// server holds and fit it; a component cannot be deleted, or changed so that it no longer fits,
// while a composite lists it; and the composite's rules read the components' recorded events.

import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { Api, availabilitySlo, captureLog, secret, serverConfig, SERVICE, tempDir, ttftSlo } from './helpers';

jest.setTimeout(30_000);

const ADMIN = secret();
let server: RunningServer;
let api: Api;

const journey = (components: unknown[], overrides: Record<string, unknown> = {}) => ({
  service: SERVICE,
  name: 'chat-journey',
  objective: 0.97,
  groupBy: ['route'],
  sli: { composite: { components } },
  ...overrides,
});
const COMPONENTS = [{ slo: 'chat-availability' }, { slo: 'chat-ttft', weight: 2 }];

/** The version to change an SLO at (If-Match). */
async function current(name: string): Promise<Record<string, string>> {
  return { 'If-Match': (await api.get(`/api/v1/slos/${SERVICE}/${name}`)).headers.get('etag')! };
}

beforeAll(async () => {
  server = await startServer(serverConfig({ dbPath: join(tempDir('composite'), 'burnrate.db'), bootstrapAdminToken: ADMIN }), captureLog().log);
  api = new Api(server.url, ADMIN);
});

afterAll(async () => {
  await server?.close();
});

it('refuses a composite whose components the server does not hold, naming each', async () => {
  const r = await api.post('/api/v1/slos', journey(COMPONENTS));
  expect(r.status).toBe(422);
  expect(r.body.error.message).toBe(
    [
      `error: ${SERVICE}/chat-journey: component 1 (${SERVICE}/chat-availability) is not defined: a composite reads the recorded events of SLOs defined with it (the same files, or the server's SLOs)`,
      `error: ${SERVICE}/chat-journey: component 2 (${SERVICE}/chat-ttft) is not defined: a composite reads the recorded events of SLOs defined with it (the same files, or the server's SLOs)`,
    ].join('\n')
  );
});

it('stores a composite of existing components, and its rules read their recorded events', async () => {
  expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
  expect((await api.post('/api/v1/slos', ttftSlo())).status).toBe(201);
  const r = await api.post('/api/v1/slos', journey(COMPONENTS));
  expect(r.status).toBe(201);
  expect(r.body.kind).toBe('composite');
  const rules = await api.get(`/api/v1/slos/${SERVICE}/chat-journey/rules`);
  expect(rules.body.prometheus).toContain(`slo:sli_error_events:rate5m{slo="chat-ttft", slo_service="${SERVICE}"} * 2`);
});

it('refuses a group-by a component does not have, and weights that are not positive', async () => {
  const byModel = await api.put(`/api/v1/slos/${SERVICE}/chat-journey`, journey(COMPONENTS, { groupBy: ['model'] }), await current('chat-journey'));
  expect(byModel.status).toBe(422);
  expect(byModel.body.error.message).toContain(`component 1 (${SERVICE}/chat-availability) is not grouped by model, which the composite groups by`);
  const zero = await api.post('/api/v1/slos', journey([{ slo: 'chat-availability', weight: 0 }, { slo: 'chat-ttft' }], { name: 'other' }));
  expect(zero.status).toBe(422);
  expect(zero.body.error.message).toBe('body:1: error: sli.composite.components[0].weight: 0 is out of range: expected above 0');
});

it('refuses to delete a component, or to change it so that it no longer fits, while the composite lists it', async () => {
  const del = await api.del(`/api/v1/slos/${SERVICE}/chat-ttft`);
  expect(del.status).toBe(409);
  expect(del.body.error.message).toBe(`${SERVICE}/chat-ttft is a component of ${SERVICE}/chat-journey: remove it from that composite first`);
  const ungrouped = await api.put(`/api/v1/slos/${SERVICE}/chat-ttft`, ttftSlo({ groupBy: [] }), await current('chat-ttft'));
  expect(ungrouped.status).toBe(422);
  expect(ungrouped.body.error.message).toContain(`component 2 (${SERVICE}/chat-ttft) is not grouped by route`);
  // Once the composite is gone, the component may go too.
  expect((await api.del(`/api/v1/slos/${SERVICE}/chat-journey`)).status).toBe(204);
  expect((await api.del(`/api/v1/slos/${SERVICE}/chat-ttft`)).status).toBe(204);
});
