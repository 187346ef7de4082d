import { parseDocuments } from './document';
import { PARSE_LIMITS, valueTooDeep } from './parseLimits';

const errorOf = (text: string) => {
  const r = parseDocuments(text, 'in.yaml');
  expect(r.docs).toEqual([]);
  expect(r.diagnostics).toHaveLength(1);
  return r.diagnostics[0];
};

const flow = (n: number) => '['.repeat(n) + ']'.repeat(n);
const blockSeq = (n: number, item = '- ') => item.repeat(n) + 'x';
const indented = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1';
const aliasChain = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 'a0: &a0 [x]' : `a${i}: &a${i} [*a${i - 1}]`)).join('\n');

describe('nesting limit (64 levels), enforced by the parser whatever the text looks like', () => {
  it.each([
    ['flow sequences', flow],
    ['flow mappings', (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)],
    ['compact block sequences "- - -"', (n: number) => blockSeq(n)],
    ['block sequences with wide spacing "-    "', (n: number) => blockSeq(n, '-    ')],
    ['block mappings, each indented one more space', indented],
  ])('%s: 64 levels parse, 65 are refused with the line', (_, make) => {
    expect(parseDocuments(make(64)).diagnostics).toEqual([]);
    const e = errorOf(make(65));
    expect(e.message).toBe('not a definition: nested deeper than 64 levels');
    expect(e.file).toBe('in.yaml');
    expect(e.line).toBeGreaterThanOrEqual(1);
  });

  it("a quote in a comment does not hide what follows (the old pre-scan read # don't as an open string)", () => {
    const e = errorOf("# don't\n" + '['.repeat(20000));
    expect(e.message).toBe('not a definition: nested deeper than 64 levels');
    expect(e.line).toBe(2);
  });

  it('8,000 wide-spaced "-    " items: refused at line 1, without reading the whole text', () => {
    const text = blockSeq(8000, '-    ');
    const started = performance.now();
    expect(errorOf(text).message).toBe('not a definition: nested deeper than 64 levels');
    // The parser stops once 64 levels are open: about 66 x 5 characters in.
    expect(errorOf(text).column).toBeLessThan(400);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('nesting built from aliases counts as the value toJS would build: 63 chained anchors make 64 levels, the 64th anchor is refused at its alias', () => {
    // a0 is [x] under the root mapping: 2 levels; each further anchor wraps the previous in a list.
    expect(parseDocuments(aliasChain(63)).diagnostics.filter((d) => d.message.includes('nested'))).toEqual([]);
    const e = errorOf(aliasChain(64));
    expect(e.message).toBe('not a definition: nested deeper than 64 levels once the alias *a62 is expanded');
    expect(e.line).toBe(64);
  });

  it('keys are plain values: a list or a mapping as a key (toJS stringifies it; 64 nested key levels threw "Invalid string length") is refused', () => {
    expect(errorOf('? '.repeat(65) + 'x').message).toBe('not a definition: nested deeper than 64 levels');
    for (const text of ['? ? x', '{[a]: 1}', 'a: &k [1]\n*k : 2', '? '.repeat(30) + 'x']) {
      expect(errorOf(text).message).toBe('not a definition: a key must be a plain value, not a list or a mapping');
    }
    expect(parseDocuments('a: &k s\n*k : 2').docs[0].value).toEqual({ a: 's', s: 2 });
  });

  it('an alias inside the value it names is refused before toJS', () => {
    const e = errorOf('a: &a\n  b: *a\n');
    expect(e.message).toBe('not a definition: the alias *a refers to a value that holds it');
    expect(e.line).toBe(2);
  });

  it('an alias bomb is refused by the count of values it expands to (2,000,000)', () => {
    // Level 0 holds 10 scalars (11 values with its list); level k holds 10 aliases of level k-1:
    // 1 + 10 x values(k-1) values, so level 6 alone is 1,222,221 and level 7 is 12,222,211.
    const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let k = 1; k <= 7; k++) {
      lines.push(`l${k}: &l${k} [${Array(10).fill(`*l${k - 1}`).join(', ')}]`);
    }
    expect(errorOf(lines.join('\n')).message).toBe('not a definition: holds more than 2,000,000 values once aliases are expanded');
  });

  it(`texts longer than ${PARSE_LIMITS.chars / 1024 / 1024} MiB are refused before parsing`, () => {
    expect(errorOf('#'.repeat(PARSE_LIMITS.chars + 1)).message).toBe('not a definition: longer than 16 MiB');
  });

  it('valueTooDeep (for JSON.parse results): 64 levels pass, 65 do not', () => {
    expect(valueTooDeep(JSON.parse(flow(64)))).toBe(false);
    expect(valueTooDeep(JSON.parse(flow(65)))).toBe(true);
    expect(valueTooDeep(JSON.parse(flow(200000)))).toBe(true);
  });
});
