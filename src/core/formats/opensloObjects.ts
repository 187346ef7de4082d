// OpenSLO objects as read from the documents of one file; they refer to each other by name.

import { SourceDoc } from '../spec/document';
import { Problems } from '../spec/fieldReader';

export const API_VERSION = 'openslo/v1';
/** Group-by labels of a Loki SLI (LogQL log queries have no place for them), on export and import. */
export const GROUP_BY_ANNOTATION = 'burnrate.dev/group-by';

export interface Obj {
  doc: SourceDoc;
  p: Problems;
  /** Field path of the object inside its document: '' or `[i]` for list documents. */
  path: string;
  value: Record<string, unknown>;
  kind: string;
  name?: string;
}

export type Finder = (kind: string, name: string) => Obj | undefined;

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
