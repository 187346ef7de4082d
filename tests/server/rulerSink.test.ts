// RulerSink (Mimir, Cortex, Loki ruler APIs) against a local stand-in that enforces the documented
// contract (see rulerStandIn.ts). Not run against a real Mimir, Cortex or Loki: none can be
// installed on the CI machines.

import { parse } from 'yaml';
import { sloRuleGroups } from '../../src/core/rules/ruleGroups';
import { RuleGroup } from '../../src/core/rules/types';
import { validateSloText } from '../../src/core/spec/sloObject';
import { RulerSink } from '../../src/server/delivery/rulerSink';
import { targetRules } from '../../src/server/delivery/ruleRenderer';
import { SloRules } from '../../src/server/delivery/sink';
import { captureLog } from './helpers';
import { Upstream } from '../../src/server/upstream';
import { availabilitySlo, SERVICE, ttftSlo } from './helpers';
import { RulerApi, RulerStandIn } from './rulerStandIn';

jest.setTimeout(30_000);

const TENANT = 'team-a';
const NS = 'burnrate';
const TIMEOUT_MS = 400;
const RETRIES = 2;

function slo(spec: Record<string, unknown>) {
  const v = validateSloText(JSON.stringify(spec));
  if (!v.slo) {
    throw new Error(JSON.stringify(v.diagnostics));
  }
  return v.slo;
}

const lokiSpec = (name: string) => ({
  service: SERVICE,
  name,
  objective: 0.95,
  window: '7d',
  groupBy: ['route'],
  sli: { ratio: { source: 'loki', errors: '{app="llm-gateway", stream="judge"} | json | verdict="fail"', total: '{app="llm-gateway", stream="judge"} | json' } },
});

function desiredFor(api: RulerApi, specs: Array<Record<string, unknown>>): SloRules[] {
  return specs.map((s) => {
    const g = sloRuleGroups(slo(s));
    return { key: `${s.service}/${s.name}`, version: 1, ...targetRules(api === 'loki' ? g.loki : g.prometheus) };
  });
}

const names = (d: SloRules[]) => d.flatMap((x) => x.groups.map((g) => g.name)).sort();

function makeSink(api: RulerApi, stand: RulerStandIn, o: { tenant?: string; url?: string; timeoutMs?: number; retries?: number } = {}) {
  const upstream = new Upstream({ allowedOrigins: [new URL(stand.url).origin], timeoutMs: o.timeoutMs ?? TIMEOUT_MS, retries: o.retries ?? RETRIES });
  const log = captureLog();
  const sink = new RulerSink(api === 'loki' ? 'loki' : 'prometheus', { url: o.url ?? stand.url, tenant: 'tenant' in o ? o.tenant : TENANT, api }, upstream, log.log);
  return { sink, upstream, log };
}

/** The group as sent, compared on meaning: what a ruler would store. */
function sameGroup(posted: any, g: RuleGroup): void {
  expect(posted.name).toBe(g.name);
  expect(posted.interval).toBe(g.interval);
  expect(posted.rules.length).toBe(g.rules.length);
  posted.rules.forEach((r: any, i: number) => {
    const want: any = g.rules[i];
    expect(r.record ?? r.alert).toBe(want.record ?? want.alert);
    expect(String(r.expr).trim()).toBe(want.expr.trim());
    expect(r.labels ?? {}).toEqual(want.labels ?? {});
  });
}

