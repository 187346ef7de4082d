// Small pieces every API handler uses: errors in the API's shape, bodies, If-Match, query numbers.

import { Diagnostic, formatDiagnostic } from '../../core/spec/types';
import { Ctx, HttpError } from '../http/router';
import { StoreError } from '../sloStore';
import { StatusUnavailable } from '../status/statusService';

export function invalid(diagnostics: Diagnostic[]): HttpError {
  return new HttpError(
    422,
    diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)).join('\n') || 'invalid SLO',
    diagnostics.map((d) => ({ severity: d.severity, path: d.path, line: d.line, message: d.message }))
  );
}

export async function storeCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StoreError) {
      throw new HttpError(e.status, e.message);
    }
    throw e;
  }
}

export async function statusCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StatusUnavailable) {
      throw new HttpError(503, e.message, undefined, { 'Retry-After': '10' });
    }
    throw e;
  }
}

/** A JSON body that must be an object (not null, a list or a scalar). */
export async function objectBody(ctx: Ctx): Promise<Record<string, unknown>> {
  const b = await ctx.json();
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new HttpError(400, 'the body must be a JSON object');
  }
  return b as Record<string, unknown>;
}

export function etag(version: number): string {
  return `"${version}"`;
}

/** Version from If-Match (`"3"`, `W/"3"` or `3`). */
export function ifMatch(ctx: Ctx, required: boolean): number | undefined {
  const h = ctx.headers['if-match'];
  if (h === undefined) {
    if (required) {
      throw new HttpError(428, 'send If-Match with the version you edited (the ETag of GET), so that a concurrent edit is not overwritten');
    }
    return undefined;
  }
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(h).trim());
  if (!m) {
    throw new HttpError(400, `If-Match must be a version such as "3", got ${JSON.stringify(h)}`);
  }
  return Number(m[1]);
}

export function int(ctx: Ctx, name: string, fallback: number, max: number): number {
  const v = ctx.query.get(name);
  if (v === null) {
    return fallback;
  }
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new HttpError(400, `${name} must be a whole number from 0 to ${max}`);
  }
  return n;
}
