// LogQL side of injection: hostile exclusion values (quotes, backslashes, newlines, braces, regex
// metacharacters, control characters, any Unicode) and hostile label values go into the Loki ruler
// groups. Every generated expression must parse with Grafana's LogQL parser (checkLogMetricQuery,
// @grafana/lezer-logql), each string literal must decode (Go unquoting, as Loki reads it) to exactly
// the intended regex, that regex must match exactly the listed values, and the rule file's labels
// must read back (YAML) as exactly the intended values. No Loki runs here (none can be installed).

import fc from 'fast-check';
import { parse } from 'yaml';
import { loadText } from '../../src/core/load';
import { regexOneOf } from '../../src/core/promql/escape';
import { checkLogMetricQuery } from '../../src/core/promql/queries';
import { generateRules } from '../../src/core/rules/generate';
import { renderRuleFile } from '../../src/core/rules/render';
import { Tally } from './support';

const tally = new Tally('LogQL injection (logqlInjection.test.ts)');
afterAll(() => tally.print());

/** Go's strconv.Unquote for double-quoted literals (what Loki applies to LogQL strings). */
function goUnquote(lit: string): string {
  if (!lit.startsWith('"') || !lit.endsWith('"') || lit.length < 2) {
    throw new Error(`not a double-quoted literal: ${lit}`);
  }
  const s = lit.slice(1, -1);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') {
      throw new Error('raw newline inside a literal');
    }
    if (c === '"') {
      throw new Error(`unescaped quote at ${i} in ${lit}`);
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (e in simple) {
      out += simple[e];
    } else if (e === 'u' || e === 'U' || e === 'x') {
      const len = e === 'u' ? 4 : e === 'U' ? 8 : 2;
      out += String.fromCodePoint(parseInt(s.slice(i + 1, i + 1 + len), 16));
      i += len;
    } else {
      throw new Error(`unknown escape \\${e} in ${lit}`);
    }
  }
  return out;
}

/** String literals of a LogQL expression, in order (outside literals nothing is quoted). */
function literals(expr: string): string[] {
  return expr.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
}

function lokiRules(values: string[], team: string, name = 'judge') {
  const text = JSON.stringify({
    version: 'burnrate/v1',
    service: 'gw',
    labels: { team },
    slos: [
      {
        name,
        objective: 0.95,
        groupBy: ['route'],
        sli: { ratio: { source: 'loki', errors: '{app="gw", stream="judge"} | json | verdict="fail"', total: '{app="gw", stream="judge"} | json' } },
        exclude: [{ name: 'hostile', label: 'error_type', values }],
      },
    ],
  });
  const r = loadText(text, 'loki.json');
  return r;
}

/** RE2 and JS agree on the escapes regexLiteral emits; Loki anchors label-filter regexes. */
const anchored = (re: string) => new RegExp(`^(?:${re})$`, 'su');

const hostile = fc.oneof(
  fc.constantFrom('a"b', 'back\\slash', 'dot.star*', '(x|y)', 'new\nline', '{brace}', 'caret^$', '`tick`', '\\"', '"}) or vector(1) #', '| line_format "{{.x}}"', '\r\t\u0000\u007f', '⚡ émoji 🚀', '[a-z]+', '?+*', '\\u0041'),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 })
);

it('hostile exclusion values and label values: every Loki expression parses, literals decode to the intended regex, labels read back exactly', () => {
  fc.assert(
    fc.property(fc.uniqueArray(hostile, { minLength: 1, maxLength: 5 }), hostile, (values, team) => {
      const r = lokiRules(values, team);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) {
        // Refused with a message (e.g. a value the spec does not allow) is fine; never a crash.
        expect(errors[0].message.length).toBeGreaterThan(5);
        tally.add('refused by validation (with a message)');
        return;
      }
      const g = generateRules(r.slos);
      expect(g.loki.length).toBeGreaterThan(0);
      const want = regexOneOf(values);
      let filters = 0;
      for (const rule of g.loki.flatMap((gr) => gr.rules)) {
        const expr = (rule as { expr: string }).expr;
        const err = checkLogMetricQuery(expr);
        if (err) {
          throw new Error(`LogQL does not parse: ${err.message}\n${expr}`);
        }
        for (const m of expr.matchAll(/\| error_type (!~|=~) ("(?:[^"\\]|\\.)*")/g)) {
          expect(goUnquote(m[2])).toBe(want);
          filters++;
        }
        literals(expr).forEach(goUnquote); // every literal is well formed
      }
      expect(filters).toBeGreaterThanOrEqual(3); // errors, total (drop) and the excluded count
      const re = anchored(want);
      for (const v of values) {
        expect(re.test(v)).toBe(true);
        expect(re.test(v + 'x')).toBe(false);
        expect(re.test('x' + v)).toBe(false);
      }
      // The rule file as the Loki ruler receives it: labels read back as exactly the intended values.
      const file = parse(renderRuleFile(g.loki));
      for (const group of file.groups) {
        for (const rule of group.rules) {
          expect(rule.labels.team).toBe(team);
          if (rule.labels.slo_exclusion !== undefined) {
            expect(rule.labels.slo_exclusion).toBe('hostile');
          }
        }
      }
      tally.add('hostile value sets checked (every Loki expression parsed and decoded)');
    }),
    { numRuns: 400, seed: 31337 }
  );
});
