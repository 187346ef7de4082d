// The simulator's LLM signals beyond TTFT (issue 20): tokens per second that drop when providers
// are saturated, hard checks that fail on malformed JSON, retries and abandonment that rise with
// bad answers, per-tier traffic, and the prompt-regression story day by day.

import { ScenarioName } from '../../src/simulator/model';
import { Simulator } from '../../src/simulator/simulator';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const MIN = 60_000;

/** Counter deltas of `sim` while it advances to `to`, summed over the series matching `match`. */
function window(sim: Simulator, to: number) {
  const before = new Map(sim.series.map((s) => [s, s.value] as const));
  sim.advanceTo(to);
  const after = new Map(sim.series.map((s) => [s, s.value] as const));
  return (name: string, match: Record<string, string | RegExp> = {}) =>
    sim.series
      .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => (typeof v === 'string' ? s.labels[k] === v : v.test(s.labels[k] ?? ''))))
      .reduce((a, s) => a + after.get(s)! - (before.get(s) ?? 0), 0);
}

function run(scenario: ScenarioName, minutes = 60, seed = 3) {
  const sim = new Simulator({ seed, startMs: T0, scenario });
  return window(sim, T0 + minutes * MIN);
}

/** The support-bot blend of examples/support-bot.yaml: judge 1, hard checks 0.05, implicit 0.25. */
function blendedQuality(d: ReturnType<typeof window>, route = '/chat'): number {
  const parts = [
    { w: 1, good: d('llm_judge_verdicts_total', { route, verdict: 'pass' }), total: d('llm_judge_verdicts_total', { route }) },
    { w: 0.05, good: d('llm_hard_checks_total', { route, result: 'pass' }), total: d('llm_hard_checks_total', { route }) },
    { w: 0.25, good: d('llm_response_outcomes_total', { route, outcome: /^(accepted|copied)$/ }), total: d('llm_response_outcomes_total', { route }) },
  ];
  const bad = parts.reduce((a, p) => a + p.w * (p.total - p.good), 0);
  const total = parts.reduce((a, p) => a + p.w * p.total, 0);
  return 1 - bad / total;
}

const share = (d: ReturnType<typeof window>, name: string, le: string, route: string) => d(`${name}_bucket`, { route, le }) / d(`${name}_count`, { route });

