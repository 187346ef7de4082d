// The simulated LLM gateway: counters and histograms under OpenTelemetry GenAI names (after
// Prometheus translation), per route and model, advanced in fixed ticks of simulated time.
// Nothing here reads the wall clock: the caller moves time with `advanceTo`, so the same seed
// and the same calls give the same numbers (tests drive the clock; the HTTP server drives it
// from Date.now()).

import { effectFor, Effect, ERROR_TYPES, diurnal, DURATION_BUCKETS, ScenarioName, ScheduledScenario, StreamDef, STREAMS, TTFT_BUCKETS } from './model';
import { lognormalCdf, Random } from './random';

export type Labels = Record<string, string>;

export interface Series {
  family: string;
  type: 'counter' | 'histogram';
  /** Sample name: the family for counters, family_bucket/_sum/_count for histograms. */
  name: string;
  labels: Labels;
  value: number;
}

export interface FamilyInfo {
  name: string;
  type: 'counter' | 'histogram';
  help: string;
  unit?: string;
}

export const FAMILIES: FamilyInfo[] = [
  { name: 'gen_ai_server_time_to_first_token_seconds', type: 'histogram', help: 'Time to generate the first token (gen_ai.server.time_to_first_token), successful streaming calls.', unit: 'seconds' },
  { name: 'gen_ai_client_operation_duration_seconds', type: 'histogram', help: 'GenAI operation duration (gen_ai.client.operation.duration); error_type is set only on failed calls.', unit: 'seconds' },
  { name: 'llm_tokens_total', type: 'counter', help: 'Tokens used, by gen_ai_token_type (input, output).' },
  { name: 'llm_cost_usd_total', type: 'counter', help: 'Spend on model providers in US dollars.' },
  { name: 'llm_judge_verdicts_total', type: 'counter', help: 'LLM-as-judge verdicts on sampled answers (verdict=pass|fail).' },
  { name: 'llm_feedback_total', type: 'counter', help: 'User feedback on answers (thumb=up|down).' },
  { name: 'llm_judge_human_agreement_total', type: 'counter', help: 'Human reviews of judged answers: whether the reviewer agreed with the judge (agree=true|false).' },
  { name: 'llm_simulator_scenario', type: 'counter', help: 'Always 1 for the running scenario (gauge, for dashboards).' },
];

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
  ttft?: Histogram;
  duration: Record<string, Histogram>;
  tokensIn: Series;
  tokensOut: Series;
  cost: Series;
  judge?: { pass: Series; fail: Series };
  feedback?: { up: Series; down: Series };
  agreement?: { yes: Series; no: Series };
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
}

