// The simulator's HTTP face: GET /metrics (Prometheus text format), GET/POST /scenario to read or
// switch the scenario at run time, GET /healthz. Judge verdicts, thumbs and human reviews go out
// as JSON lines (a file or stdout) and, when a Loki URL is given, to Loki's push API.

import { appendFileSync } from 'fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { isScenario, SCENARIOS } from './model';
import { QualityEvent, renderPrometheusText, Simulator } from './simulator';

export interface SimulatorServerOptions {
  simulator: Simulator;
  host?: string;
  port?: number;
  /** Simulated "now" (default Date.now): /metrics advances the simulator to it. */
  clock?: () => number;
  /** JSON lines of quality events: a file path, or "-" for stdout. */
  logs?: string;
  /** Loki base URL (http://loki:3100): events are pushed to /loki/api/v1/push. */
  lokiUrl?: string;
  lokiTenant?: string;
  /** How often the simulator advances and logs/pushes on its own (default 1000 ms; 0 = only on request). */
  intervalMs?: number;
  /** Labels of the pushed Loki streams besides `stream` and `route` (default {app: "llm-gateway"}). */
  lokiLabels?: Record<string, string>;
  onError?: (message: string) => void;
}

export interface RunningSimulator {
  url: string;
  port: number;
  simulator: Simulator;
  /** Advances to the clock and pushes pending events (what the timer does each interval). */
  flush(): Promise<void>;
  lokiPushes: number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, limit = 65536): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2) + '\n';
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startSimulatorServer(o: SimulatorServerOptions): Promise<RunningSimulator> {
  const sim = o.simulator;
  const clock = o.clock ?? Date.now;
  const onError = o.onError ?? ((m: string) => process.stderr.write(`simulator: ${m}\n`));
  const pending: QualityEvent[] = [];
  const wantsEvents = !!(o.logs || o.lokiUrl);
  if (wantsEvents) {
    sim.onEvent = (e) => {
      const line = JSON.stringify({ ...e, service: 'llm-gateway' });
      if (o.logs === '-') {
        process.stdout.write(line + '\n');
      } else if (o.logs) {
        pendingLines.push(line);
      }
      if (o.lokiUrl) {
        pending.push(e);
      }
    };
  }
  const pendingLines: string[] = [];
  const state = { lokiPushes: 0, pushing: false };

  const pushLoki = async () => {
    if (!o.lokiUrl || pending.length === 0 || state.pushing) {
      return;
    }
    const batch = pending.splice(0, 5000);
    const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>();
    for (const e of batch) {
      const labels = { ...(o.lokiLabels ?? { app: 'llm-gateway' }), stream: e.stream, route: e.route };
      const key = JSON.stringify(labels);
      let s = streams.get(key);
      if (!s) {
        streams.set(key, (s = { stream: labels, values: [] }));
      }
      s.values.push([`${Date.parse(e.ts)}000000`, JSON.stringify({ ...e, service: 'llm-gateway' })]);
    }
    state.pushing = true;
    try {
      const r = await fetch(`${o.lokiUrl.replace(/\/$/, '')}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(o.lokiTenant ? { 'X-Scope-OrgID': o.lokiTenant } : {}) },
        body: JSON.stringify({ streams: [...streams.values()] }),
        signal: AbortSignal.timeout(5000),
      });
      if (r.status >= 300) {
        onError(`Loki push answered ${r.status}: ${(await r.text()).slice(0, 200)}`);
      } else {
        state.lokiPushes++;
      }
    } catch (e) {
      onError(`Loki push failed: ${(e as Error).message}`);
      if (pending.length < 50000) {
        pending.unshift(...batch);
      }
    } finally {
      state.pushing = false;
    }
  };

  const step = async () => {
    sim.advanceTo(clock());
    if (pendingLines.length && o.logs && o.logs !== '-') {
      try {
        appendFileSync(o.logs, pendingLines.join('\n') + '\n');
      } catch (e) {
        onError(`cannot write ${o.logs}: ${(e as Error).message}`);
      }
      pendingLines.length = 0;
    }
    await pushLoki();
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    (async () => {
      if (req.method === 'GET' && path === '/metrics') {
        sim.advanceTo(clock());
        return send(res, 200, renderPrometheusText(sim.series), 'text/plain; version=0.0.4; charset=utf-8');
      }
      if (req.method === 'GET' && path === '/healthz') {
        return send(res, 200, { status: 'ok' });
      }
      if (path === '/scenario' && req.method === 'GET') {
        return send(res, 200, { scenario: sim.scenario, scenarios: Object.entries(SCENARIOS).map(([name, description]) => ({ name, description })) });
      }
      if (path === '/scenario' && req.method === 'POST') {
        const text = await readBody(req);
        let name: unknown;
        try {
          const b = JSON.parse(text || '{}');
          name = typeof b === 'string' ? b : b?.name;
        } catch {
          name = text.trim();
        }
        if (!isScenario(name)) {
          return send(res, 400, { error: `unknown scenario ${JSON.stringify(name)}; one of: ${Object.keys(SCENARIOS).join(', ')}` });
        }
        sim.advanceTo(clock());
        const previous = sim.scenario;
        sim.setScenario(name);
        return send(res, 200, { scenario: name, previous, description: SCENARIOS[name] });
      }
      if (path === '/' && req.method === 'GET') {
        return send(res, 200, { metrics: '/metrics', scenario: '/scenario', scenarios: Object.keys(SCENARIOS) });
      }
      send(res, 404, { error: `no route ${req.method} ${path}` });
    })().catch((e) => send(res, 500, { error: (e as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  const interval = o.intervalMs ?? 1000;
  const timer = interval > 0 ? setInterval(() => void step(), interval) : undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    simulator: sim,
    flush: step,
    get lokiPushes() {
      return state.lokiPushes;
    },
    async close() {
      if (timer) {
        clearInterval(timer);
      }
      await step().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
