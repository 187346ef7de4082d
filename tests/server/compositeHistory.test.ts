// A composite SLO end to end on a real Prometheus that already holds 10 days of raw counters: three
// component SLOs and then the composite are created through the API; the server delivers their
// rules and fills their history (the composite's from its components' filled rollups), and status
// and `burnrate gate` give the composite's hand-computed ratio and its spent budget.
//
// Per hour, steady for 10 days (service support, 30-day windows):
//   available (weight 1)  1 bad of 100      fast (weight 2)  4 bad of 50      good (weight 1)  3 bad of 20
// Composite: (1 + 2*4 + 3) / (100 + 2*50 + 20) = 12/220 = 0.054545; objective 98.5%, budget 1.5%:
// burn 3.6364 over 10 of 30 days: budget left 1 - 3.6364/3 = -21.2%: spent, so it freezes (its
// burn-rate trigger is set out of reach: only the spent budget freezes it). The components do not
// freeze: burns 1, 1.6 and 1.5 (under the default 2x), budgets left 67%, 47%, 50%.
// Needs prometheus and promtool (Debian package `prometheus`): fails, never skips, without them.

import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { PrometheusProcess, requirePrometheus, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { buildNode, runCli } from '../support/serverProcess';
import { Api, captureLog, secret, serverConfig, tempDir } from './helpers';

jest.setTimeout(300_000);

const NOW = Math.floor(Date.now() / 1000);
const HOUR = 3600;
const DAY = 24 * HOUR;
const ADMIN = secret();
const FROM = NOW - 10 * DAY;

/** OpenMetrics counter lines, one sample a minute from FROM to NOW, at `perHour`. */
function counter(name: string, labels: string, perHour: number): string[] {
  const out: string[] = [];
  for (let t = FROM, v = 0; t <= NOW; t += 60, v += perHour / 60) {
    out.push(`${name}{${labels}} ${v.toFixed(6)} ${t}`);
  }
  return out;
}

const COMPONENTS = [
  { name: 'available', metric: 'answers', weight: 1, bad: 1, total: 100, objective: 0.99 },
  { name: 'fast', metric: 'timed_answers', weight: 2, bad: 4, total: 50, objective: 0.95 },
  { name: 'good', metric: 'judged_answers', weight: 1, bad: 3, total: 20, objective: 0.9 },
];

function history(): string {
  return [
    ...COMPONENTS.flatMap((c) => [
      `# TYPE ${c.metric} counter`,
      ...counter(`${c.metric}_total`, 'outcome="bad"', c.bad),
      ...counter(`${c.metric}_total`, 'outcome="ok"', c.total - c.bad),
    ]),
    '# EOF',
    '',
  ].join('\n');
}

let prom: PrometheusProcess;
let server: RunningServer;
let admin: Api;

beforeAll(async () => {
  requirePrometheus();
  buildNode();
  const rulesDir = tempDir('composite-history-rules');
  prom = await startPrometheus({ rulesDir, evaluationInterval: '1m', openMetrics: history(), remoteWriteReceiver: true, extraArgs: ['--storage.tsdb.retention.time=60d'] });
  server = await startServer(
    serverConfig({
      dbPath: join(tempDir('composite-history-db'), 'burnrate.db'),
      prometheusUrl: prom.url,
      prometheusRules: { mode: 'directory', dir: rulesDir },
      bootstrapAdminToken: ADMIN,
      upstreamTimeoutMs: 30_000,
    }),
    captureLog().log
  );
  admin = new Api(server.url, ADMIN);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await stopAllPrometheus();
});

async function filled(name: string): Promise<void> {
  const b = await waitFor(
    `support/${name} filled`,
    async () => {
      const s = (await admin.get(`/api/v1/slos/support/${name}`)).body.backfill;
      return s?.state === 'done' || s?.state === 'failed' ? s : undefined;
    },
    120_000,
    250
  );
  expect(b).toMatchObject({ state: 'done', periodHours: 720 });
}

async function served(name: string): Promise<any> {
  let g: any;
  await waitFor(
    `support/${name} serves a period budget`,
    async () => {
      const r = await admin.get(`/api/v1/slos/support/${name}/status`);
      g = r.status === 200 ? r.body.groups?.[0] : undefined;
      return g?.budgetRemaining !== undefined && g?.coverage !== undefined;
    },
    240_000,
    1000
  );
  return g;
}

test('a composite created after its components serves 12/220 over its 10 days of history, its budget spent, and freezes', async () => {
  for (const c of COMPONENTS) {
    const body = {
      service: 'support',
      name: c.name,
      objective: c.objective,
      sli: { ratio: { errors: `${c.metric}_total{outcome="bad"}`, total: `${c.metric}_total` } },
    };
    expect((await admin.post('/api/v1/slos', body)).status).toBe(201);
    await filled(c.name);
  }
  const composite = {
    service: 'support',
    name: 'journey',
    objective: 0.985,
    sli: { composite: { components: COMPONENTS.map((c) => ({ slo: c.name, weight: c.weight })) } },
    policy: { freeze: { burnRate: 1000 } },
  };
  expect((await admin.post('/api/v1/slos', composite)).status).toBe(201);
  await filled('journey');
  const g = await served('journey');

  const ratio = 12 / 220;
  // 10 days of raw data: 240 hourly slots, give or take the slot at the start of the data, and
  // the windows run on from the newest rollup to now (under an hour).
  expect(g.coverage * 720).toBeGreaterThanOrEqual(239);
  expect(g.coverage * 720).toBeLessThanOrEqual(241);
  expect(Math.abs(g.periodBurnRate / (ratio / 0.015) - 1)).toBeLessThan(0.01);
  expect(Math.abs(g.budgetRemaining - (1 - (ratio / 0.015) * g.coverage))).toBeLessThan(0.01);
  expect(g.budgetRemaining).toBeLessThan(-0.2);
  expect(g.state).toBe('freeze');

  // The composite's period ratio against Prometheus's own increase() over the raw counters.
  const [rollup] = await prom.query('timestamp(last_over_time(slo:sli_events:increase1h{slo="journey", slo_service="support"}[2h]))');
  const t = Number(rollup.value[1]);
  const weighted = (outcome: string) =>
    COMPONENTS.map((c) => `${c.weight} * sum(increase(${c.metric}_total${outcome}[30d]))`).join(' + ');
  const [exact] = await prom.query(`(${weighted('{outcome="bad"}')}) / (${weighted('')})`, t);
  expect(Math.abs(Number(exact.value[1]) / ratio - 1)).toBeLessThan(1e-3);
  expect(Math.abs(g.periodBurnRate * 0.015 - Number(exact.value[1])) / Number(exact.value[1])).toBeLessThan(0.01);

  for (const c of COMPONENTS) {
    expect((await served(c.name)).state).not.toBe('freeze');
  }
  const gate = await runCli(['gate', '--service', 'support', '--server', server.url, '--token', ADMIN]);
  expect(gate.code).toBe(1);
  expect(gate.stdout).toMatch(/FREEZE/);
  expect(gate.stdout).toMatch(/journey/);
});

test('imported together with its components, the composite is filled after them and serves the same budget', async () => {
  const slos = [
    ...COMPONENTS.map((c) => `  - name: ${c.name}\n    objective: ${c.objective}\n    sli: {ratio: {errors: '${c.metric}_total{outcome="bad"}', total: ${c.metric}_total}}\n`),
    `  - name: a-journey\n    objective: 0.985\n    policy: {freeze: {burnRate: 1000}}\n    sli:\n      composite:\n        components: [${COMPONENTS.map((c) => `{slo: ${c.name}, weight: ${c.weight}}`).join(', ')}]\n`,
  ];
  // The composite first in the file and by name (SLOs are delivered in name order): its fill must
  // still wait for its components'.
  const body = `version: burnrate/v1\nservice: imported\nslos:\n${slos[3]}${slos.slice(0, 3).join('')}`;
  const r = await admin.post('/api/v1/import?from=burnrate', body);
  expect(r.status).toBe(201);
  for (const name of ['available', 'fast', 'good', 'a-journey']) {
    const b = await waitFor(
      `imported/${name} filled`,
      async () => {
        const s = (await admin.get(`/api/v1/slos/imported/${name}`)).body.backfill;
        return s?.state === 'done' || s?.state === 'failed' ? s : undefined;
      },
      180_000,
      250
    );
    expect(b).toMatchObject({ state: 'done' });
  }
  let g: any;
  await waitFor(
    'imported/a-journey serves a period budget',
    async () => {
      const s = await admin.get('/api/v1/slos/imported/a-journey/status');
      g = s.status === 200 ? s.body.groups?.[0] : undefined;
      return g?.coverage !== undefined;
    },
    240_000,
    1000
  );
  expect(g.coverage * 720).toBeGreaterThanOrEqual(239);
  expect(Math.abs(g.periodBurnRate / (12 / 220 / 0.015) - 1)).toBeLessThan(0.01);
  expect(g.state).toBe('freeze');
});
