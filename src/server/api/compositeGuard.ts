// Composite SLOs read the recorded events of other SLOs the server holds. A change that would leave
// a composite reading nothing, or events it cannot split by its group-by, is refused: creating or
// changing a composite whose components are missing or do not fit, changing a component so that it
// no longer fits, and deleting a component while a composite still lists it.

import { checkComposites } from '../../core/composites';
import { Diagnostic, Slo } from '../../core/spec/types';
import { SloStore } from '../sloStore';

const same = (a: Slo, b: { service: string; name: string }) => a.service === b.service && a.name === b.name;

function lists(composite: Slo, target: { service: string; name: string }): boolean {
  return composite.sli.kind === 'composite' && composite.sli.components.some((c) => (c.service ?? composite.service) === target.service && c.slo === target.name);
}

/** Problems that storing `incoming` (new or changed SLOs) would cause, against what the store holds. */
export function compositeProblems(store: SloStore, incoming: Slo[]): Diagnostic[] {
  const stored = store.all().map((s) => s.slo);
  const all = [...stored.filter((s) => !incoming.some((n) => same(n, s))), ...incoming];
  const affected = all.filter((s) => incoming.includes(s) || incoming.some((n) => lists(s, n)));
  return checkComposites(affected, all);
}

/** The composites that list an SLO about to be deleted: each a reason to refuse. */
export function compositesListing(store: SloStore, service: string, name: string): string[] {
  return store
    .all()
    .map((s) => s.slo)
    .filter((s) => lists(s, { service, name }))
    .map((s) => `${s.service}/${s.name}`);
}
