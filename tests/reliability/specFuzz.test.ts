// Property tests: malformed definitions never crash the loader, and never yield SLOs alongside
// errors; whatever loads without errors generates rules without throwing.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadText } from '../../src/core/load';
import { generateRules } from '../../src/core/rules/generate';
import { renderRuleFile } from '../../src/core/rules/render';
import { anyValue, mutate, nestingAttack, paths } from './mutate';

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

const ALL_PATHS = paths(VALID).filter((p) => p.length > 0);

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
        const doc = mutate(VALID, path, value, remove);
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

  it('a nesting attack inserted anywhere in a valid document, or alone: an error, never a crash', () => {
    const text = stringify(VALID);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), nestingAttack, (at, attack) => {
        check(attack);
        check(text.slice(0, at) + attack + text.slice(at));
      }),
      { numRuns: 500, seed: 64 }
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
