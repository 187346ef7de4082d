// History at creation against a real Prometheus: 10 days of raw counters (1,000 good events an
// hour, and a burst of 700 failures over 10 hours on day 2), then the new SLO's rollups are
// backfilled by remote write. The period windows read the whole 10 days at once, within 1% of
// the exact increase() over the raw counters, and a rerun writes nothing.
// Needs prometheus and promtool (Debian package `prometheus`): fails, never skips, without them.

import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { loadText } from '../../src/core/load';
import { renderRuleFile } from '../../src/core/rules/render';
import { sloRuleGroups } from '../../src/core/rules/ruleGroups';
import { Slo } from '../../src/core/spec/types';
import { backfillHistory } from '../../src/server/history/backfill';
import { Upstream } from '../../src/server/upstream';
import { PrometheusProcess, startPrometheus, stopAllPrometheus } from '../support/prometheusServer';

const NOW = Math.floor(Date.now() / 1000);
const DAYS = 10;

/** 1-minute samples of two counters: code 200 at 1,000/h throughout, code 500 at 70/h in hours 24..33. */
function history(): string {
  const lines: string[] = [];
  const start = NOW - DAYS * 86400;
  let ok = 0;
  let bad = 0;
  const okLines: string[] = [];
  const badLines: string[] = [];
  for (let t = start; t <= NOW; t += 60) {
    const hour = Math.floor((t - start) / 3600);
    okLines.push(`req_total{code="200"} ${ok} ${t}`);
    badLines.push(`req_total{code="500"} ${bad} ${t}`);
    ok += 1000 / 60;
    if (hour >= 24 && hour < 34) {
      bad += 70 / 60;
    }
  }
  lines.push('# TYPE req_total counter', ...okLines, ...badLines, '# EOF', '');
  return lines.join('\n');
}

let dir: string;
let prom: PrometheusProcess;
let slo: Slo;
let ruleFile: string;
let upstream: Upstream;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-history-'));
  const doc = {
    version: 'burnrate/v1',
    service: 'gw',
    slos: [{ name: 'chat', objective: 0.99, window: '30d', sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } } }],
  };
  const loaded = loadText(stringify(doc), 'gw.yaml');
  expect(loaded.diagnostics).toEqual([]);
  slo = loaded.slos[0];
  ruleFile = join(dir, 'gw.yaml');
  writeFileSync(ruleFile, renderRuleFile(sloRuleGroups(slo).prometheus));
  prom = await startPrometheus({ rulesDir: dir, evaluationInterval: '1m', openMetrics: history(), remoteWriteReceiver: true });
  upstream = new Upstream({ allowedOrigins: [prom.url], timeoutMs: 30000, retries: 0 });
}, 120000);

afterAll(async () => {
  await stopAllPrometheus();
  rmSync(dir, { recursive: true, force: true });
});

const value = async (q: string) => {
  const r = await prom.query(q);
  expect(r).toHaveLength(1);
  return Number(r[0].value[1]);
};

test('the backfilled rollups give the 10 days budget at once; a rerun writes nothing', async () => {
  const first = await backfillHistory({ upstream, prometheusUrl: prom.url, slo, ruleFile, nowS: NOW });
  expect(first).toMatchObject({ state: 'done', periodHours: 720 });
  // 10 days of raw data: 240 slots, give or take the hour at each end.
  expect(first.coveredHours).toBeGreaterThanOrEqual(239);
  expect(first.coveredHours).toBeLessThanOrEqual(240);

  const sel = '{slo="chat", slo_service="gw"}';
  const exact = await value(`sum(increase(req_total{code="500"}[${DAYS}d])) / sum(increase(req_total[${DAYS}d]))`);
  expect(exact).toBeCloseTo(700 / 240700, 5);
  const served = await value(`last_over_time(slo:sli_error_events:increase30d_hourly${sel}[90m]) / last_over_time(slo:sli_events:increase30d_hourly${sel}[90m])`);
  expect(Math.abs(served / exact - 1)).toBeLessThan(0.01);
  // The period group's coverage rule, evaluated now: 10 of 30 days.
  expect(await value(`clamp_max(last_over_time(slo:sli_covered_hours:count_period_hourly${sel}[90m]) / 720, 1)`)).toBeCloseTo(first.coveredHours! / 720, 6);

  const again = await backfillHistory({ upstream, prometheusUrl: prom.url, slo, ruleFile, nowS: NOW });
  expect(again).toMatchObject({ state: 'done', written: 0, coveredHours: first.coveredHours });
  expect(await value(`count_over_time(slo:sli_events:increase1h${sel}[${DAYS + 1}d])`)).toBe(first.coveredHours);
}, 120000);

test('without the remote-write receiver: unsupported, and the reason names the flag', async () => {
  const plain = await startPrometheus({ rulesDir: dir, evaluationInterval: '1m', openMetrics: history() });
  const r = await backfillHistory({
    upstream: new Upstream({ allowedOrigins: [plain.url], timeoutMs: 30000, retries: 0 }),
    prometheusUrl: plain.url,
    slo,
    ruleFile,
    nowS: NOW,
  });
  expect(r.state).toBe('unsupported');
  expect(r.reason).toMatch(/--web.enable-remote-write-receiver/);
  await plain.stop();
}, 120000);
