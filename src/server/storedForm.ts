// An SLO read from any format is stored in its native form (`spec`). The store hands out what
// that spec validates to, so callers that store an SLO validate the spec first and store that:
// what is stored reads back exactly as it was delivered, before and after a restart.

import { sloValue } from '../core/spec/serialize';
import { validateSloObject } from '../core/spec/sloObject';
import { Slo } from '../core/spec/types';

export type StoredForm = { spec: Record<string, unknown>; slo: Slo; error?: undefined } | { error: string };

export function storedForm(slo: Slo): StoredForm {
  const spec = { service: slo.service, ...sloValue(slo) };
  const v = validateSloObject(spec);
  if (!v.slo) {
    const why = v.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path ?? ''}: ${d.message}`);
    return { error: `SLO ${slo.service}/${slo.name} does not validate in the native form it is stored in: ${why.join('; ')}` };
  }
  return { spec, slo: v.slo };
}
