// Property tests: malformed definitions never crash the loader, and never yield SLOs alongside
// errors; whatever loads without errors generates rules without throwing.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadText } from '../load';
import { generateRules } from '../rules/generate';
import { renderRuleFile } from '../rules/render';

const VALID = {
  version: 'burnrate/v1',
  service: 'gw',
  labels: { team: 'genai' },
  slos: [
    {
      name: 'chat',
      objective: 0.99,
      window: '28d',
      groupBy: ['route'],
      sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } },
      exclude: [{ name: 'upstream', label: 'error_type', values: ['provider_error'] }],
      alerting: { minEvents: 5, page: { labels: { team: 'x' } } },
      policy: { freeze: { burnRate: 3, window: '1d' } },
    },
    {
      name: 'ttft',
      objective: 0.95,
      sli: { latency: { metric: 'gen_ai_server_time_to_first_token_seconds', threshold: 1 } },
    },
  ],
};

/** Values of every kind, including the awkward ones. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.constantFrom('', '5m', '30d', 'calendar-month', '{{.window}}', 'x{a="b"}', '{app="x"} | json', 'sum(', '"', '\\', '\n', 'NaN', '-1'),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('name', 'objective', 'sli', 'ratio', 'errors', 'total', 'window', 'x', 'labels'), tie('value'), { maxKeys: 3 })
  ),
})).value;

/** Paths into VALID, to replace or delete one field at a time. */
function paths(v: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof v !== 'object' || v === null) {
    return [prefix];
  }
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [prefix, ...entries.flatMap(([k, x]) => paths(x, [...prefix, k]))];
}
const ALL_PATHS = paths(VALID).filter((p) => p.length > 0);

function mutate(path: Array<string | number>, value: unknown, remove: boolean): unknown {
  const copy = structuredClone(VALID) as any;
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

function check(text: string): void {
  const r = loadText(text, 'fuzz.yaml');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    expect(r.slos).toEqual([]);
    for (const e of errors) {
      expect(e.message.length).toBeGreaterThan(5);
      expect(e.file).toBe('fuzz.yaml');
    }
  } else {
    expect(r.slos.length).toBeGreaterThan(0);
    const g = generateRules(r.slos);
    expect(renderRuleFile(g.prometheus)).toContain('groups:');
  }
}

describe('malformed definitions', () => {
  it('one field replaced by any value, or removed: an error or valid rules, never a crash', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_PATHS), anyValue, fc.boolean(), fc.boolean(), (path, value, remove, asJson) => {
        const doc = mutate(path, value, remove);
        check(asJson ? JSON.stringify(doc) : stringify(doc));
      }),
      { numRuns: 4000, seed: 20261129 }
    );
  });

  it('arbitrary text: an error, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        check(`version: burnrate/v1\nservice: gw\nslos:\n${text}`);
        check(text);
      }),
      { numRuns: 2500, seed: 7 }
    );
  });

  it('a valid document with its text cut anywhere: an error or valid rules, never a crash', () => {
    const text = stringify(VALID);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), (cut) => check(text.slice(0, cut))),
      { numRuns: 1500, seed: 3 }
    );
  });
});
