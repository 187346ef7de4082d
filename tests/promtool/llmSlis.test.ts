// The LLM SLIs beyond time to first token (issue 20), through the real promtool: tokens per second
// as a time-per-output-token histogram (per answer and as p95 slices), and answer quality from
// hard checks and implicit feedback, each with numbers worked out by hand.
import { approx, counterValues, exactly, expectPromtoolPass, groupsFor, withoutAnnotations } from './promtoolHarness';

jest.setTimeout(60_000);

const TPOT = 'gen_ai_server_time_per_output_token_seconds';
const MODEL = 'gen_ai_request_model="gpt-4o"';

/**
 * 100 streamed answers a minute for 100 minutes, on the OpenTelemetry GenAI TPOT buckets 0.05,
 * 0.075, 0.1 (and +Inf). A good minute has all 100 at or under 0.05 s (20 tokens per second or
 * faster). A bad minute (the four ending at 41m..44m) has 80 at or under 0.05 s, 5 in (0.05, 0.075]
 * and 15 in (0.075, 0.1].
 */
function tpotInputs() {
  const steps = 100;
  const isBad = (i: number) => i + 1 >= 41 && i + 1 <= 44; // increment i ends at minute i+1
  const perMinute = (good: number, bad: number) => counterValues(Array.from({ length: steps }, (_, i) => (isBad(i) ? bad : good)));
  return [
    { series: `${TPOT}_bucket{${MODEL}, le="0.05"}`, values: perMinute(100, 80) },
    { series: `${TPOT}_bucket{${MODEL}, le="0.075"}`, values: perMinute(100, 85) },
    { series: `${TPOT}_bucket{${MODEL}, le="0.1"}`, values: perMinute(100, 100) },
    { series: `${TPOT}_bucket{${MODEL}, le="+Inf"}`, values: perMinute(100, 100) },
    { series: `${TPOT}_count{${MODEL}}`, values: perMinute(100, 100) },
  ];
}

describe('tokens per second: time per output token', () => {
  const labels = { gen_ai_request_model: 'gpt-4o' };

  it('p95 under 75 ms in 99% of one-minute slices: exactly the four bad minutes are bad slices', () => {
    const spec = `
version: burnrate/v1
service: chat
slos:
  - name: tpot-p95
    objective: 0.99
    groupBy: [gen_ai_request_model]
    sli:
      timeslice:
        slice: 1m
        latency:
          metric: ${TPOT}
          quantile: 0.95
          threshold: 0.075
`;
    const l = { ...labels, slo: 'tpot-p95', slo_service: 'chat' };
    const sel = `{gen_ai_request_model="gpt-4o", slo="tpot-p95", slo_service="chat"}`;
    // Good minute: rank 95 of 100 in the first bucket [0, 0.05]: p95 = 0.05 x 0.95 = 0.0475 s.
    // Bad minute: 85 at or under 0.075, so rank 95 is in (0.075, 0.1]:
    //   p95 = 0.075 + 0.025 x (95 - 85) / 15 = 0.0917 s > 0.075 s.
    // Windows over per-minute slices (as in sliKinds.test.ts): the 5m sample at j counts the 6 slices
    // j-5m..j. At 44m: slices 39..44, bad 41..44: 4/6. At 90m the 1h window holds 61 five-minute
    // samples (30m..90m) of 6 slices: 366; each bad slice is counted in 6 of them: 24/366 = 4/61.
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: tpotInputs(),
          promql_expr_test: [
            exactly(`slo:sli_error_events:increase1m`, '40m', [{ labels: `slo:sli_error_events:increase1m${sel}`, value: 0 }]),
            exactly(`slo:sli_error_events:increase1m`, '41m', [{ labels: `slo:sli_error_events:increase1m${sel}`, value: 1 }]),
            exactly(`slo:sli_error_events:increase1m`, '44m', [{ labels: `slo:sli_error_events:increase1m${sel}`, value: 1 }]),
            exactly(`slo:sli_error_events:increase1m`, '45m', [{ labels: `slo:sli_error_events:increase1m${sel}`, value: 0 }]),
            exactly('sum_over_time(slo:sli_error_events:increase1m[1h])', '90m', [{ labels: sel, value: 4 }]),
            approx('slo:sli_error:ratio_rate5m', l, 4 / 6, '44m'),
            approx('slo:sli_error:ratio_rate5m', l, 0, '60m'),
            approx('slo:sli_error:ratio_rate1h', l, 4 / 61, '90m'),
          ],
        },
      ],
    });
  });

  it('20 tokens per second or faster for 95% of answers: a bad minute misses on 20 of 100', () => {
    const spec = `
version: burnrate/v1
service: chat
slos:
  - name: tokens-per-second
    objective: 0.95
    groupBy: [gen_ai_request_model]
    sli:
      latency:
        metric: ${TPOT}
        threshold: 0.05
`;
    const l = { ...labels, slo: 'tokens-per-second', slo_service: 'chat' };
    // Per answer: a bad minute has 20 of 100 above 0.05 s. The 5m window at 44m ends with the four
    // bad minutes 41..44 and one good one (40): 80 / 500 = 0.16, 80 bad answers in 300 s. At 60m
    // no bad minute is in it: 0.
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(spec)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: tpotInputs(),
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate5m', l, 80 / 500, '44m'),
            approx('slo:sli_error:ratio_rate5m', l, 0, '60m'),
            approx('slo:sli_events:rate5m', l, 100 / 60, '60m'),
            approx('slo:sli_error_events:rate5m', l, 80 / 300, '44m'),
          ],
        },
      ],
    });
  });
});

