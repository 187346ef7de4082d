// The simulated LLM gateway: counters and histograms under OpenTelemetry GenAI names (after
// Prometheus translation), per route, model and customer plan (tier), advanced in fixed ticks of
// simulated time.
// Nothing here reads the wall clock: the caller moves time with `advanceTo`, so the same seed
// and the same calls give the same numbers (tests drive the clock; the HTTP server drives it
// from Date.now()).

import { effectFor, Effect, ERROR_TYPES, diurnal, DURATION_BUCKETS, ScenarioName, ScheduledScenario, STORY_DAY_MS, StreamDef, STREAMS, TIERED_ROUTES, TIERS, TPOT_BUCKETS, TTFT_BUCKETS } from './model';
import { drawAnswerQuality, JUDGE_SAMPLE, QualitySeries, qualitySeries } from './answerQuality';
import { Labels, Series } from './exposition';
import { lognormalCdf, Random } from './random';

export { FAMILIES, labelText, renderPrometheusText } from './exposition';
export type { FamilyInfo, Labels, Series } from './exposition';

/** A judge verdict, a thumb or a human review: what the gateway would log as one JSON line. */
export interface QualityEvent {
  ts: string;
  stream: 'judge' | 'feedback' | 'review';
  route: string;
  model: string;
  verdict?: 'pass' | 'fail';
  score?: number;
  evaluator?: string;
  thumb?: 'up' | 'down';
  agree?: boolean;
}

interface Histogram {
  buckets: Series[];
  sum: Series;
  count: Series;
  bounds: number[];
}

interface StreamState {
  def: StreamDef;
  /** Share of the stream's traffic (its tier's share; 1 without tiers). */
  share: number;
  tierTtftFactor: number;
  ttft?: Histogram;
  tpot?: Histogram;
  ttfc?: Histogram;
  quality?: QualitySeries;
  duration: Record<string, Histogram>;
  tokensIn: Series;
  tokensOut: Series;
  cost: Series;
}

export interface SimulatorOptions {
  seed?: number;
  /** Simulated start time (ms since the epoch). */
  startMs: number;
  /** Size of a tick of simulated time; events are drawn per tick (default 1 s). */
  tickMs?: number;
  scenario?: ScenarioName;
  /** Traffic multiplier on every route (default 1). */
  trafficScale?: number;
  /** Scheduled scenarios that override the current one within their span (backfilled history). */
  schedule?: ScheduledScenario[];
  /** Receives judge verdicts, thumbs and human reviews as they happen (none when unset). */
  onEvent?: (e: QualityEvent) => void;
  /** Length of a story day of the prompt-regression scenario (simulated ms, default 4 minutes). */
  storyDayMs?: number;
  /** Share of successful streamed answers the judge grades (default 0.2): lower it to see the margin of error widen. */
  judgeSampleRate?: number;
}

function lognormalMean(median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2);
}

export class Simulator {
  readonly series: Series[] = [];
  private readonly streams: StreamState[] = [];
  private readonly rng: Random;
  /** Size of a tick (ms); may be changed between calls (backfill draws coarse ticks, live fine ones). */
  tickMs: number;
  private scenarioName: ScenarioName;
  private readonly schedule: ScheduledScenario[];
  private readonly trafficScale: number;
  private readonly probCache = new Map<string, number[]>();
  private scenarioSeries: Series;
  /** Simulated time the current scenario was set at (the story's clock starts there). */
  private scenarioFromMs: number;
  /** Length of a story day of prompt-regression (simulated ms); may be changed between calls. */
  storyDayMs: number;
  /** Share of answers the judge grades; may be changed between calls. */
  judgeSampleRate: number;
  onEvent?: (e: QualityEvent) => void;
  /** Simulated time up to which events have been drawn. */
  nowMs: number;

  constructor(o: SimulatorOptions) {
    this.rng = new Random(o.seed ?? 1);
    this.tickMs = o.tickMs ?? 1000;
    this.nowMs = o.startMs;
    this.scenarioName = o.scenario ?? 'steady';
    this.schedule = o.schedule ?? [];
    this.trafficScale = o.trafficScale ?? 1;
    this.onEvent = o.onEvent;
    this.scenarioFromMs = o.startMs;
    this.storyDayMs = o.storyDayMs ?? STORY_DAY_MS;
    this.judgeSampleRate = o.judgeSampleRate ?? JUDGE_SAMPLE;
    for (const def of STREAMS) {
      if (TIERED_ROUTES.includes(def.route)) {
        for (const tier of TIERS) {
          this.streams.push(this.createStream(def, tier.name, tier.share, tier.ttftFactor));
        }
      } else {
        this.streams.push(this.createStream(def));
      }
    }
    this.scenarioSeries = this.add('llm_simulator_scenario', 'counter', 'llm_simulator_scenario', { scenario: this.scenarioName });
    this.scenarioSeries.value = 1;
  }

