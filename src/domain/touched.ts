// Which validation messages the editor shows: a field's messages appear once the user has changed
// it (or tried to save), not while a template's empty fields wait to be filled in.

import { Validation } from './spec';

/** Leaf paths, in the validator's form (`sli.quality.components[0].good`), where a and b differ. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (a === b) {
    return [];
  }
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) {
    return [prefix];
  }
  const out: string[] = [];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const p = Array.isArray(a) ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k;
    out.push(...changedPaths((a as any)[k], (b as any)[k], p));
  }
  return out;
}

function related(a: string, b: string): boolean {
  const under = (x: string, y: string) => x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return under(a, b) || under(b, a);
}

/**
 * The validation restricted to what the user touched: a message is kept when its path is a touched
 * path, below one or above one (a message on `sli.ratio` when `sli.ratio.total` was edited).
 * Messages without a path (the whole SLO) appear once anything was touched. `all` (a save was
 * tried) keeps everything. `slo` is unchanged: saving still needs the whole SLO valid.
 */
export function visibleValidation(v: Validation, touched: ReadonlySet<string>, all: boolean): Validation {
  if (all) {
    return v;
  }
  const shown = (path: string | undefined) =>
    !path ? touched.size > 0 : [...touched].some((t) => related(path, t));
  const byPath = new Map([...v.byPath].filter(([p]) => shown(p)));
  return { ...v, diagnostics: v.diagnostics.filter((d) => shown(d.path)), byPath };
}
