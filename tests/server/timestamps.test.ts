// The HTTP API uses one timestamp format: RFC 3339 in UTC with milliseconds. Every answer that
// holds a time (SLOs and their sync states, status, audit, gate, GitOps, freezes, tokens, a sync
// pass) is walked for fields named `at` or `*At`, against a real server with a real Prometheus
// behind it; and the OpenAPI document declares each such field a date-time string.

import { writeFileSync } from 'fs';
import { join } from 'path';
import { openApiDocument } from '../../src/server/api/openapi';
import { RunningServer, startServer } from '../../src/server/app';
import { PrometheusProcess, requirePrometheus, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { Api, availabilitySlo, captureLog, secret, serverConfig, SERVICE, tempDir } from './helpers';

jest.setTimeout(120_000);

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isTimeKey = (k: string) => k === 'at' || /[a-z]At$/.test(k);

/** Every (path, value) of a time field in a JSON value. */
function timeFields(value: unknown, path = ''): Array<[string, unknown]> {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => timeFields(v, `${path}[${i}]`));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [...(isTimeKey(k) ? [[`${path}.${k}`, v] as [string, unknown]] : []), ...timeFields(v, `${path}.${k}`)]);
  }
  return [];
}

const ADMIN = secret();
let prom: PrometheusProcess;
let server: RunningServer;
let admin: Api;
let started: number;

beforeAll(async () => {
  requirePrometheus();
  const rulesDir = tempDir('timestamps-rules');
  const gitopsDir = tempDir('timestamps-gitops');
  writeFileSync(join(gitopsDir, 'shop.yaml'), 'version: burnrate/v1\nservice: shop\nslos:\n  - {name: api, objective: 0.99, sli: {ratio: {errors: e_total, total: t_total}}}\n');
  prom = await startPrometheus({ rulesDir, evaluationInterval: '1m' });
  started = Date.now();
  server = await startServer(
    serverConfig({ dbPath: join(tempDir('timestamps-db'), 'burnrate.db'), prometheusUrl: prom.url, prometheusRules: { mode: 'directory', dir: rulesDir }, bootstrapAdminToken: ADMIN, gitopsDir, upstreamTimeoutMs: 30_000 }),
    captureLog().log
  );
  admin = new Api(server.url, ADMIN);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await stopAllPrometheus();
});

it('every time in every answer is an RFC 3339 UTC string; the freeze expires 4h after it was made', async () => {
  const path = `/api/v1/slos/${SERVICE}/chat-availability`;
  expect((await admin.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
  await waitFor('the SLO in sync', async () => (await admin.get(path)).body.sync?.[0]?.state === 'in-sync', 60_000);
  const freeze = await admin.post('/api/v1/freezes', { service: SERVICE, reason: 'incident 9', duration: '4h' });
  expect(freeze.status).toBe(201);
  expect((await admin.post('/api/v1/tokens', { name: 'ci', role: 'viewer' })).status).toBe(201);

  const answers: Record<string, unknown> = { 'POST /api/v1/freezes': freeze.body };
  for (const p of [
    '/api/v1/slos',
    path,
    `${path}/status`,
    `${path}/audit`,
    '/api/v1/audit',
    `/api/v1/gate?service=${SERVICE}`,
    '/api/v1/gitops',
    '/api/v1/freezes',
    '/api/v1/tokens',
  ]) {
    const r = await admin.get(p);
    expect([p, r.status]).toEqual([p, 200]);
    answers[`GET ${p}`] = r.body;
  }
  answers['POST /api/v1/sync'] = (await admin.post('/api/v1/sync')).body;

  const fields = Object.entries(answers).flatMap(([call, body]) => timeFields(body).map(([p, v]) => [`${call} ${p}`, v] as const));
  expect(fields.filter(([, v]) => typeof v !== 'string' || !RFC3339_UTC.test(v))).toEqual([]);
  // Each of these answers holds a time where the format matters.
  const named = (re: RegExp) => fields.some(([where]) => re.test(where));
  const missing = [
    /^GET \/api\/v1\/slos .*\.items\[0\]\.sync\[0\]\.updatedAt$/,
    /^GET \/api\/v1\/slos\/[^ ]+ \.createdAt$/,
    /\/status \.evaluatedAt$/,
    /\/audit \.items\[0\]\.at$/,
    /\/audit \.items\[\d+\]\.detail\.expiresAt$/,
    /gate\?[^ ]+ \.manual\[0\]\.expiresAt$/,
    /gitops \.checkedAt$/,
    /gitops \.appliedAt$/,
    /GET \/api\/v1\/freezes \.items\[0\]\.createdAt$/,
    /tokens \.items\[0\]\.createdAt$/,
    /sync \.lastRun\.at$/,
  ].filter((re) => !named(re));
  expect(missing.map((re) => re.source)).toEqual([]);
  // The numbers behind the strings: made after the server started, 4 hours apart.
  const created = Date.parse(freeze.body.createdAt);
  expect(created).toBeGreaterThanOrEqual(started - 1000);
  expect(created).toBeLessThanOrEqual(Date.now());
  expect(Math.abs(Date.parse(freeze.body.expiresAt) - created - 4 * 3600_000)).toBeLessThan(5000);
});

it('the OpenAPI document declares every time field a date-time string, and none as epoch milliseconds', () => {
  const found: Array<[string, unknown]> = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v !== 'object' || v === null) {
      return;
    }
    const props = (v as { properties?: Record<string, unknown> }).properties;
    for (const [k, schema] of Object.entries(props ?? {})) {
      if (isTimeKey(k)) {
        found.push([`${path}.${k}`, schema]);
      }
    }
    Object.entries(v).forEach(([k, c]) => walk(c, `${path}.${k}`));
  };
  const doc = openApiDocument();
  walk(doc, '');
  expect(found.length).toBeGreaterThanOrEqual(9);
  expect(found.filter(([, s]) => (s as { type?: string; format?: string }).type !== 'string' || (s as { format?: string }).format !== 'date-time').map(([p]) => p)).toEqual([]);
  expect(JSON.stringify(doc)).not.toMatch(/epoch|since the epoch|\bms\b/i);
});