describe('LLM signals of the simulator', () => {
  test('tokens per second: 50 a second on /chat normally (99% of answers at or under 0.05 s per token); a traffic spike saturates providers', () => {
    const steady = run('steady');
    const spike = run('traffic-spike');
    const tpot = 'gen_ai_server_time_per_output_token_seconds';
    // gpt-4o's median 0.02 s, sigma 0.35: P(<= 0.05) = Phi(ln 2.5 / 0.35) = Phi(2.62) = 0.996.
    expect(share(steady, tpot, '0.05', '/chat')).toBeGreaterThan(0.98);
    // Saturated: median x 2.5 = 0.05 s for gpt-4o (half the answers above), 0.06 s for claude.
    expect(share(spike, tpot, '0.05', '/chat')).toBeLessThan(0.55);
    expect(share(spike, tpot, '0.05', '/chat')).toBeGreaterThan(0.3);
    // The client's first chunk comes a round trip (median 80 ms) after the server's first token:
    // the mean moves by 0.08 x e^(sigma^2 / 2), 0.083 to 0.085 s for sigma 0.3 to 0.35.
    const mean = (name: string) => steady(`${name}_sum`, { route: '/chat' }) / steady(`${name}_count`, { route: '/chat' });
    const lag = mean('gen_ai_client_operation_time_to_first_chunk_seconds') - mean('gen_ai_server_time_to_first_token_seconds');
    expect(lag).toBeGreaterThan(0.075);
    expect(lag).toBeLessThan(0.095);
  });

  test('hard checks run on every successful streamed answer; malformed JSON fails valid_json in a bad rollout', () => {
    const steady = run('steady');
    const bad = run('bad-prompt-rollout');
    const ok = steady('gen_ai_server_time_to_first_token_seconds_count', { route: '/chat' });
    for (const check of ['valid_json', 'no_improper_refusal', 'no_system_prompt_leak']) {
      expect(steady('llm_hard_checks_total', { route: '/chat', check })).toBe(ok);
    }
    const jsonFail = (d: ReturnType<typeof window>) => d('llm_hard_checks_total', { route: '/chat', check: 'valid_json', result: 'fail' }) / d('llm_hard_checks_total', { route: '/chat', check: 'valid_json' });
    expect(jsonFail(steady)).toBeLessThan(0.008); // 0.4%
    expect(jsonFail(bad)).toBeGreaterThan(0.065); // 8%
    expect(jsonFail(bad)).toBeLessThan(0.095);
  });

  test('retries and abandonment rise with bad answers', () => {
    const steady = run('steady');
    const bad = run('bad-prompt-rollout');
    const badOutcomes = (d: ReturnType<typeof window>) => d('llm_response_outcomes_total', { route: '/chat', outcome: /^(edited|retried|abandoned)$/ }) / d('llm_response_outcomes_total', { route: '/chat' });
    // Judge pass 0.96: 0.96 x 0.06 + 0.04 x 0.85 = 0.092. At 0.70: 0.7 x 0.06 + 0.3 x 0.85 = 0.297.
    expect(badOutcomes(steady)).toBeGreaterThan(0.07);
    expect(badOutcomes(steady)).toBeLessThan(0.115);
    expect(badOutcomes(bad)).toBeGreaterThan(0.26);
    expect(badOutcomes(bad)).toBeLessThan(0.33);
    const retried = (d: ReturnType<typeof window>) => d('llm_response_outcomes_total', { route: '/chat', outcome: 'retried' });
    expect(retried(bad)).toBeGreaterThan(retried(steady) * 2.5);
    // Outcomes are known for 60% of answers.
    const ok = steady('gen_ai_server_time_to_first_token_seconds_count', { route: '/chat' });
    expect(steady('llm_response_outcomes_total', { route: '/chat' }) / ok).toBeCloseTo(0.6, 1);
  });

  test('tiers on /chat take 60%, 30% and 10% of its traffic; enterprise gets its first token sooner', () => {
    const d = run('steady');
    const all = d('gen_ai_client_operation_duration_seconds_count', { route: '/chat' });
    expect(d('gen_ai_client_operation_duration_seconds_count', { route: '/chat', tier: 'free' }) / all).toBeCloseTo(0.6, 1);
    expect(d('gen_ai_client_operation_duration_seconds_count', { route: '/chat', tier: 'enterprise' }) / all).toBeCloseTo(0.1, 1);
    const ttftGood = (tier: string) => d('gen_ai_server_time_to_first_token_seconds_bucket', { route: '/chat', tier, le: '0.5' }) / d('gen_ai_server_time_to_first_token_seconds_count', { route: '/chat', tier });
    expect(ttftGood('enterprise')).toBeGreaterThan(ttftGood('free'));
  });

  test('prompt-regression: blended /chat quality about 94%, 91% and 89% on story days 1 to 3, back to about 95.5% after the revert; /summarize unchanged', () => {
    const day = 60 * MIN; // long story days here, for tight numbers; the demo's default is 4 minutes
    const sim = new Simulator({ seed: 5, startMs: T0, scenario: 'prompt-regression', storyDayMs: day });
    const days = [1, 2, 3].map((k) => window(sim, T0 + k * day));
    const q = days.map((d) => blendedQuality(d));
    // Expected (docs/demo-story.md): 94.2%, 91.2%, 89.0%.
    expect(q[0]).toBeCloseTo(0.942, 2);
    expect(q[1]).toBeCloseTo(0.912, 2);
    expect(q[2]).toBeCloseTo(0.89, 2);
    // The story holds at day 3 until the revert.
    expect(blendedQuality(window(sim, T0 + 4 * day))).toBeCloseTo(0.89, 2);
    sim.setScenario('steady');
    expect(blendedQuality(window(sim, T0 + 5 * day))).toBeCloseTo(0.955, 2);
    expect(blendedQuality(days[2], '/summarize')).toBeGreaterThan(0.95);
  });

  test('judge-drift: the judge passes more while people find fewer good answers, and agrees with reviewers under the 80% minimum', () => {
    const steady = run('steady', 120);
    const drift = run('judge-drift', 120);
    const judgePass = (d: ReturnType<typeof window>) => d('llm_judge_verdicts_total', { route: '/chat', verdict: 'pass' }) / d('llm_judge_verdicts_total', { route: '/chat' });
    const agreement = (d: ReturnType<typeof window>) => d('llm_judge_human_agreement_total', { route: '/chat', agree: 'true' }) / d('llm_judge_human_agreement_total', { route: '/chat' });
    const goodOutcomes = (d: ReturnType<typeof window>) => d('llm_response_outcomes_total', { route: '/chat', outcome: /^(accepted|copied)$/ }) / d('llm_response_outcomes_total', { route: '/chat' });
    expect(judgePass(drift)).toBeGreaterThan(0.97); // 98%
    expect(judgePass(steady)).toBeLessThan(0.97); // 96%
    // Really good: 88% instead of 96%: good outcomes 0.88 x 0.94 + 0.12 x 0.15 = 0.845 instead of 0.908.
    expect(goodOutcomes(drift)).toBeCloseTo(0.845, 1);
    expect(goodOutcomes(drift)).toBeLessThan(goodOutcomes(steady) - 0.04);
    // About 1,100 reviews in two hours (55,000 answers, 20% judged, 10% of those reviewed):
    // 65% +- 2.8 points (95%), far under 80%; steady 91%.
    expect(agreement(drift)).toBeLessThan(0.72);
    expect(agreement(steady)).toBeGreaterThan(0.86);
  });

  test('a low judge sample rate grades fewer answers: 1% instead of 20%', () => {
    const sim = new Simulator({ seed: 3, startMs: T0, judgeSampleRate: 0.01 });
    const d = window(sim, T0 + 60 * MIN);
    const answers = d('gen_ai_server_time_to_first_token_seconds_count', { route: '/chat' });
    expect(d('llm_judge_verdicts_total', { route: '/chat' }) / answers).toBeCloseTo(0.01, 2);
    // About 28,000 /chat answers in this hour: some 280 verdicts instead of 5,500, so the margin of
    // error of a 94% pass rate, 1.96 x sqrt(0.94 x 0.06 / n), is 2.8 points instead of 0.6.
    expect(answers).toBeGreaterThan(25_000);
    expect(answers).toBeLessThan(31_000);
  });
});

