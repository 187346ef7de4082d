// PrometheusDirectorySink against a real Prometheus 2.42 that rejects a rule file: the batch is
// rolled back, the culprit found one SLO at a time, only its SLO fails (with Prometheus's reason)
// and its previous file is restored; the others are loaded and in-sync.
//
// The rejected rules are an alert annotation that is not a valid Go template: Prometheus checks
// templates when it loads rules (promtool says "unclosed action"). The groups are built from a
// valid SLO and then broken by hand, so this test does not depend on what core validation accepts.

import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { sloRuleGroups } from '../../src/core/rules/ruleGroups';
import { AlertingRule, RuleGroup } from '../../src/core/rules/types';
import { validateSloText } from '../../src/core/spec/sloObject';
import { PrometheusDirectorySink, ruleFileName } from '../../src/server/delivery/prometheusSink';
import { targetRules } from '../../src/server/delivery/ruleRenderer';
import { SloRules } from '../../src/server/delivery/sink';
import { PrometheusClient } from '../../src/server/status/prometheusClient';
import { Upstream } from '../../src/server/upstream';
import { PrometheusProcess, runningPrometheusPids, startPrometheus, stopAllPrometheus } from '../support/prometheusServer';
import { availabilitySlo, captureLog, SERVICE, tempDir, ttftSlo } from './helpers';

jest.setTimeout(60_000);

let prom: PrometheusProcess;
let rulesDir: string;
let sink: PrometheusDirectorySink;
let client: CountingClient;

/** The real client, counting the reloads it asks for. */
class CountingClient extends PrometheusClient {
  reloads = 0;
  override async reload(timeoutMs?: number): Promise<void> {
    this.reloads++;
    return super.reload(timeoutMs);
  }
}

function rules(spec: Record<string, unknown>): SloRules {
  const v = validateSloText(JSON.stringify(spec));
  if (!v.slo) {
    throw new Error(JSON.stringify(v.diagnostics));
  }
  return { key: `${spec.service}/${spec.name}`, version: 1, ...targetRules(sloRuleGroups(v.slo).prometheus) };
}

/** The same rules with the first alert's summary made an unclosed template action. */
function broken(r: SloRules): SloRules {
  const groups: RuleGroup[] = JSON.parse(JSON.stringify(r.groups));
  const alert = groups.flatMap((g) => g.rules).find((x) => 'alert' in x) as AlertingRule;
  alert.annotations = { ...alert.annotations, summary: '{{ .Broken ' };
  return { key: r.key, version: r.version, ...targetRules(groups) };
}

const file = (key: string) => join(rulesDir, ruleFileName(key));
const loaded = async () => new Set((await prom.ruleGroups()).map((g) => g.name));

beforeAll(async () => {
  rulesDir = tempDir('sink-rules');
  prom = await startPrometheus({ rulesDir });
  const upstream = new Upstream({ allowedOrigins: [prom.url], timeoutMs: 3000, retries: 1 });
  client = new CountingClient(prom.url, upstream);
  sink = new PrometheusDirectorySink(rulesDir, client, captureLog().log);
});

afterAll(async () => {
  await stopAllPrometheus();
  expect(runningPrometheusPids()).toEqual([]);
});

const a = rules(availabilitySlo());
const t = rules(ttftSlo());
const bad = broken(rules(availabilitySlo({ name: 'bad-annotations' })));

it('a batch with one rejected SLO: that SLO failed with the reason, its file gone; the others loaded', async () => {
  const first = await sink.sync([a]);
  expect(first.get(a.key)).toEqual({ state: 'in-sync' });

  const out = await sink.sync([a, bad, t]);
  expect(out.get(a.key)).toEqual({ state: 'in-sync' });
  expect(out.get(t.key)).toEqual({ state: 'in-sync' });
  const b = out.get(bad.key)!;
  expect(b.state).toBe('failed');
  expect(b.reason).toMatch(/^Prometheus rejected the rules: /);
  // eslint-disable-next-line no-console
  console.log(`Prometheus's reason for the rejected reload: ${b.reason}`);
  expect(existsSync(file(bad.key))).toBe(false);
  expect(existsSync(file(t.key))).toBe(true);
  const names = await loaded();
  for (const g of [...a.groups, ...t.groups]) {
    expect(names.has(g.name)).toBe(true);
  }
  expect([...names].some((n) => n.includes('bad-annotations'))).toBe(false);
});

