// OpenSLO composite SLOs (objectives that carry their own indicator and a compositeWeight) as
// Burnrate composites. Burnrate composites combine SLOs, so each objective's indicator must be the
// indicator of a kind SLO in the same file (inline with that metadata.name, or the SLI it refers
// to): that SLO is the component, the compositeWeight its weight (default 1). Burnrate composites
// have one objective, so every objective must give the same target.

import { MapReader } from '../spec/fieldReader';
import { formatNumber } from '../spec/numbers';
import { PathMap } from './sloth';
import { Obj } from './opensloObjects';

export interface CompositeRead {
  sli: Record<string, unknown>;
  objective?: number;
  map: PathMap;
}

/** Whether an SLO's objectives make it a composite. */
export function isComposite(objectives: unknown[]): boolean {
  return objectives.some(
    (x) => typeof x === 'object' && x !== null && ['indicator', 'indicatorRef', 'compositeWeight'].some((k) => k in (x as object))
  );
}

/** The name of an SLO's indicator: its inline indicator's metadata.name, or its indicatorRef. */
function indicatorName(o: Obj): string | undefined {
  const spec = o.value.spec as Record<string, unknown> | undefined;
  const inline = spec?.indicator as { metadata?: { name?: unknown } } | undefined;
  const name = inline?.metadata?.name ?? spec?.indicatorRef;
  return typeof name === 'string' ? name : undefined;
}

function objectiveTarget(ob: MapReader): number | undefined {
  if (ob.has('target') && ob.has('targetPercent')) {
    ob.problems.error(ob.path, 'give either "target" or "targetPercent", not both');
    return undefined;
  }
  if (ob.has('targetPercent')) {
    const t = ob.number('targetPercent', { required: true, min: 0, max: 100, exclusive: true });
    return t === undefined ? undefined : Number((t / 100).toPrecision(12));
  }
  return ob.number('target', { required: true, min: 0, max: 1, exclusive: true });
}

export function readComposite(spec: MapReader, service: string | undefined, self: Obj, slos: Obj[]): CompositeRead | undefined {
  const p = spec.problems;
  const items = spec.list('objectives') ?? [];
  const components: Array<Record<string, unknown>> = [];
  const targets: number[] = [];
  const map: PathMap = { 'slos[0].sli': spec.at('objectives'), 'slos[0].objective': `${spec.at('objectives')}[0]` };
  items.forEach((item, i) => {
    const ob = new MapReader(item, `${spec.at('objectives')}[${i}]`, p);
    if (!ob.ok) {
      return;
    }
    ob.allowOnly(['displayName', 'target', 'targetPercent', 'indicator', 'indicatorRef', 'compositeWeight']);
    const target = objectiveTarget(ob);
    if (target !== undefined) {
      targets.push(target);
    }
    const weight = ob.number('compositeWeight', { min: 0, exclusive: true }) ?? 1;
    const key = ob.has('indicator') ? 'indicator' : 'indicatorRef';
    const name = key === 'indicator' ? ob.child('indicator').child('metadata', true).string('name', { required: true }) : ob.string('indicatorRef');
    if (name === undefined) {
      if (!ob.has('indicator')) {
        p.error(ob.path, 'an objective of a composite SLO needs "indicator" or "indicatorRef": the indicator of the SLO it combines');
      }
      return;
    }
    const comp = slos.find((o) => o !== self && indicatorName(o) === name);
    if (!comp) {
      p.error(
        ob.at(key),
        `indicator ${JSON.stringify(name)} is not the indicator of a kind SLO in this file: Burnrate composites combine SLOs, so each objective's indicator must be one that an SLO of the same file uses (inline with that metadata.name, or as its indicatorRef)`
      );
      return;
    }
    const compService = (comp.value.spec as Record<string, unknown> | undefined)?.service;
    components.push({
      slo: comp.name,
      ...(typeof compService === 'string' && compService !== service ? { service: compService } : {}),
      ...(weight !== 1 ? { weight } : {}),
    });
    map[`slos[0].sli.composite.components[${components.length - 1}]`] = ob.path;
  });
  if (new Set(targets).size > 1) {
    p.error(
      spec.at('objectives'),
      `a Burnrate composite has one objective, but the objectives' targets differ (${targets.map(formatNumber).join(', ')}): give every objective the composite's target`
    );
  }
  return p.hasErrors ? undefined : { sli: { composite: { components } }, objective: targets[0], map };
}
