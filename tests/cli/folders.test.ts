// Folders as users have them: SLO definitions beside the rules generated from them (Sloth's
// `_gen/` output, `burnrate generate -o` into the same folder, a PrometheusRule manifest). Rule
// files in a folder are skipped with a note; a document of a format Burnrate does not read is an
// error that names it.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { main } from '../../src/cli/main';

const ROOT = join(__dirname, '..', '..');
const SLOTH = join(ROOT, 'tests', 'fixtures', 'anchors', 'sloth');

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** A folder holding Sloth's getting-started spec (1 SLO) and, in _gen/, the rules Sloth made from it. */
function slothFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-folder-'));
  mkdirSync(join(dir, '_gen'));
  copyFileSync(join(SLOTH, 'getting-started.yml'), join(dir, 'getting-started.yml'));
  copyFileSync(join(SLOTH, '_gen', 'getting-started.yml'), join(dir, '_gen', 'getting-started.yml'));
  return dir;
}

const NOTE = (file: string) => `${file}: note: skipped a Prometheus rule file (top-level groups:): rules, not SLO definitions\n`;

describe('a folder with an SLO file and Sloth _gen/ rules', () => {
  it('generate succeeds on the SLO and notes the skipped rule file on stderr', async () => {
    const dir = slothFolder();
    const r = await run(['generate', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(NOTE(join(dir, '_gen', 'getting-started.yml')) + 'generated 34 Prometheus rules in 3 groups for 1 SLO\n');
    expect(parse(r.stdout).groups.map((g: { name: string }) => g.name)).toEqual([
      'burnrate:myservice:requests-availability:rollup',
      'burnrate:myservice:requests-availability:period',
      'burnrate:myservice:requests-availability',
    ]);
  });

  it('validate counts 1 SLO in 1 file; rules generate wrote into the folder are skipped as well', async () => {
    const dir = slothFolder();
    expect((await run(['generate', dir, '-o', join(dir, 'rules.yaml')])).code).toBe(0);
    expect((await run(['generate', dir, '--format', 'prometheusrule', '-o', join(dir, 'rules.k8s.yaml')])).code).toBe(0);
    const r = await run(['validate', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: 1 SLO in 1 file\n');
    expect(r.stderr).toBe(
      NOTE(join(dir, '_gen', 'getting-started.yml')) +
        `${join(dir, 'rules.k8s.yaml')}: note: skipped a PrometheusRule manifest (apiVersion: monitoring.coreos.com/v1): rules, not SLO definitions\n` +
        NOTE(join(dir, 'rules.yaml'))
    );
  });

  it('a folder of rule files only is an error (no SLO definition in it), not an empty success', async () => {
    const dir = slothFolder();
    const r = await run(['validate', join(dir, '_gen')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, '_gen')}: error: no SLO definition in this folder: its only file is a rule file (skipped)`);
  });

  it('a rule file named on its own is refused, saying what it is', async () => {
    const dir = slothFolder();
    const r = await run(['validate', join(dir, '_gen', 'getting-started.yml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, '_gen', 'getting-started.yml')}:6: error: a Prometheus rule file (top-level groups:), such as Sloth's _gen/ output`);
    expect(r.stderr).toContain('not an SLO definition');
  });
});

describe('a format Burnrate does not read', () => {
  it('a Kubernetes object of an unknown kind: exit 1, the message names its kind and apiVersion, nothing written', async () => {
    const dir = slothFolder();
    writeFileSync(join(dir, 'foo.yaml'), 'apiVersion: bar\nkind: Foo\nmetadata: {name: x}\n');
    const out = join(dir, 'rules.yaml');
    const r = await run(['generate', dir, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'foo.yaml')}:1: error: kind: Foo from apiVersion bar is not a format Burnrate reads; it reads Burnrate, OpenSLO, Sloth and Pyrra (`);
    expect(existsSync(out)).toBe(false);
  });

  it("Sloth's Kubernetes resource is named as such, with what to do", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-folder-'));
    writeFileSync(join(dir, 'sloth-crd.yaml'), 'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: {name: x}\nspec: {service: s, slos: []}\n');
    const r = await run(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("kind: PrometheusServiceLevel from apiVersion sloth.slok.dev/v1 is Sloth's Kubernetes resource, which Burnrate does not read; it reads Sloth's prometheus/v1 spec");
  });

  it('a document with a version of another tool names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-folder-'));
    writeFileSync(join(dir, 'other.yaml'), 'version: nobl9/v1\nslos: []\n');
    const r = await run(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('other.yaml:1: error: version: nobl9/v1 is not a format Burnrate reads; it reads Burnrate, OpenSLO, Sloth and Pyrra');
  });
});