describe.each<RulerApi>(['mimir', 'cortex', 'loki'])('%s ruler API', (api) => {
  let stand: RulerStandIn;
  const specs =
    api === 'loki'
      ? [lokiSpec('judge-verdicts'), lokiSpec('judge-verdicts-eu')]
      : [availabilitySlo(), ttftSlo()];
  const desired = desiredFor(api, specs);

  beforeAll(async () => {
    stand = await new RulerStandIn(api).start();
    // Someone else's rules, in another namespace and another tenant: never touched.
    stand.namespace(TENANT, 'other-team').set('theirs', { name: 'theirs', rules: [{ record: 'x:y', expr: 'vector(1)' }] });
    stand.namespace('tenant-b', NS).set('burnrate-other-sli', { name: 'burnrate-other-sli', rules: [{ record: 'x:y', expr: 'vector(1)' }] });
  });
  afterAll(() => stand.close());

  it('pushes every group: one YAML group per POST to the namespace path, tenant header, application/yaml', async () => {
    expect(desired.every((d) => d.groups.length > 0)).toBe(true);
    const { sink } = makeSink(api, stand);
    const out = await sink.sync(desired);
    expect([...out.entries()]).toEqual(desired.map((d) => [d.key, { state: 'in-sync' }]));
    const posts = stand.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBe(names(desired).length);
    for (const p of posts) {
      expect(p.status).toBe(202);
      expect(p.path).toBe(`${stand.base}/${NS}`);
      expect(p.tenant).toBe(TENANT);
      expect(p.contentType).toBe('application/yaml');
    }
    const byName = new Map(posts.map((p) => [parse(p.body).name, parse(p.body)]));
    for (const g of desired.flatMap((d) => d.groups)) {
      sameGroup(byName.get(g.name), g);
    }
    expect(stand.groupNames(TENANT, NS)).toEqual(names(desired));
    if (api === 'loki') {
      // Loki groups hold LogQL, never PromQL over Prometheus series.
      expect(posts.every((p) => /count_over_time|\{app="llm-gateway"/.test(p.body))).toBe(true);
    }
  });

  it('a resync with nothing changed only lists: no POST, no DELETE', async () => {
    const { sink } = makeSink(api, stand);
    stand.requests.length = 0;
    const out = await sink.sync(desired);
    expect([...out.values()].every((o) => o.state === 'in-sync')).toBe(true);
    expect(stand.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${stand.base}/${NS}`]);
  });

  it('repairs drift: a group the ruler lost, and a group changed by hand, are pushed again (and only those)', async () => {
    const { sink } = makeSink(api, stand);
    const lost = desired[1].groups[0].name;
    const edited = desired[0].groups[desired[0].groups.length - 1].name;
    stand.lose(TENANT, NS, lost);
    stand.namespace(TENANT, NS).get(edited).rules[0].expr = 'vector(0)';
    stand.requests.length = 0;
    const out = await sink.sync(desired);
    expect([...out.values()].every((o) => o.state === 'in-sync')).toBe(true);
    const pushed = stand.requests.filter((r) => r.method === 'POST').map((r) => parse(r.body).name).sort();
    expect(pushed).toEqual([lost, edited].sort());
    expect(stand.groupNames(TENANT, NS)).toEqual(names(desired));
    expect(stand.namespace(TENANT, NS).get(edited).rules[0].expr).not.toBe('vector(0)');
  });

  it('deletes stale groups (an SLO removed, a stray group in our namespace) and nothing else', async () => {
    const { sink } = makeSink(api, stand);
    stand.namespace(TENANT, NS).set('burnrate-gone-sli', { name: 'burnrate-gone-sli', rules: [{ record: 'a:b', expr: 'vector(1)' }] });
    stand.requests.length = 0;
    const keep = [desired[0]];
    const out = await sink.sync(keep);
    expect([...out.keys()]).toEqual([desired[0].key]);
    const deletes = stand.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path).sort()).toEqual(
      [...desired[1].groups.map((g) => g.name), 'burnrate-gone-sli'].map((n) => `${stand.base}/${NS}/${encodeURIComponent(n)}`).sort()
    );
    expect(deletes.every((r) => r.tenant === TENANT && r.status === 202)).toBe(true);
    expect(stand.count('POST')).toBe(0);
    expect(stand.groupNames(TENANT, NS)).toEqual(names(keep));
    expect(stand.groupNames(TENANT, 'other-team')).toEqual(['theirs']);
    expect(stand.groupNames('tenant-b', NS)).toEqual(['burnrate-other-sli']);
    // Back to both SLOs for the next tests.
    await sink.sync(desired);
    expect(stand.groupNames(TENANT, NS)).toEqual(names(desired));
  });
});

// burnrate-<service>-<name>[-part] made shop/api's period group and shop/api-period's main group
// one name: each pass overwrote one with the other while both SLOs reported in-sync.
describe('SLOs whose group names used to collide (mimir)', () => {
  let stand: RulerStandIn;
  beforeAll(async () => (stand = await new RulerStandIn('mimir').start()));
  afterAll(() => stand.close());

  it('shop/api, shop/api-period, a-b/c and a/b-c: all 12 groups kept, and a second pass pushes nothing', async () => {
    const desired = desiredFor('mimir', [
      availabilitySlo({ service: 'shop', name: 'api' }),
      availabilitySlo({ service: 'shop', name: 'api-period' }),
      availabilitySlo({ service: 'a-b', name: 'c' }),
      availabilitySlo({ service: 'a', name: 'b-c' }),
    ]);
    const { sink } = makeSink('mimir', stand);
    const out = await sink.sync(desired);
    expect([...out.values()].every((o) => o.state === 'in-sync')).toBe(true);
    expect(stand.groupNames(TENANT, NS)).toHaveLength(12);
    expect(stand.groupNames(TENANT, NS)).toEqual(names(desired));
    for (const g of desired.flatMap((d) => d.groups)) {
      sameGroup(stand.namespace(TENANT, NS).get(g.name), g);
    }
    stand.requests.length = 0;
    await sink.sync(desired);
    expect(stand.count('POST')).toBe(0);
    expect(stand.count('DELETE')).toBe(0);
  });
});

describe('faults (mimir)', () => {
  let stand: RulerStandIn;
  const desired = desiredFor('mimir', [availabilitySlo(), ttftSlo()]);
  const changed = desiredFor('mimir', [availabilitySlo({ objective: 0.995 }), ttftSlo()]);

  beforeEach(async () => {
    stand = await new RulerStandIn('mimir').start();
    await makeSink('mimir', stand).sink.sync(desired);
    expect(stand.groupNames(TENANT, NS)).toEqual(names(desired));
    stand.requests.length = 0;
  });
  afterEach(() => stand.close());

  it(`5xx is retried (${RETRIES} retries) and then succeeds: in-sync`, async () => {
    const { sink } = makeSink('mimir', stand);
    stand.failNext('POST', 503, RETRIES);
    const out = await sink.sync(changed);
    expect([...out.values()].map((o) => o.state)).toEqual(['in-sync', 'in-sync']);
    const posts = stand.requests.filter((r) => r.method === 'POST');
    expect(posts.filter((p) => p.status === 503).length).toBe(RETRIES);
    // The objective changed: every group of that SLO carries 0.995 somewhere; all were re-sent.
    expect(posts.filter((p) => p.status === 202).length).toBe(changed[0].groups.filter((g) => JSON.stringify(g).includes('0.005') || JSON.stringify(g).includes('0.995')).length);
    const stored = [...stand.namespace(TENANT, NS).values()];
    expect(JSON.stringify(stored)).toContain('/ 0.005');
  });

  it('5xx beyond the retries: pending with the reason; the SLO\'s other groups are kept', async () => {
    const { sink } = makeSink('mimir', stand);
    stand.failNext('POST', 500, 100, 'ingester down');
    const out = await sink.sync(changed);
    const avail = out.get(changed[0].key)!;
    expect(avail.state).toBe('pending');
    expect(avail.reason).toMatch(/500/);
    expect(avail.reason).toMatch(/ingester down/);
    expect(stand.requests.filter((r) => r.method === 'POST').length).toBe(RETRIES + 1);
    // A failed push must not make the SLO's other groups look stale: nothing is deleted.
    expect(stand.count('DELETE')).toBe(0);
    expect(stand.groupNames(TENANT, NS)).toEqual(names(desired));
    // The ruler recovers: the next sync delivers the change.
    stand.clearFaults();
    const again = await sink.sync(changed);
    expect([...again.values()].every((o) => o.state === 'in-sync')).toBe(true);
    expect(JSON.stringify([...stand.namespace(TENANT, NS).values()])).toContain('/ 0.005');
  });

  it('4xx is not retried and makes the SLO failed with the ruler\'s reason; other SLOs stay in-sync', async () => {
    const { sink } = makeSink('mimir', stand);
    stand.failNext('POST', 400, 1, 'invalid rules config: per-tenant rule group limit exceeded');
    const out = await sink.sync(changed);
    expect(out.get(changed[0].key)).toEqual({ state: 'failed', reason: expect.stringMatching(/400.*rule group limit exceeded/) });
    expect(out.get(changed[1].key)).toEqual({ state: 'in-sync' });
    expect(stand.requests.filter((r) => r.method === 'POST').length).toBe(1);
    // The refused SLO's groups already on the ruler are kept (see the 5xx case above).
    expect(stand.count('DELETE')).toBe(0);
    expect(stand.groupNames(TENANT, NS)).toEqual(names(desired));
  });

  it(`a ruler that never answers: pending with a reason, within the timeout (${TIMEOUT_MS} ms x ${RETRIES + 1} attempts)`, async () => {
    const { sink } = makeSink('mimir', stand);
    stand.hang = true;
    const started = Date.now();
    const out = await sink.sync(changed);
    const ms = Date.now() - started;
    for (const o of out.values()) {
      expect(o.state).toBe('pending');
      expect(o.reason).toMatch(new RegExp(`did not answer within ${TIMEOUT_MS} ms`));
    }
    // (retries + 1) timeouts plus the backoff between attempts (200 ms, 400 ms), plus slack.
    expect(ms).toBeLessThan(TIMEOUT_MS * (RETRIES + 1) + 600 + 700);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS * (RETRIES + 1));
  });

  it('a ruler that lists but hangs on a push: that SLO pending, within bounded time', async () => {
    const { sink } = makeSink('mimir', stand, { retries: 0 });
    const started = Date.now();
    const p = sink.sync(changed);
    // Let the GET through, then hang the POSTs.
    while (stand.requests.length === 0) {
      await new Promise((r) => setTimeout(r, 5));
    }
    stand.hang = true;
    const out = await p;
    expect(out.get(changed[0].key)!.state).toBe('pending');
    expect(out.get(changed[0].key)!.reason).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 2 + 1000);
  });

  it('without a tenant the ruler refuses (401): nothing is delivered and the state says why', async () => {
    const { sink } = makeSink('mimir', stand, { tenant: undefined });
    const out = await sink.sync(changed);
    expect(stand.requests.every((r) => r.tenant === undefined && r.status === 401)).toBe(true);
    for (const o of out.values()) {
      expect(o.state).not.toBe('in-sync');
      expect(o.reason).toMatch(/401/);
    }
  });
});

describe('Upstream only contacts configured origins', () => {
  it('refuses a URL whose origin is not configured, without any request', async () => {
    const stand = await new RulerStandIn('mimir').start();
    const other = await new RulerStandIn('mimir').start();
    try {
      const upstream = new Upstream({ allowedOrigins: [new URL(stand.url).origin], timeoutMs: 500, retries: 0 });
      await expect(upstream.request(`${other.url}/prometheus/config/v1/rules/burnrate`)).rejects.toThrow(/refusing to contact http:\/\/127\.0\.0\.1:\d+: not a configured data source/);
      // Same host, other port: another origin. Same for a scheme change.
      await expect(upstream.request(stand.url.replace('http:', 'https:') + '/x')).rejects.toThrow(/refusing/);
      expect(other.requests.length).toBe(0);
      // A sink pointed at an unconfigured origin delivers nothing and says why.
      const sink = new RulerSink('prometheus', { url: other.url, tenant: TENANT, api: 'mimir' }, upstream, captureLog().log);
      const out = await sink.sync(desiredFor('mimir', [availabilitySlo()]));
      expect([...out.values()][0]).toEqual({ state: 'pending', reason: expect.stringMatching(/refusing to contact/) });
      expect(other.requests.length).toBe(0);
      // The allowed origin works.
      expect((await upstream.request(`${stand.url}/prometheus/config/v1/rules/burnrate`, { headers: { 'X-Scope-OrgID': TENANT } })).status).toBe(404);
    } finally {
      await stand.close();
      await other.close();
    }
  });
});
