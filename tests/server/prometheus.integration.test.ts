// The server against a real Prometheus 2.42 and an exporter of LLM-like metrics (OpenTelemetry
// GenAI names). Tests run in order and share one Prometheus, one exporter and one server.
//
// Traffic (per second, constant, counters start at 0 when the exporter starts):
//   gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat"}
//     route="/chat":      9 ok + 1 error (error_type="500")   -> error ratio 1/10    = 0.1
//     route="/summarize": 19.9 ok + 0.1 error (error_type="timeout") -> 0.1/20     = 0.005
//   {gen_ai_operation_name="embeddings", route="/chat"}: 5 ok + 5 errors: not chat, must not count.
//   gen_ai_server_time_to_first_token_seconds (chat), le="1" of all observations:
//     route="/chat":      9.75 of 10  -> bad ratio 0.025;  route="/summarize": 20 of 20 -> 0
// chat-availability: objective 0.99, budget 0.01  -> burn 10 (/chat), 0.5 (/summarize)
// chat-ttft:         objective 0.95, budget 0.05  -> burn 0.5 (/chat), 0 (/summarize)
// Both freeze above 2x over 5m (policy.freeze: {window: 5m, burnRate: 2}).
//
// Why the ratios are exact: every counter of one scrape is computed at the same instant and grows
// linearly from 0, so rate() of the error and total series share sample timestamps and the same
// extrapolation; their quotient is the quotient of the configured rates up to float rounding.
// Tolerance 1e-6 (absolute) on ratios and 1e-4 on burn rates (ratio / 0.01 scales errors by 100).
// Absolute rates (slo:sli_events:rate5m) are NOT 10/s in this test: rate()[5m] over less than
// 5 minutes of data divides the (extrapolated) increase by 300 s, so they are checked against
// Prometheus's own rate() at the rule's evaluation timestamp instead, and bounded by 10/s.
//
// Not observable within a test run: the :rollup group (interval 1h) first evaluates at its slot
// in the hour, so slo:sli_events:increase1h, the 1d/3d/period ratios, period burn rate and budget
// remaining have no sample; status reports them as undefined and the freeze comes from 5m alone.

