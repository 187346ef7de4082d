// The CLI's commands on real files: outputs, exit codes, usage errors and help.

import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { main } from '../../src/cli/main';
import { loadText } from '../../src/core/load';
import { checkRules, requirePromtool } from '../support/promtool';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'llm-gateway.yaml');
const SLOTH = join(ROOT, 'tests', 'fixtures', 'anchors', 'sloth', 'getting-started.yml');

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'burnrate-cli-'));
const PROM_ONLY = join(dir, 'prom-only.yaml');
writeFileSync(
  PROM_ONLY,
  `version: burnrate/v1
service: gw
slos:
  - name: chat
    objective: 0.99
    groupBy: [route]
    sli:
      ratio: {errors: 'http_requests_total{code=~"5.."}', total: http_requests_total}
`
);

beforeAll(() => requirePromtool());

describe('generate', () => {
  // 29 rules: main group 21 (2 rates, 5 windows, current burn; 1d, 3d, 30d, events, period burn,
  // remaining, objective, budget, days, freeze, caution; 2 alerts), rollup 8 (2 hourly
  // increases, and their sums over 1d, 3d and 30d).
  it('writes a rule file promtool accepts to stdout', async () => {
    const r = await run(['generate', PROM_ONLY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('generated 34 Prometheus rules in 3 groups for 1 SLO\n');
    expect(parse(r.stdout).groups.map((g: { name: string }) => g.name)).toEqual(['burnrate:gw:chat:rollup', 'burnrate:gw:chat:period', 'burnrate:gw:chat']);
    expect(checkRules(r.stdout).ok).toBe(true);
  });

  // burnrate-<service>-<name>[-part] was ambiguous: shop/api's period group and shop/api-period's
  // main group were both burnrate-shop-api-period, and a-b/c and a/b-c both burnrate-a-b-c.
  it('SLOs whose group names used to collide (shop/api and shop/api-period; a-b/c and a/b-c) get 12 distinct groups that promtool accepts', async () => {
    const sloText = (name: string) => `  - name: ${name}\n    objective: 0.99\n    sli:\n      ratio: {errors: 'req_total{code="500"}', total: req_total}\n`;
    const files = [
      ['shop.yaml', `version: burnrate/v1\nservice: shop\nslos:\n${sloText('api')}${sloText('api-period')}`],
      ['a-b.yaml', `version: burnrate/v1\nservice: a-b\nslos:\n${sloText('c')}`],
      ['a.yaml', `version: burnrate/v1\nservice: a\nslos:\n${sloText('b-c')}`],
    ].map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    });
    const r = await run(['generate', ...files]);
    expect(r.stderr).toBe('generated 136 Prometheus rules in 12 groups for 4 SLOs\n');
    const groups: string[] = parse(r.stdout).groups.map((g: { name: string }) => g.name);
    expect(new Set(groups).size).toBe(12);
    expect(groups.filter((g) => g.startsWith('burnrate:shop:'))).toEqual([
      'burnrate:shop:api:rollup',
      'burnrate:shop:api:period',
      'burnrate:shop:api',
      'burnrate:shop:api-period:rollup',
      'burnrate:shop:api-period:period',
      'burnrate:shop:api-period',
    ]);
    expect(groups).toContain('burnrate:a-b:c');
    expect(groups).toContain('burnrate:a:b-c');
    const check = checkRules(r.stdout);
    expect(check.output).toContain('SUCCESS: 136 rules found');
    expect(check.ok).toBe(true);
  });

  it('counts one Loki ruler group in the singular', async () => {
    const file = join(dir, 'one-loki.yaml');
    writeFileSync(
      file,
      'version: burnrate/v1\nservice: gw\nslos:\n  - name: judge\n    objective: 0.95\n    sli:\n      ratio: {source: loki, errors: \'{app="gw"} |= "fail"\', total: \'{app="gw"}\'}\n'
    );
    const r = await run(['generate', file, '-o', join(dir, 'one-loki.rules.yaml'), '--loki-out', join(dir, 'one-loki.loki.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/ in 3 groups for 1 SLO, and 1 Loki ruler group\n$/);
  });

  it('needs --loki-out when an SLO reads Loki, and writes nothing without it', async () => {
    const out = join(dir, 'no-loki.yaml');
    const r = await run(['generate', EXAMPLE, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('llm-gateway/judge-verdicts-loki reads Loki: pass --loki-out FILE');
    expect(existsSync(out)).toBe(false);
  });

  it('writes Prometheus and Loki rules from a folder', async () => {
    const out = join(dir, 'rules.yaml');
    const loki = join(dir, 'loki.yaml');
    const r = await run(['generate', join(ROOT, 'examples'), '-o', out, '--loki-out', loki]);
    expect(r.code).toBe(0);
    expect(checkRules(readFileSync(out, 'utf8')).ok).toBe(true);
    expect(parse(readFileSync(loki, 'utf8')).groups[0].name).toBe('burnrate:llm-gateway:judge-verdicts-loki:loki');
  });

  it('writes a PrometheusRule manifest', async () => {
    const r = await run(['generate', PROM_ONLY, '--format', 'prometheusrule', '--name', 'My SLOs']);
    const m = parse(r.stdout);
    expect([m.apiVersion, m.kind, m.metadata.name, m.spec.groups.length]).toEqual(['monitoring.coreos.com/v1', 'PrometheusRule', 'my-slos', 3]);
  });

  it('reads Sloth and OpenSLO files as well as native ones', async () => {
    const r = await run(['generate', SLOTH]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('slo: requests-availability');
  });

  it('rejects the same SLO defined in two files', async () => {
    const copy = join(dir, 'copy.yaml');
    writeFileSync(copy, readFileSync(PROM_ONLY));
    const r = await run(['validate', PROM_ONLY, copy]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('duplicate SLO "chat" in service "gw"');
  });
});

describe('composite SLOs across files', () => {
  const components = join(dir, 'components.yaml');
  const composite = join(dir, 'composite.yaml');
  writeFileSync(
    components,
    'version: burnrate/v1\nservice: s\nslos:\n  - {name: a, objective: 0.99, sli: {ratio: {errors: e_total, total: t_total}}}\n  - {name: b, objective: 0.99, sli: {ratio: {errors: e2_total, total: t2_total}}}\n'
  );
  writeFileSync(composite, 'version: burnrate/v1\nservice: s\nslos:\n  - {name: ab, objective: 0.99, sli: {composite: {components: [{slo: a}, {slo: b, weight: 3}]}}}\n');

  it('generates a composite whose components are in another file given with it', async () => {
    const r = await run(['generate', components, composite]);
    expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('for 3 SLOs')]);
    expect(r.stdout).toContain('slo:sli_events:rate5m{slo="b", slo_service="s"} * 3');
  });

  it('refuses a composite whose components are not among the files given', async () => {
    const r = await run(['generate', composite]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${composite}:4: error: s/ab: component 1 (s/a) is not defined`);
  });
});

describe('import and export', () => {
  it('imports a Sloth file into an equivalent native file', async () => {
    const out = join(dir, 'imported.yaml');
    const r = await run(['import', '--from', 'sloth', SLOTH, '-o', out]);
    expect(r.code).toBe(0);
    const native = loadText(readFileSync(out, 'utf8'), out);
    const direct = loadText(readFileSync(SLOTH, 'utf8'), SLOTH);
    expect(native.diagnostics).toEqual([]);
    expect(native.slos.map((s) => ({ ...s, origin: undefined }))).toEqual(direct.slos.map((s) => ({ ...s, origin: undefined })));
  });

  it.each(['02-latency-caddy-response-latency', '03-latencynative-pyrra-connect-latency', '04-boolgauge-prometheus-probe-success'])(
    'imports the Pyrra resource %s into an equivalent native file, with its warnings on stderr',
    async (base) => {
      const src = join(ROOT, 'tests', 'fixtures', 'anchors', 'pyrra', `${base}.slo.yaml`);
      const out = join(dir, `${base}.yaml`);
      const r = await run(['import', '--from', 'pyrra', src, '-o', out]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/slo\.yaml:\d+: warning: spec(\.alerting)?: Pyrra's absent-metric alerts/);
      const native = loadText(readFileSync(out, 'utf8'), out);
      expect(native.diagnostics).toEqual([]);
      const direct = loadText(readFileSync(src, 'utf8'), src);
      expect(native.slos.map((s) => ({ ...s, origin: undefined }))).toEqual(direct.slos.map((s) => ({ ...s, origin: undefined })));
    }
  );

  it('refuses --from that does not match the file', async () => {
    const r = await run(['import', '--from', 'openslo', SLOTH]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--from openslo but the file holds sloth documents');
  });

  it('exports OpenSLO that imports back', async () => {
    const r = await run(['export', '--to', 'openslo', PROM_ONLY]);
    expect(r.code).toBe(0);
    const back = loadText(r.stdout, 'exported.yaml');
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(back.slos.map((s) => [s.service, s.name, s.objective, s.groupBy])).toEqual([['gw', 'chat', 0.99, ['route']]]);
  });
});

describe('usage', () => {
  it.each([
    [['generate']],
    [['generate', PROM_ONLY, '--format', 'json']],
    [['generate', PROM_ONLY, '--bogus']],
    [['generate', PROM_ONLY, '-o']],
    [['import', SLOTH]],
    [['export', PROM_ONLY]],
    [['frobnicate']],
    [[]],
  ])('%j exits 2 with a usage message', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/Usage: burnrate/);
  });

  it.each(['validate', 'generate', 'import', 'export', 'serve', 'gate', 'token'])('%s --help prints its usage and exits 0', async (cmd) => {
    const r = await run([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: burnrate ${cmd}`));
  });

  it('a missing file is invalid input (exit 1) that says so in words, for validate and import', async () => {
    const missing = join(dir, 'nope.yaml');
    for (const argv of [['validate', missing], ['import', '--from', 'sloth', missing]]) {
      const r = await run(argv);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${missing}: error: no such file or folder\n`);
    }
  });
});

describe('the installed binary', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build:node'], { cwd: ROOT, stdio: 'pipe' });
  });

  it('runs through bin/burnrate.js with the documented exit codes', () => {
    const ok = spawnSync('node', [join(ROOT, 'bin', 'burnrate.js'), 'validate', PROM_ONLY], { encoding: 'utf8' });
    expect([ok.status, ok.stdout]).toEqual([0, 'ok: 1 SLO in 1 file\n']);
    const bad = spawnSync('node', [join(ROOT, 'bin', 'burnrate.js'), 'validate', SLOTH.replace('getting-started', 'openslo-getting-started')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('OpenSLO v1alpha is not supported');
    expect(spawnSync('node', [join(ROOT, 'bin', 'burnrate.js'), 'nope'], { encoding: 'utf8' }).status).toBe(2);
  });
});
