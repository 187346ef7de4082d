// What an import would create, read in the browser with the loader the server runs: the format,
// the SLOs by service and name, and every problem with its document and line. The server checks
// again; this is what the import dialog shows before anything is sent.

import { detectFormat, Format, loadText } from '../core/load';
import { parseDocuments } from '../core/spec/document';
import { Diagnostic } from '../core/spec/types';

export interface ImportPreview {
  /** The one format of every document, or undefined when there is none or they are mixed. */
  format?: Format;
  slos: string[];
  /** Errors first; an import with any error creates nothing. */
  problems: Diagnostic[];
}

export function previewImport(text: string): ImportPreview {
  if (text.trim() === '') {
    return { slos: [], problems: [] };
  }
  const formats = [...new Set(parseDocuments(text).docs.map((d) => detectFormat(d.value) ?? 'unknown'))];
  const loaded = loadText(text, 'pasted text');
  const problems = [...loaded.diagnostics].sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'));
  if (formats.length > 1) {
    problems.unshift({
      severity: 'error',
      file: 'pasted text',
      message: `the documents are of several formats (${formats.join(', ')}): import one format at a time`,
    });
  }
  const format = formats.length === 1 && formats[0] !== 'unknown' ? (formats[0] as Format) : undefined;
  return { format, slos: loaded.slos.map((s) => `${s.service}/${s.name}`), problems };
}
