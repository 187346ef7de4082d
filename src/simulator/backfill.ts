// Backfill: runs the simulator over past time and writes every series as OpenMetrics text for
// `promtool tsdb create-blocks-from openmetrics` (use --max-block-duration=24h: 30 days then take
// seconds instead of a minute, and keep Prometheus's retention above the backfilled range).
//
// History is written at a coarse step (default 10m, enough for the hourly rollups'
// increase(...[1h])) and the most recent hours at a fine step (default 1m, enough for rate(...[5m])),
// so that weeks of history stay a file of tens of megabytes.

import { closeSync, mkdirSync, openSync, writeSync } from 'fs';
import { join } from 'path';
import { historyIncidents, ScenarioName, ScheduledScenario } from './model';
import { labelText, Simulator, Series } from './simulator';

export interface BackfillOptions {
  seed?: number;
  /** End of the history (ms); the live simulator continues from here. */
  endMs: number;
  /** How far back to start (ms). */
  rangeMs: number;
  /** Step of the older history (default 10 minutes). */
  stepMs?: number;
  /** The last `recentMs` (default 6h) are written every `recentStepMs` (default 1 minute). */
  recentMs?: number;
  recentStepMs?: number;
  /** Include the scripted incidents of model.historyIncidents (default true). */
  incidents?: boolean;
  /** Scenario outside the incidents (default steady). */
  scenario?: ScenarioName;
  trafficScale?: number;
}

export interface BackfillResult {
  /** The simulator at endMs: keep serving it so that live counters continue the history. */
  simulator: Simulator;
  startMs: number;
  endMs: number;
  timestamps: number;
  series: number;
  samples: number;
  bytes: number;
  /** The files written (one per UTC day) when the output is a folder. */
  files: string[];
  incidents: ScheduledScenario[];
}

const TICK_MS = 15000;

function roundDown(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

/** The sample timestamps (ms) of a backfill: coarse, then fine for the recent part, ending at endMs. */
export function backfillTimestamps(o: BackfillOptions): number[] {
  const step = o.stepMs ?? 600_000;
  const recentStep = o.recentStepMs ?? 60_000;
  const recent = Math.min(o.recentMs ?? 6 * 3_600_000, o.rangeMs);
  const end = roundDown(o.endMs, TICK_MS);
  const start = roundDown(end - o.rangeMs, step);
  const fineFrom = roundDown(end - recent, recentStep);
  const out: number[] = [];
  for (let t = start; t < fineFrom; t += step) {
    out.push(t);
  }
  for (let t = fineFrom; t < end; t += recentStep) {
    out.push(t);
  }
  out.push(end);
  return out;
}

/** Counter families are named without `_total` in OpenMetrics. */
function omFamily(s: Series): string {
  return s.type === 'counter' && s.family.endsWith('_total') ? s.family.slice(0, -'_total'.length) : s.family;
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
}

const DAY_MS = 86_400_000;

/**
 * Simulates [endMs - rangeMs, endMs] and writes OpenMetrics: to `out` when it is a function, or
 * into the folder `out` as one file per UTC day (`history-YYYY-MM-DD.om`). promtool re-reads its
 * whole input once per block it makes, so one file per day (one 24h block each) keeps the import
 * linear in the range. In each file, series come one after another with all their samples in time
 * order, families together, ending with `# EOF`.
 */
export function backfill(o: BackfillOptions, out: string | ((chunk: string) => void)): BackfillResult {
  const times = backfillTimestamps(o);
  const startMs = times[0];
  const endMs = times[times.length - 1];
  const incidents = o.incidents === false ? [] : historyIncidents(endMs, startMs);
  const sim = new Simulator({ seed: o.seed, startMs, tickMs: TICK_MS, scenario: o.scenario, schedule: incidents, trafficScale: o.trafficScale });
  const series = sim.series.filter((s) => s.family !== 'llm_simulator_scenario');
  const values = series.map(() => new Float64Array(times.length));
  times.forEach((t, i) => {
    sim.advanceTo(t);
    for (let j = 0; j < series.length; j++) {
      values[j][i] = series[j].value;
    }
  });
  sim.tickMs = 1000;

  // One output per UTC day when writing files, else one: [from, to) index ranges of `times`.
  const days: Array<{ from: number; to: number; day: number }> = [];
  for (let i = 0; i < times.length; i++) {
    const day = typeof out === 'string' ? Math.floor(times[i] / DAY_MS) : 0;
    const last = days[days.length - 1];
    if (last && last.day === day) {
      last.to = i + 1;
    } else {
      days.push({ from: i, to: i + 1, day });
    }
  }
  if (typeof out === 'string') {
    mkdirSync(out, { recursive: true });
  }
  const secs = times.map((t) => (t % 1000 === 0 ? String(t / 1000) : (t / 1000).toFixed(3)));
  const families = [...new Set(series.map(omFamily))];
  let bytes = 0;
  const files: string[] = [];
  for (const d of days) {
    let fd: number | undefined;
    let buf = '';
    const flush = () => {
      if (!buf) {
        return;
      }
      bytes += Buffer.byteLength(buf);
      if (typeof out === 'string') {
        writeSync(fd!, buf);
      } else {
        out(buf);
      }
      buf = '';
    };
    const emit = (text: string) => {
      buf += text;
      if (buf.length > 1 << 20) {
        flush();
      }
    };
    if (typeof out === 'string') {
      const file = join(out, `history-${new Date(d.day * DAY_MS).toISOString().slice(0, 10)}.om`);
      files.push(file);
      fd = openSync(file, 'w');
    }
    try {
      for (const fam of families) {
        const members = series.map((s, j) => ({ s, j })).filter(({ s }) => omFamily(s) === fam);
        emit(`# TYPE ${fam} ${members[0].s.type}\n`);
        for (const { s, j } of members) {
          const prefix = `${s.name}${labelText(s.labels)} `;
          const v = values[j];
          for (let i = d.from; i < d.to; i++) {
            emit(`${prefix}${num(v[i])} ${secs[i]}\n`);
          }
        }
      }
      emit('# EOF\n');
      flush();
    } finally {
      if (fd !== undefined) {
        closeSync(fd);
      }
    }
  }
  return { simulator: sim, startMs, endMs, timestamps: times.length, series: series.length, samples: times.length * series.length, bytes, files, incidents };
}