describe('answer quality from hard checks and implicit feedback', () => {
  const header = `
version: burnrate/v1
service: support
slos:
`;
  const hardChecks = `
  - name: hard-checks
    objective: 0.98
    groupBy: [route]
    sli:
      quality:
        components:
          - name: hard_checks
            good: llm_hard_checks_total{result="pass"}
            total: llm_hard_checks_total
`;
  const blend = `
  - name: blend
    objective: 0.92
    groupBy: [route]
    sli:
      quality:
        components:
          - name: hard_checks
            good: llm_hard_checks_total{result="pass"}
            total: llm_hard_checks_total
            weight: 0.3
          - name: implicit
            good: llm_response_outcomes_total{outcome=~"accepted|copied"}
            total: llm_response_outcomes_total
            weight: 0.2
`;
  const c = (perMinute: number) => counterValues(Array(70).fill(perMinute));
  // Per minute on /chat: 100 answers, each checked twice. valid_json fails on 3 (malformed JSON),
  // no_system_prompt_leak on none: 3 failures in 200 checks, 1.5%. Outcomes of the 100 answers:
  // accepted 60, copied 20 (good), edited 10, retried 6, abandoned 4 (bad): 20 bad of 100.
  const inputs = [
    { series: 'llm_hard_checks_total{route="/chat", check="valid_json", result="pass"}', values: c(97) },
    { series: 'llm_hard_checks_total{route="/chat", check="valid_json", result="fail"}', values: c(3) },
    { series: 'llm_hard_checks_total{route="/chat", check="no_system_prompt_leak", result="pass"}', values: c(100) },
    { series: 'llm_hard_checks_total{route="/chat", check="no_system_prompt_leak", result="fail"}', values: c(0) },
    { series: 'llm_response_outcomes_total{route="/chat", outcome="accepted"}', values: c(60) },
    { series: 'llm_response_outcomes_total{route="/chat", outcome="copied"}', values: c(20) },
    { series: 'llm_response_outcomes_total{route="/chat", outcome="edited"}', values: c(10) },
    { series: 'llm_response_outcomes_total{route="/chat", outcome="retried"}', values: c(6) },
    { series: 'llm_response_outcomes_total{route="/chat", outcome="abandoned"}', values: c(4) },
  ];

  it('hard checks alone: 3 failures in 200 checks is an error ratio of 0.015, a burn rate of 0.75 against 98%', () => {
    const l = { route: '/chat', slo: 'hard-checks', slo_service: 'support' };
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(header + hardChecks)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputs,
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate5m', l, 3 / 200, '30m'),
            approx('slo:sli_error:ratio_rate1h', l, 3 / 200, '65m'),
            approx('slo:current_burn_rate:ratio', l, 0.015 / 0.02, '30m'),
            approx('slo:sli_events:rate5m', l, 200 / 60, '30m'),
          ],
        },
      ],
    });
  });

  it('blended 0.3 / 0.2 with implicit feedback: (0.3 x 3 + 0.2 x 20) / (0.3 x 200 + 0.2 x 100) = 4.9 / 80', () => {
    const l = { route: '/chat', slo: 'blend', slo_service: 'support' };
    expectPromtoolPass({
      groups: withoutAnnotations(groupsFor(header + blend)),
      evaluationInterval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: inputs,
          promql_expr_test: [
            approx('slo:sli_error:ratio_rate5m', l, 4.9 / 80, '30m'),
            approx('slo:sli_error:ratio_rate1h', l, 4.9 / 80, '65m'),
            // 0.06125 against a 0.08 budget: burning at 0.766x, inside the objective.
            approx('slo:current_burn_rate:ratio', l, 4.9 / 80 / 0.08, '30m'),
            // Weighted samples per second: (0.3 x 200 + 0.2 x 100) / 60.
            approx('slo:sli_events:rate5m', l, 80 / 60, '30m'),
          ],
        },
      ],
    });
  });
});
