// History at creation, end to end: a real Prometheus already holds weeks of raw counters; SLOs
// are created through the API; the server delivers their rules, backfills their hourly rollups
// from that history by remote write, and status and `burnrate gate` give the budget of the whole
// period, not of the minutes since creation.
//
// Two services, hand-checkable:
//   billing/requests: the budgeting example every SRE knows. 99% over 30 days; Prometheus holds
//     10 days: 100,000 requests per 30 days (138.89 an hour), 700 failures spread over those 10
//     days. Budget for the whole period at that traffic: 1,000 failures; 700 spent, 30% left,
//     burn 2.1x (0.021 / 0.01), coverage 10 of 30 days (Prometheus holds no more), freeze (> 2x).
//   chat/answers: 98% over 30 days; Prometheus holds 35 days: 990 ok + 10 failed an hour
//     throughout, plus 3,000 failures in one hour 15 days ago (inside the period) and 5,000 in one
//     hour 33 days ago (outside it). Period: 723,000 requests, 10,200 failed: ratio 0.014108,
//     burn 0.7054, 29.46% of the budget left, 30 of 30 days. (Counting only since creation would
//     say 50% left; counting 35 days, 8.8%.)
// Needs prometheus and promtool (Debian package `prometheus`): fails, never skips, without them.