  private add(family: string, type: 'counter' | 'histogram', name: string, labels: Labels): Series {
    const s: Series = { family, type, name, labels, value: 0 };
    this.series.push(s);
    return s;
  }

  private histogram(family: string, bounds: number[], labels: Labels): Histogram {
    const buckets = [...bounds.map(String), '+Inf'].map((le) => this.add(family, 'histogram', `${family}_bucket`, { ...labels, le }));
    return { buckets, sum: this.add(family, 'histogram', `${family}_sum`, labels), count: this.add(family, 'histogram', `${family}_count`, labels), bounds };
  }

  private createStream(def: StreamDef, tier?: string, share = 1, tierTtftFactor = 1): StreamState {
    const base: Labels = { route: def.route, gen_ai_operation_name: def.operation, gen_ai_provider_name: def.provider, gen_ai_request_model: def.model };
    if (tier) {
      base.tier = tier;
    }
    const st: StreamState = {
      def,
      share,
      tierTtftFactor,
      duration: {},
      tokensIn: this.add('llm_tokens_total', 'counter', 'llm_tokens_total', { ...base, gen_ai_token_type: 'input' }),
      tokensOut: this.add('llm_tokens_total', 'counter', 'llm_tokens_total', { ...base, gen_ai_token_type: 'output' }),
      cost: this.add('llm_cost_usd_total', 'counter', 'llm_cost_usd_total', base),
    };
    if (def.streaming) {
      st.ttft = this.histogram('gen_ai_server_time_to_first_token_seconds', TTFT_BUCKETS, base);
      st.tpot = this.histogram('gen_ai_server_time_per_output_token_seconds', TPOT_BUCKETS, base);
      st.ttfc = this.histogram('gen_ai_client_operation_time_to_first_chunk_seconds', DURATION_BUCKETS, base);
    }
    for (const et of ['', ...ERROR_TYPES]) {
      st.duration[et] = this.histogram('gen_ai_client_operation_duration_seconds', DURATION_BUCKETS, et ? { ...base, error_type: et } : base);
    }
    if (def.streaming) {
      const q: Labels = { route: def.route, gen_ai_request_model: def.model, ...(tier ? { tier } : {}) };
      st.quality = qualitySeries(q, (family, labels) => this.add(family, 'counter', family, labels));
    }
    return st;
  }

  get scenario(): ScenarioName {
    return this.scenarioName;
  }

  /** Switches the scenario from the current simulated time on. */
  setScenario(name: ScenarioName): void {
    this.scenarioName = name;
    this.scenarioFromMs = this.nowMs;
    this.scenarioSeries.labels = { scenario: name };
  }

  /** The scenario in force at simulated time t (a scheduled one wins over the current one). */
  scenarioAt(tMs: number): ScenarioName {
    return this.scenarioSpanAt(tMs).name;
  }

  /** The scenario in force at t and when it started (for the story's clock). */
  private scenarioSpanAt(tMs: number): { name: ScenarioName; fromMs: number } {
    for (const s of this.schedule) {
      if (tMs >= s.fromMs && tMs < s.toMs) {
        return s;
      }
    }
    return { name: this.scenarioName, fromMs: this.scenarioFromMs };
  }

  /** Draws every tick that ends at or before `tMs`. */
  advanceTo(tMs: number): void {
    while (this.nowMs + this.tickMs <= tMs) {
      this.tick(this.nowMs, this.tickMs);
      this.nowMs += this.tickMs;
    }
  }

  /** Bucket probabilities (per bucket, not cumulative; last = above the top bound). */
  private probs(bounds: number[], median: number, sigma: number): number[] {
    const key = `${bounds.length}:${median}:${sigma}`;
    let p = this.probCache.get(key);
    if (!p) {
      const cdf = bounds.map((b) => lognormalCdf(b, median, sigma));
      p = [...cdf.map((c, i) => c - (i ? cdf[i - 1] : 0)), 1 - cdf[cdf.length - 1]];
      if (this.probCache.size > 5000) {
        this.probCache.clear();
      }
      this.probCache.set(key, p);
    }
    return p;
  }

