import { checkComposites } from './composites';
import { loadText } from './load';
import { generateRules } from './rules/generate';
import { toNativeYaml } from './spec/serialize';

const COMPONENTS = `  - name: available
    objective: 0.99
    groupBy: [route]
    sli:
      ratio:
        errors: requests_total{code=~"5.."}
        total: requests_total
  - name: fast
    objective: 0.95
    groupBy: [route, model]
    sli:
      latency:
        metric: ttft_seconds
        threshold: 1
`;

function doc(composite: string, components = COMPONENTS) {
  return loadText(`version: burnrate/v1\nservice: support\nslos:\n${components}${composite}`, 'j.yaml');
}

const JOURNEY = `  - name: journey
    objective: 0.97
    groupBy: [route]
    sli:
      composite:
        components:
          - slo: available
          - slo: fast
            weight: 2.5
`;

describe('composite SLOs', () => {
  it('reads components with weights (default 1) and the composite\'s own service', () => {
    const r = doc(JOURNEY);
    expect(r.diagnostics).toEqual([]);
    const j = r.slos.find((s) => s.name === 'journey')!;
    expect(j.sli).toEqual({ kind: 'composite', source: 'prometheus', components: [{ slo: 'available', weight: 1 }, { slo: 'fast', weight: 2.5 }] });
    expect(checkComposites(r.slos)).toEqual([]);
  });

  it('writes back to the same native definition', () => {
    const r = doc(JOURNEY);
    const again = loadText(toNativeYaml(r.slos), 'again.yaml');
    expect(again.slos.map((s) => ({ ...s, origin: undefined }))).toEqual(r.slos.map((s) => ({ ...s, origin: undefined })));
  });

  it.each([
    ['a weight of 0', '            weight: 2.5', '            weight: 0', 'sli.composite.components[1].weight', '0 is out of range: expected above 0'],
    ['one component', '          - slo: fast\n            weight: 2.5\n', '', 'sli.composite.components', 'a composite combines at least two SLOs'],
    ['a component twice', '          - slo: fast\n            weight: 2.5', '          - slo: available', 'sli.composite.components[1].slo', 'available is listed twice'],
    ['an unknown field', '            weight: 2.5', '            wieght: 2.5', 'sli.composite.components[1].wieght', 'unknown field "wieght"; did you mean "weight"?'],
  ])('rejects %s where it is written', (_t, from, to, path, msg) => {
    const r = doc(JOURNEY.replace(from, to));
    expect(r.slos).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: 'j.yaml', path: `slos[2].${path}`, message: expect.stringContaining(msg) })]);
  });

  it('rejects exclusions on the composite: they belong on its components', () => {
    const r = doc(JOURNEY + '    exclude:\n      - {name: x, label: code, values: ["499"]}\n');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['a composite SLO has no queries of its own: put exclusions on its component SLOs']);
  });

  it('names each component that is missing, does not fit the group-by, or has no event counts', () => {
    const r = doc(
      `  - name: probe
    objective: 0.99
    groupBy: [route]
    sli:
      raw:
        errorRatio: 1 - avg_over_time(up[{{.window}}])
  - name: journey
    objective: 0.97
    groupBy: [route, model]
    sli:
      composite:
        components:
          - slo: available
          - slo: fast
          - slo: probe
          - slo: gone
            service: elsewhere
`
    );
    expect(r.diagnostics).toEqual([]);
    expect(checkComposites(r.slos).map((d) => [d.file, d.line, d.message])).toEqual([
      ['j.yaml', 24, 'support/journey: component 1 (support/available) is not grouped by model, which the composite groups by: its events cannot be split that way (its groupBy: [route]); group the composite by labels every component has'],
      ['j.yaml', 24, 'support/journey: component 3 (support/probe) is a raw error ratio with no event counts to add up'],
      ['j.yaml', 24, "support/journey: component 4 (elsewhere/gone) is not defined: a composite reads the recorded events of SLOs defined with it (the same files, or the server's SLOs)"],
    ]);
  });

  it('generates its rules after its components\', whatever the names', () => {
    const r = doc(JOURNEY.replace('name: journey', 'name: a-journey'));
    expect(generateRules(r.slos).prometheus.map((g) => g.name.split(':')[2]).filter((n, i, a) => a.indexOf(n) === i)).toEqual(['available', 'fast', 'a-journey']);
  });
});
