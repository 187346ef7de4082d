// SLOs from a watched folder: stored as managed by git, read-only through the API, updated and
// removed as the files change. A folder that `burnrate validate` would refuse (a broken file, an
// SLO defined twice, a file that cannot be read) changes nothing, and says why.

import { execFileSync } from 'child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { createServer, Server } from 'net';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { Api, captureLog, CapturedLog, secret, serverConfig, tempDir } from './helpers';

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
let logs: CapturedLog;

beforeAll(async () => {
  dir = tempDir('gitops');
  writeFileSync(join(dir, 'checkout.yaml'), spec(0.99, second));
  logs = captureLog();
  server = await startServer(serverConfig({ dbPath: join(tempDir('gitops-db'), 'db'), bootstrapAdminToken: ADMIN, gitopsDir: dir }), logs.log);
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

it('follows the files: a change updates, a broken file keeps the last good version, a removal deletes', async () => {
  writeFileSync(join(dir, 'checkout.yaml'), spec(0.995, second));
  expect(await server.gitops!.scan()).toBe(true);
  expect(await server.store.get('checkout', 'availability')).toMatchObject({ version: 2, slo: { objective: 0.995 } });

  writeFileSync(join(dir, 'checkout.yaml'), spec(1.5, second));
  expect(await server.gitops!.scan()).toBe(true);
  expect(server.gitops!.status()).toMatchObject({ state: 'rejected', problems: [expect.objectContaining({ file: 'checkout.yaml', line: 5, message: expect.stringContaining('1.5 is outside (0,1)') })] });
  expect(await server.store.get('checkout', 'availability')).toMatchObject({ version: 2, slo: { objective: 0.995 } });
  expect(await server.store.get('checkout', 'latency')).toBeDefined();

  writeFileSync(join(dir, 'checkout.yaml'), spec(0.995));
  expect(await server.gitops!.scan()).toBe(true);
  expect(await server.store.get('checkout', 'latency')).toBeUndefined();
  expect((await server.store.auditLog('checkout/latency'))[0]).toMatchObject({ actor: 'gitops', action: 'slo.delete' });

  rmSync(join(dir, 'checkout.yaml'));
  expect(await server.gitops!.scan()).toBe(true);
  expect(await server.store.all()).toEqual([]);
});

describe('a folder validate would refuse changes nothing, and the status API and the log say why', () => {
  const other = `version: burnrate/v1
service: checkout
slos:
  - name: availability
    objective: 0.9
    sli:
      ratio: {errors: 'other_total{code="500"}', total: other_total}
`;

  beforeAll(async () => {
    writeFileSync(join(dir, 'checkout.yaml'), spec(0.99));
    await server.gitops!.scan();
    expect(server.gitops!.status().state).toBe('applied');
  });

  afterEach(() => {
    for (const f of ['other.yaml', 'sock.yaml', 'gone.yaml', 'pipe.yaml']) {
      rmSync(join(dir, f), { force: true });
    }
  });

  // Issue 15: the second definition silently replaced the first in the store.
  it('two files defining the same SLO: rejected naming both files; the stored SLO stays as it was', async () => {
    const before = (await server.store.get('checkout', 'availability'))!;
    writeFileSync(join(dir, 'other.yaml'), other);
    const gitopsLogs = () => logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('gitops'));
    const lines = gitopsLogs().length;
    await server.gitops!.scan();
    expect(await server.store.get('checkout', 'availability')).toMatchObject({ version: before.version, slo: { objective: 0.99 }, sourcePath: 'checkout.yaml' });
    const status = await admin.get('/api/v1/gitops');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ enabled: true, state: 'rejected', files: 2, slos: 0 });
    const duplicate = 'duplicate SLO "availability" in service "checkout" (also defined at checkout.yaml:4)';
    expect(status.body.problems).toEqual([{ severity: 'error', file: 'other.yaml', line: 4, message: duplicate }]);
    expect(gitopsLogs().slice(lines)).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringMatching(/^gitops folder rejected/), errors: [`other.yaml:4: error: ${duplicate}`] })]);
    // The same problem is logged once, not on every pass that reads the folder.
    writeFileSync(join(dir, 'other.yaml'), other + '\n');
    await server.gitops!.scan();
    expect(gitopsLogs().length).toBe(lines + 1);

    rmSync(join(dir, 'other.yaml'));
    await server.gitops!.scan();
    expect((await admin.get('/api/v1/gitops')).body).toMatchObject({ state: 'applied', files: 1, slos: 1, problems: [] });
  });

  // Issue 15: a file that fails to read after it was listed threw out of the timer and stopped the
  // server. A socket named *.yaml is listed and stat'ed like a file, and opening it fails (ENXIO):
  // the same path as a file removed between listing and reading.
  it('a file that cannot be read (a socket, a broken link, a FIFO) is reported like any invalid folder; nothing throws', async () => {
    const sock: Server = createServer();
    await new Promise<void>((resolve) => sock.listen(join(dir, 'sock.yaml'), resolve));
    try {
      symlinkSync(join(dir, 'removed.yaml'), join(dir, 'gone.yaml'));
      // Reading a FIFO without a writer would block the server for good.
      execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
      writeFileSync(join(dir, 'other.yaml'), other.replace('name: availability', 'name: other'));
      await server.gitops!.scan();
      expect(server.gitops!.status().problems).toEqual([
        { severity: 'error', file: 'gone.yaml', line: undefined, message: 'no such file or folder' },
        { severity: 'error', file: 'pipe.yaml', line: undefined, message: 'not a regular file (a FIFO, socket or device)' },
        { severity: 'error', file: 'sock.yaml', line: undefined, message: 'not a file that can be read (a socket?)' },
      ]);
      // The valid new file was not applied either: the folder applies whole or not at all.
      expect(await server.store.get('checkout', 'other')).toBeUndefined();
      expect((await admin.get('/healthz')).status).toBe(200);
    } finally {
      await new Promise((resolve) => sock.close(resolve));
    }
  });
});

