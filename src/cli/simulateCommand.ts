// `burnrate simulate`: the LLM traffic simulator (src/simulator) on the command line. Serves
// Prometheus metrics and a scenario switch over HTTP, or writes backfilled history as OpenMetrics.

import { parseDuration } from '../core/spec/duration';
import { backfill } from '../simulator/backfill';
import { isScenario, SCENARIOS } from '../simulator/model';
import { startSimulatorServer } from '../simulator/server';
import { Simulator } from '../simulator/simulator';
import { parseArgs, untilStopped, UsageError } from './args';
import type { Io } from './main';

export const SIMULATE_HELP = `Usage: burnrate simulate [--port N] [--host H] [--seed N] [--scenario NAME] [--logs FILE|-] [--loki-url URL]
       burnrate simulate --backfill 14d --out DIR [--step 10m] [--recent 6h] [--no-incidents] [--serve]

An LLM gateway look-alike for demos and tests. Serves Prometheus metrics under OpenTelemetry GenAI
names (gen_ai_server_time_to_first_token_seconds, gen_ai_server_time_per_output_token_seconds,
gen_ai_client_operation_time_to_first_chunk_seconds, gen_ai_client_operation_duration_seconds with
error_type on failures, llm_tokens_total, llm_cost_usd_total, llm_judge_verdicts_total,
llm_feedback_total, llm_judge_human_agreement_total, llm_hard_checks_total,
llm_response_outcomes_total) per route, model and (on /chat) customer plan (label tier) on
http://HOST:PORT/metrics, and switches scenarios at run time:

  curl -XPOST http://127.0.0.1:9464/scenario -d '{"name":"provider-outage"}'

Scenarios: ${Object.keys(SCENARIOS).join(', ')}.

  --host H, --port N    where to listen (default 127.0.0.1:9464)
  --seed N              random seed (default 1): the same seed gives the same traffic
  --scenario NAME       scenario at start (default steady)
  --traffic X           multiply every route's traffic by X (default 1)
  --judge-sample R       share of answers the judge grades (default 0.2; lower: a wider margin of error)
  --story-day D         length of a story day of prompt-regression (default 4m: "three days" in 12 minutes)
  --logs FILE|-         write judge verdicts, thumbs and human reviews as JSON lines (- = stdout)
  --loki-url URL        also push them to Loki (URL/loki/api/v1/push); --loki-tenant sets X-Scope-OrgID
  --backfill RANGE      simulate the past RANGE (e.g. 14d) and write it as OpenMetrics into --out DIR,
                        one file per day, for: promtool tsdb create-blocks-from openmetrics
                        --max-block-duration=24h FILE DATA_DIR (keep Prometheus's retention above RANGE)
  --step D, --recent D  backfill step (default 10m), and the recent span written every minute (default 6h)
  --no-incidents        backfill steady traffic only (default: a few scripted incidents in the history)
  --serve               after --backfill, keep serving live metrics that continue the history`;

export async function cmdSimulate(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    host: 'string',
    port: 'string',
    seed: 'string',
    scenario: 'string',
    traffic: 'string',
    'story-day': 'string',
    'judge-sample': 'string',
    logs: 'string',
    'loki-url': 'string',
    'loki-tenant': 'string',
    backfill: 'string',
    out: 'string',
    step: 'string',
    recent: 'string',
    'no-incidents': 'boolean',
    serve: 'boolean',
  });
  if (args.positional.length) {
    throw new UsageError(`unexpected argument ${args.positional[0]}`);
  }
  const o = args.options;
  const seed = Number(o.seed ?? '1');
  if (!Number.isInteger(seed)) {
    throw new UsageError('--seed must be a whole number');
  }
  const port = Number(o.port ?? process.env.BURNRATE_SIMULATOR_PORT ?? '9464');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError('--port must be a port number');
  }
  const scenario = o.scenario ?? 'steady';
  if (!isScenario(scenario)) {
    throw new UsageError(`unknown --scenario ${JSON.stringify(scenario)}: one of ${Object.keys(SCENARIOS).join(', ')}`);
  }
  const traffic = Number(o.traffic ?? '1');
  if (!(traffic > 0)) {
    throw new UsageError('--traffic must be a positive number');
  }
  const seconds = (name: string, fallback?: string) => {
    const v = o[name] ?? fallback;
    if (v === undefined) {
      return undefined;
    }
    const s = parseDuration(v);
    if (!s) {
      throw new UsageError(`--${name} must be a duration such as 10m, 6h or 14d`);
    }
    return s * 1000;
  };
  const storyDayMs = seconds('story-day', '4m')!;
  const judgeSampleRate = Number(o['judge-sample'] ?? '0.2');
  if (!(judgeSampleRate > 0 && judgeSampleRate <= 1)) {
    throw new UsageError('--judge-sample must be a share above 0 and at most 1');
  }
  let sim: Simulator;
  if (o.backfill !== undefined) {
    if (!o.out) {
      throw new UsageError('--backfill needs --out DIR');
    }
    const started = Date.now();
    const r = backfill(
      {
        seed,
        endMs: Date.now(),
        rangeMs: seconds('backfill')!,
        stepMs: seconds('step', '10m'),
        recentMs: seconds('recent', '6h'),
        incidents: o['no-incidents'] !== 'true',
        scenario,
        trafficScale: traffic,
      },
      o.out
    );
    io.stderr(
      `wrote ${r.samples.toLocaleString('en')} samples of ${r.series} series from ${new Date(r.startMs).toISOString()} to ${new Date(r.endMs).toISOString()} ` +
        `(${(r.bytes / 1e6).toFixed(1)} MB in ${r.files.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s)\n` +
        (r.incidents.length ? `incidents: ${r.incidents.map((i) => `${i.name} at ${new Date(i.fromMs).toISOString()}`).join(', ')}\n` : '') +
        `import each file: promtool tsdb create-blocks-from openmetrics --max-block-duration=24h FILE PROMETHEUS_DATA_DIR\n`
    );
    if (o.serve !== 'true') {
      return 0;
    }
    sim = r.simulator;
    sim.storyDayMs = storyDayMs;
    sim.judgeSampleRate = judgeSampleRate;
    sim.setScenario(scenario);
  } else {
    sim = new Simulator({ seed, startMs: Date.now(), scenario, trafficScale: traffic, storyDayMs, judgeSampleRate });
  }
  const server = await startSimulatorServer({
    simulator: sim,
    host: o.host ?? process.env.BURNRATE_SIMULATOR_HOST ?? '127.0.0.1',
    port,
    logs: o.logs,
    lokiUrl: o['loki-url'] ?? process.env.BURNRATE_SIMULATOR_LOKI_URL,
    lokiTenant: o['loki-tenant'],
    onError: (m) => io.stderr(`simulate: ${m}\n`),
  });
  io.stderr(
    `LLM gateway simulator on ${server.url}/metrics (scenario ${sim.scenario}). Switch scenarios with\n` +
      `  curl -XPOST ${server.url}/scenario -d '{"name":"provider-outage"}'\nCtrl-C stops it.\n`
  );
  await untilStopped();
  await server.close();
  return 0;
}