/** Share of successful streaming answers that the judge grades; share that gets a thumb; share of graded ones a human reviews. */
const JUDGE_SAMPLE = 0.2;
const FEEDBACK_SAMPLE = 0.05;
const REVIEW_SAMPLE = 0.1;

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
    for (const def of STREAMS) {
      this.streams.push(this.createStream(def));
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

  private createStream(def: StreamDef): StreamState {
    const base: Labels = { route: def.route, gen_ai_operation_name: def.operation, gen_ai_provider_name: def.provider, gen_ai_request_model: def.model };
    const st: StreamState = {
      def,
      ttft: def.streaming ? this.histogram('gen_ai_server_time_to_first_token_seconds', TTFT_BUCKETS, base) : undefined,
      duration: {},
      tokensIn: this.add('llm_tokens_total', 'counter', 'llm_tokens_total', { ...base, gen_ai_token_type: 'input' }),
      tokensOut: this.add('llm_tokens_total', 'counter', 'llm_tokens_total', { ...base, gen_ai_token_type: 'output' }),
      cost: this.add('llm_cost_usd_total', 'counter', 'llm_cost_usd_total', base),
    };
    for (const et of ['', ...ERROR_TYPES]) {
      st.duration[et] = this.histogram('gen_ai_client_operation_duration_seconds', DURATION_BUCKETS, et ? { ...base, error_type: et } : base);
    }
    if (def.streaming) {
      const q: Labels = { route: def.route, gen_ai_request_model: def.model };
      st.judge = { pass: this.add('llm_judge_verdicts_total', 'counter', 'llm_judge_verdicts_total', { ...q, verdict: 'pass' }), fail: this.add('llm_judge_verdicts_total', 'counter', 'llm_judge_verdicts_total', { ...q, verdict: 'fail' }) };
      st.feedback = { up: this.add('llm_feedback_total', 'counter', 'llm_feedback_total', { ...q, thumb: 'up' }), down: this.add('llm_feedback_total', 'counter', 'llm_feedback_total', { ...q, thumb: 'down' }) };
      st.agreement = {
        yes: this.add('llm_judge_human_agreement_total', 'counter', 'llm_judge_human_agreement_total', { ...q, agree: 'true' }),
        no: this.add('llm_judge_human_agreement_total', 'counter', 'llm_judge_human_agreement_total', { ...q, agree: 'false' }),
      };
    }
    return st;
  }

  get scenario(): ScenarioName {
    return this.scenarioName;
  }

  /** Switches the scenario from the current simulated time on. */
  setScenario(name: ScenarioName): void {
    this.scenarioName = name;
    this.scenarioSeries.labels = { scenario: name };
  }

  /** The scenario in force at simulated time t (a scheduled one wins over the current one). */
  scenarioAt(tMs: number): ScenarioName {
    for (const s of this.schedule) {
      if (tMs >= s.fromMs && tMs < s.toMs) {
        return s.name;
      }
    }
    return this.scenarioName;
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
    const scenario = this.scenarioAt(t);
    const swing = diurnal(t);
    for (const st of this.streams) {
      const e: Effect = effectFor(scenario, st.def);
      const d = st.def;
      const n = this.rng.poisson(d.rps * e.traffic * swing * this.trafficScale * (dtMs / 1000));
      if (n === 0) {
        continue;
      }
      const provider = this.rng.binomial(n, e.providerErrorRate);
      const timeouts = this.rng.binomial(provider, e.timeoutShare);
      const internal = this.rng.binomial(n - provider, e.internalErrorRate);
      const ok = n - provider - internal;
      const ttftMedian = d.ttftMedian * e.ttftFactor;
      const outTokens = d.outTokens * e.outTokenFactor;
      if (st.ttft) {
        this.observe(st.ttft, ok, ttftMedian, d.ttftSigma);
      }
      const okMedian = (d.streaming ? ttftMedian + outTokens * 0.012 : d.ttftMedian) * e.durationFactor;
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
      if (st.judge && st.feedback && st.agreement) {
        const judged = this.rng.binomial(ok, JUDGE_SAMPLE);
        const pass = this.rng.binomial(judged, e.judgePass);
        st.judge.pass.value += pass;
        st.judge.fail.value += judged - pass;
        const thumbs = this.rng.binomial(ok, FEEDBACK_SAMPLE);
        const up = this.rng.binomial(thumbs, e.thumbsUp);
        st.feedback.up.value += up;
        st.feedback.down.value += thumbs - up;
        const reviewed = this.rng.binomial(judged, REVIEW_SAMPLE);
        const agree = this.rng.binomial(reviewed, e.judgeAgreement);
        st.agreement.yes.value += agree;
        st.agreement.no.value += reviewed - agree;
        if (this.onEvent) {
          this.emitEvents(t, dtMs, d, { pass, fail: judged - pass, up, down: thumbs - up, agree, disagree: reviewed - agree });
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

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
}

/** The Prometheus text exposition (format 0.0.4) of every series, families together. */
export function renderPrometheusText(series: Series[]): string {
  const lines: string[] = [];
  for (const f of FAMILIES) {
    const members = series.filter((s) => s.family === f.name);
    if (!members.length) {
      continue;
    }
    const type = f.name === 'llm_simulator_scenario' ? 'gauge' : f.type;
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${type}`);
    for (const s of members) {
      lines.push(`${s.name}${labelText(s.labels)} ${num(s.value)}`);
    }
  }
  return lines.join('\n') + '\n';
}
