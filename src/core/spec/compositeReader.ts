// `sli.composite`: an SLO whose events are the weighted events of other SLOs. Only the list is
// read here; that the components exist and fit (kind, group-by) is checked against the SLOs loaded
// together (composites.ts), since a document alone cannot know them.

import { MapReader, Problems } from './fieldReader';
import { NAME_HINT, NAME_PATTERN } from './names';
import { CompositeComponent, CompositeSli } from './types';

export function readComposite(r: MapReader, p: Problems): CompositeSli | undefined {
  r.allowOnly(['components']);
  const items = r.list('components', { required: true, nonEmpty: true }) ?? [];
  const components: CompositeComponent[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const c = new MapReader(item, `${r.at('components')}[${i}]`, p);
    if (!c.ok) {
      return;
    }
    c.allowOnly(['slo', 'service', 'weight']);
    const slo = c.string('slo', { required: true, pattern: NAME_PATTERN, patternHint: NAME_HINT });
    const service = c.string('service', { pattern: NAME_PATTERN, patternHint: NAME_HINT });
    const weight = c.number('weight', { min: 0, exclusive: true }) ?? (c.has('weight') ? undefined : 1);
    if (slo === undefined || weight === undefined) {
      return;
    }
    const key = `${service ?? ''}/${slo}`;
    if (seen.has(key)) {
      p.error(c.at('slo'), `${service ? `${service}/` : ''}${slo} is listed twice: give each component once, with its weight`);
      return;
    }
    seen.add(key);
    components.push({ slo, ...(service !== undefined ? { service } : {}), weight });
  });
  if (items.length === 1) {
    p.error(r.at('components'), 'a composite combines at least two SLOs: with one, define the SLO itself');
  }
  return p.hasErrors ? undefined : { kind: 'composite', source: 'prometheus', components };
}
