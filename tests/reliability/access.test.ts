// Access checks not covered by tests/server/api.test.ts: the body size limit on every endpoint
// that reads a body (declared Content-Length and chunked), and that the server contacts no host but
// its configured data source while every endpoint is exercised, including bodies full of URLs
// (runbook, dashboard and SLO links, OpenSLO metricSourceRef, freeze reasons) and an absolute-form
// request target naming another host.

import { createServer as createHttpServer, request, Server } from 'http';
import { createServer as createTcpServer, Server as TcpServer } from 'net';
import { AddressInfo } from 'net';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { Api, availabilitySlo, captureLog, secret, serverConfig, tempDir } from '../server/helpers';
import { rowCounts, Tally } from './support';

jest.setTimeout(60_000);

const ADMIN = secret();
const LIMIT = 16 * 1024;
const tally = new Tally('Access: body limits and outbound connections (access.test.ts)');
let server: RunningServer;
let api: Api;
let decoy: TcpServer;
let decoyConnections = 0;
let decoyUrl: string;
let fakeProm: Server;
const promRequests: string[] = [];

beforeAll(async () => {
  // A listener that is NOT configured: any connection to it is a request the server must not make.
  decoy = createTcpServer((s) => {
    decoyConnections++;
    s.destroy();
  });
  await new Promise<void>((r) => decoy.listen(0, '127.0.0.1', r));
  decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}`;
  // The configured data source: a stand-in answering the Prometheus API with empty results.
  fakeProm = createHttpServer((req, res) => {
    promRequests.push(`${req.method} ${req.url}`);
    req.resume();
    const body = req.url?.startsWith('/api/v1/query_range')
      ? { status: 'success', data: { resultType: 'matrix', result: [] } }
      : req.url?.startsWith('/api/v1/rules')
        ? { status: 'success', data: { groups: [] } }
        : { status: 'success', data: { resultType: 'vector', result: [] } };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => fakeProm.listen(0, '127.0.0.1', r));
  server = await startServer(
    serverConfig({
      dbPath: join(tempDir('access-db'), 'burnrate.db'),
      bootstrapAdminToken: ADMIN,
      prometheusUrl: `http://127.0.0.1:${(fakeProm.address() as AddressInfo).port}`,
      maxBodyBytes: LIMIT,
      grafanaUrl: decoyUrl,
    }),
    captureLog().log
  );
  api = new Api(server.url, ADMIN);
});

afterAll(async () => {
  await server?.close();
  await new Promise((r) => decoy?.close(r));
  await new Promise((r) => fakeProm?.close(r));
  tally.print();
});

/** A raw request: `chunked` sends the body without a Content-Length. */
function raw(method: string, path: string, body: Buffer, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(server.url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        headers: {
          Authorization: `Bearer ${ADMIN}`,
          'Content-Type': 'application/json',
          'If-Match': '"1"',
          ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(body.length) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      }
    );
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE' ? resolve({ status: 0, body: 'reset' }) : reject(e)));
    if (chunked) {
      for (let i = 0; i < body.length; i += 4096) {
        req.write(body.subarray(i, i + 4096));
      }
      req.end();
    } else {
      req.end(body);
    }
  });
}

const WRITE_ENDPOINTS: Array<[string, string]> = [
  ['POST', '/api/v1/slos'],
  ['PUT', '/api/v1/slos/llm-gateway/chat-availability'],
  ['POST', '/api/v1/validate'],
  ['POST', '/api/v1/preview'],
  ['POST', '/api/v1/import?from=burnrate'],
  ['POST', '/api/v1/freezes'],
  ['POST', '/api/v1/tokens'],
];

describe('body size limit', () => {
  it.each(WRITE_ENDPOINTS)('%s %s: one byte over the limit gets 413 (declared and chunked); nothing is stored', async (method, path) => {
    const before = await rowCounts(server.storage);
    // A valid-looking JSON body padded past the limit.
    const body = Buffer.from(JSON.stringify({ ...availabilitySlo(), description: 'x'.repeat(LIMIT) }).slice(0, LIMIT + 1));
    expect(body.length).toBe(LIMIT + 1);
    for (const chunked of [false, true]) {
      const r = await raw(method, path, body, chunked);
      // 413 with a message, or (chunked, rarely) the connection closed after the 413 was sent.
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).error.message).toMatch(/limit/);
      tally.add(`413 over the limit (${chunked ? 'chunked' : 'Content-Length'})`);
    }
    // A body at the limit is read (and then judged on its content, not its size).
    const at = await raw(method, path, Buffer.from(' '.repeat(LIMIT)), false);
    expect(at.status).not.toBe(413);
    expect(at.status).toBeLessThan(500);
    expect(await rowCounts(server.storage)).toEqual(before);
    expect((await api.get('/healthz')).status).toBe(200);
  });
});

