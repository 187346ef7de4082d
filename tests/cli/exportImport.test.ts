// What `export` and `import` cannot carry is said, per SLO, and an empty result is an error
// (issue 15: `burnrate export --to openslo examples/` exited 0 without the quality and cost SLOs,
// and `import` of a file holding no SLO wrote an empty file and exited 0).

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../src/cli/main';
import { loadText } from '../../src/core/load';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const dir = mkdtempSync(join(tmpdir(), 'burnrate-export-import-'));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// examples/llm-gateway.yaml holds 6 SLOs: 4 that OpenSLO expresses, a blended quality SLO
// (line 43) and a cost SLO (line 63) that it cannot. (The other examples have SLOs of both kinds
// too: these tests export that one file.)
describe('export --to openslo', () => {
  it('an SLO OpenSLO cannot express is an error naming it, where and why: exit 1, nothing written', async () => {
    const out = join(dir, 'all.yaml');
    const r = await run(['export', '--to', 'openslo', join(EXAMPLES, 'llm-gateway.yaml'), '-o', out]);
    expect(r.code).toBe(1);
    const example = join(EXAMPLES, 'llm-gateway.yaml');
    expect(r.stderr.split('\n').filter((l) => l.includes(': error: '))).toEqual([
      `${example}:43: error: llm-gateway/answer-quality: not exported: OpenSLO cannot express it: a weighted blend of several quality components has no OpenSLO form (export each component as its own SLO)`,
      `${example}:63: error: llm-gateway/cost-per-request: not exported: OpenSLO cannot express it: cost per request is a soft SLO on an average, not a ratio of good events`,
    ]);
    expect(r.stderr).toContain('error: 2 SLOs of 6 cannot be written as OpenSLO; nothing written (--skip-unsupported writes the other 4)');
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('--skip-unsupported writes the other 4 and warns once per skipped SLO on stderr', async () => {
    const out = join(dir, 'some.yaml');
    const r = await run(['export', '--to', 'openslo', join(EXAMPLES, 'llm-gateway.yaml'), '--skip-unsupported', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => / warning: .*not exported/.test(l))).toEqual([
      expect.stringMatching(/llm-gateway\.yaml:43: warning: llm-gateway\/answer-quality: not exported: /),
      expect.stringMatching(/llm-gateway\.yaml:63: warning: llm-gateway\/cost-per-request: not exported: /),
    ]);
    expect(r.stderr).toMatch(/exported 4 SLOs to OpenSLO; skipped 2\n$/);
    const back = loadText(readFileSync(out, 'utf8'), out);
    expect(back.slos.map((s) => s.name)).toEqual(['chat-availability', 'chat-ttft', 'chat-ttft-p95-slices', 'judge-verdicts-loki']);
  });

  it('nothing left to write is an error, with or without --skip-unsupported', async () => {
    const cost = file(
      'cost.yaml',
      `version: burnrate/v1
service: gw
slos:
  - name: spend
    sli:
      cost: {cost: spend_usd_total, requests: requests_total, target: 0.002}
`
    );
    const out = join(dir, 'none.yaml');
    const r = await run(['export', '--to', 'openslo', cost, '--skip-unsupported', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: no SLO could be written as OpenSLO; nothing written');
    expect(existsSync(out)).toBe(false);

    const services = file('services-only.yaml', 'apiVersion: openslo/v1\nkind: Service\nmetadata: {name: gw}\nspec: {}\n');
    const none = await run(['export', '--to', 'openslo', services, '-o', out]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`error: no SLO in ${services}: nothing to export`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('import: a file that holds no SLO is an error, in every format, and nothing is written', () => {
  it.each([
    ['openslo', 'Service objects only', 'apiVersion: openslo/v1\nkind: Service\nmetadata: {name: gw}\nspec: {}\n', 'the file holds no SLO: nothing to import'],
    ['openslo', 'an SLI only', 'apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: errors}\nspec:\n  ratioMetric:\n    counter: true\n    good: {metricSource: {type: Prometheus, spec: {query: ok_total}}}\n    total: {metricSource: {type: Prometheus, spec: {query: all_total}}}\n', 'the file holds no SLO: nothing to import'],
    ['openslo', 'an empty file', '', 'the file holds no document'],
    ['sloth', 'comments only', '# slos: []\n', 'the file holds no document'],
    ['sloth', 'an empty slos list', 'version: prometheus/v1\nservice: gw\nslos: []\n', 'slos: must not be empty'],
  ])('--from %s, %s', async (from, what, text, message) => {
    const input = file(`${from}-${what.replace(/ /g, '-')}.yaml`, text);
    const out = join(dir, `imported-${from}-${what.replace(/ /g, '-')}.yaml`);
    const r = await run(['import', '--from', from, input, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('holds  documents');
    expect(existsSync(out)).toBe(false);
  });
});
