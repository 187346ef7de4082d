// YAML/JSON documents with positions: every value can be traced back to its line so that errors
// say where. JSON is read through the YAML parser too (YAML 1.2 is a superset of JSON).

import { Composer, CST, isMap, isScalar, isSeq, Lexer, LineCounter, Node, Parser } from 'yaml';
import { cstTooDeep, documentTooLarge, LimitError, PARSE_LIMITS } from './parseLimits';
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

/** Besides open collections, the parser's stack holds at most the document and a scalar. */
const OPEN_NON_COLLECTIONS = 2;

/** Parses every document of a YAML or JSON text. Syntax errors and texts past the parse limits
 * (parseLimits.ts) come back as diagnostics; nothing recurses deeper than the nesting limit. */
export function parseDocuments(text: string, file?: string): ParsedFile {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const docs: SourceDoc[] = [];
  const refuse = (offset: number, message: string): ParsedFile => {
    const pos = lineCounter.linePos(offset);
    return { file, docs: [], diagnostics: [{ severity: 'error', file, line: pos.line, column: pos.col, message: `not a definition: ${message}` }] };
  };
  if (text.length > PARSE_LIMITS.chars) {
    return { file, docs, diagnostics: [{ severity: 'error', file, message: `not a definition: longer than ${PARSE_LIMITS.chars / 1024 / 1024} MiB` }] };
  }
  // The lexer and parser keep explicit stacks (the composer after them recurses): fed one lexeme
  // at a time, the parser stops as soon as its stack of open nodes outgrows the nesting limit,
  // before it reads the rest of the text; each finished document is then measured exactly.
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  const take = (token: CST.Token): LimitError | undefined => {
    tokens.push(token);
    return cstTooDeep(token);
  };
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) {
      const deep = take(token);
      if (deep) {
        return refuse(deep.offset, deep.message);
      }
    }
    if (parser.stack.length > PARSE_LIMITS.nesting + OPEN_NON_COLLECTIONS) {
      return refuse(parser.offset, `nested deeper than ${PARSE_LIMITS.nesting} levels`);
    }
  }
  for (const token of parser.end()) {
    const deep = take(token);
    if (deep) {
      return refuse(deep.offset, deep.message);
    }
  }
  // Duplicate keys are found in walk() below: the parser's own check is quadratic in the keys.
  const list = [...new Composer({ uniqueKeys: false }).compose(tokens)];
  const budget = { values: PARSE_LIMITS.values };
  for (const doc of list) {
    const large = doc.errors.length === 0 ? documentTooLarge(doc, budget) : undefined;
    if (large) {
      return refuse(large.offset, large.message);
    }
  }
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
