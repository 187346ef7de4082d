// Backfill: OpenMetrics that covers exactly the asked range, continues into the live simulator,
// and that real promtool turns into blocks (promtool is required: this test fails without it).

import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../src/cli/main';
import { backfill, backfillTimestamps } from '../../src/simulator/backfill';
import { labelText } from '../../src/simulator/simulator';

const DAY = 86_400_000;
const END = Date.UTC(2026, 2, 10, 15, 7, 30);

interface Parsed {
  types: Map<string, string>;
  /** series key -> [ts seconds, value][] */
  series: Map<string, Array<[number, number]>>;
  eof: boolean;
}

function parseOpenMetrics(text: string): Parsed {
  const types = new Map<string, string>();
  const series = new Map<string, Array<[number, number]>>();
  let eof = false;
  for (const line of text.split('\n')) {
    if (!line) {
      continue;
    }
    if (eof) {
      throw new Error(`text after # EOF: ${line}`);
    }
    if (line === '# EOF') {
      eof = true;
      continue;
    }
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) {
      if (types.has(t[1])) {
        throw new Error(`family ${t[1]} appears twice: its samples must be together`);
      }
      types.set(t[1], t[2]);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+) (\S+)$/.exec(line);
    if (!m) {
      throw new Error(`not an OpenMetrics sample: ${line}`);
    }
    const key = m[1] + (m[2] ?? '');
    const list = series.get(key) ?? [];
    list.push([Number(m[4]), Number(m[3])]);
    series.set(key, list);
  }
  return { types, series, eof };
}

function requirePromtool(): void {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('promtool not found: install the Debian package "prometheus" (see .ci/run)');
  }
}

describe('backfill', () => {
  test('covers the asked range: coarse steps, then one-minute steps for the recent part, ending at the end', () => {
    const times = backfillTimestamps({ endMs: END, rangeMs: 3 * DAY, stepMs: 600_000, recentMs: 2 * 3_600_000, recentStepMs: 60_000 });
    const end = Math.floor(END / 15000) * 15000;
    expect(times[times.length - 1]).toBe(end);
    expect(times[0]).toBeLessThanOrEqual(end - 3 * DAY);
    expect(times[0]).toBeGreaterThan(end - 3 * DAY - 600_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(600_000);
    const recent = times.filter((t) => t >= end - 2 * 3_600_000 + 60_000);
    recent.slice(1).forEach((t, i) => expect(t - recent[i]).toBeLessThanOrEqual(60_000));
  });

  test('OpenMetrics per UTC day: every series over the whole range, counters never decrease, live continues from the last sample', () => {
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-backfill-'));
    const r = backfill({ seed: 11, endMs: END, rangeMs: 3 * DAY }, dir);
    expect(r.files.map((f) => f.slice(dir.length + 1))).toEqual(['history-2026-03-07.om', 'history-2026-03-08.om', 'history-2026-03-09.om', 'history-2026-03-10.om']);
    const merged = new Map<string, Array<[number, number]>>();
    for (const f of r.files) {
      const p = parseOpenMetrics(readFileSync(f, 'utf8'));
      expect(p.eof).toBe(true);
      expect(p.types.get('gen_ai_server_time_to_first_token_seconds')).toBe('histogram');
      expect(p.types.get('gen_ai_client_operation_duration_seconds')).toBe('histogram');
      expect(p.types.get('llm_cost_usd')).toBe('counter'); // OpenMetrics counter families drop _total
      expect([...p.series.keys()].some((k) => k.startsWith('llm_cost_usd_total{'))).toBe(true);
      for (const [k, v] of p.series) {
        merged.set(k, [...(merged.get(k) ?? []), ...v]);
      }
    }
    expect(merged.size).toBe(r.series);
    const startS = r.startMs / 1000;
    const endS = r.endMs / 1000;
    expect(endS - startS).toBeGreaterThanOrEqual(3 * 86400);
    for (const [key, samples] of merged) {
      expect(samples.length).toBe(r.timestamps);
      expect(samples[0][0]).toBe(startS);
      expect(samples[samples.length - 1][0]).toBe(endS);
      for (let i = 1; i < samples.length; i++) {
        if (!(samples[i][0] > samples[i - 1][0]) || samples[i][1] < samples[i - 1][1]) {
          throw new Error(`${key}: out of order or decreasing at ${samples[i][0]}`);
        }
      }
    }
    // The simulator handed back is at the end of the history, holding the last values.
    for (const s of r.simulator.series.filter((x) => x.family !== 'llm_simulator_scenario')) {
      const key = `${s.name}${labelText(s.labels)}`;
      const last = merged.get(key)!;
      expect(last[last.length - 1][1]).toBeCloseTo(s.value, 6);
    }
    expect(r.simulator.nowMs).toBe(r.endMs);
    // Scripted incidents within the range only (the others are 4 to 9 days back).
    expect(r.incidents.map((i) => i.name)).toEqual(['bad-prompt-rollout']);
    // The incident shows: /chat judge fails in the rollout window are far above the steady rate.
    const fails = merged.get('llm_judge_verdicts_total{route="/chat",gen_ai_request_model="gpt-4o",tier="free",verdict="fail"}')!;
    const inc = r.incidents[0];
    const at = (t: number) => fails.filter(([ts]) => ts * 1000 <= t).pop()![1];
    const during = (at(inc.toMs) - at(inc.fromMs)) / ((inc.toMs - inc.fromMs) / 3_600_000);
    const before = (at(inc.fromMs) - at(inc.fromMs - 10 * 3_600_000)) / 10;
    expect(during).toBeGreaterThan(before * 4);
  });

  test('`burnrate simulate --backfill` writes files that real promtool turns into blocks covering the range', async () => {
    requirePromtool();
    const dir = mkdtempSync(join(tmpdir(), 'burnrate-backfill-cli-'));
    const out = join(dir, 'om');
    const data = join(dir, 'data');
    let stderr = '';
    const code = await main(['simulate', '--backfill', '6h', '--out', out, '--no-incidents', '--seed', '4'], { stdout: () => undefined, stderr: (t) => (stderr += t) });
    expect(code).toBe(0);
    expect(stderr).toMatch(/promtool tsdb create-blocks-from openmetrics --max-block-duration=24h/);
    const files = readdirSync(out).map((f) => join(out, f));
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const f of files) {
      execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', f, data], { stdio: 'pipe' });
    }
    const list = execFileSync('promtool', ['tsdb', 'list', data], { encoding: 'utf8' });
    const rows = list.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const minT = Math.min(...rows.map((x) => Number(x[1])));
    const maxT = Math.max(...rows.map((x) => Number(x[2])));
    const series = Math.max(...rows.map((x) => Number(x[6])));
    expect(maxT - minT).toBeGreaterThanOrEqual(6 * 3_600_000 - 600_000);
    expect(Math.abs(maxT - Date.now())).toBeLessThan(5 * 60_000);
    // Per streaming label set: TTFT 19 (16 buckets, +Inf, _sum, _count), time per output token 16,
    // time to first chunk 17, durations 4 x 17, tokens 2, cost 1, judge, thumbs and reviews 6,
    // hard checks 6, outcomes 5: 140. Seven such sets (/chat: 2 models x 3 tiers, /summarize: 1),
    // and /embed's 4 x 17 + 3 = 71: 7 x 140 + 71 = 1051.
    expect(series).toBe(1051);
  }, 60000);
});
