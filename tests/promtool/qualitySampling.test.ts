// Sampled quality with its margin of error (issue 14), through the real promtool at hourly
// evaluation: a 94% -> 89% drop over three days against a 92% objective, on 2,000 and on 40 judged
// samples a day, a judge that drifts to 70% agreement with people, and the recovery.
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, InputSeries, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(120_000);

const spec = (untrustedJudge = 'caution') => `
version: burnrate/v1
service: chat
slos:
  - name: answers
    objective: 0.92
    window: 30d
    sli:
      quality:
        components:
          - name: judge
            good: 'judge_verdicts_total{verdict="pass"}'
            total: judge_verdicts_total
        agreement:
          agreed: 'judge_reviews_total{agreed="true"}'
          reviewed: judge_reviews_total
          minimum: 0.8
    policy:
      freeze: {burnRate: 1, window: 3d}
      quality: {untrustedJudge: ${untrustedJudge}}
`;
const labels = { slo: 'answers', slo_service: 'chat' };

/** Hourly counters: per day, [samples a day, pass rate] for each of the given days. */
function verdicts(days: Array<[number, number]>): InputSeries[] {
  const pass: number[] = [];
  const fail: number[] = [];
  for (const [n, rate] of days) {
    for (let h = 0; h < 24; h++) {
      pass.push((n * rate) / 24);
      fail.push((n * (1 - rate)) / 24);
    }
  }
  return [
    { series: 'judge_verdicts_total{verdict="pass"}', values: counterValues(pass) },
    { series: 'judge_verdicts_total{verdict="fail"}', values: counterValues(fail) },
  ];
}

/** Human reviews, 96 a day, agreeing with the judge at the given rate per day. */
function reviews(rates: number[]): InputSeries[] {
  const agreed = rates.flatMap((r) => Array<number>(24).fill(4 * r));
  const disagreed = rates.flatMap((r) => Array<number>(24).fill(4 * (1 - r)));
  return [
    { series: 'judge_reviews_total{agreed="true"}', values: counterValues(agreed) },
    { series: 'judge_reviews_total{agreed="false"}', values: counterValues(disagreed) },
  ];
}

const days = (n: number, samples: number, rate: number) => Array.from({ length: n }, () => [samples, rate] as [number, number]);
const flag = (name: string, at: string, value: 0 | 1) => exactly(`${name}{slo="answers"}`, at, [{ labels: `${name}{slo="answers", slo_service="chat"}`, value }]);
const DROPPED = '144h'; // three days at 89% after three at 94%
const RECOVERED = '240h'; // four days back at 94%

