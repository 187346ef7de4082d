// Load: status and gate at concurrency 64 with 1,000 SLOs stored, against a real Prometheus
// (Debian package, 2.42), once with the default status cache (statusCacheMs 5000) and once with
// statusCacheMs 0 (every request queries Prometheus). Default: 10 s per phase; RELIABILITY_FULL=1
// (see run-full.js): 60 s. Nothing is asserted about time: no 5xx, no error, every answer 200;
// p50/p90/p99/max and requests per second are printed for docs/reliability.md.
// The SLOs' rules are not delivered (mode none, as in tests/server/latency.test.ts: 4,000 groups
// would saturate this 2-core Prometheus): each status/gate request runs its real PromQL queries
// against Prometheus, which finds no series and answers quickly, so the figures are the server's cost.

import { join } from 'path';
import { validateSloText } from '../../src/core/spec/sloObject';
import { RunningServer, startServer } from '../../src/server/app';
import { PrometheusProcess, runningPrometheusPids, startPrometheus, stopAllPrometheus } from '../support/prometheusServer';
import { Api, availabilitySlo, captureLog, percentile, secret, serverConfig, tempDir } from '../server/helpers';
import { Tally } from './support';

const FULL = process.env.RELIABILITY_FULL === '1';
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? (FULL ? 60 : 10));
const CONCURRENCY = 64;
const N = 1000;
const SERVICES = 100;
jest.setTimeout((SECONDS * 2 + 120) * 1000);

const ADMIN = secret();
const tally = new Tally(`Load: status and gate, concurrency ${CONCURRENCY}, ${N} SLOs, ${SECONDS} s per phase (load.test.ts)`);
const lines: string[] = [];
let prom: PrometheusProcess;
let dbPath: string;

beforeAll(async () => {
  prom = await startPrometheus({ rulesDir: tempDir('load-rules') });
  dbPath = join(tempDir('load-db'), 'burnrate.db');
  const server = await startServer(serverConfig({ dbPath, bootstrapAdminToken: ADMIN, logLevel: 'warn' }), captureLog().log);
  await server.store.transaction(async () => {
    for (let i = 0; i < N; i++) {
      const s = availabilitySlo({
        service: `svc-${String(i % SERVICES).padStart(3, '0')}`,
        name: `slo-${String(i).padStart(4, '0')}`,
        sli: { ratio: { errors: `load_requests_total{code="500", n="${i}"}`, total: `load_requests_total{n="${i}"}` } },
      });
      const v = validateSloText(JSON.stringify(s));
      await server.store.create(v.spec!, v.slo!, 'load');
    }
  });
  await server.close();
}, 120_000);

afterAll(async () => {
  await stopAllPrometheus();
  expect(runningPrometheusPids()).toEqual([]);
  tally.print(lines);
});

async function phase(label: string, statusCacheMs: number): Promise<void> {
  const log = captureLog();
  const server: RunningServer = await startServer(
    serverConfig({ dbPath, prometheusUrl: prom.url, statusCacheMs, upstreamTimeoutMs: 10_000, logLevel: 'warn', reconcileIntervalMs: 600_000 }),
    log.log
  );
  const api = new Api(server.url, ADMIN);
  const ms: number[] = [];
  const codes = new Map<string, number>();
  let errors = 0;
  let i = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const k = i++;
      const n = (k * 7919 + w) % N;
      const svc = `svc-${String(n % SERVICES).padStart(3, '0')}`;
      const path = k % 2 === 0 ? `/api/v1/slos/${svc}/slo-${String(n).padStart(4, '0')}/status` : `/api/v1/gate?service=${svc}&route=%2Fchat`;
      try {
        const r = await api.get(path);
        ms.push(r.ms);
        const key = `${k % 2 === 0 ? 'status' : 'gate'} ${r.status}`;
        codes.set(key, (codes.get(key) ?? 0) + 1);
      } catch (e) {
        errors++;
        codes.set(`error ${(e as Error).message}`, (codes.get(`error ${(e as Error).message}`) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  await server.close();
  const f = (p: number) => percentile(ms, p).toFixed(1);
  lines.push(
    `- ${label}: ${ms.length} requests in ${elapsed.toFixed(1)} s = ${(ms.length / elapsed).toFixed(0)} req/s; latency p50 ${f(50)} ms, p90 ${f(90)} ms, p99 ${f(99)} ms, max ${Math.max(...ms).toFixed(1)} ms; answers ${JSON.stringify(Object.fromEntries(codes))}`
  );
  tally.add('requests', ms.length + errors);
  expect(errors).toBe(0);
  expect([...codes.keys()].filter((k) => !k.endsWith(' 200'))).toEqual([]);
  expect(log.lines.filter((l) => /"level":"error"/.test(l))).toEqual([]);
}

it(`default status cache (5000 ms): ${SECONDS} s at concurrency ${CONCURRENCY}, no error`, async () => {
  await phase('statusCacheMs 5000 (default)', 5000);
});

it(`no status cache (statusCacheMs 0): ${SECONDS} s at concurrency ${CONCURRENCY}, no error`, async () => {
  await phase('statusCacheMs 0 (every request queries Prometheus)', 0);
});
