// Composite SLOs read other SLOs' recorded events, so they are checked against the SLOs defined with
// them (the files given to one command, or the server's SLOs): every component exists, has event
// counts (not a raw ratio, a cost, or another composite), and is grouped by every label the
// composite groups by, so that its events can be split the same way.

import { Diagnostic, Slo } from './spec/types';

const key = (service: string, name: string) => `${service}/${name}`;

/** Problems of each composite among `slos`, found against `all` (default: `slos` themselves). */
export function checkComposites(slos: Slo[], all: Slo[] = slos): Diagnostic[] {
  const byKey = new Map(all.map((s) => [key(s.service, s.name), s]));
  const out: Diagnostic[] = [];
  for (const slo of slos) {
    if (slo.sli.kind !== 'composite') {
      continue;
    }
    const at = { file: slo.origin?.file, line: slo.origin?.line };
    const error = (message: string) => out.push({ severity: 'error', ...at, message: `${key(slo.service, slo.name)}: ${message}` });
    slo.sli.components.forEach((c, i) => {
      const id = key(c.service ?? slo.service, c.slo);
      const what = `component ${i + 1} (${id})`;
      const comp = byKey.get(id);
      if (!comp) {
        error(`${what} is not defined: a composite reads the recorded events of SLOs defined with it (the same files, or the server's SLOs)`);
        return;
      }
      if (comp.sli.kind === 'composite' || comp.sli.kind === 'raw' || comp.sli.kind === 'cost') {
        const why = {
          composite: 'is itself a composite: list its components instead',
          raw: 'is a raw error ratio with no event counts to add up',
          cost: 'is a cost SLO: its events are money spent, not bad and total events',
        }[comp.sli.kind];
        error(`${what} ${why}`);
        return;
      }
      const missing = slo.groupBy.filter((g) => !comp.groupBy.includes(g));
      if (missing.length) {
        error(
          `${what} is not grouped by ${missing.join(', ')}, which the composite groups by: its events cannot be split that way (its groupBy: [${comp.groupBy.join(', ')}]); group the composite by labels every component has`
        );
      }
    });
  }
  return out;
}
