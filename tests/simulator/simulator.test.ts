// The simulator: deterministic with a seed, OpenTelemetry GenAI names and buckets, error_type
// only on failures, and scenario switches that move the numbers the way model.ts says.

import { mkdtempSync, readFileSync } from 'fs';
import { createServer } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { effectFor, ScenarioName, STREAMS, TTFT_BUCKETS } from '../../src/simulator/model';
import { startSimulatorServer } from '../../src/simulator/server';
import { renderPrometheusText, Simulator } from '../../src/simulator/simulator';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const MIN = 60_000;

/** Counter deltas of one simulator over [from, to] of simulated time. */
function delta(sim: Simulator, to: number, read: (s: Simulator) => number): number {
  const before = read(sim);
  sim.advanceTo(to);
  return read(sim) - before;
}

const count = (match: Record<string, string>) => (s: Simulator) => s.sum('gen_ai_client_operation_duration_seconds_count', match);
const errors = (route: string, types: string[]) => (s: Simulator) =>
  types.reduce((a, t) => a + s.sum('gen_ai_client_operation_duration_seconds_count', { route, error_type: t }), 0);
const all = (route: string) => (s: Simulator) =>
  s.series.filter((x) => x.name === 'gen_ai_client_operation_duration_seconds_count' && x.labels.route === route).reduce((a, x) => a + x.value, 0);

/** Numbers over `minutes` of one scenario on a fresh simulator. */
function measure(scenario: ScenarioName, minutes = 60, seed = 7) {
  const sim = new Simulator({ seed, startMs: T0, scenario });
  const t = T0 + minutes * MIN;
  const snap = () =>
    new Map(sim.series.map((s) => [`${s.name}${JSON.stringify(s.labels)}`, s.value] as const));
  const before = snap();
  sim.advanceTo(t);
  const d = (name: string, match: Record<string, string>) =>
    sim.series
      .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
      .reduce((a, s) => a + s.value - (before.get(`${s.name}${JSON.stringify(s.labels)}`) ?? 0), 0);
  const total = (route: string) => d('gen_ai_client_operation_duration_seconds_count', { route });
  const err = (route: string, type: string) => d('gen_ai_client_operation_duration_seconds_count', { route, error_type: type });
  const ttftGood = (route: string) => d('gen_ai_server_time_to_first_token_seconds_bucket', { route, le: '1' }) / d('gen_ai_server_time_to_first_token_seconds_count', { route });
  const judgePass = (route: string) => d('llm_judge_verdicts_total', { route, verdict: 'pass' }) / d('llm_judge_verdicts_total', { route });
  const thumbsUp = (route: string) => d('llm_feedback_total', { route, thumb: 'up' }) / d('llm_feedback_total', { route });
  const costPerRequest = (route: string) => d('llm_cost_usd_total', { route }) / total(route);
  const providerShare = (route: string, provider: string) =>
    (d('gen_ai_client_operation_duration_seconds_count', { route, gen_ai_provider_name: provider, error_type: 'provider_error' }) +
      d('gen_ai_client_operation_duration_seconds_count', { route, gen_ai_provider_name: provider, error_type: 'provider_timeout' })) /
    d('gen_ai_client_operation_duration_seconds_count', { route, gen_ai_provider_name: provider });
  return { sim, total, err, ttftGood, judgePass, thumbsUp, costPerRequest, providerShare };
}

