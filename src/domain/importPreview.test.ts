import { readFileSync } from 'fs';
import { join } from 'path';
import { previewImport } from './importPreview';

const ROOT = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('previewImport', () => {
  it("names the format and the SLOs of Sloth's getting-started file", () => {
    const p = previewImport(read('tests/fixtures/anchors/sloth/getting-started.yml'));
    expect(p.format).toBe('sloth');
    expect(p.slos).toEqual(['myservice/requests-availability']);
    expect(p.problems.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('reads a native file of several SLOs', () => {
    const p = previewImport(read('docs/examples/availability-per-route.yaml'));
    expect(p.format).toBe('burnrate');
    expect(p.slos.length).toBeGreaterThan(0);
  });

  it('refuses documents of two formats, and says where a bad one is', () => {
    const mixed = `${read('tests/fixtures/anchors/sloth/getting-started.yml')}\n---\n${read('docs/examples/availability-per-route.yaml')}`;
    expect(previewImport(mixed).problems[0].message).toBe(
      'the documents are of several formats (sloth, burnrate): import one format at a time'
    );
    const bad = previewImport(
      ['version: burnrate/v1', 'service: a', 'slos:', '  - name: b', '    objective: 99.5', '    sli:', '      ratio: {errors: x_total, total: y_total}'].join('\n')
    );
    expect(bad.slos).toEqual([]);
    expect(bad.problems[0]).toMatchObject({ severity: 'error', file: 'pasted text', line: 5 });
    expect(bad.problems[0].message).toContain('did you mean 0.995');
  });

  it('shows nothing for an empty text', () => {
    expect(previewImport('  \n')).toEqual({ slos: [], problems: [] });
  });
});
