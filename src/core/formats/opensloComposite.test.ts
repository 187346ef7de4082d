import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../load';
import { checkComposites } from '../composites';
import { exportOpenSLODocuments } from './opensloExport';

const EXAMPLE = join(__dirname, '../../../docs/examples/support-journey.yaml');
const strip = (s: object) => ({ ...s, origin: undefined });

describe('composite SLOs as OpenSLO v1 composites', () => {
  const native = loadText(readFileSync(EXAMPLE, 'utf8'), 'support-journey.yaml');

  it('export: one objective per component with its indicator, the composite target and compositeWeight', () => {
    const r = exportOpenSLODocuments(native.slos);
    expect([r.exported, r.skipped]).toEqual([4, []]);
    const docs = parseAllDocuments(r.text).map((d) => d.toJS());
    const journey = docs.find((d) => d.metadata.name === 'support-journey');
    expect(journey.metadata.annotations).toEqual({ 'burnrate.dev/group-by': 'route' });
    expect(journey.spec.indicator).toBeUndefined();
    expect(journey.spec.objectives.map((o: Record<string, unknown>) => [o.displayName, o.target, o.compositeWeight, (o.indicator as { metadata: { name: string } }).metadata.name])).toEqual([
      ['support-assistant/support-available', 0.97, 1, 'support-available-sli'],
      ['support-assistant/support-fast', 0.97, 2, 'support-fast-sli'],
      ['support-assistant/support-good', 0.97, 1, 'support-good-sli'],
    ]);
    const fast = docs.find((d) => d.metadata.name === 'support-fast');
    expect(journey.spec.objectives[1].indicator).toEqual(fast.spec.indicator);
  });

  it('imports back to the same SLOs, composite included', () => {
    const back = loadText(exportOpenSLODocuments(native.slos).text, 'openslo.yaml');
    expect(back.diagnostics).toEqual([]);
    expect(checkComposites(back.slos)).toEqual([]);
    const byName = (slos: typeof native.slos) => [...slos].sort((a, b) => a.name.localeCompare(b.name)).map(strip);
    expect(byName(back.slos)).toEqual(byName(native.slos));
  });

  it('skips a composite whose component is not exported, saying why', () => {
    const r = exportOpenSLODocuments(native.slos.filter((s) => s.name !== 'support-good'));
    expect(r.skipped.map((x) => [x.slo.name, x.reason])).toEqual([
      [
        'support-journey',
        "its component support-assistant/support-good is not exported with it as an event-counting (Occurrences) SLO, and OpenSLO composites carry their components' indicators",
      ],
    ]);
  });

  describe('import rejects what a Burnrate composite cannot be, at the field', () => {
    const text = exportOpenSLODocuments(native.slos).text;
    const composite = (edit: (t: string) => string) => {
      const docs = text.split('---\n');
      const i = docs.findIndex((d) => d.includes('name: support-journey'));
      docs[i] = edit(docs[i]);
      return loadText(docs.join('---\n'), 'o.yaml');
    };

    it.each([
      ['differing targets', (t: string) => t.replace('target: 0.97', 'target: 0.9'), 'spec.objectives', "the objectives' targets differ (0.9, 0.97, 0.97)"],
      ['an indicator no SLO of the file uses', (t: string) => t.replace('name: support-good-sli', 'name: elsewhere-sli'), 'spec.objectives[2].indicator', 'indicator "elsewhere-sli" is not the indicator of a kind SLO in this file'],
      ['a weight of 0', (t: string) => t.replace('compositeWeight: 2', 'compositeWeight: 0'), 'spec.objectives[1].compositeWeight', '0 is out of range: expected above 0'],
      ['Timeslices', (t: string) => t.replace('budgetingMethod: Occurrences', 'budgetingMethod: Timeslices'), 'spec.budgetingMethod', 'a composite SLO combines events: it needs budgetingMethod Occurrences'],
    ])('%s', (_t, edit, path, msg) => {
      const r = composite(edit);
      expect(r.slos).toEqual([]);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([
        expect.objectContaining({ file: 'o.yaml', path: expect.stringMatching(new RegExp(`${path.replace(/[.[\]]/g, '\\$&')}$`)), message: expect.stringContaining(msg) }),
      ]);
    });
  });
});