import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { PrometheusProcess, requirePrometheus, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { buildNode, runCli } from '../support/serverProcess';
import { Api, captureLog, CapturedLog, secret, serverConfig, tempDir } from './helpers';

jest.setTimeout(300_000);

const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;
const DAY = 24 * HOUR;
const ADMIN = secret();

/** OpenMetrics counter lines, one sample every `step` seconds from `from` to NOW, of per-hour rates. */
function counter(name: string, labels: string, from: number, step: number, perHour: (t: number) => number): string[] {
  const out: string[] = [];
  let v = 0;
  for (let t = from; t <= NOW; t += step) {
    out.push(`${name}{${labels}} ${v.toFixed(6)} ${t}`);
    v += (perHour(t) * step) / HOUR;
  }
  return out;
}

function history(): string {
  const billingFrom = NOW - 10 * DAY;
  const perHour = 100_000 / (30 * 24);
  const badPerHour = 700 / (10 * 24);
  const chatFrom = NOW - 35 * DAY;
  const burst = (t: number, daysAgo: number, n: number) => (t >= NOW - daysAgo * DAY && t < NOW - daysAgo * DAY + HOUR ? n : 0);
  return [
    '# TYPE billing_requests counter',
    ...counter('billing_requests_total', 'outcome="success"', billingFrom, 60, () => perHour - badPerHour),
    ...counter('billing_requests_total', 'outcome="failure"', billingFrom, 60, () => badPerHour),
    '# TYPE chat_answers counter',
    ...counter('chat_answers_total', 'code="200"', chatFrom, 120, () => 990),
    ...counter('chat_answers_total', 'code="500"', chatFrom, 120, (t) => 10 + burst(t, 15, 3000) + burst(t, 33, 5000)),
    '# EOF',
    '',
  ].join('\n');
}

let prom: PrometheusProcess;
let server: RunningServer;
let admin: Api;
let logs: CapturedLog;
let chatCreated: number;

beforeAll(async () => {
  requirePrometheus();
  buildNode();
  const rulesDir = tempDir('history-rules');
  prom = await startPrometheus({
    rulesDir,
    evaluationInterval: '1m',
    openMetrics: history(),
    remoteWriteReceiver: true,
    extraArgs: ['--storage.tsdb.retention.time=60d'],
  });
  server = await startServer(
    serverConfig({
      dbPath: join(tempDir('history-db'), 'burnrate.db'),
      prometheusUrl: prom.url,
      prometheusRules: { mode: 'directory', dir: rulesDir },
      bootstrapAdminToken: ADMIN,
      upstreamTimeoutMs: 30_000,
    }),
    (logs = captureLog()).log
  );
  admin = new Api(server.url, ADMIN);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await stopAllPrometheus();
});

const slo = (service: string, name: string, objective: number, metric: string, bad: string) => ({
  service,
  name,
  objective,
  window: '30d',
  sli: { ratio: { errors: `${metric}{${bad}}`, total: metric } },
});

/** The group status once the period budget is served, and how long that took from `since`. */
async function servedBudget(service: string, name: string, since: number): Promise<{ g: any; seconds: number }> {
  let g: any;
  try {
    await waitFor(
      `${service}/${name} serves a period budget`,
      async () => {
        const r = await admin.get(`/api/v1/slos/${service}/${name}/status`);
        g = r.status === 200 ? r.body.groups?.[0] : undefined;
        return g?.budgetRemaining !== undefined && g?.coverage !== undefined;
      },
      240_000,
      1000
    );
  } catch (e) {
    // Say where it stopped: the fill's state, the last status and what the server logged about it.
    const item = await admin.get(`/api/v1/slos/${service}/${name}`);
    const logged = logs.lines.filter((l) => l.includes(`${service}/${name}`) || /backfill|history/.test(l)).slice(-10);
    throw new Error(`${(e as Error).message}\nbackfill: ${JSON.stringify(item.body.backfill)}\nsync: ${JSON.stringify(item.body.sync)}\nstatus group: ${JSON.stringify(g)}\nlog:\n${logged.join('\n')}`);
  }
  return { g, seconds: (Date.now() - since) / 1000 };
}

test('a new SLO over 10 days of history reads 700 of 1,000 failures, 30% left, burn 2.1x, freeze', async () => {
  const created = Date.now();
  const r = await admin.post('/api/v1/slos', slo('billing', 'requests', 0.99, 'billing_requests_total', 'outcome="failure"'));
  expect(r.status).toBe(201);
  // The next SLO comes right after this one's fill, while the server's listing of Prometheus's
  // groups is fresh but does not hold the new SLO's groups yet (the next test checks it).
  await waitFor('billing/requests filled', async () => (await admin.get('/api/v1/slos/billing/requests')).body.backfill?.state === 'done', 120_000, 200);
  chatCreated = Date.now();
  expect((await admin.post('/api/v1/slos', slo('chat', 'answers', 0.98, 'chat_answers_total', 'code="500"'))).status).toBe(201);
  // Its fill runs once its rules are loaded, and does not fail on the listing made for this one.
  const fill = await waitFor(
    'chat/answers filled',
    async () => {
      const b = (await admin.get('/api/v1/slos/chat/answers')).body.backfill;
      return b?.state === 'done' || b?.state === 'failed' ? b : undefined;
    },
    120_000,
    200
  );
  expect(fill).toMatchObject({ state: 'done', periodHours: 720 });
  const { g, seconds } = await servedBudget('billing', 'requests', created);
  console.log(`billing/requests: full budget served ${seconds.toFixed(0)} s after create`);

  // 10 days of raw data: 240 hourly slots, give or take the slot at the start of the data, and
  // the windows run on from the newest rollup to now (under an hour).
  expect(g.coverage * 720).toBeGreaterThanOrEqual(239);
  expect(g.coverage * 720).toBeLessThanOrEqual(241);
  expect(g.periodBurnRate).toBeCloseTo(2.1, 1);
  expect(Math.abs(g.budgetRemaining - 0.3)).toBeLessThan(0.01);
  expect(Math.abs(g.budgetEvents - 1000)).toBeLessThan(10);
  expect(Math.abs(g.spentEvents - 700)).toBeLessThan(7);

  const item = await admin.get('/api/v1/slos/billing/requests');
  expect(item.body.backfill).toMatchObject({ state: 'done', periodHours: 720 });
  // The hours filled; the served coverage adds the time since the newest rollup (under an hour).
  expect(item.body.backfill.coveredHours).toBe(Math.floor(g.coverage * 720));

  // The short windows' 5m rates are filled over the last 6h too, at the main group's 1m instants
  // (the live rule would hold a handful of samples by now): 360 of them, give or take the ends.
  const n = await prom.query('count_over_time(slo:sli_events:rate5m{slo="requests", slo_service="billing"}[6h])');
  expect(Number(n[0].value[1])).toBeGreaterThanOrEqual(355);
  // The 6h ratio is a rule of its own over those rates: it holds the filled past from its first
  // evaluation after the fill on, which on a loaded machine can come after the budget is served.
  const burn6h = await waitFor(
    'the 6h burn rate over the filled rates',
    async () => {
      const st = await admin.get('/api/v1/slos/billing/requests/status');
      return st.body.groups?.[0]?.windows?.find((w: any) => w.window === '6h')?.burnRate as number | undefined;
    },
    120_000,
    1000
  );
  expect(burn6h).toBeCloseTo(2.1, 1);

  const gate = await runCli(['gate', '--service', 'billing', '--server', server.url, '--token', ADMIN]);
  expect(gate.code).toBe(1);
  expect(gate.stdout).toMatch(/FREEZE/);
  // 30% at day 10; the budget runs on to now, so a little less (29.8% half an hour later).
  expect(gate.stdout).toMatch(/(29\.[5-9]\d*|30(\.[0-4]\d*)?)% left: (69\d|70\d) of (99\d|1,00\d) failures spent over 10 of 30 days; burn 2\.1x/);
});

test('a new SLO over 35 days of history, created just after another, counts exactly the 30 days of its period', async () => {
  const { g, seconds } = await servedBudget('chat', 'answers', chatCreated);
  console.log(`chat/answers: full budget served ${seconds.toFixed(0)} s after create`);

  const exactRatio = 10_200 / 723_000;
  expect(g.coverage).toBe(1);
  expect(Math.abs(g.periodBurnRate / (exactRatio / 0.02) - 1)).toBeLessThan(0.01);
  expect(Math.abs(g.budgetRemaining - (1 - exactRatio / 0.02))).toBeLessThan(0.01);

  // The served figure against Prometheus's own increase() over the raw counters, at the latest rollup.
  const sel = '{slo="answers", slo_service="chat"}';
  const [rollup] = await prom.query(`timestamp(last_over_time(slo:sli_events:increase1h${sel}[2h]))`);
  const t = Number(rollup.value[1]);
  const [exact] = await prom.query(`sum(increase(chat_answers_total{code="500"}[30d])) / sum(increase(chat_answers_total[30d]))`, t);
  expect(Math.abs(g.periodBurnRate * 0.02 - Number(exact.value[1])) / Number(exact.value[1])).toBeLessThan(0.01);
});
