// What happens to the simulator's successful streamed answers after they are sent: a sample is
// judged (and a sample of those reviewed by people), a few get a thumb, every one is run through
// the hard checks, and for most the user's next move (accept, copy, edit, retry, abandon) becomes
// known. Whether an answer is good is drawn once, from the judge's pass rate, and drives the
// outcomes: bad answers get retried and abandoned.

import { Effect, HARD_CHECKS, HardCheck, OUTCOME_AFTER_BAD, OUTCOME_AFTER_GOOD, OUTCOMES } from './model';
import { Labels, Series } from './exposition';
import { Random } from './random';

/** Share of answers the judge grades; share that gets a thumb; share of graded ones a human reviews; share whose outcome becomes known. */
export const JUDGE_SAMPLE = 0.2;
export const FEEDBACK_SAMPLE = 0.05;
export const REVIEW_SAMPLE = 0.1;
export const OUTCOME_SEEN = 0.6;

export interface QualitySeries {
  judge: { pass: Series; fail: Series };
  feedback: { up: Series; down: Series };
  agreement: { yes: Series; no: Series };
  checks: Record<HardCheck, { pass: Series; fail: Series }>;
  outcomes: Series[];
}

/** What one tick drew, for the JSON-line events. */
export interface QualityCounts {
  pass: number;
  fail: number;
  up: number;
  down: number;
  agree: number;
  disagree: number;
}

export function qualitySeries(q: Labels, add: (family: string, labels: Labels) => Series): QualitySeries {
  const checks = {} as QualitySeries['checks'];
  for (const check of HARD_CHECKS) {
    checks[check] = { pass: add('llm_hard_checks_total', { ...q, check, result: 'pass' }), fail: add('llm_hard_checks_total', { ...q, check, result: 'fail' }) };
  }
  return {
    judge: { pass: add('llm_judge_verdicts_total', { ...q, verdict: 'pass' }), fail: add('llm_judge_verdicts_total', { ...q, verdict: 'fail' }) },
    feedback: { up: add('llm_feedback_total', { ...q, thumb: 'up' }), down: add('llm_feedback_total', { ...q, thumb: 'down' }) },
    agreement: { yes: add('llm_judge_human_agreement_total', { ...q, agree: 'true' }), no: add('llm_judge_human_agreement_total', { ...q, agree: 'false' }) },
    checks,
    outcomes: OUTCOMES.map((outcome) => add('llm_response_outcomes_total', { ...q, outcome })),
  };
}

/** Draws the quality signals of `ok` successful answers under effect `e` and adds them to `s`;
 * `judgeSample` is the share of answers the judge grades. */
export function drawAnswerQuality(rng: Random, s: QualitySeries, ok: number, e: Effect, judgeSample = JUDGE_SAMPLE): QualityCounts {
  const judged = rng.binomial(ok, judgeSample);
  const pass = rng.binomial(judged, e.judgePass);
  s.judge.pass.value += pass;
  s.judge.fail.value += judged - pass;
  const thumbs = rng.binomial(ok, FEEDBACK_SAMPLE);
  const up = rng.binomial(thumbs, e.thumbsUp);
  s.feedback.up.value += up;
  s.feedback.down.value += thumbs - up;
  const reviewed = rng.binomial(judged, REVIEW_SAMPLE);
  const agree = rng.binomial(reviewed, e.judgeAgreement);
  s.agreement.yes.value += agree;
  s.agreement.no.value += reviewed - agree;
  for (const check of HARD_CHECKS) {
    const failed = rng.binomial(ok, e.hardCheckFail[check]);
    s.checks[check].fail.value += failed;
    s.checks[check].pass.value += ok - failed;
  }
  const seen = rng.binomial(ok, OUTCOME_SEEN);
  const good = rng.binomial(seen, e.trueQuality ?? e.judgePass);
  const afterGood = rng.multinomial(good, OUTCOME_AFTER_GOOD);
  const afterBad = rng.multinomial(seen - good, OUTCOME_AFTER_BAD);
  s.outcomes.forEach((o, i) => (o.value += afterGood[i] + afterBad[i]));
  return { pass, fail: judged - pass, up, down: thumbs - up, agree, disagree: reviewed - agree };
}
