import { parser } from '@prometheus-io/lezer-promql';
import { quote, regexOneOf } from './escape';
import { checkPromQL, parseSelector, withMatchers } from './queries';

const HOSTILE = ['plain', 'a"b', 'back\\slash', 'new\nline', 'tab\there', '{braces}', 'dot.star*', '(x|y)', '^$[]+?', '\u0001ctl', 'ünïcode'];

/** Reads a PromQL string literal back the way Prometheus does (Go escapes). */
function unquote(lit: string): string {
  return JSON.parse(lit.replace(/\\u([0-9a-f]{4})/g, '\\u$1'));
}

describe('quote', () => {
  it.each(HOSTILE)('round-trips %j and parses as one string literal', (value) => {
    const lit = quote(value);
    expect(unquote(lit)).toBe(value);
    const q = `x{l=${lit}}`;
    expect(checkPromQL(q)).toBeUndefined();
    const sel = parseSelector(q);
    expect(sel).toEqual({ metric: 'x', matchers: `l=${lit}` });
  });
});

describe('regexOneOf', () => {
  it('matches exactly the given values and nothing else', () => {
    const re = new RegExp(`^(?:${regexOneOf(HOSTILE)})$`, 'u');
    for (const v of HOSTILE) {
      expect(re.test(v)).toBe(true);
    }
    for (const v of ['dotXstar', 'x', 'a"bb', '(x|y', '']) {
      expect(re.test(v)).toBe(false);
    }
  });
});

describe('withMatchers', () => {
  it('adds matchers inside existing braces or creates them', () => {
    expect(withMatchers('x{a="b"}', ['c!~"d"'])).toBe('x{a="b", c!~"d"}');
    expect(withMatchers('x', ['c!~"d"'])).toBe('x{c!~"d"}');
    expect(withMatchers('{__name__="x"}', ['c="d"'])).toBe('{__name__="x", c="d"}');
    const tree = parser.parse(withMatchers('x{a="b"}', [`e!~${quote(regexOneOf(HOSTILE))}`]));
    let errors = 0;
    tree.iterate({ enter: (n) => void (n.type.isError && errors++) });
    expect(errors).toBe(0);
  });
});
