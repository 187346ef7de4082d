// The gate cannot decide what no SLO knows (issue 15: `burnrate gate --service llm-gateway --route
// /nonexistent` printed SHIP and exited 0). Through the real server, a real Prometheus 2.42 and
// the built CLI.
//
// Traffic (per second, constant):
//   chat requests, route="/chat":      9 ok + 1 error   -> error ratio 0.1,  burn 10 at 99%: freeze
//   chat requests, route="/summarize": 20 ok            -> error ratio 0,    burn 0: ship
//   time to first token: route="/chat" only (20 of 20 under 1s): /summarize has no TTFT data.
// SLOs of llm-gateway: chat-availability (per route), chat-ttft (per route; no data for /summarize).
// SLO of checkout: one availability SLO over all routes (no groupBy), on the /summarize traffic.

import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { Exporter, histogramSeries, startExporter } from '../support/exporter';
import { PrometheusProcess, requirePrometheus, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { buildNode, runCli } from '../support/serverProcess';
import { Api, availabilitySlo, captureLog, DURATION_COUNT, secret, serverConfig, SERVICE, tempDir, TTFT, ttftSlo } from './helpers';

jest.setTimeout(120_000);

const ADMIN = secret();
let exporter: Exporter;
let prom: PrometheusProcess;
let server: RunningServer;
let api: Api;

const gate = (service: string, route?: string, extra = '') =>
  api.get(`/api/v1/gate?service=${encodeURIComponent(service)}${route ? `&route=${encodeURIComponent(route)}` : ''}${extra}`);
const gateCli = (service: string, ...rest: string[]) => runCli(['gate', '--service', service, '--server', server.url, '--token', ADMIN, ...rest]);

beforeAll(async () => {
  requirePrometheus();
  buildNode();
  const chat = { gen_ai_operation_name: 'chat' };
  exporter = await startExporter(
    [
      { name: DURATION_COUNT, labels: { ...chat, route: '/chat' }, rate: 9 },
      { name: DURATION_COUNT, labels: { ...chat, route: '/chat', error_type: '500' }, rate: 1 },
      { name: DURATION_COUNT, labels: { ...chat, route: '/summarize' }, rate: 20 },
      ...histogramSeries(TTFT, { ...chat, route: '/chat' }, 20, { '0.5': 18, '1': 20, '2.5': 20 }),
    ],
    { histograms: [TTFT] }
  );
  const rulesDir = tempDir('gate-unknown-rules');
  prom = await startPrometheus({ rulesDir, targets: [exporter.target] });
  server = await startServer(
    serverConfig({ dbPath: join(tempDir('gate-unknown-db'), 'burnrate.db'), prometheusUrl: prom.url, prometheusRules: { mode: 'directory', dir: rulesDir }, bootstrapAdminToken: ADMIN }),
    captureLog().log
  );
  api = new Api(server.url, ADMIN);
  for (const body of [
    availabilitySlo(),
    ttftSlo(),
    availabilitySlo({ service: 'checkout', groupBy: [], sli: { ratio: { errors: `${DURATION_COUNT}{route="/summarize", error_type!=""}`, total: `${DURATION_COUNT}{route="/summarize"}` } } }),
  ]) {
    expect((await api.post('/api/v1/slos', body)).status).toBe(201);
  }
  // Every SLO group the tests read has its release state evaluated.
  await waitFor(
    'release states of chat-availability (/chat, /summarize), chat-ttft (/chat) and checkout',
    async () => (await prom.query('slo:release_freeze:bool')).length === 4,
    90_000,
    500
  );
}, 150_000);

afterAll(async () => {
  await server?.close();
  await exporter?.close();
  await stopAllPrometheus();
});

it('a route no SLO knows: cannot decide (decision unknown, exit 3), naming the known routes', async () => {
  const r = await gate(SERVICE, '/nonexistent');
  expect(r.status).toBe(200);
  expect(r.body.decision).toBe('unknown');
  expect(r.body.reasons).toEqual(['no SLO of llm-gateway knows route "/nonexistent"; known routes: /chat, /summarize']);
  expect(r.body.knownRoutes).toEqual(['/chat', '/summarize']);
  const cli = await gateCli(SERVICE, '--route', '/nonexistent');
  expect(cli.code).toBe(3);
  expect(cli.stdout).toMatch(/^CANNOT DECIDE: llm-gateway route \/nonexistent\n/);
  expect(cli.stdout).toContain('known routes: /chat, /summarize');
});

it('a service no SLO knows: 404 naming the known services, exit 3', async () => {
  const r = await gate('llm-gatway', '/chat');
  expect(r.status).toBe(404);
  expect(r.body.error.message).toBe('no SLO knows service "llm-gatway"; known services: checkout, llm-gateway');
  expect(r.body.error.details).toEqual({ knownServices: ['checkout', 'llm-gateway'] });
  const cli = await gateCli('llm-gatway', '--route', '/chat');
  expect(cli.code).toBe(3);
  expect(cli.stderr).toContain('known services: checkout, llm-gateway');
});

it('a known route one SLO has no data for: cannot decide by default; --on-no-data ship or freeze chooses', async () => {
  // chat-availability says ship for /summarize (burn 0); chat-ttft has no data there.
  const r = await gate(SERVICE, '/summarize');
  expect(r.status).toBe(200);
  expect(r.body.decision).toBe('unknown');
  expect(r.body.onNoData).toBe('unknown');
  expect(r.body.reasons[0]).toBe('chat-ttft{route=/summarize}: no data: no data for this route in Prometheus yet');
  const cli = await gateCli(SERVICE, '--route', '/summarize');
  expect(cli.code).toBe(3);
  expect(cli.stdout).toMatch(/^CANNOT DECIDE: llm-gateway route \/summarize\n/);

  const ship = await gateCli(SERVICE, '--route', '/summarize', '--on-no-data', 'ship');
  expect(ship.code).toBe(0);
  expect(ship.stdout).toMatch(/^SHIP: llm-gateway route \/summarize\n/);
  expect(ship.stdout).toContain('! chat-ttft{route=/summarize}: no data');
  const freeze = await gateCli(SERVICE, '--route', '/summarize', '--on-no-data=freeze');
  expect(freeze.code).toBe(1);
  expect(freeze.stdout).toMatch(/^FREEZE: llm-gateway route \/summarize\n {2}- chat-ttft\{route=\/summarize\}: no data/);
  expect((await gate(SERVICE, '/summarize', '&onNoData=freeze')).body.decision).toBe('freeze');

  expect((await gate(SERVICE, '/summarize', '&onNoData=maybe')).status).toBe(400);
  const usage = await gateCli(SERVICE, '--on-no-data', 'maybe');
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain('--on-no-data must be unknown, freeze or ship');
});

it('a route where every SLO has data still decides: /chat freezes (burn 10x), exit 1', async () => {
  const r = await gate(SERVICE, '/chat');
  expect(r.body.decision).toBe('freeze');
  expect(r.body.reasons).toEqual(['chat-availability{route=/chat}: burn rate 10x over 5m is above 2x']);
  expect((await gateCli(SERVICE, '--route', '/chat')).code).toBe(1);
});

it('a route asked of a service whose SLOs are not per route: cannot decide; without the route it ships', async () => {
  const r = await gate('checkout', '/summarize');
  expect(r.body.decision).toBe('unknown');
  expect(r.body.reasons).toEqual(['no SLO of checkout is grouped by route, so none can answer for route "/summarize": ask for the whole service']);
  expect((await gateCli('checkout', '--route', '/summarize')).code).toBe(3);
  const whole = await gateCli('checkout');
  expect(whole.code).toBe(0);
  expect(whole.stdout).toMatch(/^SHIP: checkout\n {2}- 1 SLO group within policy\n/);
});