describe('simulator', () => {
  test('the same seed and clock give the same metrics; another seed does not', () => {
    const a = new Simulator({ seed: 42, startMs: T0 });
    const b = new Simulator({ seed: 42, startMs: T0 });
    const c = new Simulator({ seed: 43, startMs: T0 });
    for (const s of [a, b, c]) {
      s.advanceTo(T0 + 10 * MIN);
      s.setScenario('provider-outage');
      s.advanceTo(T0 + 20 * MIN);
    }
    expect(renderPrometheusText(a.series)).toBe(renderPrometheusText(b.series));
    expect(renderPrometheusText(a.series)).not.toBe(renderPrometheusText(c.series));
  });

  test('OpenTelemetry GenAI names, the semantic-convention TTFT buckets, error_type only on errors', () => {
    const sim = new Simulator({ seed: 1, startMs: T0 });
    sim.advanceTo(T0 + 5 * MIN);
    const text = renderPrometheusText(sim.series);
    expect(text).toContain('# TYPE gen_ai_server_time_to_first_token_seconds histogram');
    expect(text).toContain('# TYPE gen_ai_client_operation_duration_seconds histogram');
    expect(text).toContain('# TYPE gen_ai_server_time_per_output_token_seconds histogram');
    expect(text).toContain('# TYPE gen_ai_client_operation_time_to_first_chunk_seconds histogram');
    for (const name of ['llm_tokens_total', 'llm_cost_usd_total', 'llm_judge_verdicts_total', 'llm_feedback_total', 'llm_judge_human_agreement_total', 'llm_hard_checks_total', 'llm_response_outcomes_total']) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
    const les = sim.series
      .filter((s) => s.name === 'gen_ai_server_time_to_first_token_seconds_bucket' && s.labels.gen_ai_request_model === 'gpt-4o' && s.labels.tier === 'pro')
      .map((s) => s.labels.le);
    expect(les).toEqual([...TTFT_BUCKETS.map(String), '+Inf']);
    expect(TTFT_BUCKETS).toEqual([0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);
    const durations = sim.series.filter((s) => s.family === 'gen_ai_client_operation_duration_seconds');
    const types = new Set(durations.map((s) => s.labels.error_type));
    expect([...types].sort()).toEqual([undefined, 'internal_error', 'provider_error', 'provider_timeout'].sort());
    // No success series carries error_type, not even an empty one.
    expect(text).not.toMatch(/error_type=""/);
    // Labels: route and model on every gateway series.
    for (const s of sim.series.filter((x) => x.family.startsWith('gen_ai_'))) {
      expect(s.labels.route).toMatch(/^\/(chat|summarize|embed)$/);
      expect(s.labels.gen_ai_request_model).toBeTruthy();
      expect(s.labels.gen_ai_operation_name).toMatch(/^(chat|embeddings)$/);
    }
    // Histograms are cumulative and end at _count, per label set (route, model and, on /chat, tier).
    for (const family of ['gen_ai_server_time_to_first_token_seconds', 'gen_ai_server_time_per_output_token_seconds', 'gen_ai_client_operation_time_to_first_chunk_seconds']) {
      const counts = sim.series.filter((s) => s.name === `${family}_count`);
      expect(counts.length).toBe(2 * 3 + 1); // /chat: 2 models x 3 tiers; /summarize: 1 model, no tier
      for (const c of counts) {
        const same = (s: { labels: Record<string, string> }) => Object.entries(c.labels).every(([k, v]) => s.labels[k] === v) && Object.keys(s.labels).length === Object.keys(c.labels).length + 1;
        const buckets = sim.series.filter((s) => s.name === `${family}_bucket` && same(s)).map((s) => s.value);
        expect([...buckets].sort((x, y) => x - y)).toEqual(buckets);
        expect(buckets[buckets.length - 1]).toBe(c.value);
        expect(c.value).toBeGreaterThan(0);
      }
    }
    // Tiers: /chat only, with the plans' shares of traffic (60/30/10).
    expect(new Set(sim.series.filter((s) => s.labels.tier).map((s) => s.labels.route))).toEqual(new Set(['/chat']));
    expect(new Set(sim.series.filter((s) => s.labels.tier).map((s) => s.labels.tier))).toEqual(new Set(['free', 'pro', 'enterprise']));
  });

  test('steady: every SLO of the demo comfortably inside its objective', () => {
    const m = measure('steady', 120);
    for (const route of ['/chat', '/summarize', '/embed']) {
      expect(m.err(route, 'internal_error') / m.total(route)).toBeLessThan(0.0025); // availability 99.5%
      expect((m.err(route, 'provider_error') + m.err(route, 'provider_timeout')) / m.total(route)).toBeLessThan(0.006); // provider 99%
    }
    expect(m.ttftGood('/chat')).toBeGreaterThan(0.995);
    expect(m.judgePass('/chat')).toBeGreaterThan(0.93);
    expect(m.thumbsUp('/chat')).toBeGreaterThan(0.85);
    expect(m.costPerRequest('/chat')).toBeLessThan(0.008);
    // About 18 requests a second across routes at the daily mean (noon UTC is above the mean).
    expect(m.total('/embed') / 7200).toBeGreaterThan(8);
    expect(m.total('/embed') / 7200).toBeLessThan(16);
  });

  test('provider-outage: a third of openai calls fail as provider errors, anthropic does not, and some requests fail on our side', () => {
    const steady = measure('steady');
    const m = measure('provider-outage');
    expect(m.providerShare('/chat', 'openai')).toBeGreaterThan(0.3);
    expect(m.providerShare('/chat', 'openai')).toBeLessThan(0.4);
    expect(m.providerShare('/chat', 'anthropic')).toBeLessThan(0.01);
    expect(steady.providerShare('/chat', 'openai')).toBeLessThan(0.01);
    // Timeouts are most of them.
    expect(m.err('/summarize', 'provider_timeout')).toBeGreaterThan(m.err('/summarize', 'provider_error'));
    // Our own failures: internal_error from about 0.1% to a few percent (availability burns).
    expect(m.err('/summarize', 'internal_error') / m.total('/summarize')).toBeGreaterThan(0.015);
    expect(steady.err('/summarize', 'internal_error') / steady.total('/summarize')).toBeLessThan(0.003);
    expect(m.ttftGood('/summarize')).toBeLessThan(steady.ttftGood('/summarize'));
  });

  test('bad-prompt-rollout: /chat quality and thumbs drop, cost rises; /summarize is unchanged', () => {
    const steady = measure('steady');
    const m = measure('bad-prompt-rollout');
    expect(m.judgePass('/chat')).toBeGreaterThan(0.64);
    expect(m.judgePass('/chat')).toBeLessThan(0.76);
    expect(m.thumbsUp('/chat')).toBeLessThan(0.72);
    expect(m.judgePass('/summarize')).toBeGreaterThan(0.93);
    expect(m.costPerRequest('/chat')).toBeGreaterThan(steady.costPerRequest('/chat') * 1.3);
    // Availability is untouched.
    expect(m.err('/chat', 'internal_error') / m.total('/chat')).toBeLessThan(0.003);
  });

  test('latency-regression: most /chat first tokens take over 1s; /summarize unchanged', () => {
    const m = measure('latency-regression');
    expect(m.ttftGood('/chat')).toBeLessThan(0.4);
    expect(m.ttftGood('/summarize')).toBeGreaterThan(0.995);
  });

  test('traffic-spike: about six times the requests, slower first tokens, some shed requests', () => {
    const steady = measure('steady');
    const m = measure('traffic-spike');
    const ratio = m.total('/embed') / steady.total('/embed');
    expect(ratio).toBeGreaterThan(5.5);
    expect(ratio).toBeLessThan(6.5);
    expect(m.ttftGood('/chat')).toBeLessThan(0.99);
    expect(m.err('/chat', 'internal_error') / m.total('/chat')).toBeGreaterThan(0.008);
  });

  test('a switch at run time changes the rates from that moment on', () => {
    const sim = new Simulator({ seed: 3, startMs: T0 });
    const chatErrors = errors('/chat', ['provider_error', 'provider_timeout']);
    const before = delta(sim, T0 + 30 * MIN, chatErrors) / delta(new Simulator({ seed: 3, startMs: T0 }), T0 + 30 * MIN, all('/chat'));
    sim.setScenario('provider-outage');
    const c0 = all('/chat')(sim);
    const e0 = chatErrors(sim);
    sim.advanceTo(T0 + 60 * MIN);
    const after = (chatErrors(sim) - e0) / (all('/chat')(sim) - c0);
    expect(before).toBeLessThan(0.01);
    expect(after).toBeGreaterThan(0.2);
    sim.setScenario('steady');
    const c1 = all('/chat')(sim);
    const e1 = chatErrors(sim);
    sim.advanceTo(T0 + 90 * MIN);
    expect((chatErrors(sim) - e1) / (all('/chat')(sim) - c1)).toBeLessThan(0.01);
    expect(count({ route: '/chat' })(sim)).toBeGreaterThan(0);
  });

  test('every scenario has an effect on some stream, steady has none', () => {
    for (const name of ['bad-prompt-rollout', 'provider-outage', 'latency-regression', 'traffic-spike'] as ScenarioName[]) {
      expect(STREAMS.some((s) => JSON.stringify(effectFor(name, s)) !== JSON.stringify(effectFor('steady', s)))).toBe(true);
    }
  });
});

describe('simulator HTTP server', () => {
  test('GET /metrics, POST /scenario (and 400 for an unknown one), with a clock the test controls', async () => {
    let now = T0;
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-sim-'));
    const logs = join(dir, 'events.jsonl');
    const srv = await startSimulatorServer({ simulator: new Simulator({ seed: 5, startMs: T0 }), clock: () => now, intervalMs: 0, logs });
    try {
      const scrape = async () => {
        const text = await (await fetch(`${srv.url}/metrics`)).text();
        const errs = [...text.matchAll(/^gen_ai_client_operation_duration_seconds_count\{route="\/summarize"[^}]*error_type="provider_timeout"\} (\S+)$/gm)];
        return { text, timeouts: errs.reduce((a, m) => a + Number(m[1]), 0) };
      };
      now += 10 * MIN;
      const a = await scrape();
      expect(a.text).toContain('llm_simulator_scenario{scenario="steady"} 1');
      const bad = await fetch(`${srv.url}/scenario`, { method: 'POST', body: '{"name":"meteor-strike"}' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatch(/provider-outage/);
      const ok = await fetch(`${srv.url}/scenario`, { method: 'POST', body: JSON.stringify({ name: 'provider-outage' }) });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ scenario: 'provider-outage', previous: 'steady' });
      expect((await (await fetch(`${srv.url}/scenario`)).json()).scenario).toBe('provider-outage');
      now += 10 * MIN;
      const b = await scrape();
      expect(b.text).toContain('llm_simulator_scenario{scenario="provider-outage"} 1');
      // /summarize at ~2 rps for 10 min: ~1200 calls, a third failing at the provider, 60% of those timeouts.
      expect(b.timeouts - a.timeouts).toBeGreaterThan(150);
      expect(a.timeouts).toBeLessThan(10);
      await srv.flush();
      const lines = readFileSync(logs, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const judged = lines.filter((l) => l.stream === 'judge');
      expect(judged.length).toBe(srv.simulator.sum('llm_judge_verdicts_total'));
      expect(lines.filter((l) => l.stream === 'feedback').length).toBe(srv.simulator.sum('llm_feedback_total'));
      expect(lines.filter((l) => l.stream === 'review').length).toBe(srv.simulator.sum('llm_judge_human_agreement_total'));
      expect(judged[0]).toMatchObject({ stream: 'judge', service: 'llm-gateway', evaluator: 'helpfulness' });
      expect(['pass', 'fail']).toContain(judged[0].verdict);
    } finally {
      await srv.close();
    }
  });

  test('pushes judge verdicts and thumbs to the Loki push API when a URL is configured', async () => {
    const pushes: any[] = [];
    const loki = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        pushes.push({ url: req.url, tenant: req.headers['x-scope-orgid'], body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => loki.listen(0, '127.0.0.1', () => r()));
    const lokiUrl = `http://127.0.0.1:${(loki.address() as AddressInfo).port}`;
    let now = T0;
    const srv = await startSimulatorServer({ simulator: new Simulator({ seed: 9, startMs: T0 }), clock: () => now, intervalMs: 0, lokiUrl, lokiTenant: 'team-a' });
    try {
      now += 5 * MIN;
      await srv.flush();
      expect(pushes.length).toBe(1);
      expect(pushes[0].url).toBe('/loki/api/v1/push');
      expect(pushes[0].tenant).toBe('team-a');
      const streams = pushes[0].body.streams as Array<{ stream: Record<string, string>; values: Array<[string, string]> }>;
      const judge = streams.filter((s) => s.stream.stream === 'judge');
      expect(judge.length).toBeGreaterThan(0);
      expect(judge[0].stream.app).toBe('llm-gateway');
      const entries = judge.flatMap((s) => s.values);
      expect(entries.length).toBe(srv.simulator.sum('llm_judge_verdicts_total'));
      const [ts, line] = entries[0];
      expect(ts).toMatch(/^\d{19}$/);
      expect(Number(ts.slice(0, -6))).toBeGreaterThanOrEqual(T0);
      expect(JSON.parse(line).verdict).toMatch(/^(pass|fail)$/);
      expect(streams.some((s) => s.stream.stream === 'feedback')).toBe(true);
    } finally {
      await srv.close();
      await new Promise<void>((r) => loki.close(() => r()));
    }
  });
});
