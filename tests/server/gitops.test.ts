// SLOs from a watched folder: stored as managed by git, read-only through the API, updated and
// removed as the files change, and a broken file keeps the last good version.

import { rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { Api, captureLog, secret, serverConfig, tempDir } from './helpers';

jest.setTimeout(30_000);

const ADMIN = secret();
const spec = (objective: number, extra = '') => `version: burnrate/v1
service: checkout
slos:
  - name: availability
    objective: ${objective}
    sli:
      ratio: {errors: 'http_requests_total{code=~"5.."}', total: http_requests_total}
${extra}`;
const second = `  - name: latency
    objective: 0.95
    sli:
      latency: {metric: http_request_duration_seconds, threshold: 0.5, buckets: [0.1, 0.5, 1]}
`;

let server: RunningServer;
let admin: Api;
let dir: string;

beforeAll(async () => {
  dir = tempDir('gitops');
  writeFileSync(join(dir, 'checkout.yaml'), spec(0.99, second));
  server = await startServer(serverConfig({ dbPath: join(tempDir('gitops-db'), 'db'), bootstrapAdminToken: ADMIN, gitopsDir: dir }), captureLog().log);
  admin = new Api(server.url, ADMIN);
});

afterAll(async () => {
  await server?.close();
});

it('loads the folder at start, as source git with the file name', async () => {
  const r = await admin.get('/api/v1/slos?status=false');
  expect(r.body.items.map((s: { name: string; source: string; sourcePath: string }) => [s.name, s.source, s.sourcePath])).toEqual([
    ['availability', 'git', 'checkout.yaml'],
    ['latency', 'git', 'checkout.yaml'],
  ]);
});

it('refuses edits and deletes through the API (409), and changes nothing', async () => {
  const body = { service: 'checkout', name: 'availability', objective: 0.5, sli: { ratio: { errors: 'a', total: 'b' } } };
  const put = await admin.put('/api/v1/slos/checkout/availability', body, { 'If-Match': '"1"' });
  expect(put.status).toBe(409);
  expect(put.body.error.message).toContain('managed by git (checkout.yaml)');
  expect((await admin.call('DELETE', '/api/v1/slos/checkout/availability')).status).toBe(409);
  expect((await admin.get('/api/v1/slos/checkout/availability')).body.objective).toBe(0.99);
});

it('follows the files: a change updates, a broken file keeps the last good version, a removal deletes', () => {
  writeFileSync(join(dir, 'checkout.yaml'), spec(0.995, second));
  expect(server.gitops!.scan()).toBe(true);
  expect(server.store.get('checkout', 'availability')).toMatchObject({ version: 2, slo: { objective: 0.995 } });

  writeFileSync(join(dir, 'checkout.yaml'), spec(1.5, second));
  expect(server.gitops!.scan()).toBe(true);
  expect(server.gitops!.lastError).toContain('checkout.yaml:5: error: slos[0].objective: 1.5 is outside (0,1)');
  expect(server.store.get('checkout', 'availability')).toMatchObject({ version: 2, slo: { objective: 0.995 } });
  expect(server.store.get('checkout', 'latency')).toBeDefined();

  writeFileSync(join(dir, 'checkout.yaml'), spec(0.995));
  expect(server.gitops!.scan()).toBe(true);
  expect(server.store.get('checkout', 'latency')).toBeUndefined();
  expect(server.store.auditLog('checkout/latency')[0]).toMatchObject({ actor: 'gitops', action: 'slo.delete' });

  rmSync(join(dir, 'checkout.yaml'));
  expect(server.gitops!.scan()).toBe(true);
  expect(server.store.all()).toEqual([]);
});