describe('quality SLO sampling: 92% objective, 94% -> 89% -> 94%', () => {
  it('2,000 samples a day: the drop freezes (3d lower bound 10.23% > 8%), recovery clears it', () => {
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec())),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '1h',
          input_series: [...verdicts([...days(3, 2000, 0.94), ...days(3, 2000, 0.89), ...days(4, 2000, 0.94)]), ...reviews(Array(10).fill(0.95))],
          promql_expr_test: [
            // 3d: 6,000 samples at 11% failing: Wilson 10.23% to 11.82%.
            approx('slo:sli_samples:effective3d', labels, 6000, DROPPED, 1e-6),
            approx('slo:sli_error_lower:ratio_rate3d', labels, 0.1023, DROPPED, 1e-4),
            approx('slo:sli_error_upper:ratio_rate3d', labels, 0.1182, DROPPED, 1e-4),
            // 1d: 2,000 samples, 9.70% to 12.45%; 1.96² x 0.08 x 0.92 / 0.03² = 314.16 needed.
            approx('slo:sli_samples:effective1d', labels, 2000, DROPPED, 1e-6),
            approx('slo:sli_error_lower:ratio_rate1d', labels, 0.097, DROPPED, 1e-4),
            approx('slo:sli_error_upper:ratio_rate1d', labels, 0.1245, DROPPED, 1e-4),
            approx('slo:sli_samples:needed1d', labels, 314.16, DROPPED, 0.01),
            flag('slo:sli_samples_insufficient:bool', DROPPED, 0),
            flag('slo:judge_untrusted:bool', DROPPED, 0),
            flag('slo:release_freeze:bool', DROPPED, 1),
            // Back at 94%: 1d 5.04% to 7.13%, below 8%; 707 needed, 2,000 held.
            approx('slo:sli_error_upper:ratio_rate1d', labels, 0.0713, RECOVERED, 1e-4),
            approx('slo:sli_samples:needed1d', labels, 706.85, RECOVERED, 0.01),
            flag('slo:release_freeze:bool', RECOVERED, 0),
            flag('slo:release_caution:bool', RECOVERED, 0),
            flag('slo:sli_samples_insufficient:bool', RECOVERED, 0),
          ],
        },
      ],
    });
  });

  it('40 samples a day: not enough samples, caution not freeze (3d lower bound 6.57% < 8%); more samples clear it', () => {
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec())),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '1h',
          input_series: [...verdicts([...days(3, 40, 0.94), ...days(3, 40, 0.89), ...days(4, 2000, 0.94)]), ...reviews(Array(10).fill(0.95))],
          promql_expr_test: [
            approx('slo:sli_samples:effective3d', labels, 120, DROPPED, 1e-6),
            approx('slo:sli_error_lower:ratio_rate3d', labels, 0.0657, DROPPED, 1e-4),
            approx('slo:sli_samples:effective1d', labels, 40, DROPPED, 1e-6),
            approx('slo:sli_error_lower:ratio_rate1d', labels, 0.0455, DROPPED, 1e-4),
            approx('slo:sli_error_upper:ratio_rate1d', labels, 0.2429, DROPPED, 1e-4),
            approx('slo:sli_samples:needed1d', labels, 314.16, DROPPED, 0.01),
            flag('slo:sli_samples_insufficient:bool', DROPPED, 1),
            flag('slo:release_freeze:bool', DROPPED, 0),
            // The estimate (11% failing, burn 1.375x over 3d) would freeze: caution.
            flag('slo:release_caution:bool', DROPPED, 1),
            flag('slo:sli_samples_insufficient:bool', RECOVERED, 0),
            flag('slo:release_caution:bool', RECOVERED, 0),
          ],
        },
      ],
    });
  });

  const drift = () => [
    ...verdicts([...days(3, 2000, 0.94), ...days(3, 2000, 0.89), ...days(4, 2000, 0.94)]),
    ...reviews([0.95, 0.95, 0.95, 0.7, 0.7, 0.7, 0.95, 0.95, 0.95, 0.95]),
  ];

  it('judge agreement 0.7 < 0.8: judge not trusted, its freeze held to caution; recovery clears both', () => {
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec())),
      evaluationInterval: '1h',
      tests: [
        {
          interval: '1h',
          input_series: drift(),
          promql_expr_test: [
            approx('slo:judge_agreement:ratio_rate1d', labels, 0.7, DROPPED, 1e-6),
            flag('slo:judge_untrusted:bool', DROPPED, 1),
            flag('slo:release_freeze:bool', DROPPED, 0),
            flag('slo:release_caution:bool', DROPPED, 1),
            flag('slo:judge_untrusted:bool', RECOVERED, 0),
            flag('slo:release_freeze:bool', RECOVERED, 0),
            flag('slo:release_caution:bool', RECOVERED, 0),
          ],
        },
      ],
    });
  });

  it('untrustedJudge: ignore lets the judge freeze as before', () => {
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec('ignore'))),
      evaluationInterval: '1h',
      tests: [{ interval: '1h', input_series: drift(), promql_expr_test: [flag('slo:judge_untrusted:bool', DROPPED, 1), flag('slo:release_freeze:bool', DROPPED, 1)] }],
    });
  });
});
