// Composite SLOs read the recorded events of other SLOs the server holds. A change that would leave
// a composite reading nothing, or events it cannot split by its group-by, is refused: creating or
// changing a composite whose components are missing or do not fit, changing a component so that it
// no longer fits, and deleting a component while a composite still lists it. Only composites and
// the SLOs they name are read, so an ordinary change costs one indexed query.

import { checkComposites } from '../../core/composites';
import { Diagnostic, Slo } from '../../core/spec/types';
import { SloStore } from '../sloStore';

type Id = { service: string; name: string };
const key = (s: Id) => `${s.service}/${s.name}`;

function componentIds(composite: Slo): Id[] {
  return composite.sli.kind === 'composite' ? composite.sli.components.map((c) => ({ service: c.service ?? composite.service, name: c.slo })) : [];
}

/** Problems that storing `incoming` (new or changed SLOs) would cause, against what the store holds. */
export async function compositeProblems(store: SloStore, incoming: Slo[]): Promise<Diagnostic[]> {
  const byKey = new Map(incoming.map((s) => [key(s), s]));
  const listing = (await store.composites())
    .map((s) => s.slo)
    .filter((c) => !byKey.has(key(c)) && componentIds(c).some((id) => byKey.has(key(id))));
  const affected = [...incoming.filter((s) => s.sli.kind === 'composite'), ...listing];
  const known = new Map(byKey);
  for (const id of affected.flatMap(componentIds)) {
    if (!known.has(key(id))) {
      const stored = (await store.get(id.service, id.name))?.slo;
      if (stored) {
        known.set(key(id), stored);
      }
    }
  }
  return checkComposites(affected, [...known.values()]);
}

/** The composites that list an SLO about to be deleted: each a reason to refuse. */
export async function compositesListing(store: SloStore, service: string, name: string): Promise<string[]> {
  return (await store.composites())
    .map((s) => s.slo)
    .filter((c) => componentIds(c).some((id) => id.service === service && id.name === name))
    .map((s) => key(s));
}
