// Work too big for one turn of the event loop that cannot be cut into slices: parsing a whole
// import body, Prometheus's list of every rule group, a ruler's namespace. These functions run in
// the worker thread (worker.ts) with the same core code the server uses, and take and return plain
// data (structured clone). Big answers from Prometheus or a ruler are fetched by the worker itself.

import { parse } from 'yaml';
import { detectFormat, loadText, requireSlo } from '../../core/load';
import { parseDocuments } from '../../core/spec/document';
import { Diagnostic, Slo } from '../../core/spec/types';
import { canonicalGroup } from '../delivery/rulerCanonical';
import { storedForm } from '../storedForm';
import { Upstream, UpstreamError, UpstreamInit, UpstreamOptions, UpstreamResponse } from '../upstream';

export interface ImportBody {
  /** The format of each document ('unknown' when none is recognised). */
  formats: string[];
  /** Each SLO as it will be stored (`spec`) and as the store reads it back (`slo`). */
  slos: Array<{ spec: Record<string, unknown>; slo: Slo }>;
  diagnostics: Diagnostic[];
}

/** Parses and validates an import body in any supported format, and each SLO in the native form
 * it is stored in, so that what is stored reads back as imported. */
export function importBody(text: string, file: string): ImportBody {
  const formats = [...new Set(parseDocuments(text).docs.map((doc) => detectFormat(doc.value) ?? 'unknown'))];
  const loaded = requireSlo(loadText(text, file), file);
  const diagnostics = [...loaded.diagnostics];
  const slos: ImportBody['slos'] = [];
  for (const slo of loaded.slos) {
    const f = storedForm(slo);
    if (f.error === undefined) {
      slos.push(f);
    } else {
      diagnostics.push({ severity: 'error', file, message: f.error });
    }
  }
  return { formats, slos: diagnostics.some((d) => d.severity === 'error') ? [] : slos, diagnostics };
}

/** A request made from the worker, with the options of the server's Upstream (the same allowed
 * origins, timeout and retries): a big answer is then read and parsed off the event loop, which
 * would otherwise spend seconds copying 100 MB into one buffer. */
export interface OffThreadRequest {
  options: UpstreamOptions;
  url: string;
  init: UpstreamInit;
}

/** An answer, or the UpstreamError it failed with (errors lose their class crossing threads). */
export type Fetched<T> = { value: T; error?: undefined } | { error: { message: string; status?: number; body?: string } };

async function fetched<T>(req: OffThreadRequest, read: (res: UpstreamResponse) => T): Promise<Fetched<T>> {
  try {
    return { value: read(await new Upstream(req.options).request(req.url, req.init)) };
  } catch (e) {
    const u = e as UpstreamError;
    return { error: { message: u.message, status: u.status, body: u.body?.slice(0, 2000) } };
  }
}

/** Name and file of every group Prometheus has loaded, from /api/v1/rules (which lists every rule
 * of every group: 12 MB for 1,000 SLOs, 120 MB for 10,000). */
export function loadedRuleGroups(req: OffThreadRequest): Promise<Fetched<Array<{ name: string; file: string }>>> {
  return fetched(req, (res) => {
    let parsed: { status?: string; error?: string; data?: { groups?: Array<{ name: string; file: string }> } };
    try {
      parsed = JSON.parse(res.body);
    } catch {
      throw new UpstreamError(`Prometheus /api/v1/rules answered ${res.status} with a body that is not JSON`, res.status);
    }
    if (parsed?.status !== 'success' || !Array.isArray(parsed.data?.groups)) {
      throw new UpstreamError(`Prometheus /api/v1/rules failed: ${parsed?.error ?? res.status}`, res.status);
    }
    return parsed.data!.groups!.map((g) => ({ name: g.name, file: g.file }));
  });
}

/** A ruler's namespace as group name -> canonical form (rulerCanonical.ts); other answers than
 * 200 are returned with their status and body. */
export function rulerNamespaceGroups(req: OffThreadRequest, namespace: string): Promise<Fetched<{ status: number; body?: string; groups: Array<[string, string]> }>> {
  return fetched(req, (res) => {
    if (res.status !== 200) {
      return { status: res.status, body: res.body.slice(0, 2000), groups: [] };
    }
    let doc: Record<string, unknown[]>;
    try {
      doc = (parse(res.body) ?? {}) as Record<string, unknown[]>;
    } catch (e) {
      throw new UpstreamError(`ruler answered rules that are not YAML: ${(e as Error).message}`, res.status);
    }
    return { status: 200, groups: (doc[namespace] ?? []).map((g) => [(g as { name: string }).name, canonicalGroup(g)] as [string, string]) };
  });
}

/** A Fetched answer's value, or its error thrown again as an UpstreamError. */
export function valueOf<T>(f: Fetched<T>): T {
  if (f.error) {
    throw new UpstreamError(f.error.message, f.error.status, f.error.body);
  }
  return f.value;
}

export const tasks = { importBody, loadedRuleGroups, rulerNamespaceGroups };
export type Tasks = typeof tasks;