  private observe(h: Histogram, n: number, median: number, sigma: number): void {
    if (n <= 0) {
      return;
    }
    const counts = this.rng.multinomial(n, this.probs(h.bounds, median, sigma));
    let cum = 0;
    for (let i = 0; i < h.buckets.length; i++) {
      cum += counts[i];
      h.buckets[i].value += cum;
    }
    h.count.value += n;
    const mean = lognormalMean(median, sigma);
    h.sum.value += Math.max(0, n * mean * (1 + (0.1 * this.rng.normal()) / Math.sqrt(n)));
  }

  private tick(t: number, dtMs: number): void {
    const span = this.scenarioSpanAt(t);
    const swing = diurnal(t);
    for (const st of this.streams) {
      const e: Effect = effectFor(span.name, st.def, t - span.fromMs, this.storyDayMs);
      const d = st.def;
      const n = this.rng.poisson(d.rps * st.share * e.traffic * swing * this.trafficScale * (dtMs / 1000));
      if (n === 0) {
        continue;
      }
      const provider = this.rng.binomial(n, e.providerErrorRate);
      const timeouts = this.rng.binomial(provider, e.timeoutShare);
      const internal = this.rng.binomial(n - provider, e.internalErrorRate);
      const ok = n - provider - internal;
      const ttftMedian = d.ttftMedian * e.ttftFactor * st.tierTtftFactor;
      const outTokens = d.outTokens * e.outTokenFactor;
      const tpotMedian = d.tpotMedian * e.tpotFactor;
      if (st.ttft && st.tpot && st.ttfc) {
        this.observe(st.ttft, ok, ttftMedian, d.ttftSigma);
        this.observe(st.tpot, ok, tpotMedian, 0.35);
        // The client sees the first chunk a network round trip after the server's first token.
        this.observe(st.ttfc, ok, ttftMedian + 0.08, d.ttftSigma);
      }
      const okMedian = (d.streaming ? ttftMedian + outTokens * tpotMedian * 0.6 : d.ttftMedian) * e.durationFactor;
      this.observe(st.duration[''], ok, okMedian, 0.4);
      this.observe(st.duration.provider_timeout, timeouts, 30, 0.05);
      this.observe(st.duration.provider_error, provider - timeouts, 0.6 * e.durationFactor, 0.5);
      this.observe(st.duration.internal_error, internal, 0.03, 0.6);
      // Tokens: successes in full, provider errors spent the prompt, our own errors spent nothing.
      const tin = Math.round((ok + provider - timeouts) * d.inTokens * (1 + 0.03 * this.rng.normal()));
      const tout = Math.round(ok * outTokens * (1 + 0.05 * this.rng.normal()));
      st.tokensIn.value += Math.max(0, tin);
      st.tokensOut.value += Math.max(0, tout);
      st.cost.value += (Math.max(0, tin) * d.priceIn + Math.max(0, tout) * d.priceOut) / 1e6;
      if (st.quality) {
        const c = drawAnswerQuality(this.rng, st.quality, ok, e, this.judgeSampleRate);
        if (this.onEvent) {
          this.emitEvents(t, dtMs, d, c);
        }
      }
    }
  }

  private emitEvents(t: number, dtMs: number, d: StreamDef, c: { pass: number; fail: number; up: number; down: number; agree: number; disagree: number }): void {
    const at = () => new Date(t + Math.floor(this.rng.next() * dtMs)).toISOString();
    const base = { route: d.route, model: d.model };
    const out: QualityEvent[] = [];
    for (let i = 0; i < c.pass + c.fail; i++) {
      const verdict = i < c.pass ? 'pass' : 'fail';
      const score = verdict === 'pass' ? 0.7 + 0.3 * this.rng.next() : 0.5 * this.rng.next();
      out.push({ ts: at(), stream: 'judge', ...base, verdict, score: Math.round(score * 1000) / 1000, evaluator: 'helpfulness' });
    }
    for (let i = 0; i < c.up + c.down; i++) {
      out.push({ ts: at(), stream: 'feedback', ...base, thumb: i < c.up ? 'up' : 'down' });
    }
    for (let i = 0; i < c.agree + c.disagree; i++) {
      out.push({ ts: at(), stream: 'review', ...base, agree: i < c.agree });
    }
    out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    out.forEach((e) => this.onEvent!(e));
  }

  /** Value of the series with this sample name and exactly these labels (undefined when none). */
  value(name: string, labels: Labels): number | undefined {
    const want = JSON.stringify(Object.entries(labels).sort());
    return this.series.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)?.value;
  }

  /** Sum over the series with this sample name whose labels include `match`. */
  sum(name: string, match: Labels = {}): number {
    return this.series
      .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
      .reduce((a, s) => a + s.value, 0);
  }
}
