// Every query of the shipped dashboards, run against a real Prometheus (Debian package, 2.42)
// that evaluates the rules `burnrate generate` makes from examples/llm-gateway.yaml, over
// synthetic traffic served by a small exporter in this test (two routes, two models; /chat
// fails half its requests, so it burns, freezes and pages).
//
// To get every series within seconds, each rule group runs every 2s instead of its own interval
// (the hourly rollups too): absolute event counts over long windows are then inflated, ratios
// are not (numerator and denominator are summed over the same samples). This checks the queries'
// shape: they parse in Prometheus, return data where they should, never NaN or Inf, and the
// table queries of one panel return the same label sets so their rows merge.
// The Loki SLI's per-minute counts (which Loki's ruler would remote-write) are served directly.

import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo, createServer as createNetServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { main } from '../../src/cli/main';
import { allPanels, Dashboard, queries, ROOT, shippedDashboards, substitute } from './dashboardQueries';

jest.setTimeout(180_000);

const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus';
const EXAMPLE = join(ROOT, 'examples', 'llm-gateway.yaml');
// Tokens per second, total response time, hard checks and implicit feedback, for the same service.
const SIGNALS = join(ROOT, 'tests', 'fixtures', 'llm-gateway-signals.yaml');
const ROUTES = ['/chat', '/summarize'];
const MODELS = ['gpt-4o', 'llama-3'];
const SLOS = [
  'chat-availability',
  'chat-ttft',
  'chat-ttft-p95-slices',
  'answer-quality',
  'cost-per-request',
  'judge-verdicts-loki',
  'chat-tokens-per-second',
  'batch-response-time',
  'answer-hard-checks',
  'answer-implicit-feedback',
];

// ------------------------------------------------------------------ synthetic exporter

