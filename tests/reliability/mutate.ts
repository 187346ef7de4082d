// Generators of malformed input shared by the reliability property tests: valid documents with one
// field replaced (by a value of any kind) or removed, texts cut anywhere, characters flipped, and
// arbitrary text. Each generator is seeded, so every run tries the same inputs.

import fc from 'fast-check';
import { stringify } from 'yaml';

/** Values of every kind, including the awkward ones. */
export const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.constantFrom(
      '',
      '5m',
      '30d',
      '1M',
      'calendar-month',
      '{{.window}}',
      '{{ .window }}]',
      'x{a="b"}',
      'sum(rate(x[{{.window}}]))',
      '{app="x"} | json',
      'sum(',
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u202e',
      'NaN',
      'Infinity',
      '-1',
      '1e309',
      '99.9',
      'prometheus/v1',
      'openslo/v1',
      'burnrate/v1',
      'Prometheus',
      'loki',
      'http://169.254.169.254/latest/meta-data/'
    ),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('name', 'objective', 'target', 'sli', 'ratio', 'errors', 'total', 'query', 'spec', 'kind', 'window', 'x', 'labels', 'metadata'),
      tie('value'),
      { maxKeys: 3 }
    )
  ),
})).value;

export type Path = Array<string | number>;

/** Every path into `v` (objects and arrays), to replace or delete one field at a time. */
export function paths(v: unknown, prefix: Path = []): Path[] {
  if (typeof v !== 'object' || v === null) {
    return [prefix];
  }
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
}

/** A copy of `doc` with the field at `path` replaced by `value`, or removed. */
export function mutate<T>(doc: T, path: Path, value: unknown, remove: boolean): unknown {
  if (path.length === 0) {
    return remove ? undefined : value;
  }
  const copy = structuredClone(doc) as any;
  let o = copy;
  for (const k of path.slice(0, -1)) {
    o = o[k];
  }
  const last = path[path.length - 1];
  if (remove) {
    Array.isArray(o) ? o.splice(Number(last), 1) : delete o[last];
  } else {
    o[last] = value;
  }
  return copy;
}

/** One document (or a list of documents, for multi-document YAML) as JSON or YAML text. */
export function serialize(doc: unknown, asJson: boolean): string {
  if (doc === undefined) {
    return '';
  }
  if (asJson) {
    return JSON.stringify(doc) ?? '';
  }
  if (Array.isArray(doc) && doc.every((d) => typeof d === 'object' && d !== null && !Array.isArray(d))) {
    return doc.map((d) => stringify(d)).join('---\n');
  }
  return stringify(doc) ?? '';
}

export type Mutation =
  | { kind: 'field'; path: Path; value: unknown; remove: boolean; asJson: boolean }
  | { kind: 'cut'; at: number; asJson: boolean }
  | { kind: 'flip'; at: number; ch: string; asJson: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'nest'; at: number; attack: string; asJson: boolean };

/** Mutations of one valid document: field replaced/removed, text cut, one character changed, any
 * text, a nesting attack inserted anywhere. */
export function mutations(doc: unknown, weights = { field: 6, cut: 2, flip: 2, text: 1, nest: 1 }): fc.Arbitrary<Mutation> {
  const all = paths(doc);
  const len = Math.max(serialize(doc, true).length, serialize(doc, false).length);
  return fc.oneof(
    {
      weight: weights.field,
      arbitrary: fc.record({ kind: fc.constant('field' as const), path: fc.constantFrom(...all), value: anyValue, remove: fc.boolean(), asJson: fc.boolean() }),
    },
    { weight: weights.cut, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat({ max: len }), asJson: fc.boolean() }) },
    {
      weight: weights.flip,
      arbitrary: fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat({ max: len }),
        ch: fc.oneof(fc.constantFrom('"', "'", '\\', '{', '}', '[', ']', ':', '-', '#', '&', '*', '!', '|', '>', '\n', '\t', ' ', '\u0000'), fc.char()),
        asJson: fc.boolean(),
      }),
    },
    {
      weight: weights.text,
      arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })) }),
    },
    {
      weight: weights.nest,
      arbitrary: fc.record({ kind: fc.constant('nest' as const), at: fc.nat({ max: len }), attack: nestingAttack, asJson: fc.boolean() }),
    }
  );
}

/** The text a mutation of `doc` produces. */
export function apply(doc: unknown, m: Mutation): string {
  switch (m.kind) {
    case 'field':
      return serialize(mutate(doc, m.path, m.value, m.remove), m.asJson);
    case 'cut':
      return serialize(doc, m.asJson).slice(0, m.at);
    case 'flip': {
      const t = serialize(doc, m.asJson);
      return t.slice(0, m.at) + m.ch + t.slice(m.at + 1);
    }
    case 'text':
      return m.text;
    case 'nest': {
      const t = serialize(doc, m.asJson);
      return t.slice(0, m.at) + m.attack + t.slice(m.at);
    }
  }
}