describe('outbound connections', () => {
  it('every endpoint, with URLs everywhere in the bodies: no connection to any host but the configured Prometheus', async () => {
    const links = {
      runbookUrl: `${decoyUrl}/runbook`,
      dashboardUrl: `${decoyUrl}/d/x`,
      sloUrl: `${decoyUrl}/slo`,
      annotations: { more: `${decoyUrl}/annotation` },
    };
    const slo = availabilitySlo({ description: `see ${decoyUrl}/desc`, labels: { docs: `${decoyUrl}/label` }, alerting: links });
    const calls: Array<[string, string, unknown?, Record<string, string>?]> = [
      ['POST', '/api/v1/validate', slo],
      ['POST', '/api/v1/preview', slo],
      ['POST', '/api/v1/slos', slo],
      ['GET', '/api/v1/slos'],
      ['GET', '/api/v1/slos/llm-gateway/chat-availability'],
      ['PUT', '/api/v1/slos/llm-gateway/chat-availability', { ...slo, objective: 0.995 }, { 'If-Match': '"1"' }],
      ['GET', '/api/v1/slos/llm-gateway/chat-availability/rules'],
      ['GET', '/api/v1/slos/llm-gateway/chat-availability/status'],
      ['GET', '/api/v1/slos/llm-gateway/chat-availability/history?range=1d&step=1h'],
      ['GET', '/api/v1/slos/llm-gateway/chat-availability/audit'],
      ['GET', '/api/v1/audit'],
      ['GET', '/api/v1/gate?service=llm-gateway&route=%2Fchat'],
      ['GET', '/api/v1/export?format=openslo'],
      ['GET', '/api/v1/export'],
      [
        'POST',
        '/api/v1/import?from=openslo',
        `apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: imported\n  annotations:\n    runbook: ${decoyUrl}/r\nspec:\n  service: imp\n  description: ${decoyUrl}/d\n  indicator:\n    metadata:\n      name: sli\n    spec:\n      ratioMetric:\n        counter: true\n        good:\n          metricSource:\n            metricSourceRef: ${decoyUrl}/prometheus\n            type: prometheus\n            spec:\n              query: http_requests_total{code!~"5.."}\n        total:\n          metricSource:\n            metricSourceRef: ${decoyUrl}/prometheus\n            type: prometheus\n            spec:\n              query: http_requests_total\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.99\n`,
      ],
      ['POST', '/api/v1/import?from=sloth', `version: prometheus/v1\nservice: sl\nslos:\n  - name: a\n    objective: 99\n    sli:\n      events:\n        error_query: sum(rate(x{code="500"}[{{.window}}]))\n        total_query: sum(rate(x[{{.window}}]))\n    alerting:\n      annotations:\n        runbook: ${decoyUrl}/sloth\n`],
      ['POST', '/api/v1/freezes', { service: 'llm-gateway', reason: `incident ${decoyUrl}/incident`, duration: '1h' }],
      ['GET', '/api/v1/freezes'],
      ['POST', '/api/v1/tokens', { name: 'ci', role: 'viewer' }],
      ['GET', '/api/v1/tokens'],
      ['POST', '/api/v1/sync'],
      ['GET', '/metrics'],
      ['GET', '/healthz'],
      ['GET', '/readyz'],
      ['GET', '/api/openapi.json'],
      ['DELETE', '/api/v1/slos/imp/imported'],
    ];
    for (const [method, path, body, headers] of calls) {
      const r = await api.call(method, path, body, headers);
      expect(r.status).toBeLessThan(500);
      tally.add('endpoint calls with URLs in bodies');
    }
    // An absolute-form request target naming the decoy: served locally, never forwarded.
    const u = new URL(server.url);
    const proxied = await new Promise<number>((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: `${decoyUrl}/api/v1/slos`, headers: { Authorization: `Bearer ${ADMIN}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(proxied).toBe(200);
    await server.reconciler.run();
    await new Promise((r) => setTimeout(r, 1000));
    expect(decoyConnections).toBe(0);
    // The configured data source was used (so the check above is not vacuous).
    expect(promRequests.some((p) => p.startsWith('POST /api/v1/query'))).toBe(true);
    tally.add('connections to the unconfigured listener', decoyConnections);
    tally.add('requests to the configured Prometheus', promRequests.length);
  });
});