it('rules Prometheus rejected are not sent again until they change: no reload, the same reason', async () => {
  const before = client.reloads;
  const out = await sink.sync([a, bad, t]);
  expect(client.reloads).toBe(before);
  expect(out.get(bad.key)!.state).toBe('failed');
  expect(out.get(bad.key)!.reason).toMatch(/^Prometheus rejected the rules: .*\(not sent again until the SLO changes\)$/);
  expect(out.get(a.key)).toEqual({ state: 'in-sync' });
  // Fixed: sent, loaded, in-sync.
  const fixed = rules(availabilitySlo({ name: 'bad-annotations' }));
  expect((await sink.sync([a, fixed, t])).get(fixed.key)).toEqual({ state: 'in-sync' });
  expect(client.reloads).toBeGreaterThan(before);
  // Broken again: tried (a new version), rejected, and then left alone.
  expect((await sink.sync([a, bad, t])).get(bad.key)!.state).toBe('failed');
  const after = client.reloads;
  await sink.sync([a, bad, t]);
  expect(client.reloads).toBe(after);
});

it('an update Prometheus rejects: the previous file is restored byte for byte and stays loaded', async () => {
  const before = readFileSync(file(t.key), 'utf8');
  const exprBefore = (await prom.ruleGroups()).find((g) => g.name === t.groups[0].name)!.rules[0].query;
  const out = await sink.sync([a, broken(t)]);
  expect(out.get(t.key)!.state).toBe('failed');
  expect(out.get(a.key)).toEqual({ state: 'in-sync' });
  expect(readFileSync(file(t.key), 'utf8')).toBe(before);
  expect((await prom.ruleGroups()).find((g) => g.name === t.groups[0].name)!.rules[0].query).toBe(exprBefore);
  // Fixed again: in-sync, and a no-op sync after that stays in-sync.
  expect((await sink.sync([a, t])).get(t.key)).toEqual({ state: 'in-sync' });
  expect([...(await sink.sync([a, t])).values()].every((o) => o.state === 'in-sync')).toBe(true);
});

it("a broken file that is not ours blocks every reload: new rules fail with the reason, nothing of ours is left half-applied", async () => {
  const foreign = join(rulesDir, 'someone-else.yaml');
  writeFileSync(foreign, 'groups:\n  - name: theirs\n    rules:\n      - record: x\n        expr: sum(\n');
  try {
    const extra = rules(availabilitySlo({ name: 'new-while-broken' }));
    const out = await sink.sync([a, t, extra]);
    expect(out.get(extra.key)!.state).toBe('failed');
    expect(out.get(extra.key)!.reason).toMatch(/Prometheus rejected the rules/);
    expect(existsSync(file(extra.key))).toBe(false);
    // Unchanged SLOs are still loaded (Prometheus kept its previous rules).
    expect(out.get(a.key)).toEqual({ state: 'in-sync' });
  } finally {
    unlinkSync(foreign);
  }
  const extra = rules(availabilitySlo({ name: 'new-while-broken' }));
  const out = await sink.sync([a, t, extra]);
  expect(out.get(extra.key)).toEqual({ state: 'in-sync' });
  // Removing an SLO removes its file and its groups.
  const removed = await sink.sync([a, t]);
  expect(removed.has(extra.key)).toBe(false);
  expect(existsSync(file(extra.key))).toBe(false);
  expect([...(await loaded())].some((n) => n.includes('new-while-broken'))).toBe(false);
});

it('the service label keeps files apart: one file per SLO, named service@name', () => {
  expect(ruleFileName(`${SERVICE}/chat-ttft`)).toBe(`burnrate_${SERVICE}@chat-ttft.rules.yaml`);
});
