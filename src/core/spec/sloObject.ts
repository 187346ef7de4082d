// One SLO as the API carries it: the native SLO fields plus `service`, in JSON or YAML. Validated
// by the same code as files; field paths in messages are relative to the object.

import { SPEC_VERSION } from './defaults';
import { parseDocuments, SourceDoc } from './document';
import { Diagnostic, Slo } from './types';
import { validateNativeDocument } from './validate';

const PREFIX = /^slos\[0\]\.?/;

export interface SloObjectResult {
  slo?: Slo;
  /** The object as stored: native SLO fields plus service. */
  spec?: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

export function validateSloValue(doc: SourceDoc, file?: string): SloObjectResult {
  const v = doc.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { diagnostics: [{ severity: 'error', file, message: 'expected one SLO as an object with "service", "name", "objective" and "sli"' }] };
  }
  const { service, ...rest } = v as Record<string, unknown>;
  const wrapped: SourceDoc = {
    value: { version: SPEC_VERSION, service, slos: [rest] },
    index: 0,
    lineOf: (p) => doc.lineOf(p.replace(PREFIX, '')),
  };
  const r = validateNativeDocument(wrapped, file);
  const diagnostics = r.diagnostics.map((d) => ({ ...d, path: d.path?.replace(PREFIX, '') || undefined }));
  const slo = r.slos[0];
  if (slo) {
    delete slo.origin;
  }
  return { slo, spec: slo ? { service, ...rest } : undefined, diagnostics };
}

/** Parses a request body (JSON or YAML text) holding one SLO. */
export function validateSloText(text: string, file?: string): SloObjectResult {
  const parsed = parseDocuments(text, file);
  if (parsed.diagnostics.length > 0) {
    return { diagnostics: parsed.diagnostics };
  }
  if (parsed.docs.length !== 1) {
    return { diagnostics: [{ severity: 'error', file, message: `expected one document, got ${parsed.docs.length}` }] };
  }
  return validateSloValue(parsed.docs[0], file);
}

/** Validates one SLO given as a plain object (no source text, so no line numbers). */
export function validateSloObject(value: unknown): SloObjectResult {
  return validateSloValue({ value, index: 0, lineOf: () => undefined });
}
