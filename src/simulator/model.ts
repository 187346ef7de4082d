// What the simulated LLM gateway serves: routes, the models behind them, and the scenarios that
// change their behaviour. Numbers are chosen so that the example SLOs sit comfortably inside their
// budgets in `steady` and visibly burn in every other scenario.

export type ScenarioName = 'steady' | 'bad-prompt-rollout' | 'prompt-regression' | 'judge-drift' | 'provider-outage' | 'latency-regression' | 'traffic-spike';

export const SCENARIOS: Record<ScenarioName, string> = {
  steady: 'normal traffic with a daily swing; every SLO inside its budget',
  'bad-prompt-rollout': 'a new /chat prompt: judge pass rate and thumbs up drop, answers get longer (and costlier)',
  'prompt-regression':
    'the support-bot story on a compressed clock: a new /chat prompt slowly hurts answers, blended quality 94% -> 91% -> 89% over three story days (one day = 4 minutes unless set); malformed JSON and retries rise. Revert by switching back to steady',
  'judge-drift':
    'the /chat judge drifts lenient: it passes 98% of answers while people find fewer good (more retries and thumbs down), and agrees with human reviewers on 65% of them (under the 80% minimum)',
  'provider-outage': 'the openai provider fails a third of calls (provider_error, provider_timeout); retries exhaust and some requests fail on our side (internal_error); fallback is slower',
  'latency-regression': 'time to first token on /chat is four times slower',
  'traffic-spike': 'six times the traffic on every route: queues grow, TTFT rises, some requests are shed (internal_error)',
};

export function isScenario(name: unknown): name is ScenarioName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SCENARIOS, name);
}

export interface StreamDef {
  route: string;
  operation: 'chat' | 'embeddings';
  provider: string;
  model: string;
  /** Requests per second at the daily mean. */
  rps: number;
  /** Streams tokens: has a time to first token, is judged and gets thumbs. */
  streaming: boolean;
  ttftMedian: number;
  ttftSigma: number;
  /** Median time per output token after the first (s); 0.02 s is 50 tokens per second. */
  tpotMedian: number;
  inTokens: number;
  outTokens: number;
  /** USD per million input / output tokens. */
  priceIn: number;
  priceOut: number;
}

export const STREAMS: StreamDef[] = [
  { route: '/chat', operation: 'chat', provider: 'openai', model: 'gpt-4o', rps: 4.2, streaming: true, ttftMedian: 0.35, ttftSigma: 0.35, tpotMedian: 0.02, inTokens: 900, outTokens: 220, priceIn: 2.5, priceOut: 10 },
  { route: '/chat', operation: 'chat', provider: 'anthropic', model: 'claude-sonnet-4', rps: 1.8, streaming: true, ttftMedian: 0.4, ttftSigma: 0.3, tpotMedian: 0.024, inTokens: 900, outTokens: 240, priceIn: 3, priceOut: 15 },
  { route: '/summarize', operation: 'chat', provider: 'openai', model: 'gpt-4o-mini', rps: 2, streaming: true, ttftMedian: 0.3, ttftSigma: 0.35, tpotMedian: 0.012, inTokens: 2500, outTokens: 200, priceIn: 0.15, priceOut: 0.6 },
  { route: '/embed', operation: 'embeddings', provider: 'openai', model: 'text-embedding-3-small', rps: 10, streaming: false, ttftMedian: 0.08, ttftSigma: 0.3, tpotMedian: 0, inTokens: 400, outTokens: 0, priceIn: 0.02, priceOut: 0 },
];

export const ROUTES = [...new Set(STREAMS.map((s) => s.route))];

/**
 * Customer plans (label `tier`) of the support bot's route: each takes its share of the traffic;
 * paid plans run on reserved capacity, so their first token comes sooner. Only /chat carries a
 * tier: tiers triple a route's series, and the backfilled history with them.
 */
export const TIERED_ROUTES = ['/chat'];
export const TIERS = [
  { name: 'free', share: 0.6, ttftFactor: 1.1 },
  { name: 'pro', share: 0.3, ttftFactor: 1 },
  { name: 'enterprise', share: 0.1, ttftFactor: 0.85 },
] as const;

/** The deterministic checks run on every streamed answer. */
export const HARD_CHECKS = ['valid_json', 'no_improper_refusal', 'no_system_prompt_leak'] as const;
export type HardCheck = (typeof HARD_CHECKS)[number];

/** What a user does with an answer, once known; the first two are good. */
export const OUTCOMES = ['accepted', 'copied', 'edited', 'retried', 'abandoned'] as const;
/** Outcome shares after a good and after a bad answer: bad answers get retried and abandoned. */
export const OUTCOME_AFTER_GOOD = [0.72, 0.22, 0.03, 0.02, 0.01];
export const OUTCOME_AFTER_BAD = [0.1, 0.05, 0.2, 0.4, 0.25];

/** How a scenario changes one stream at one moment. */
export interface Effect {
  traffic: number;
  ttftFactor: number;
  durationFactor: number;
  providerErrorRate: number;
  /** Share of provider failures that are timeouts (the rest are provider_error). */
  timeoutShare: number;
  internalErrorRate: number;
  judgePass: number;
  thumbsUp: number;
  judgeAgreement: number;
  /** Share of answers that are really good (drives the user outcomes); the judge's pass rate when unset. */
  trueQuality?: number;
  outTokenFactor: number;
  /** Time per output token: above 1 when the provider is saturated (fewer tokens per second). */
  tpotFactor: number;
  /** Failure rate of each hard check per answer. */
  hardCheckFail: Record<HardCheck, number>;
}

