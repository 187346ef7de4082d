// Rules of one group as expressions over raw data only, for backfills that evaluate each rule for
// the past with query_range against a Prometheus that holds no recorded series yet: where a rule
// reads a series an earlier rule of the same list records (the bad-events 5m rate takes its zero
// from the recorded 5m total), that reference becomes the earlier rule's own expression.

import { RecordingRule, Rule } from './types';

/** `rules` with every reference `name{...}` to an earlier recording rule of `rules` inlined. */
export function withRawInputs<R extends Rule>(rules: R[]): R[] {
  const earlier: RecordingRule[] = [];
  return rules.map((rule) => {
    let expr = rule.expr;
    for (const e of earlier) {
      // Instant references only: a range over a recorded series has no raw equivalent.
      const ref = new RegExp(`${e.record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\{[^}]*\\}(?![\\w\\[])`, 'g');
      expr = expr.replace(ref, `(${e.expr})`);
    }
    const out = { ...rule, expr };
    if ('record' in out) {
      earlier.push(out);
    }
    return out;
  });
}
