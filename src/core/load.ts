// One entry point for definitions in any supported format: native Burnrate, OpenSLO v1, Sloth
// prometheus/v1 and Pyrra ServiceLevelObjective resources, detected from each document's content.

import { ParsedFile, parseDocuments, SourceDoc } from './spec/document';
import { Diagnostic, Slo } from './spec/types';
import { validateNativeDocument } from './spec/validate';
import { importOpenSLO } from './formats/openslo';
import { importSloth } from './formats/sloth';
import { importPyrra, isPyrraList, PYRRA_KIND } from './formats/pyrra';
import { ruleDocumentKind, unsupportedDocumentMessage } from './formats/otherDocuments';

export type Format = 'burnrate' | 'openslo' | 'sloth' | 'pyrra';

export interface LoadResult {
  slos: Slo[];
  diagnostics: Diagnostic[];
}

/** What a document is, from its version fields. */
export function detectFormat(value: unknown): Format | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  // Any burnrate/* version goes to the native validator, which names the versions it supports.
  if (typeof v.version === 'string' && v.version.startsWith('burnrate/')) {
    return 'burnrate';
  }
  if (typeof v.apiVersion === 'string' && v.apiVersion.startsWith('openslo/')) {
    return 'openslo';
  }
  if (Array.isArray(value) && value.length > 0 && detectFormat(value[0]) === 'openslo') {
    return 'openslo';
  }
  if (typeof v.version === 'string' && v.version.startsWith('prometheus/')) {
    return 'sloth';
  }
  // Any pyrra.dev/* version, Pyrra's kind under another apiVersion (the importer names what it
  // reads), or a Kubernetes List of Pyrra resources (kubectl get slo -o yaml).
  if ((typeof v.apiVersion === 'string' && v.apiVersion.startsWith('pyrra.dev/')) || v.kind === PYRRA_KIND || isPyrraList(v)) {
    return 'pyrra';
  }
  return undefined;
}

function validateDoc(doc: SourceDoc, file: string | undefined): LoadResult {
  const format = detectFormat(doc.value);
  switch (format) {
    case 'burnrate':
      return validateNativeDocument(doc, file);
    case 'sloth':
      return importSloth(doc, file);
    case 'pyrra':
      return importPyrra(doc, file);
    case 'openslo':
      // OpenSLO objects refer to each other across the documents of a file: loadText passes them
      // all at once; a lone document is read on its own.
      return importOpenSLO([doc], file);
    default:
      return { slos: [], diagnostics: [{ severity: 'error', file, line: doc.lineOf(''), message: unsupportedDocumentMessage(doc.value) }] };
  }
}

/** What kind of rule file a parsed file is, when every document in it is rules generated from
 * SLOs (and it has at least one and parsed cleanly); undefined otherwise. */
export function ruleFileKind(parsed: ParsedFile): string | undefined {
  if (parsed.diagnostics.length > 0 || parsed.docs.length === 0) {
    return undefined;
  }
  const kinds = parsed.docs.map((d) => ruleDocumentKind(d.value));
  return kinds.every((k) => k !== undefined) ? kinds[0] : undefined;
}

/** Parses and validates every document of a file. Any error means no SLOs at all. */
export function loadText(text: string, file?: string): LoadResult {
  return loadParsed(parseDocuments(text, file));
}

/** Validates the documents of a parsed file (for callers that looked at the documents first). */
export function loadParsed(parsed: ParsedFile): LoadResult {
  const file = parsed.file;
  const diagnostics = [...parsed.diagnostics];
  const slos: Slo[] = [];
  if (parsed.docs.length === 0 && diagnostics.length === 0) {
    diagnostics.push({ severity: 'error', file, message: 'the file holds no document' });
  }
  const openslo = parsed.docs.filter((d) => detectFormat(d.value) === 'openslo');
  for (const doc of parsed.docs) {
    if (openslo.includes(doc)) {
      if (doc === openslo[0]) {
        const r = importOpenSLO(openslo, file);
        diagnostics.push(...r.diagnostics);
        slos.push(...r.slos);
      }
      continue;
    }
    const r = validateDoc(doc, file);
    diagnostics.push(...r.diagnostics);
    slos.push(...r.slos);
  }
  return checkUnique(diagnostics.some((d) => d.severity === 'error') ? [] : slos, diagnostics);
}

/** For an import: a file that holds no SLO is an error, so that writing or storing nothing never
 * looks like success. (Other files tell why: an OpenSLO file of Service or SLI objects only.) */
export function requireSlo(r: LoadResult, file?: string): LoadResult {
  if (r.slos.length > 0 || r.diagnostics.some((d) => d.severity === 'error')) {
    return r;
  }
  return { slos: [], diagnostics: [...r.diagnostics, { severity: 'error', file, message: 'the file holds no SLO: nothing to import' }] };
}

/** SLOs are identified by service and name; a second definition is an error. */
export function checkUnique(slos: Slo[], diagnostics: Diagnostic[] = []): LoadResult {
  const seen = new Map<string, Slo>();
  const out: Diagnostic[] = [...diagnostics];
  for (const slo of slos) {
    const key = `${slo.service}/${slo.name}`;
    const prev = seen.get(key);
    if (prev) {
      out.push({
        severity: 'error',
        file: slo.origin?.file,
        line: slo.origin?.line,
        message: `duplicate SLO "${slo.name}" in service "${slo.service}" (also defined at ${prev.origin?.file ?? '?'}:${prev.origin?.line ?? '?'})`,
      });
    }
    seen.set(key, slo);
  }
  return { slos: out.some((d) => d.severity === 'error') ? [] : slos, diagnostics: out };
}
