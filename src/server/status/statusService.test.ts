// How many queries status, gate and list cost Prometheus, and that a cached answer is the same
// answer. A small HTTP endpoint records the queries and answers with fixed contract samples; the
// numbers behind those samples are checked against a real Prometheus in tests/server.

import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { validateSloObject } from '../../core/spec/sloObject';
import { ServerMetrics } from '../metrics';
import { StoredSlo } from '../sloStore';
import { Upstream } from '../upstream';
import { PrometheusClient } from './prometheusClient';
import { StatusService, StatusUnavailable } from './statusService';

function stored(service: string, name: string): StoredSlo {
  const spec = {
    service,
    name,
    objective: 0.99,
    window: '30d',
    groupBy: ['route'],
    sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } },
  };
  const r = validateSloObject(spec);
  if (!r.slo) {
    throw new Error(JSON.stringify(r.diagnostics));
  }
  return { service, name, version: 1, source: 'api', spec, slo: r.slo, createdAt: 0, updatedAt: 0, updatedBy: 'test' };
}

/** Contract samples for route /chat of one SLO: 20% of the budget left, burning 0.8x. */
function samples(service: string, slo: string) {
  const m = (name: string, value: number) => ({ metric: { __name__: name, slo, slo_service: service, route: '/chat' }, value: [0, String(value)] });
  return [
    m('slo:period_error_budget_remaining:ratio', 0.2),
    m('slo:period_burn_rate:ratio', 0.8),
    m('slo:sli_error:ratio_rate30d', 0.008),
    m('slo:release_freeze:bool', 0),
    m('slo:release_caution:bool', 0),
  ];
}

let server: Server;
let url: string;
const queries: string[] = [];
let failing = false;
let alertsFailing = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const q = new URLSearchParams(body).get('query') ?? '';
      queries.push(q);
      if (failing || (alertsFailing && q.startsWith('ALERTS'))) {
        res.writeHead(503).end('overloaded');
        return;
      }
      const services = q.startsWith('ALERTS') ? [] : ['svc-a', 'svc-b', 'svc-c'].filter((s) => q.includes(s));
      const result = services.flatMap((s) => [...samples(s, 'one'), ...samples(s, 'two')]);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  queries.length = 0;
  failing = false;
});

/** Lets background refreshes (HTTP round trips to the stand-in) finish. */
const settle = () => new Promise((r) => setTimeout(r, 100));

function service(cacheMs: number, clock: { now: number }): StatusService {
  const client = new PrometheusClient(url, new Upstream({ allowedOrigins: [url], timeoutMs: 2000, retries: 0 }));
  return new StatusService(client, new ServerMetrics(), cacheMs, () => clock.now);
}

test('status, gate and list of one service share one query per cache period', async () => {
  const clock = { now: 1_000_000 };
  const s = service(5000, clock);
  const one = stored('svc-a', 'one');
  const two = stored('svc-a', 'two');

  const first = await s.sloStatus(one);
  expect(first.groups).toHaveLength(1);
  expect(first.groups[0].budgetRemaining).toBe(0.2);
  expect(first.state).toBe('ship');
  await s.sloStatus(two);
  const gate = await s.gate('svc-a', '/chat', [one, two], []);
  expect(gate.decision).toBe('ship');
  await s.summaries([one, two]);
  // One contract-series query and one ALERTS query for the service, whatever was asked.
  expect(queries.filter((q) => !q.startsWith('ALERTS'))).toHaveLength(1);
  expect(queries.filter((q) => q.startsWith('ALERTS'))).toHaveLength(1);

  // The same statuses are served while cached: nothing is recomputed (each answer adds only the
  // release state, which depends on the manual actions and the clock, to the cached groups).
  expect((await s.sloStatus(one)).groups[0].windows).toBe(first.groups[0].windows);

  // Older than the cache period: served at once, and refreshed in the background.
  clock.now += 5000;
  const stale = await s.sloStatus(one);
  expect(stale.groups[0].windows).toBe(first.groups[0].windows);
  expect(stale.evaluatedAt).toBe(first.evaluatedAt);
  await settle();
  expect(queries).toHaveLength(4);
  const refreshed = await s.sloStatus(one);
  expect(refreshed.groups[0].windows).not.toBe(first.groups[0].windows);
  expect(refreshed.groups).toEqual(first.groups);
  expect(refreshed.evaluatedAt - first.evaluatedAt).toBe(5000);
  expect(queries).toHaveLength(4);
});