import { spawn, spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { ServerConfig } from '../../src/server/config';
import { Exporter, histogramSeries, startExporter } from '../support/exporter';
import { runCli } from '../support/serverProcess';
import { PrometheusProcess, processAlive, requirePrometheus, runningPrometheusPids, sleep, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { Api, availabilitySlo, captureLog, CapturedLog, DURATION_COUNT, secret, serverConfig, SERVICE, tempDir, TTFT, ttftSlo } from './helpers';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '..', '..');
const ADMIN = secret();
const secrets = [ADMIN];
let exporter: Exporter;
let prom: PrometheusProcess;
let server: RunningServer;
let config: ServerConfig;
let logs: CapturedLog;
let admin: Api;
let rulesDir: string;
let buildResult: Promise<{ code: number | null; output: string }>;
const measurements: Record<string, number> = {};

const sel = (name: string, route: string) => `{slo="${name}", slo_service="${SERVICE}", route="${route}"}`;

async function value(q: string): Promise<number | undefined> {
  const r = await prom.query(q);
  return r.length === 1 ? Number(r[0].value[1]) : undefined;
}

async function syncStates(name: string): Promise<Array<{ target: string; state: string; reason?: string }>> {
  return (await admin.get(`/api/v1/slos/${SERVICE}/${name}`)).body.sync;
}

async function waitInSync(name: string, timeoutMs = 20000): Promise<void> {
  await waitFor(`${name} in-sync`, async () => (await syncStates(name)).every((s) => s.state === 'in-sync') && (await syncStates(name)).length > 0, timeoutMs, 50);
}

beforeAll(async () => {
  requirePrometheus();
  // The CLI runs from build/: make it fresh, in parallel with the rest of the set-up.
  buildResult = new Promise((resolve) => {
    const p = spawn('npm', ['run', 'build:node'], { cwd: ROOT });
    let output = '';
    p.stdout.on('data', (b) => (output += b));
    p.stderr.on('data', (b) => (output += b));
    p.on('exit', (code) => resolve({ code, output }));
  });
  const chat = { gen_ai_operation_name: 'chat' };
  exporter = await startExporter(
    [
      { name: DURATION_COUNT, labels: { ...chat, route: '/chat' }, rate: 9 },
      { name: DURATION_COUNT, labels: { ...chat, route: '/chat', error_type: '500' }, rate: 1 },
      { name: DURATION_COUNT, labels: { ...chat, route: '/summarize' }, rate: 19.9 },
      { name: DURATION_COUNT, labels: { ...chat, route: '/summarize', error_type: 'timeout' }, rate: 0.1 },
      { name: DURATION_COUNT, labels: { gen_ai_operation_name: 'embeddings', route: '/chat' }, rate: 5 },
      { name: DURATION_COUNT, labels: { gen_ai_operation_name: 'embeddings', route: '/chat', error_type: '500' }, rate: 5 },
      ...histogramSeries(TTFT, { ...chat, route: '/chat' }, 10, { '0.5': 7, '1': 9.75, '2.5': 10 }),
      ...histogramSeries(TTFT, { ...chat, route: '/summarize' }, 20, { '0.5': 18, '1': 20, '2.5': 20 }),
    ],
    { histograms: ['gen_ai_client_operation_duration_seconds', TTFT] }
  );
  rulesDir = tempDir('rules');
  prom = await startPrometheus({ rulesDir, targets: [exporter.target] });
  logs = captureLog();
  config = serverConfig({
    dbPath: join(tempDir('db'), 'burnrate.db'),
    prometheusUrl: prom.url,
    prometheusRules: { mode: 'directory', dir: rulesDir },
    bootstrapAdminToken: ADMIN,
  });
  server = await startServer(config, logs.log);
  admin = new Api(server.url, ADMIN);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await exporter?.close();
  const pid = prom?.pid;
  await stopAllPrometheus();
  expect(runningPrometheusPids()).toEqual([]);
  if (pid) {
    expect(processAlive(pid)).toBe(false);
  }
  // eslint-disable-next-line no-console
  console.log(`server integration measurements (ms): ${JSON.stringify(measurements)}`);
});

describe('rules reach Prometheus and are evaluated', () => {
  it('create via the API -> rule file -> Prometheus loads the groups -> in-sync', async () => {
    const started = Date.now();
    const a = await admin.post('/api/v1/slos', availabilitySlo());
    expect(a.status).toBe(201);
    expect(a.headers.get('etag')).toBe('"1"');
    expect(a.headers.get('location')).toBe(`/api/v1/slos/${SERVICE}/chat-availability`);
    const t = await admin.post('/api/v1/slos', ttftSlo());
    expect(t.status).toBe(201);
    await waitInSync('chat-availability');
    measurements.deliveryCreateToInSync = Date.now() - started;
    await waitInSync('chat-ttft');

    const file = join(rulesDir, `burnrate_${SERVICE}@chat-availability.rules.yaml`);
    expect(existsSync(file)).toBe(true);
    const preview = await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/rules`);
    expect(readFileSync(file, 'utf8')).toBe(preview.body.prometheus);
    expect(readdirSync(rulesDir).sort()).toEqual([`burnrate_${SERVICE}@chat-availability.rules.yaml`, `burnrate_${SERVICE}@chat-ttft.rules.yaml`]);

    const groups = await prom.ruleGroups();
    const byName = new Map(groups.map((g) => [g.name, g]));
    for (const slo of ['chat-availability', 'chat-ttft']) {
      for (const suffix of ['', ':rollup']) {
        expect(byName.has(`burnrate:${SERVICE}:${slo}${suffix}`)).toBe(true);
      }
    }
    expect(byName.get(`burnrate:${SERVICE}:chat-availability`)!.interval).toBe(10);
    expect(byName.get(`burnrate:${SERVICE}:chat-availability:rollup`)!.interval).toBe(3600);
    expect(byName.get(`burnrate:${SERVICE}:chat-availability:period`)!.interval).toBe(180);
    expect(byName.get(`burnrate:${SERVICE}:chat-availability`)!.file).toBe(file);
  });

  it('the main group evaluates: 5m error ratio and current burn rate per route match the exporter', async () => {
    const started = Date.now();
    const ratioChat = await waitFor('slo:sli_error:ratio_rate5m for /chat', () => value(`slo:sli_error:ratio_rate5m${sel('chat-availability', '/chat')}`), 40000, 250);
    measurements.loadToFirstEvaluation = Date.now() - started;
    expect(ratioChat).toBeCloseTo(0.1, 6);
    const ratioSum = await waitFor('/summarize ratio', () => value(`slo:sli_error:ratio_rate5m${sel('chat-availability', '/summarize')}`), 15000);
    expect(ratioSum).toBeCloseTo(0.005, 6);
    // The embeddings operation (50% errors) is not part of the chat SLI: only two routes exist.
    expect((await prom.query(`slo:sli_error:ratio_rate5m{slo="chat-availability"}`)).map((r) => r.metric.route).sort()).toEqual(['/chat', '/summarize']);

    expect(await value(`slo:current_burn_rate:ratio${sel('chat-availability', '/chat')}`)).toBeCloseTo(10, 4);
    expect(await value(`slo:current_burn_rate:ratio${sel('chat-availability', '/summarize')}`)).toBeCloseTo(0.5, 4);

    // Traffic: the recorded 5m event rate equals Prometheus's own rate() at the evaluation time,
    // and never exceeds the 10/s the exporter produces on /chat (see the header about 5m windows).
    const rec = (await prom.query(`slo:sli_events:rate5m${sel('chat-availability', '/chat')}`))[0];
    const evalTs = Number((await prom.query(`timestamp(slo:sli_events:rate5m${sel('chat-availability', '/chat')})`))[0].value[1]);
    const raw = await prom.query(`sum by (route) (rate(${DURATION_COUNT}{gen_ai_operation_name="chat", route="/chat"}[5m]))`, evalTs);
    expect(Number(rec.value[1])).toBeCloseTo(Number(raw[0].value[1]), 9);
    expect(Number(rec.value[1])).toBeGreaterThan(0);
    expect(Number(rec.value[1])).toBeLessThanOrEqual(10 * 1.02);
    const errs = await value(`slo:sli_error_events:rate5m${sel('chat-availability', '/chat')}`);
    expect(errs! / Number(rec.value[1])).toBeCloseTo(0.1, 6);

    // The latency SLI: share of observations above le="1".
    const ttft = await waitFor('ttft ratio', () => value(`slo:sli_error:ratio_rate5m${sel('chat-ttft', '/chat')}`), 15000);
    expect(ttft).toBeCloseTo(0.025, 6);
    expect(await value(`slo:sli_error:ratio_rate5m${sel('chat-ttft', '/summarize')}`)).toBeCloseTo(0, 9);
    expect(await value(`slo:current_burn_rate:ratio${sel('chat-ttft', '/chat')}`)).toBeCloseTo(0.5, 4);

    // No generated series is NaN or Inf.
    const all = await prom.query(`{__name__=~"slo:.+", slo_service="${SERVICE}"}`);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((s) => !Number.isFinite(Number(s.value[1])))).toEqual([]);
  });

  it('status per SLO: burn rate per route = ratio / budget, computed by hand', async () => {
    // release_freeze appears once the main group has evaluated: with a 5m policy window it is recorded
    // there, after the 5m rates, not in the 2-minute -period group.
    await waitFor('release_freeze for /chat', () => value(`slo:release_freeze:bool${sel('chat-availability', '/chat')}`), 30000);
    await waitFor('release_freeze for chat-ttft', () => value(`slo:release_freeze:bool${sel('chat-ttft', '/chat')}`), 30000);
    const r = await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/status`);
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('freeze');
    const g = new Map<string, any>(r.body.groups.map((x: any) => [x.group.route, x]));
    expect([...g.keys()].sort()).toEqual(['/chat', '/summarize']);
    const chat = g.get('/chat');
    expect(chat.currentBurnRate).toBeCloseTo(0.1 / 0.01, 4);
    const w = new Map<string, any>(chat.windows.map((x: any) => [x.window, x]));
    expect(w.get('5m').errorRatio).toBeCloseTo(0.1, 6);
    expect(w.get('5m').burnRate).toBeCloseTo(10, 4);
    // 30m..6h are events-weighted sums of recorded 5m rates: with a constant ratio, also 0.1.
    for (const win of ['30m', '1h', '2h', '6h']) {
      expect(w.get(win).errorRatio).toBeCloseTo(0.1, 6);
    }
    // From the hourly rollup: not evaluated yet (see the header).
    expect(w.get('1d').errorRatio).toBeUndefined();
    expect(chat.budgetRemaining).toBeUndefined();
    expect(chat.state).toBe('freeze');
    expect(chat.reasons).toEqual(['burn rate 10x over 5m is above 2x']);
    const sum = g.get('/summarize');
    expect(sum.currentBurnRate).toBeCloseTo(0.005 / 0.01, 4);
    expect(sum.state).toBe('ship');
    expect(sum.reasons).toEqual([]);
    // The page alert: 10x is over 6x on 6h and 30m (the 6h window holds only minutes of data,
    // all at 10x); 1h/5m need 14.4x. /summarize (0.5x) and chat-ttft (0.5x) do not alert.
    await waitFor('ErrorBudgetBurn for /chat', async () => (await prom.query(`ALERTS{slo_service="${SERVICE}"}`)).length > 0, 30000);
    const withAlerts = await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/status`);
    expect(withAlerts.body.alerts).toEqual([
      { labels: expect.objectContaining({ alertname: 'ErrorBudgetBurn', severity: 'page', route: '/chat', slo: 'chat-availability' }), state: 'firing' },
    ]);
    expect((await admin.get(`/api/v1/slos/${SERVICE}/chat-ttft/status`)).body.alerts).toEqual([]);
    // For the report: has the hourly rollup group evaluated since it was loaded?
    const rollup = (await prom.ruleGroups()).find((x) => x.name === `burnrate:${SERVICE}:chat-availability:rollup`)!;
    // eslint-disable-next-line no-console
    console.log(`rollup group lastEvaluation: ${rollup.lastEvaluation}; increase1h samples: ${(await prom.query('slo:sli_events:increase1h')).length}`);

    const t = await admin.get(`/api/v1/slos/${SERVICE}/chat-ttft/status`);
    const tg = new Map<string, any>(t.body.groups.map((x: any) => [x.group.route, x]));
    expect(tg.get('/chat').currentBurnRate).toBeCloseTo(0.025 / 0.05, 4);
    expect(tg.get('/chat').state).toBe('ship');
    expect(tg.get('/summarize').currentBurnRate).toBeCloseTo(0, 6);

    // The list shows the same numbers.
    const list = await admin.get(`/api/v1/slos?service=${SERVICE}`);
    const row = list.body.items.find((i: any) => i.name === 'chat-availability');
    expect(row.status.state).toBe('freeze');
    expect(row.status.groups.find((x: any) => x.group.route === '/chat').currentBurnRate).toBeCloseTo(10, 4);
    expect(row.sync).toEqual([expect.objectContaining({ target: 'prometheus', state: 'in-sync' })]);
  });
});

describe('release gate', () => {
  it('freezes the route burning 10x (policy: 2x over 5m) and ships the healthy route, with the numbers', async () => {
    const bad = await admin.get(`/api/v1/gate?service=${SERVICE}&route=${encodeURIComponent('/chat')}`);
    expect(bad.status).toBe(200);
    expect(bad.body.decision).toBe('freeze');
    expect(bad.body.reasons).toEqual(['chat-availability{route=/chat}: burn rate 10x over 5m is above 2x']);
    expect(bad.body.slos.find((s: any) => s.slo === 'chat-ttft')).toEqual(expect.objectContaining({ state: 'ship', group: { route: '/chat' } }));
    const good = await admin.get(`/api/v1/gate?service=${SERVICE}&route=${encodeURIComponent('/summarize')}`);
    expect(good.body.decision).toBe('ship');
    expect(good.body.reasons).toEqual(['2 SLO groups within policy']);
    expect(good.body.warnings).toEqual([]);
    // Errors: no service, unknown service.
    expect((await admin.get('/api/v1/gate')).status).toBe(400);
    expect((await admin.get('/api/v1/gate?service=nope')).status).toBe(404);
  });

  it('`burnrate gate` exits 1 to freeze and 0 to ship', async () => {
    const b = await buildResult;
    expect(b.output).not.toMatch(/error TS/);
    expect(b.code).toBe(0);
    const common = ['--service', SERVICE, '--server', server.url, '--token', ADMIN];
    const freeze = await runCli(['gate', ...common, '--route', '/chat']);
    expect(freeze.code).toBe(1);
    expect(freeze.stdout).toMatch(/^FREEZE: llm-gateway route \/chat/);
    expect(freeze.stdout).toContain('burn rate 10x over 5m is above 2x');
    const ship = await runCli(['gate', ...common, '--route', '/summarize']);
    expect(ship.code).toBe(0);
    expect(ship.stdout).toMatch(/^SHIP: llm-gateway route \/summarize/);
    const noToken = await runCli(['gate', '--service', SERVICE, '--server', server.url]);
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toMatch(/401/);
  });

  it('manual freeze and override need a reason and an expiry, decide the gate, and are audited', async () => {
    const v = await admin.post('/api/v1/tokens', { name: 'ci', role: 'viewer' });
    secrets.push(v.body.token);
    const e = await admin.post('/api/v1/tokens', { name: 'release-manager', role: 'editor' });
    secrets.push(e.body.token);
    const rm = admin.as(e.body.token);
    expect((await rm.post('/api/v1/freezes', { service: SERVICE, route: '/summarize', duration: '1h' })).status).toBe(400);
    expect((await rm.post('/api/v1/freezes', { service: SERVICE, route: '/summarize', reason: 'incident INC-42' })).status).toBe(400);
    expect((await rm.post('/api/v1/freezes', { service: SERVICE, reason: 'incident INC-42', expiresAt: '2001-01-01T00:00:00Z' })).status).toBe(400);
    expect((await rm.post('/api/v1/freezes', { service: SERVICE, reason: 'incident INC-42', duration: '100d' })).status).toBe(400);
    expect((await admin.as(v.body.token).post('/api/v1/freezes', { service: SERVICE, reason: 'incident INC-42', duration: '1h' })).status).toBe(403);

    const f = await rm.post('/api/v1/freezes', { service: SERVICE, route: '/summarize', reason: 'incident INC-42', duration: '1h' });
    expect(f.status).toBe(201);
    expect(Date.parse(f.body.expiresAt) - Date.now()).toBeGreaterThan(3590_000);
    const gate = await admin.get(`/api/v1/gate?service=${SERVICE}&route=${encodeURIComponent('/summarize')}`);
    expect(gate.body.decision).toBe('freeze');
    expect(gate.body.reasons[0]).toMatch(/^freeze: manual on route \/summarize, incident INC-42, until .* UTC, set by the token named release-manager$/);
    const cliFreeze = await runCli(['gate', '--service', SERVICE, '--route', '/summarize', '--server', server.url, '--token', v.body.token]);
    expect(cliFreeze.code).toBe(1);

    const o = await rm.post('/api/v1/freezes', { kind: 'override', service: SERVICE, route: '/chat', reason: 'hotfix for INC-42', duration: '30m' });
    expect(o.status).toBe(201);
    const overridden = await admin.get(`/api/v1/gate?service=${SERVICE}&route=${encodeURIComponent('/chat')}`);
    expect(overridden.body.decision).toBe('ship');
    expect(overridden.body.reasons[0]).toMatch(/^ship: override on route \/chat, hotfix for INC-42, until .* UTC, set by the token named release-manager \(the policy says freeze: chat-availability\{route=\/chat\}: burn rate 10x over 5m is above 2x\)$/);
    expect(overridden.body.warnings).toEqual(['overridden: chat-availability{route=/chat}: burn rate 10x over 5m is above 2x']);
    expect((await runCli(['gate', '--service', SERVICE, '--route', '/chat', '--server', server.url, '--token', v.body.token])).code).toBe(0);

    // Revoke the freeze: /summarize ships again. The override stays (checked after a restart).
    expect((await rm.del(`/api/v1/freezes/${f.body.id}?reason=resolved`)).status).toBe(204);
    expect((await admin.get(`/api/v1/gate?service=${SERVICE}&route=${encodeURIComponent('/summarize')}`)).body.decision).toBe('ship');

    const audit = (await admin.get('/api/v1/audit')).body.items as any[];
    const actions = audit.map((a) => `${a.actor} ${a.action} ${a.target}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `release-manager freeze.create ${SERVICE}?route=/summarize`,
        `release-manager override.create ${SERVICE}?route=/chat`,
        `release-manager freeze.revoke ${SERVICE}?route=/summarize`,
        `admin token.create token/ci`,
        `admin slo.create ${SERVICE}/chat-availability`,
      ])
    );
    expect(audit.find((a) => a.action === 'freeze.create').detail).toEqual(expect.objectContaining({ reason: 'incident INC-42', route: '/summarize' }));
    expect(audit.find((a) => a.action === 'freeze.revoke').detail).toEqual({ id: f.body.id, reason: 'resolved' });
  });
});

