// Bounds on what a YAML or JSON text may hold, checked on the parser's own output before anything
// recurses over it. `yaml`'s lexer and parser are iterative, but its composer, `toJS` and every
// validator after them recurse once per nesting level; near V8's stack limit a regex compile aborts
// the whole process (no exception to catch). So nesting is measured here without recursion: on the
// CST before composing, and on the composed nodes with aliases followed before `toJS`.

import { CST, Document, isAlias, isMap, isPair, isSeq, Node } from 'yaml';

export const PARSE_LIMITS = {
  /** Deeper than any SLO definition needs (an OpenSLO SLO with an inline SLI nests about 10). */
  nesting: 64,
  /** Values after aliases are expanded, over a whole text: a 10,000-SLO file holds about 300,000. */
  values: 2_000_000,
  /** Characters of text: 16 MiB, far above the server's 1 MiB body limit and any real file. */
  chars: 16 * 1024 * 1024,
};

export interface LimitError {
  /** Offset in the text of the value that crosses the limit. */
  offset: number;
  message: string;
}

const TOO_DEEP = `nested deeper than ${PARSE_LIMITS.nesting} levels`;

/** The first collection of a CST document nested deeper than the limit, walked with a stack. */
export function cstTooDeep(token: CST.Token, max = PARSE_LIMITS.nesting): LimitError | undefined {
  const stack: Array<[CST.Token, number]> = [[token, 0]];
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (t.type === 'document') {
      if (t.value) {
        stack.push([t.value, depth]);
      }
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth + 1 > max) {
        return { offset: t.offset, message: TOO_DEEP };
      }
      for (const item of t.items) {
        // Keys can be collections too (`? [a, b]: x`, `{[a]: x}`).
        for (const child of [item.key, item.value]) {
          if (child) {
            stack.push([child, depth + 1]);
          }
        }
      }
    }
  }
  return undefined;
}

/**
 * Checks a composed document before `toJS` turns it into plain values: keys are scalars (`toJS`
 * stringifies a list or mapping key, level by level: 64 nested keys threw "Invalid string length"),
 * no alias lies
 * inside the value it names, and the value `toJS` builds, aliases expanded, stays within the
 * nesting limit and the budget of values. Depth-first in document order, so an alias's anchor
 * (always earlier) is either finished, its figures known, or an ancestor still open.
 */
export function documentTooLarge(doc: Document, budget: { values: number }, max = PARSE_LIMITS.nesting): LimitError | undefined {
  const anchors = new Map<string, Node>();
  /** Nesting and values of each finished node, as toJS will build it. */
  const done = new Map<Node, { depth: number; values: number }>();
  const open = new Set<Node>();
  const at = (n: Node) => n.range?.[0] ?? 0;
  const children = (n: Node): Node[] =>
    isMap(n) || isSeq(n) ? (n.items as unknown[]).flatMap((item) => (isPair(item) ? [item.key, item.value] : [item])).filter((c): c is Node => !!c && typeof c === 'object') : [];
  // `level`: collections open above the node. A frame is entered, then (collections) finished.
  const stack: Array<{ node: Node; level: number; exit: boolean }> = doc.contents ? [{ node: doc.contents as Node, level: 0, exit: false }] : [];
  let total = 0;
  while (stack.length > 0) {
    const { node, level, exit } = stack.pop()!;
    if (exit) {
      open.delete(node);
      // Keys are finished too: one that is (or names) a list or a mapping has depth.
      const key = isMap(node) ? node.items.map((p) => p.key as Node | null).find((k) => k && done.get(k)!.depth > 0) : undefined;
      if (key) {
        return { offset: at(key), message: 'a key must be a plain value, not a list or a mapping' };
      }
      const figures = { depth: 1, values: 1 };
      for (const c of children(node)) {
        const f = done.get(c)!;
        figures.depth = Math.max(figures.depth, f.depth + 1);
        figures.values += f.values;
      }
      done.set(node, figures);
      total += 1;
      continue;
    }
    if (node.anchor) {
      anchors.set(node.anchor, node);
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target && open.has(target)) {
        return { offset: at(node), message: `the alias *${node.source} refers to a value that holds it` };
      }
      const figures = (target && done.get(target)) ?? { depth: 0, values: 1 };
      if (level + figures.depth > max) {
        return { offset: at(node), message: `${TOO_DEEP} once the alias *${node.source} is expanded` };
      }
      done.set(node, figures);
      total += figures.values;
    } else if (isMap(node) || isSeq(node)) {
      open.add(node);
      stack.push({ node, level, exit: true });
      // Reversed so that children are entered in document order (anchors before their aliases).
      for (const c of children(node).reverse()) {
        stack.push({ node: c, level: level + 1, exit: false });
      }
    } else {
      done.set(node, { depth: 0, values: 1 });
      total += 1;
    }
    if (total > budget.values) {
      return { offset: at(node), message: `holds more than ${PARSE_LIMITS.values.toLocaleString('en-US')} values once aliases are expanded` };
    }
  }
  budget.values -= total;
  return undefined;
}

/** Whether a plain value (from JSON.parse, which is iterative) nests deeper than the limit. */
export function valueTooDeep(value: unknown, max = PARSE_LIMITS.nesting): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'object' && v !== null) {
      if (depth + 1 > max) {
        return true;
      }
      for (const child of Object.values(v)) {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}