function exposition(elapsed: number): string {
  const lines: string[] = [];
  const counter = (name: string, labels: Record<string, string>, perSecond: number) => {
    const l = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    lines.push(`${name}{${l}} ${(perSecond * elapsed).toFixed(6)}`);
  };
  for (const route of ROUTES) {
    const bad = route === '/chat' ? 0.5 : 0.001;
    const op = { gen_ai_operation_name: 'chat', route };
    counter('gen_ai_client_operation_duration_seconds_count', { ...op, error_type: '' }, 10 * (1 - bad) - 0.2);
    counter('gen_ai_client_operation_duration_seconds_count', { ...op, error_type: 'server_error' }, 10 * bad);
    counter('gen_ai_client_operation_duration_seconds_count', { ...op, error_type: 'provider_error' }, 0.2);
    const ok = 10 * (1 - bad) - 0.2;
    counter('gen_ai_client_operation_duration_seconds_bucket', { ...op, error_type: '', le: '10.24' }, ok * 0.99);
    counter('gen_ai_client_operation_duration_seconds_bucket', { ...op, error_type: '', le: '+Inf' }, ok);
    for (const model of MODELS) {
      const slow = route === '/chat' && model === 'llama-3' ? 0.3 : 0.002;
      const labels = { ...op, gen_ai_request_model: model };
      const buckets: Array<[string, number]> = [
        ['0.5', 5 * (1 - slow) * 0.5],
        ['1', 5 * (1 - slow)],
        ['2.5', 5 * (1 - slow / 2)],
        ['5', 5],
        ['+Inf', 5],
      ];
      for (const [le, rate] of buckets) {
        counter('gen_ai_server_time_to_first_token_seconds_bucket', { ...labels, le }, rate);
      }
      counter('gen_ai_server_time_to_first_token_seconds_count', labels, 5);
      counter('gen_ai_server_time_per_output_token_seconds_bucket', { ...labels, le: '0.05' }, 5 * (1 - slow));
      counter('gen_ai_server_time_per_output_token_seconds_bucket', { ...labels, le: '+Inf' }, 5);
      counter('gen_ai_server_time_per_output_token_seconds_count', labels, 5);
    }
    counter('llm_judge_verdicts_total', { route, verdict: 'pass' }, route === '/chat' ? 0.6 : 0.95);
    counter('llm_judge_verdicts_total', { route, verdict: 'fail' }, route === '/chat' ? 0.4 : 0.05);
    counter('llm_feedback_total', { route, thumb: 'up' }, 0.8);
    counter('llm_feedback_total', { route, thumb: 'down' }, 0.2);
    counter('llm_judge_human_agreement_total', { route, agree: 'true' }, 0.09);
    counter('llm_judge_human_agreement_total', { route, agree: 'false' }, 0.01);
    counter('llm_cost_usd_total', { route }, route === '/chat' ? 0.02 : 0.005);
    counter('llm_hard_checks_total', { route, check: 'valid_json', result: 'pass' }, route === '/chat' ? 0.9 : 0.99);
    counter('llm_hard_checks_total', { route, check: 'valid_json', result: 'fail' }, route === '/chat' ? 0.1 : 0.01);
    counter('llm_response_outcomes_total', { route, outcome: 'accepted' }, 0.7);
    counter('llm_response_outcomes_total', { route, outcome: 'retried' }, route === '/chat' ? 0.3 : 0.05);
    // What Loki's ruler would remote-write for the Loki SLI: events per minute.
    const loki = { slo: 'judge-verdicts-loki', slo_service: 'llm-gateway', team: 'genai', route };
    lines.push(
      `slo:sli_events:increase1m{${Object.entries(loki)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}} 60`
    );
    lines.push(
      `slo:sli_error_events:increase1m{${Object.entries(loki)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}} ${route === '/chat' ? 30 : 1}`
    );
  }
  // What the Burnrate server exports on /metrics (served here too): a freeze of route /summarize
  // in force (expiry in 2100), and an expired freeze of /chat, which counts nowhere.
  lines.push('burnrate_manual_action_expiry_timestamp_seconds{slo_service="llm-gateway",route="/summarize",kind="freeze",reason="deploy window",created_by="on-call",action_id="1"} 4102444800');
  lines.push('burnrate_manual_action_expiry_timestamp_seconds{slo_service="llm-gateway",route="/chat",kind="freeze",reason="old incident",created_by="on-call",action_id="2"} 1000');
  lines.push('burnrate_manual_actions 1');
  return lines.join('\n') + '\n';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------------ Prometheus

let exporter: Server;
let prometheus: ChildProcess | undefined;
let promOutput = '';
let url = '';

async function api(path: string, params: Record<string, string>): Promise<any> {
  const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
  const body = await res.json();
  if (body.status !== 'success') {
    throw new Error(`${path} ${JSON.stringify(params)}: ${body.error}`);
  }
  return body.data;
}

async function instant(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  return (await api('/api/v1/query', { query: expr })).result;
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds = 90): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      if (await check()) {
        return;
      }
    } catch {
      // not ready yet
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}\n${promOutput.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

beforeAll(async () => {
  try {
    execFileSync(PROMETHEUS, ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error(`prometheus not found (${PROMETHEUS}): install the Debian package "prometheus"`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-dashboards-'));
  const rulesFile = join(dir, 'rules.yaml');
  const code = await main(['generate', EXAMPLE, SIGNALS, '-o', rulesFile, '--loki-out', join(dir, 'loki.yaml')], {
    stdout: () => undefined,
    stderr: () => undefined,
  });
  expect(code).toBe(0);
  const rules = parse(readFileSync(rulesFile, 'utf8'));
  for (const g of rules.groups) {
    g.interval = '2s';
  }
  writeFileSync(rulesFile, stringify(rules));

  const started = Date.now();
  exporter = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain; version=0.0.4');
    res.end(exposition((Date.now() - started) / 1000 + 60));
  });
  await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', () => r()));
  const exporterPort = (exporter.address() as AddressInfo).port;

  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '2s' },
      rule_files: [rulesFile],
      scrape_configs: [
        { job_name: 'exporter', honor_labels: true, static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] },
      ],
    })
  );
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  prometheus.stdout?.on('data', (b) => (promOutput += b));
  prometheus.stderr?.on('data', (b) => (promOutput += b));

  await waitFor(
    'every SLO to have a release state',
    // 10 SLOs per route (2), and chat-ttft and chat-tokens-per-second per model (2) too: 20 + 4.
    async () => (await instant('slo:release_freeze:bool')).length === 10 * 2 + 4
  );
  await waitFor(
    'the page alert on /chat',
    async () =>
      (await instant('ALERTS{alertname="ErrorBudgetBurn", alertstate="firing", slo="chat-availability"}')).length > 0
  );
  await waitFor('caution and month-to-date series', async () => {
    return (
      (await instant('slo:release_caution:bool')).length === 24 &&
      (await instant('slo:sli_error:ratio_rate_calendar_month')).length === 2
    );
  });
});

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((r) => prometheus?.once('exit', r));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await new Promise((r) => (exporter ? exporter.close(r) : r(undefined)));
});

// ------------------------------------------------------------------ running the dashboards

