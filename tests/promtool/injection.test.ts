// User-supplied values with quotes, backslashes, newlines, braces and regex metacharacters must
// give rules that Prometheus loads and that match exactly the intended series.
import { loadText } from '../../src/core/load';
import { generateRules } from '../../src/core/rules/generate';
import { approx, counterValues, expectPromtoolPass, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const HOSTILE = ['a"b', 'back\\slash', 'dot.star*', '(x|y)', 'new\nline', '{brace}', 'caret^$'];
// Values that a regex built without escaping would wrongly match (or that differ by one char).
const NEAR_MISSES = ['internal', 'dotXstar', 'x', 'a"bb', 'caret'];
const TEAM = 'gen"ai \\ {x}\nnext';

const spec = JSON.stringify({
  version: 'burnrate/v1',
  service: 'gw',
  labels: { team: TEAM },
  slos: [
    {
      name: 'chat',
      objective: 0.99,
      sli: { ratio: { errors: 'req_total{code="500"}', total: 'req_total' } },
      exclude: [{ name: 'hostile values', label: 'error_type', values: HOSTILE }],
    },
  ],
});

const promString = (s: string) => JSON.stringify(s);

describe('escaping of user values', () => {
  it('excludes exactly the listed label values, and carries hostile label values intact', () => {
    const loaded = loadText(spec, 'spec.json');
    expect(loaded.diagnostics).toEqual([]);
    const groups = withoutAnnotations(generateRules(loaded.slos).prometheus);
    const input = [
      // 100 good requests a minute, and one failed request a minute per error_type value.
      { series: 'req_total{code="200"}', values: counterValues(Array(120).fill(100)) },
      ...[...HOSTILE, ...NEAR_MISSES].map((v) => ({
        series: `req_total{code="500", error_type=${promString(v)}}`,
        values: counterValues(Array(120).fill(1)),
      })),
    ];
    const labels = { slo: 'chat', slo_service: 'gw', team: TEAM };
    // Counted: 100 good + 5 near-miss failures a minute; excluded: the 7 hostile values.
    expectPromtoolPass({
      groups,
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: input,
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate1h', labels, 5 / 105, '2h'),
            approx('slo:sli_error_events:rate5m', labels, 5 / 60, '2h'),
            approx('slo:sli_events:rate5m', labels, 105 / 60, '2h'),
            approx('slo:sli_excluded_events:rate5m', labels, 7 / 60, '2h'),
          ],
        },
      ],
    });
  });
});
