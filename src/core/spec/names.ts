// Names and labels shared by every part of a definition: service, SLO and component names, and
// label maps (Prometheus label names, none that Burnrate sets itself).

import { RESERVED_LABELS } from './defaults';
import { MapReader, Problems } from './fieldReader';
import { SIZE_LIMITS } from './sizeLimits';
import { Labels } from './types';
import { isLabelName } from '../promql/escape';

export const NAME_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,126}[a-zA-Z0-9])?$/;
export const NAME_HINT = 'use letters, digits, ".", "_" and "-", starting and ending with a letter or digit (at most 128)';

export function readLabels(r: MapReader, key: string, p: Problems): Labels | undefined {
  const labels = r.stringMap(key, { length: SIZE_LIMITS.labelValue, why: "Mimir's default limit for a label value; every generated series carries it" });
  if (!labels) {
    return undefined;
  }
  for (const name of Object.keys(labels)) {
    if (!isLabelName(name) || name.startsWith('__')) {
      p.error(r.at(key) + '.' + name, `"${name}" is not a valid label name: use [a-zA-Z_][a-zA-Z0-9_]* not starting with "__"`);
    } else if (RESERVED_LABELS.includes(name)) {
      p.error(r.at(key) + '.' + name, `"${name}" is set by Burnrate and cannot be given (reserved: ${RESERVED_LABELS.join(', ')})`);
    }
  }
  return labels;
}