function variableDefaults(d: Dashboard): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of d.templating.list) {
    if (v.type === 'textbox') {
      values[v.name] = v.current.value;
    } else if (v.includeAll) {
      values[v.name] = v.allValue;
    }
  }
  return values;
}

function badValues(result: Array<{ value: [number, string] }>): string[] {
  return result.map((r) => r.value[1]).filter((v) => !Number.isFinite(Number(v)));
}

interface Run {
  where: string;
  panel: string;
  refId: string;
  table: boolean;
  result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  rangeBad: string[];
}

async function runDashboard(d: Dashboard, values: Record<string, string>): Promise<Run[]> {
  const runs: Run[] = [];
  const end = Math.floor(Date.now() / 1000);
  for (const p of allPanels(d)) {
    for (const t of p.targets ?? []) {
      const expr = substitute(t.expr, values);
      const result = await instant(expr);
      const range = await api('/api/v1/query_range', {
        query: expr,
        start: String(end - 30),
        end: String(end),
        step: '5',
      });
      const rangeBad = range.result.flatMap((s: { values: Array<[number, string]> }) =>
        s.values.map((v) => v[1]).filter((v) => !Number.isFinite(Number(v)))
      );
      runs.push({
        where: `${p.title} ${t.refId}: ${expr}`,
        panel: p.title,
        refId: t.refId,
        table: p.type === 'table',
        result,
        rangeBad,
      });
    }
  }
  return runs;
}

const dashboards = Object.fromEntries(shippedDashboards().map((d) => [d.file, d.json]));

function withoutName(m: Record<string, string>): string {
  return JSON.stringify(
    Object.entries(m)
      .filter(([k]) => k !== '__name__')
      .sort()
  );
}

/** Table queries of one panel return the label sets of its first query, so rows merge. */
function expectTablesMerge(runs: Run[]): void {
  const byPanel = new Map<string, Run[]>();
  for (const r of runs.filter((r) => r.table)) {
    byPanel.set(r.panel, [...(byPanel.get(r.panel) ?? []), r]);
  }
  for (const [panel, list] of byPanel) {
    const rows = new Set(list[0].result.map((r) => withoutName(r.metric)));
    for (const r of list.slice(1)) {
      const stray = r.result.map((x) => withoutName(x.metric)).filter((k) => !rows.has(k));
      expect({ panel, refId: r.refId, stray }).toEqual({ panel, refId: r.refId, stray: [] });
    }
  }
}

function expectFinite(runs: Run[]): void {
  const bad = runs.filter((r) => badValues(r.result).length > 0 || r.rangeBad.length > 0).map((r) => r.where);
  expect(bad).toEqual([]);
}

test('the variable queries find the services, SLOs, routes, models and teams', async () => {
  const series = async (match: string, label: string) =>
    [...new Set((await api('/api/v1/series', { 'match[]': match })).map((s: Record<string, string>) => s[label]))]
      .filter(Boolean)
      .sort();
  for (const d of Object.values(dashboards)) {
    for (const q of queries(d).filter((q) => q.kind === 'variable' && !q.where.endsWith('(label)'))) {
      const v = d.templating.list.find((x: { name: string }) => q.where === `variable ${x.name}`);
      const label = /,\s*([A-Za-z_]+)\s*\)$/.exec(v.definition)![1];
      const values = await series(
        substitute(q.expr, { service: 'llm-gateway', slo: 'chat-ttft', route: '.*', team: '.*' }),
        label
      );
      const expected: Record<string, string[]> = {
        slo_service: ['llm-gateway'],
        slo: [...SLOS].sort(),
        route: ROUTES,
        gen_ai_request_model: MODELS,
        team: ['genai'],
      };
      expect({ variable: `${d.uid}/${v.name}`, values }).toEqual({
        variable: `${d.uid}/${v.name}`,
        values: expected[label],
      });
    }
  }
});