export const BASELINE: Effect = {
  traffic: 1,
  ttftFactor: 1,
  durationFactor: 1,
  providerErrorRate: 0.002,
  timeoutShare: 0.3,
  internalErrorRate: 0.0008,
  judgePass: 0.96,
  thumbsUp: 0.9,
  judgeAgreement: 0.91,
  outTokenFactor: 1,
  tpotFactor: 1,
  hardCheckFail: { valid_json: 0.004, no_improper_refusal: 0.006, no_system_prompt_leak: 0.001 },
};

/** Length of a story day of `prompt-regression` (simulated ms) unless the simulator is told otherwise. */
export const STORY_DAY_MS = 4 * 60_000;

/**
 * The prompt-regression story on /chat, by story day since the scenario started: the judge's pass
 * rate and the JSON and refusal failures of the new prompt. With the support-bot blend (judge 1,
 * hard checks 0.05, implicit 0.25) these read about 94.2%, 91.2% and 89.0% (docs/demo-story.md).
 */
export const STORY_DAYS: Array<{ judgePass: number; validJson: number; refusal: number }> = [
  { judgePass: 0.94, validJson: 0.006, refusal: 0.006 },
  { judgePass: 0.895, validJson: 0.02, refusal: 0.006 },
  { judgePass: 0.865, validJson: 0.045, refusal: 0.012 },
];

export function storyDay(sinceMs: number, dayMs = STORY_DAY_MS): number {
  return Math.min(STORY_DAYS.length - 1, Math.max(0, Math.floor(sinceMs / dayMs)));
}

/** How `scenario` changes stream `s`; `sinceMs` is how long the scenario has run (for the story). */
export function effectFor(scenario: ScenarioName, s: StreamDef, sinceMs = 0, storyDayMs = STORY_DAY_MS): Effect {
  const e = { ...BASELINE, hardCheckFail: { ...BASELINE.hardCheckFail } };
  switch (scenario) {
    case 'prompt-regression':
      if (s.route === '/chat') {
        const day = STORY_DAYS[storyDay(sinceMs, storyDayMs)];
        e.judgePass = day.judgePass;
        e.thumbsUp = day.judgePass - 0.06;
        e.hardCheckFail.valid_json = day.validJson;
        e.hardCheckFail.no_improper_refusal = day.refusal;
        e.outTokenFactor = 1.15;
      }
      break;
    case 'judge-drift':
      if (s.route === '/chat') {
        e.judgePass = 0.98;
        e.trueQuality = 0.88;
        e.thumbsUp = 0.78;
        e.judgeAgreement = 0.65;
      }
      break;
    case 'bad-prompt-rollout':
      if (s.route === '/chat') {
        e.judgePass = 0.7;
        e.thumbsUp = 0.62;
        e.outTokenFactor = 1.6;
        e.hardCheckFail.valid_json = 0.08;
      }
      break;
    case 'provider-outage':
      if (s.provider === 'openai') {
        e.providerErrorRate = 0.35;
        e.timeoutShare = 0.6;
        e.internalErrorRate = 0.04;
        e.ttftFactor = 1.8;
        e.durationFactor = 1.5;
        e.tpotFactor = 1.6;
      }
      break;
    case 'latency-regression':
      if (s.route === '/chat') {
        e.ttftFactor = 4;
        e.durationFactor = 1.8;
      }
      break;
    case 'traffic-spike':
      e.traffic = 6;
      e.ttftFactor = 1.6;
      e.durationFactor = 1.3;
      e.internalErrorRate = 0.012;
      // Saturated providers stream slower: about 20 tokens per second instead of 50.
      e.tpotFactor = 2.5;
      break;
    case 'steady':
      break;
  }
  return e;
}

/** Daily traffic swing (UTC): about 2.3x between the afternoon peak and the night trough. */
export function diurnal(tMs: number): number {
  const hour = (tMs / 3_600_000) % 24;
  return 1 + 0.4 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

/** OpenTelemetry GenAI semantic-convention buckets of gen_ai.server.time_to_first_token. */
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Buckets of gen_ai.client.operation.duration and gen_ai.client.operation.time_to_first_chunk (doubling from 10 ms). */
export const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
/** Buckets of gen_ai.server.time_per_output_token. */
export const TPOT_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5];

export const ERROR_TYPES = ['provider_timeout', 'provider_error', 'internal_error'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** A scenario over a span of simulated time (for backfilled history). */
export interface ScheduledScenario {
  name: ScenarioName;
  fromMs: number;
  toMs: number;
}

/**
 * Incidents in backfilled history, relative to its end: a provider outage, a latency regression
 * and a bad prompt rollout, each a few hours long, so that budgets are spent in part but not gone.
 */
export function historyIncidents(endMs: number, startMs: number): ScheduledScenario[] {
  const h = 3_600_000;
  const d = 24 * h;
  const list: ScheduledScenario[] = [
    { name: 'provider-outage', fromMs: endMs - 9 * d - 5 * h, toMs: endMs - 9 * d - 3.5 * h },
    { name: 'traffic-spike', fromMs: endMs - 6 * d - 8 * h, toMs: endMs - 6 * d - 7 * h },
    { name: 'latency-regression', fromMs: endMs - 4 * d - 20 * h, toMs: endMs - 4 * d - 18.5 * h },
    { name: 'bad-prompt-rollout', fromMs: endMs - 2 * d - 14 * h, toMs: endMs - 2 * d - 9 * h },
  ];
  return list.filter((s) => s.toMs > startMs && s.fromMs < endMs);
}
