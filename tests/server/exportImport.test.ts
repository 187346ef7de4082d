// The API's export and import say what they cannot carry (issue 15): an OpenSLO export that
// silently left out cost and blended quality SLOs, and an import with no SLO that said only
// "invalid SLO".

import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { RunningServer, startServer } from '../../src/server/app';
import { Api, availabilitySlo, captureLog, secret, serverConfig, SERVICE, tempDir } from './helpers';

jest.setTimeout(30_000);

const ADMIN = secret();
let server: RunningServer;
let api: Api;

const cost = {
  service: SERVICE,
  name: 'cost-per-request',
  sli: { cost: { cost: 'gen_ai_cost_usd_total', requests: 'gen_ai_client_operation_duration_seconds_count', target: 0.002 } },
};

beforeAll(async () => {
  server = await startServer(serverConfig({ dbPath: join(tempDir('export-import'), 'burnrate.db'), bootstrapAdminToken: ADMIN }), captureLog().log);
  api = new Api(server.url, ADMIN);
  expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
  expect((await api.post('/api/v1/slos', cost)).status).toBe(201);
});

afterAll(async () => {
  await server?.close();
});

it('an OpenSLO export with an SLO OpenSLO cannot express is 422 naming it and why', async () => {
  const r = await api.get('/api/v1/export?format=openslo');
  expect(r.status).toBe(422);
  expect(r.body.error.message).toBe(
    'error: llm-gateway/cost-per-request: not exported: OpenSLO cannot express it: cost per request is a soft SLO on an average, not a ratio of good events'
  );
});

it('with skipUnsupported=true: the others, and a comment at the top naming each SLO left out', async () => {
  const r = await api.get('/api/v1/export?format=openslo&skipUnsupported=true');
  expect(r.status).toBe(200);
  expect(r.body.split('\n')[0]).toBe(
    '# llm-gateway/cost-per-request: not exported: OpenSLO cannot express it: cost per request is a soft SLO on an average, not a ratio of good events'
  );
  expect(parseAllDocuments(r.body).map((d) => d.toJS().metadata.name)).toEqual(['chat-availability']);
  // The native export holds both.
  expect((await api.get('/api/v1/export')).body).toContain('name: cost-per-request');
});

it('an import that holds no SLO is 422 saying so, and stores nothing', async () => {
  const r = await api.post('/api/v1/import?from=openslo', 'apiVersion: openslo/v1\nkind: Service\nmetadata: {name: gw}\nspec: {}\n');
  expect(r.status).toBe(422);
  expect(r.body.error.message).toBe('body: error: the file holds no SLO: nothing to import');
  expect((await api.get('/api/v1/slos?status=false')).body.total).toBe(2);
});

it('a Pyrra ServiceLevelObjective imports with from=pyrra, stores the SLO with its warnings, and is refused under from=sloth', async () => {
  const text = readFileSync(join(__dirname, '../fixtures/anchors/pyrra/05-test-fixture-http-ratio-28d.slo.yaml'), 'utf8');
  const wrong = await api.post('/api/v1/import?from=sloth', text);
  expect(wrong.status).toBe(422);
  expect(wrong.body.error.message).toBe('from=sloth but the body holds pyrra documents');
  const r = await api.post('/api/v1/import?from=pyrra', text);
  expect(r.status).toBe(201);
  expect(r.body.created).toEqual(['default/http']);
  expect(r.body.diagnostics.map((d: { line: number; path: string }) => `${d.line} ${d.path}`)).toEqual([
    '7 metadata',
    '9 metadata.labels',
    '12 metadata.annotations',
    '18 spec.partial_response_strategy',
    '15 spec',
  ]);
  const stored = await api.get('/api/v1/slos/default/http');
  expect(stored.status).toBe(200);
  expect(stored.body).toMatchObject({ kind: 'ratio', objective: 0.995, window: '28d', labels: { team: 'foo' } });
  expect(stored.body.spec).toMatchObject({ alerting: { page: { labels: { severity: 'critical' } }, ticket: { labels: { severity: 'warning' } } } });
});
