// History at creation (Prometheus, directory mode): once a new SLO's rules are loaded, fill its
// hourly rollups from the raw data Prometheus already holds, so that its period windows describe
// the whole period from the first minutes instead of only the hours since creation.
//
// Base rollups are evaluated for the past with query_range of the rule's own expr at the slot
// instants of the live group (same expr, same instants: the values the live rule would have
// recorded); the sums the rollup group derives from them are computed at the newest slot
// (core/rules/historyBackfill.ts); both are written with remote write, which needs Prometheus's
// remote-write receiver and an out-of-order window (the samples are older than the head).

import { groupPhase } from '../../core/rules/groupPhase';
import { classifyRollups, deriveAt, planHistory, rollupGroup, Series, shortRatePlan, slotsBack } from '../../core/rules/historyBackfill';
import { sloRuleGroups } from '../../core/rules/ruleGroups';
import { groupName } from '../../core/rules/seriesNames';
import { sloSelector } from '../../core/rules/sliSignals';
import { RecordingRule } from '../../core/rules/types';
import { Slo } from '../../core/spec/types';
import { Upstream } from '../upstream';
import { UpstreamAuth } from '../upstreamAuth';
import { encodeWriteRequest, REMOTE_WRITE_HEADERS, snappyLiteralBlock, WriteSeries } from './remoteWrite';

export interface HistoryState {
  state: 'queued' | 'running' | 'done' | 'failed' | 'unsupported';
  /** Hours of the period with a rollup after the backfill. */
  coveredHours?: number;
  periodHours?: number;
  /** Rollup samples written by this run (0 on a rerun). */
  written?: number;
  reason?: string;
}

export interface BackfillOptions {
  upstream: Upstream;
  prometheusUrl: string;
  /** Prometheus's credentials, as its status queries send them. */
  auth?: UpstreamAuth;
  slo: Slo;
  /** The rule file's path as Prometheus loaded it (the group's phase depends on it). */
  ruleFile: string;
  nowS: number;
}

type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