describe('rules generated from the SLOs, kept in the folder', () => {
  it("Sloth's _gen/ rule file beside the definitions is skipped with a warning; the folder is applied", async () => {
    writeFileSync(join(dir, 'checkout.yaml'), spec(0.99));
    mkdirSync(join(dir, '_gen'));
    writeFileSync(join(dir, '_gen', 'checkout.yaml'), 'groups:\n- name: sloth-slo-sli-recordings-checkout\n  rules:\n  - record: slo:sli_error:ratio_rate5m\n    expr: vector(0)\n');
    try {
      expect(await server.gitops!.scan()).toBe(true);
      const status = await admin.get('/api/v1/gitops');
      expect(status.body).toMatchObject({ state: 'applied', files: 1, slos: 1 });
      expect(status.body.problems).toEqual([{ severity: 'warning', file: '_gen/checkout.yaml', message: 'skipped a Prometheus rule file (top-level groups:): rules, not SLO definitions' }]);
    } finally {
      rmSync(join(dir, '_gen'), { recursive: true });
    }
  });
});

describe('composites across the folder and the API', () => {
  it('a folder composite may list an SLO created through the API; the folder cannot drop an SLO an API composite lists', async () => {
    const api = { service: 'shop', name: 'api-availability', objective: 0.99, sli: { ratio: { errors: 'e_total', total: 't_total' } } };
    expect((await admin.post('/api/v1/slos', api)).status).toBe(201);
    const folderSlo = `version: burnrate/v1
service: shop
slos:
  - {name: git-latency, objective: 0.95, sli: {ratio: {errors: slow_total, total: t_total}}}
`;
    const folderComposite = `  - {name: git-journey, objective: 0.97, sli: {composite: {components: [{slo: api-availability}, {slo: git-latency}]}}}
`;
    writeFileSync(join(dir, 'shop.yaml'), folderSlo + folderComposite);
    expect(await server.gitops!.scan()).toBe(true);
    expect(server.gitops!.status()).toMatchObject({ state: 'applied' });
    expect((await server.store.get('shop', 'git-journey'))?.slo.sli.kind).toBe('composite');

    // An API composite that lists the folder's SLO: the folder may not drop it.
    const apiComposite = { service: 'shop', name: 'api-journey', objective: 0.97, sli: { composite: { components: [{ slo: 'api-availability' }, { slo: 'git-latency' }] } } };
    expect((await admin.post('/api/v1/slos', apiComposite)).status).toBe(201);
    writeFileSync(join(dir, 'shop.yaml'), 'version: burnrate/v1\nservice: shop\nslos:\n  - {name: git-other, objective: 0.9, sli: {ratio: {errors: a_total, total: b_total}}}\n');
    expect(await server.gitops!.scan()).toBe(true);
    expect(server.gitops!.status()).toMatchObject({
      state: 'rejected',
      problems: [
        expect.objectContaining({
          message:
            "shop/api-journey: component 2 (shop/git-latency) is not defined: a composite reads the recorded events of SLOs defined with it (the same files, or the server's SLOs) (a composite created through the API lists it)",
        }),
      ],
    });
    expect(await server.store.get('shop', 'git-latency')).toBeDefined();
    rmSync(join(dir, 'shop.yaml'));
  });
});
