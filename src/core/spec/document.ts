// YAML/JSON documents with positions: every value can be traced back to its line so that errors
// say where. JSON is read through the YAML parser too (YAML 1.2 is a superset of JSON).

import { isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { Diagnostic } from './types';

export interface SourceDoc {
  /** Plain JS value of the document. */
  value: unknown;
  /** Line (1-based) of a field path such as `slos[0].objective`. */
  lineOf(path: string): number | undefined;
  /** 0-based index of the document in its file. */
  index: number;
}

export interface ParsedFile {
  file?: string;
  docs: SourceDoc[];
  diagnostics: Diagnostic[];
}

/** Deeper than any SLO definition needs; deeper input would only exhaust the parser's stack. */
export const MAX_NESTING = 64;
const MAX_INDENT = 256;

/** Where a text nests flow collections ([ and {) or indents deeper than a definition can. */
function tooDeep(text: string): { offset: number; message: string } | undefined {
  let depth = 0;
  let quote: string | undefined;
  let lineStart = 0;
  let leading = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = i + 1;
      leading = true;
      continue;
    }
    if (leading && c !== ' ' && c !== '\t') {
      leading = false;
      // Compact nested sequences ("- - - x") nest on one line.
      const run = c === '-' ? /^(?:-[ \t]+)+/.exec(text.slice(i, i + 4 * MAX_NESTING + 8)) : null;
      if (run && (run[0].match(/-/g) ?? []).length > MAX_NESTING) {
        return { offset: i, message: `nested deeper than ${MAX_NESTING} levels` };
      }
    }
    if (quote) {
      if (c === '\\' && quote === '"') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) {
        return { offset: i, message: `nested deeper than ${MAX_NESTING} levels` };
      }
    } else if (c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    } else if (c !== ' ' && i - lineStart > MAX_INDENT && text.slice(lineStart, i).trim() === '') {
      return { offset: i, message: `indented deeper than ${MAX_INDENT} columns` };
    }
  }
  return undefined;
}

/** Parses every document of a YAML or JSON text. Syntax errors come back as diagnostics. */
export function parseDocuments(text: string, file?: string): ParsedFile {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const docs: SourceDoc[] = [];
  const deep = tooDeep(text);
  if (deep) {
    const line = text.slice(0, deep.offset).split('\n').length;
    return { file, docs, diagnostics: [{ severity: 'error', file, line, message: `not a definition: ${deep.message}` }] };
  }
  // Duplicate keys are found in walk() below: the parser's own check is quadratic in the keys.
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const list = Array.isArray(parsed) ? parsed : [parsed];
  list.forEach((doc, index) => {
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      diagnostics.push({
        severity: 'error',
        file,
        line: pos.line,
        column: pos.col,
        message: `not valid YAML/JSON: ${err.message.split('\n')[0]}`,
      });
    }
    if (doc.errors.length > 0 || doc.contents === null) {
      return;
    }
    const lines = new Map<string, number>();
    const duplicates: Diagnostic[] = [];
    const walk = (node: unknown, path: string) => {
      const n = node as Node | null;
      // A mapping's own line is its key's line (set by the parent), not its first child's.
      if (n && n.range && !lines.has(path)) {
        lines.set(path, lineCounter.linePos(n.range[0]).line);
      }
      if (isMap(n)) {
        const seen = new Set<string>();
        for (const item of n.items) {
          const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
          const childPath = path ? `${path}.${key}` : key;
          if (seen.has(key)) {
            const keyNode = item.key as Node | null;
            const pos = lineCounter.linePos(keyNode?.range?.[0] ?? n.range?.[0] ?? 0);
            duplicates.push({ severity: 'error', file, line: pos.line, column: pos.col, path: childPath, message: `not valid YAML/JSON: map keys must be unique; "${key}" is repeated` });
          }
          seen.add(key);
          const keyNode = item.key as Node | null;
          if (keyNode && keyNode.range) {
            lines.set(childPath, lineCounter.linePos(keyNode.range[0]).line);
          }
          if (item.value && (isMap(item.value) || isSeq(item.value))) {
            walk(item.value, childPath);
          }
        }
      } else if (isSeq(n)) {
        n.items.forEach((item, i) => walk(item, `${path}[${i}]`));
      }
    };
    walk(doc.contents, '');
    if (duplicates.length > 0) {
      diagnostics.push(...duplicates);
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (e) {
      // Unresolved or runaway aliases surface only when the document becomes plain values.
      const pos = lineCounter.linePos(doc.contents.range?.[0] ?? 0);
      diagnostics.push({ severity: 'error', file, line: pos.line, column: pos.col, message: `not valid YAML/JSON: ${(e as Error).message}` });
      return;
    }
    docs.push({
      value,
      index,
      lineOf(path: string) {
        // Fall back to the nearest ancestor that has a position: a missing field is reported
        // at the object that should have held it.
        let p = path;
        while (p) {
          const line = lines.get(p);
          if (line !== undefined) {
            return line;
          }
          const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
          p = cut > 0 ? p.slice(0, cut) : '';
        }
        return lines.get('');
      },
    });
  });
  return { file, docs, diagnostics };
}
