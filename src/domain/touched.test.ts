import { validateSpec } from './spec';
import { changedPaths, visibleValidation } from './touched';

describe('changedPaths', () => {
  it('names the leaves that differ, with list items as the validator writes them', () => {
    const a = { objective: 0.99, sli: { quality: { components: [{ good: 'a', total: 't' }] } } };
    const b = { objective: 0.995, sli: { quality: { components: [{ good: 'b', total: 't' }] } } };
    expect(changedPaths(a, b)).toEqual(['objective', 'sli.quality.components[0].good']);
  });

  it('names a field that appeared or went away', () => {
    expect(changedPaths({ a: 1 }, { a: 1, b: { c: 2 } })).toEqual(['b']);
    expect(changedPaths({ a: 1, w: '30d' }, { a: 1 })).toEqual(['w']);
    expect(changedPaths({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('visibleValidation', () => {
  // A template's blank SLO: four problems (service, name, errors and total queries).
  const v = validateSpec({ objective: 0.99, window: '30d', sli: { ratio: { errors: '', total: '' } } });

  it('shows nothing before a field is touched, and everything once a save was tried', () => {
    expect(v.diagnostics.map((d) => d.path)).toEqual(['service', 'name', 'sli.ratio', 'sli.ratio.total']);
    expect(visibleValidation(v, new Set(), false).diagnostics).toEqual([]);
    expect(visibleValidation(v, new Set(), true)).toBe(v);
  });

  it("shows a touched field's messages, and those of the fields above and below it", () => {
    const service = visibleValidation(v, new Set(['service']), false);
    expect(service.diagnostics.map((d) => d.path)).toEqual(['service']);
    // Editing the total query shows its own message and the one about the ratio as a whole.
    const sli = visibleValidation(v, new Set(['sli.ratio.total']), false);
    expect(sli.diagnostics.map((d) => d.path)).toEqual(['sli.ratio', 'sli.ratio.total']);
    expect([...sli.byPath.keys()]).toEqual(['sli.ratio', 'sli.ratio.total']);
  });
});
