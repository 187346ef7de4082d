// A small Prometheus exporter for integration tests: counters whose values grow at rates the test
// sets (value = integral of the rate over wall-clock time, as a float), served on
// 127.0.0.1:<free port>/metrics in the Prometheus text format.
//
// Because every counter of one scrape is computed at the same instant and grows linearly, the
// ratio of two counters' rate() over any window equals the ratio of their rates exactly (the
// same sample timestamps give the same extrapolation factor), which is what makes error ratios
// verifiable by hand.

import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { waitFor } from './prometheusServer';

export interface CounterSpec {
  /** Full sample name, e.g. gen_ai_client_operation_duration_seconds_count. */
  name: string;
  labels: Record<string, string>;
  /** Increase per second. */
  rate: number;
}

interface Counter extends CounterSpec {
  value: number;
}

export interface Exporter {
  url: string;
  /** host:port, for a scrape config. */
  target: string;
  scrapes: number;
  /** How many series the exporter serves now. */
  seriesCount(): number;
  /** Changes the rate of the counter with exactly these name and labels (adds it when new). */
  setRate(name: string, labels: Record<string, string>, rate: number): void;
  /** The current exposition text. */
  render(): string;
  close(): Promise<void>;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const key = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escape(labels[k])}"`)
    .join(',')}}`;

/** The family a sample name belongs to, for # TYPE lines. */
function family(name: string, histograms: string[]): { family: string; type: string } {
  for (const h of histograms) {
    if (name === `${h}_bucket` || name === `${h}_count` || name === `${h}_sum`) {
      return { family: h, type: 'histogram' };
    }
  }
  return { family: name, type: 'counter' };
}

/**
 * Series of a classic histogram: `perSecond` observations per second, of which `belowOrAt[le]`
 * per second fall at or under each bucket boundary (cumulative, as Prometheus buckets are).
 */
export function histogramSeries(metric: string, labels: Record<string, string>, perSecond: number, belowOrAt: Record<string, number>, meanSeconds = 0.5): CounterSpec[] {
  const out: CounterSpec[] = Object.entries(belowOrAt).map(([le, rate]) => ({ name: `${metric}_bucket`, labels: { ...labels, le }, rate }));
  out.push({ name: `${metric}_bucket`, labels: { ...labels, le: '+Inf' }, rate: perSecond });
  out.push({ name: `${metric}_count`, labels, rate: perSecond });
  out.push({ name: `${metric}_sum`, labels, rate: perSecond * meanSeconds });
  return out;
}

export async function startExporter(counters: CounterSpec[], opts: { histograms?: string[] } = {}): Promise<Exporter> {
  const series = new Map<string, Counter>();
  let last = Date.now();
  const advance = () => {
    const now = Date.now();
    const dt = (now - last) / 1000;
    last = now;
    for (const c of series.values()) {
      c.value += c.rate * dt;
    }
  };
  for (const c of counters) {
    series.set(key(c.name, c.labels), { ...c, value: 0 });
  }
  const histograms = opts.histograms ?? [];
  const render = () => {
    advance();
    const byFamily = new Map<string, { type: string; lines: string[] }>();
    for (const [k, c] of series) {
      const f = family(c.name, histograms);
      let entry = byFamily.get(f.family);
      if (!entry) {
        byFamily.set(f.family, (entry = { type: f.type, lines: [] }));
      }
      entry.lines.push(`${k} ${c.value}`);
    }
    const out: string[] = [];
    for (const [f, { type, lines }] of byFamily) {
      out.push(`# TYPE ${f} ${type}`, ...lines);
    }
    return out.join('\n') + '\n';
  };
  const ex: Exporter = {
    url: '',
    target: '',
    scrapes: 0,
    seriesCount: () => series.size,
    setRate(name, labels, rate) {
      advance();
      const k = key(name, labels);
      const c = series.get(k);
      if (c) {
        c.rate = rate;
      } else {
        series.set(k, { name, labels, rate, value: 0 });
      }
    },
    render,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    ex.scrapes++;
    const body = render();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  ex.url = `http://127.0.0.1:${port}`;
  ex.target = `127.0.0.1:${port}`;
  ex.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return ex;
}

/**
 * Waits until Prometheus holds at least `minSamples` scraped samples of every series the exporter
 * serves (so that rate() over them has a value): Prometheus being ready says nothing about its
 * first scrapes, and a page or rule that asks before them sees no data.
 */
export async function waitForScraped(prom: { url: string }, ex: Exporter, minSamples = 2, timeoutMs = 60000): Promise<void> {
  // A range selector answers with every series' samples (count_over_time would drop the names).
  const params = new URLSearchParams({ query: '{job="exporter", __name__!~"up|scrape_.+"}[10m]' });
  await waitFor(
    `${minSamples}+ scraped samples of each of the exporter's series`,
    async () => {
      const r = await fetch(`${prom.url}/api/v1/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(5000) });
      const body = (await r.json()) as { data?: { result: Array<{ values: unknown[] }> }; error?: string };
      if (!body.data) {
        throw new Error(body.error ?? `status ${r.status}`);
      }
      const have = body.data.result.filter((s) => s.values.length >= minSamples).length;
      if (have < ex.seriesCount()) {
        throw new Error(`Prometheus holds them for ${have} of ${ex.seriesCount()} series`);
      }
      return true;
    },
    timeoutMs
  );
}