describe('Prometheus stopped mid-test', () => {
  // Each call: upstreamTimeoutMs per attempt, 1 + upstreamRetries attempts, 200 ms backoff.
  const bound = () => config.upstreamTimeoutMs * (1 + config.upstreamRetries) + 200 + 1000;

  it('a frozen Prometheus (accepts, never answers): status and gate 503 naming Prometheus, within the timeout; the override on /chat still answers', async () => {
    prom.pause();
    try {
      // /summarize: its freeze was revoked above, so nothing but the SLOs can answer for it.
      for (const path of [`/api/v1/slos/${SERVICE}/chat-availability/status`, `/api/v1/gate?service=${SERVICE}&route=%2Fsummarize`]) {
        const r = await admin.get(path);
        expect(r.status).toBe(503);
        expect(r.body.error.message).toMatch(/^Prometheus is unavailable: .*did not answer within 1500 ms/);
        expect(r.headers.get('retry-after')).toBe('10');
        expect(r.ms).toBeLessThan(bound());
        measurements[`frozenPrometheus503_${path.endsWith('/status') ? 'status' : 'gate'}`] = Math.round(r.ms);
      }
      // A person's override needs no numbers (issue 15).
      const chat = await admin.get(`/api/v1/gate?service=${SERVICE}&route=%2Fchat`);
      expect(chat.status).toBe(200);
      expect(chat.body.decision).toBe('ship');
      expect(chat.body.reasons[0]).toMatch(/^ship: override on route \/chat, hotfix for INC-42, until .* UTC, set by the token named release-manager \(the policy says unknown: Prometheus is unavailable: .*\)$/);
      expect(chat.body.warnings[0]).toMatch(/^SLO states are unknown: Prometheus is unavailable/);
      expect(chat.ms).toBeLessThan(bound());
    } finally {
      prom.resume();
    }
    await waitFor('status answers again', async () => (await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/status`)).status === 200, 15000);
  });

  it('a stopped Prometheus: 503 fast; writes succeed and stay pending; after a restart they sync', async () => {
    await prom.stop();
    const status = await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/status`);
    expect(status.status).toBe(503);
    expect(status.body.error.message).toMatch(/^Prometheus is unavailable: http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED/);
    expect(status.ms).toBeLessThan(bound());
    const gate = await admin.get(`/api/v1/gate?service=${SERVICE}&route=%2Fsummarize`);
    expect(gate.status).toBe(503);
    expect(gate.body.error.message).toMatch(/Prometheus is unavailable/);
    measurements.stoppedPrometheus503_status = Math.round(status.ms);
    // The list still answers, with the reason instead of numbers.
    const list = await admin.get(`/api/v1/slos?service=${SERVICE}`);
    expect(list.status).toBe(200);
    expect(list.body.statusError).toMatch(/Prometheus is unavailable/);
    expect(list.body.items.every((i: any) => i.status === undefined)).toBe(true);

    // Writes: a create and an update.
    const created = await admin.post('/api/v1/slos', availabilitySlo({ name: 'chat-availability-strict', objective: 0.999 }));
    expect(created.status).toBe(201);
    const cur = await admin.get(`/api/v1/slos/${SERVICE}/chat-availability`);
    const updated = await admin.put(`/api/v1/slos/${SERVICE}/chat-availability`, availabilitySlo({ description: 'updated while Prometheus was down' }), { 'If-Match': cur.headers.get('etag')! });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    for (const name of ['chat-availability-strict', 'chat-availability']) {
      const s = await waitFor(`${name} pending with a reason`, async () => {
        const st = (await syncStates(name))[0];
        return st.state === 'pending' && st.reason !== 'waiting for delivery' ? st : undefined;
      });
      expect(s.reason).toMatch(/Prometheus cannot confirm them yet: .*ECONNREFUSED/);
    }
    // Written atomically to the directory even though Prometheus could not reload.
    expect(existsSync(join(rulesDir, `burnrate_${SERVICE}@chat-availability-strict.rules.yaml`))).toBe(true);
    expect(readdirSync(rulesDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const restarted = Date.now();
    await prom.start();
    const sync = await admin.post('/api/v1/sync');
    expect(sync.status).toBe(200);
    await waitInSync('chat-availability-strict', 15000);
    await waitInSync('chat-availability', 15000);
    measurements.prometheusRestartToInSync = Date.now() - restarted;
    const names = (await prom.ruleGroups()).map((g) => g.name);
    expect(names).toContain(`burnrate:${SERVICE}:chat-availability-strict`);
    // Same data dir: the numbers are still there and status answers again.
    const again = await waitFor('status after the restart', async () => {
      const r = await admin.get(`/api/v1/slos/${SERVICE}/chat-availability/status`);
      return r.status === 200 && r.body.groups.length === 2 ? r : undefined;
    }, 30000);
    expect(again.body.groups.find((x: any) => x.group.route === '/chat').currentBurnRate).toBeCloseTo(10, 4);
  });
});

describe('server restart', () => {
  it('SLOs, versions, tokens, freezes and audit are still there, and the rules still in sync', async () => {
    const before = {
      slos: (await admin.get('/api/v1/slos?status=false')).body.items.map((i: any) => [i.service, i.name, i.version, i.updatedBy]),
      tokens: (await admin.get('/api/v1/tokens')).body.items,
      freezes: (await admin.get('/api/v1/freezes')).body.items,
      audit: (await admin.get('/api/v1/audit?limit=1000')).body.items,
      files: readdirSync(rulesDir).sort().map((f) => [f, readFileSync(join(rulesDir, f), 'utf8')]),
    };
    expect(before.freezes.length).toBe(1);
    await server.close();
    server = await startServer(config, logs.log);
    admin = new Api(server.url, ADMIN);
    const viewer = admin.as(secrets[1]);
    expect((await viewer.get('/api/v1/slos?status=false')).body.items.map((i: any) => [i.service, i.name, i.version, i.updatedBy])).toEqual(before.slos);
    expect((await admin.get('/api/v1/tokens')).body.items).toEqual(before.tokens);
    expect((await viewer.get('/api/v1/freezes')).body.items).toEqual(before.freezes);
    expect((await admin.get('/api/v1/audit?limit=1000')).body.items).toEqual(before.audit);
    expect((await admin.get(`/api/v1/slos/${SERVICE}/chat-availability`)).headers.get('etag')).toBe('"2"');
    // The override still decides the gate.
    expect((await admin.get(`/api/v1/gate?service=${SERVICE}&route=%2Fchat`)).body.decision).toBe('ship');
    await waitFor('first reconcile after the restart', () => server.reconciler.lastRun, 10000, 50);
    for (const name of ['chat-availability', 'chat-ttft', 'chat-availability-strict']) {
      expect(await syncStates(name)).toEqual([expect.objectContaining({ target: 'prometheus', state: 'in-sync' })]);
    }
    expect(readdirSync(rulesDir).sort().map((f) => [f, readFileSync(join(rulesDir, f), 'utf8')])).toEqual(before.files);
  });

  it('delete via the API: the rule file is removed and Prometheus drops the groups', async () => {
    const r = await admin.del(`/api/v1/slos/${SERVICE}/chat-availability-strict`, { 'If-Match': '"1"' });
    expect(r.status).toBe(204);
    const file = join(rulesDir, `burnrate_${SERVICE}@chat-availability-strict.rules.yaml`);
    await waitFor('rule file removed', () => !existsSync(file), 10000, 50);
    await waitFor('groups gone from Prometheus', async () => !(await prom.ruleGroups()).some((g) => g.name.includes('chat-availability-strict')), 10000, 100);
    expect((await admin.get(`/api/v1/slos/${SERVICE}/chat-availability-strict`)).status).toBe(404);
    expect((await admin.get('/api/v1/audit?limit=1')).body.items[0]).toEqual(expect.objectContaining({ action: 'slo.delete', target: `${SERVICE}/chat-availability-strict` }));
    // Rules of an SLO deleted while the server was down are removed on the next start too.
    await server.close();
    const { openSqlite } = await import('../../src/server/storage/sqliteStore');
    const db = await openSqlite(config.dbPath);
    await db.run('DELETE FROM slos WHERE name = ?', ['chat-ttft']);
    await db.close();
    server = await startServer(config, logs.log);
    admin = new Api(server.url, ADMIN);
    await waitFor('chat-ttft file removed after restart', () => !existsSync(join(rulesDir, `burnrate_${SERVICE}@chat-ttft.rules.yaml`)), 10000, 50);
    await waitFor('chat-ttft groups gone', async () => !(await prom.ruleGroups()).some((g) => g.name.includes('chat-ttft')), 10000, 100);
    expect((await prom.ruleGroups()).map((g) => g.name).filter((n) => n.startsWith('burnrate:')).sort()).toEqual(
      ['', ':period', ':rollup'].map((s) => `burnrate:${SERVICE}:chat-availability${s}`)
    );
  });
});

describe('secrets', () => {
  it('no token appears in any log line, and the SQLite files hold none in plaintext', async () => {
    expect(logs.lines.length).toBeGreaterThan(20);
    for (const line of logs.lines) {
      for (const s of secrets) {
        expect(line).not.toContain(s);
      }
    }
    await sleep(10);
    const bytes = Buffer.concat([config.dbPath, `${config.dbPath}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    for (const s of secrets) {
      expect(bytes.includes(Buffer.from(s))).toBe(false);
    }
  });
});