const aliasChain = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 'a0: &a0 [x]' : `a${i}: &a${i} [*a${i - 1}]`)).join('\n');
const indented = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1';

/** Texts nested past the parser's limit (64 levels), including the ones that fooled the old
 * pre-scan (a quote in a comment opened a "string" to the end of the text; wide indentation after
 * `-`) and nesting built from aliases. Before the bounded parser, two of these in one process
 * aborted Node (crash.test.ts); now each is an error. */
export const NESTING_ATTACKS: Array<[string, string]> = [
  ['20,000 unclosed [', '['.repeat(20000)],
  ["# don't, then 20,000 [", "# don't\n" + '['.repeat(20000)],
  ['5,000 closed []', '['.repeat(5000) + ']'.repeat(5000)],
  ['8,000 "- "', '- '.repeat(8000) + 'x'],
  ['8,000 "-    " (wide spacing)', '-    '.repeat(8000) + 'x'],
  ['5,000 {"a":', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
  ['20,000 "? " (explicit keys)', '? '.repeat(20000) + 'x'],
  ['a quoted string, then 20,000 {a: ', 'service: "it\'s"\nname: \'say "hi"\'\nx: ' + '{a: '.repeat(20000)],
  ['1,400 block maps, each indented one more space (1 MB)', indented(1400)],
  ['a chain of 5,000 aliases, each one level deeper', aliasChain(5000)],
  ['30 nested explicit keys "? " (a mapping as a key)', '? '.repeat(30) + 'x'],
];

/** Nesting attacks of any shape: a prefix that may open a quote or a comment, an opener repeated
 * past the nesting limit, maybe closed. Inserted into valid documents by the `nest` mutation. */
export const nestingAttack: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      prefix: fc.constantFrom('', "# don't\n", '# "\n', '"', "'", 'a: "\n', "x: it's\n", 'a: |\n  "\n', 'k: v\n', '--- \n', '&x ', '!!seq '),
      opener: fc.constantFrom('[', '{', '{"a":', '{a: ', '- ', '-    ', '-\t', '? ', '- [', '[{"a":', '&x [', '!!map {', '? - ', '-  - '),
      count: fc.integer({ min: 65, max: 20000 }),
      close: fc.boolean(),
    })
    .map(({ prefix, opener, count, close }) => {
      const closer = opener.includes('{') ? '}' : opener.includes('[') ? ']' : '';
      return prefix + opener.repeat(count) + 'x' + (close ? closer.repeat(count) : '');
    }),
  fc.integer({ min: 65, max: 400 }).map(indented),
  fc.integer({ min: 65, max: 3000 }).map(aliasChain)
);

/** Large texts that cost the parser seconds of CPU: sent once, and timed. */
export const SLOW_TEXTS: Array<[string, string]> = [
  ['2,000 YAML documents', 'a: 1\n---\n'.repeat(2000)],
  ['10,000 keys in one object (128 KB)', JSON.stringify(Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`k${i}`, i])))],
];

/** Inputs no generator is likely to hit by chance: resource attacks and odd encodings. */
export const HOSTILE_TEXTS: Array<[string, string]> = [
  ['empty body', ''],
  ['whitespace only', ' \n\t '],
  ['JSON null', 'null'],
  ['JSON number', '42'],
  ['JSON string', '"slo"'],
  ['JSON array', '[]'],
  ['JSON true', 'true'],
  [
    'YAML alias bomb',
    'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
  ],
  ['YAML recursive alias', 'a: &a\n  b: *a\n'],
  ['YAML custom tag', 'service: !!js/function "function(){}"\nname: x\n'],
  ['YAML merge key', 'base: &b {objective: 0.99}\n<<: *b\nservice: s\nname: n\n'],
  ['duplicate keys', '{"service":"a","service":"b","name":"x"}'],
  ['__proto__ key', '{"__proto__":{"polluted":true},"service":"s","name":"n","objective":0.99}'],
  ['constructor key', '{"constructor":{"prototype":{"polluted":true}}}'],
  ['NUL bytes', '\u0000\u0000\u0000'],
  ['BOM then garbage', '\ufeff{"service":'],
  ['lone surrogate', '{"service":"\\ud800","name":"x"}'],
  ['long string value', JSON.stringify({ service: 'x'.repeat(60000), name: 'n' })],
  ['number overflow', '{"objective": 1e400}'],
];