test('overview: every query runs, no NaN or Inf, tables merge, /chat shows FREEZE and PAGE', async () => {
  const d = dashboards['slo-overview.json'];
  for (const values of [variableDefaults(d), { service: 'llm-gateway', team: 'genai' }]) {
    const runs = await runDashboard(d, values);
    expectFinite(runs);
    expectTablesMerge(runs);
    const empty = runs.filter((r) => r.result.length === 0).map((r) => r.panel);
    // Caution may or may not be set; the rest must have data.
    expect(empty.filter((p) => p !== 'Caution')).toEqual([]);
    const table = runs.filter((r) => r.panel === 'All SLOs, worst first');
    // 10 SLOs, per route (2), chat-ttft and chat-tokens-per-second also per model (2): 14 + 10.
    expect(table[0].result).toHaveLength(24);
    const state = table.find((r) => r.refId === 'D')!.result;
    const alert = table.find((r) => r.refId === 'E')!.result;
    expect(state).toHaveLength(24);
    expect(alert).toHaveLength(24);
    const chat = (rs: Run['result']) =>
      rs.find((r) => r.metric.slo === 'chat-availability' && r.metric.route === '/chat')!.value[1];
    expect(chat(state)).toBe('2');
    expect(chat(alert)).toBe('2');
    // /summarize ships by its policy, but a manual freeze of the route is in force: 3, every SLO of it.
    const summarize = state.filter((r) => r.metric.route === '/summarize');
    expect(summarize.length).toBeGreaterThan(0);
    expect(summarize.every((r) => r.value[1] === '3')).toBe(true);
    // The expired /chat freeze counts nowhere: /chat keeps its policy state (2 above).
    expect(state.every((r) => ['-1', '0', '1', '2', '3'].includes(r.value[1]))).toBe(true);
  }
});

test.each(SLOS)('detail for %s: every query runs, no NaN or Inf, thresholds follow the period', async (slo) => {
  const d = dashboards['slo-detail.json'];
  const runs = await runDashboard(d, { service: 'llm-gateway', slo, route: '.*' });
  expectFinite(runs);
  expectTablesMerge(runs);
  const need = [
    'Budget remaining',
    'Release state',
    'Period burn rate',
    'Error budget remaining (burndown)',
    'Event rate',
  ];
  for (const panel of need) {
    expect({ panel, empty: runs.filter((r) => r.panel === panel).every((r) => r.result.length === 0) }).toEqual({
      panel,
      empty: false,
    });
  }
  const windows = runs.filter((r) => r.panel.startsWith('Fast burn') || r.panel.startsWith('Slow burn'));
  expect(windows.filter((r) => r.result.length === 0).map((r) => r.where)).toEqual([]);
  // Threshold lines: the 1h page factor is 0.48 per day of period; calendar months use 30 days.
  const page1h = windows.find((r) => r.panel.startsWith('Fast burn') && r.refId === 'E')!;
  const days: Record<string, number> = { 'chat-ttft': 28, 'answer-quality': 7 };
  expect(Number(page1h.result[0].value[1])).toBeCloseTo(0.48 * (days[slo] ?? 30), 6);
  const sli = runs.filter((r) => r.panel === 'SLI against the objective');
  if (slo === 'cost-per-request') {
    expect(sli.every((r) => r.result.length === 0)).toBe(true); // no objective: no "1 - cost" line
  } else {
    expect(sli.every((r) => r.result.length > 0)).toBe(true);
    expect(sli[0].result.every((r) => Number(r.value[1]) >= 0 && Number(r.value[1]) <= 1)).toBe(true);
  }
});

test('LLM service: every query runs, no NaN or Inf, per route and model, pooled lines sum events', async () => {
  const d = dashboards['llm-service.json'];
  const runs = await runDashboard(d, { ...variableDefaults(d), service: 'llm-gateway' });
  expectFinite(runs);
  expectTablesMerge(runs);
  expect(runs.filter((r) => r.result.length === 0).map((r) => r.where)).toEqual([]);
  const ttft = runs.find((r) => r.panel === 'TTFT budget remaining')!;
  expect(ttft.result.map((r) => `${r.metric.route} ${r.metric.gen_ai_request_model}`).sort()).toEqual(
    ['/chat gpt-4o', '/chat llama-3', '/summarize gpt-4o', '/summarize llama-3'].sort()
  );
  // The "all routes" availability line is summed bad / summed total, not the mean of the two ratios.
  const avail = runs.filter((r) => r.panel === 'Availability (1h)');
  const perRoute = avail[0].result.map((r) => Number(r.value[1]));
  const pooled = Number(avail[1].result[0].value[1]);
  const events = await instant('sum_over_time(slo:sli_events:rate5m{slo="chat-availability"}[1h])');
  const bad = await instant('sum_over_time(slo:sli_error_events:rate5m{slo="chat-availability"}[1h])');
  const sum = (rs: Array<{ value: [number, string] }>) => rs.reduce((a, r) => a + Number(r.value[1]), 0);
  expect(pooled).toBeCloseTo(1 - sum(bad) / sum(events), 3);
  expect(perRoute).toHaveLength(2);
});
