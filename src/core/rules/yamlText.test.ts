import { parse } from 'yaml';
import { toYaml } from './yamlText';

const NASTY = [
  '', ' ', 'plain', '2', '2.5', '1e5', '0x1F', '1:20', 'true', 'No', 'null', '~', '-', '- x', 'a: b', 'a #b', 'a:', '#x',
  '{{ $labels.slo }}', '[x]', "it's", 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', 'trailing\n', ' lead\nx',
  'x \ny', '\u0001', 'ünï', '@x', '%x', '*x', '&x', '!x', '|x', '>x', "'q'", '"q"', '1m', '30d', 'slo:sli_error:ratio_rate5m',
  'sum by (route) (rate(x{a="b"}[5m]))\n/\n(sum(y) > 0)', '.inf', '-.5', '+1', '0o17', '1_000',
];

describe('toYaml', () => {
  it.each(NASTY)('round-trips %j as a value, a list item and a key', (s) => {
    const doc = { groups: [{ name: s, rules: [{ expr: s, labels: { [s || 'empty']: s } }] }], list: [s, 'x'] };
    expect(parse(toYaml(doc))).toEqual(doc);
  });

  it('writes multi-line expressions as block literals', () => {
    expect(toYaml({ expr: 'a\n/\nb' })).toBe('expr: |-\n  a\n  /\n  b\n');
  });

  it('round-trips random strings', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'ab1:-# "\'\\{}[]\n\t,.&*!|>%@`?=~()$';
    for (let i = 0; i < 5000; i++) {
      const s = Array.from({ length: Math.floor(rand() * 12) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      const doc = { k: s, l: [s], m: { [s || 'e']: s } };
      expect([s, parse(toYaml(doc))]).toEqual([s, doc]);
    }
  });
});