async function api(o: BackfillOptions, path: string, params: Record<string, string>): Promise<Matrix> {
  const res = await o.upstream.request(`${o.prometheusUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    auth: o.auth,
    body: new URLSearchParams(params).toString(),
    timeoutMs: 60000,
  });
  const body = JSON.parse(res.body) as { status: string; error?: string; data?: { result: Matrix } };
  if (res.status !== 200 || body.status !== 'success') {
    throw new Error(`Prometheus ${path} answered ${res.status}: ${body.error ?? res.body.slice(0, 300)}`);
  }
  return body.data!.result;
}

const toSeries = (m: Matrix): Series[] => m.map((s) => ({ labels: s.metric, samples: s.values.map(([t, v]) => [Number(t), Number(v)]) }));

/** Samples already recorded for `name` between `from` and `to` (s), by series. */
async function existing(o: BackfillOptions, name: string, from: number, to: number): Promise<Series[]> {
  const range = Math.ceil(to - from) + 1;
  return toSeries(await api(o, '/api/v1/query', { query: `${name}${sloSelector(o.slo)}[${range}s]`, time: String(to) }));
}

async function remoteWrite(o: BackfillOptions, series: WriteSeries[]): Promise<void> {
  if (series.length === 0) {
    return;
  }
  const body = snappyLiteralBlock(encodeWriteRequest(series));
  const res = await o.upstream.request(`${o.prometheusUrl}/api/v1/write`, {
    method: 'POST',
    headers: REMOTE_WRITE_HEADERS,
    auth: o.auth,
    // A fresh array from Writer.finish(): its buffer holds exactly the block.
    body: new Blob([body.buffer as ArrayBuffer]),
    retry: false,
    timeoutMs: 60000,
  });
  if (res.status === 404) {
    throw new Unsupported('Prometheus does not accept remote write: start it with --web.enable-remote-write-receiver');
  }
  if (res.status >= 300) {
    const hint = /out of (order|bounds)/i.test(res.body) ? ' (set storage: tsdb: out_of_order_time_window: 31d or longer in prometheus.yml)' : '';
    throw new Error(`Prometheus rejected the backfilled rollups (${res.status}): ${res.body.trim().slice(0, 300)}${hint}`);
  }
}

class Unsupported extends Error {}

/** Runs one backfill; never throws: failures come back as `failed` or `unsupported` with the reason. */
export async function backfillHistory(o: BackfillOptions): Promise<HistoryState> {
  try {
    return await run(o);
  } catch (e) {
    return { state: e instanceof Unsupported ? 'unsupported' : 'failed', reason: (e as Error).message };
  }
}

/**
 * Evaluates `rules` for the past at `slots` (query_range of their own exprs, `stepS` apart) and
 * writes the values the live group has not recorded; returns what was written and what is held.
 */
async function fillBase(o: BackfillOptions, rules: RecordingRule[], slots: number[], stepS: number, have: Map<string, Series[]>): Promise<WriteSeries[]> {
  const todo = new Set(slots.map((t) => Math.round(t * 1000)));
  const writes: WriteSeries[] = [];
  if (slots.length === 0) {
    return writes;
  }
  for (const r of rules) {
    const m = await api(o, '/api/v1/query_range', {
      query: r.expr,
      start: slots[0].toFixed(3),
      end: slots[slots.length - 1].toFixed(3),
      step: String(stepS),
    });
    for (const s of m) {
      const labels = { ...s.metric, ...r.labels, __name__: r.record };
      const samples = s.values.map(([t, v]): [number, number] => [Number(t), Number(v)]).filter(([t]) => todo.has(Math.round(t * 1000)));
      if (samples.length > 0) {
        writes.push({ labels, samples });
        have.set(r.record, [...(have.get(r.record) ?? []), { labels, samples }]);
      }
    }
  }
  await remoteWrite(o, writes);
  return writes;
}

const count = (ws: WriteSeries[]) => ws.reduce((n, s) => n + s.samples.length, 0);
const instants = (have: Map<string, Series[]>) => [...have.values()].flatMap((ss) => ss.flatMap((s) => s.samples.map(([t]) => t)));

async function run(o: BackfillOptions): Promise<HistoryState> {
  const groups = sloRuleGroups(o.slo).prometheus;
  const group = rollupGroup(groups, o.slo);
  if (!group) {
    return { state: 'unsupported', reason: 'the SLO has no hourly rollup group' };
  }
  const { base, derived } = classifyRollups(group);
  const phase = groupPhase(group.name, o.ruleFile, 3600);
  const all = planHistory(o.slo, o.nowS, phase);
  const first = all.slots[0];
  const newest = all.slots[all.slots.length - 1];
  const have = new Map<string, Series[]>();
  for (const r of base) {
    have.set(r.record, await existing(o, r.record, first, newest));
  }
  const plan = planHistory(o.slo, o.nowS, phase, { filled: instants(have) });
  let written = count(await fillBase(o, base, plan.slots, 3600, have));
  // The sums at the newest slot, unless the live group already recorded that slot.
  if (plan.slots.includes(newest) && written > 0) {
    const sums = deriveAt(derived, have, newest).map((d) => ({ labels: { ...d.labels, __name__: d.name }, samples: [[newest, d.value]] as Array<[number, number]> }));
    await remoteWrite(o, sums);
    written += sums.length;
  }
  const counted = new Set(instants(have).map((t) => Math.round(t)).filter((t) => t > newest - all.periodHours * 3600));

  // The short windows' 5m rates over the last 6h, at the main group's own instants.
  const short = shortRatePlan(groups, o.slo);
  if (short) {
    const step = short.intervalSeconds;
    const mainPhase = groupPhase(groupName(o.slo), o.ruleFile, step);
    const held = new Map<string, Series[]>();
    for (const r of short.rules) {
      held.set(r.record, await existing(o, r.record, o.nowS - short.spanSeconds - step, o.nowS));
    }
    // Only instants no rate holds yet: the live group writes both rates at once.
    written += count(await fillBase(o, short.rules, slotsBack(o.nowS, step, mainPhase, short.spanSeconds, instants(held)), step, held));
  }
  return { state: 'done', coveredHours: counted.size, periodHours: all.periodHours, written };
}