test('an answer older than twice the cache period is not served: the request waits for Prometheus', async () => {
  const clock = { now: 0 };
  const s = service(5000, clock);
  const one = stored('svc-a', 'one');
  const first = await s.sloStatus(one);
  clock.now += 10_000;
  failing = true;
  await expect(s.sloStatus(one)).rejects.toThrow(/Prometheus is unavailable/);
  await settle(); // the ALERTS query of the failed request, still in flight
  failing = false;
  expect((await s.sloStatus(one)).evaluatedAt - first.evaluatedAt).toBe(10_000);
});

test('a failed background refresh keeps the recent answer until it is too old', async () => {
  const clock = { now: 0 };
  const s = service(5000, clock);
  const one = stored('svc-a', 'one');
  const first = await s.sloStatus(one);
  failing = true;
  clock.now += 6000;
  expect((await s.sloStatus(one)).groups[0].windows).toBe(first.groups[0].windows);
  await settle();
  clock.now += 1000;
  expect((await s.sloStatus(one)).groups[0].windows).toBe(first.groups[0].windows);
  await settle();
  clock.now += 3000;
  await expect(s.sloStatus(one)).rejects.toThrow(StatusUnavailable);
});

test('a list page asks once for the services not cached, and caches them one by one', async () => {
  const clock = { now: 0 };
  const s = service(5000, clock);
  await s.sloStatus(stored('svc-a', 'one'));
  queries.length = 0;
  const page = [stored('svc-a', 'one'), stored('svc-b', 'one'), stored('svc-b', 'two'), stored('svc-c', 'two')];
  const sums = await s.summaries(page);
  expect([...sums.keys()]).toEqual(['svc-a/one', 'svc-b/one', 'svc-b/two', 'svc-c/two']);
  expect(sums.get('svc-c/two')![0].budgetRemaining).toBe(0.2);
  expect(queries).toHaveLength(1);
  expect(queries[0]).toContain('slo_service=~"svc-b|svc-c"');
  await s.gate('svc-c', undefined, [stored('svc-c', 'two')], []);
  expect(queries).toHaveLength(1);
});

test('a failed query is not cached: the next request asks again', async () => {
  const clock = { now: 0 };
  const s = service(5000, clock);
  failing = true;
  await expect(s.sloStatus(stored('svc-a', 'one'))).rejects.toThrow(StatusUnavailable);
  await expect(s.gate('svc-a', undefined, [stored('svc-a', 'one')], [])).rejects.toThrow(/Prometheus is unavailable: .*503/);
  await settle();
  failing = false;
  expect((await s.sloStatus(stored('svc-a', 'one'))).state).toBe('ship');
  expect(queries.filter((q) => !q.startsWith('ALERTS'))).toHaveLength(3);
});

test('without a cache every request queries Prometheus', async () => {
  const s = service(0, { now: 0 });
  await s.sloStatus(stored('svc-a', 'one'));
  await s.sloStatus(stored('svc-a', 'one'));
  expect(queries.filter((q) => !q.startsWith('ALERTS'))).toHaveLength(2);
});

test('without a cache, requests that arrive while a query is in flight share it', async () => {
  const s = service(0, { now: 0 });
  const slo = stored('svc-a', 'one');
  const answers = await Promise.all([s.sloStatus(slo), s.sloStatus(slo), s.gate('svc-a', undefined, [slo], [])]);
  expect(answers[0].groups[0].windows).toBe(answers[1].groups[0].windows);
  expect(queries.filter((q) => !q.startsWith('ALERTS'))).toHaveLength(1);
  await s.sloStatus(slo);
  expect(queries.filter((q) => !q.startsWith('ALERTS'))).toHaveLength(2);
});

test('alerts that cannot be read are unknown, not none: the budget and the release state still answer', async () => {
  const s = service(0, { now: 0 });
  alertsFailing = true;
  try {
    const st = await s.sloStatus(stored('svc-c', 'one'));
    expect(st.alerts).toBeUndefined();
    expect(st.alertsError).toMatch(/^firing alerts are unknown: Prometheus is unavailable: .*503/);
    expect(st.groups[0].budgetRemaining).toBe(0.2);
    expect(st.release).toEqual({ state: 'ship', source: 'policy', policy: 'ship', reason: 'ship: within policy' });
  } finally {
    alertsFailing = false;
  }
  expect((await s.sloStatus(stored('svc-c', 'one'))).alerts).toEqual([]);
});
