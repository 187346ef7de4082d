// Wires the server together: storage, stores, delivery, status, HTTP. `startServer` is what
// `burnrate serve` runs; tests start it the same way on a free port.

import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { ActionStore } from './actionStore';
import { registerRoutes } from './api/routes';
import { storeConfiguredTokens, TokenStore } from './auth';
import { allowedOrigins, ServerConfig } from './config';
import { PrometheusDirectorySink } from './delivery/prometheusSink';
import { Reconciler } from './delivery/reconciler';
import { HistoryMode, HistoryService } from './history/historyService';
import { RulerSink } from './delivery/rulerSink';
import { RuleSink } from './delivery/sink';
import { GitOpsSource } from './gitops';
import { Leadership, leadershipFor } from './leader';
import { Router } from './http/router';
import { createLogger, Logger } from './log';
import { ServerMetrics } from './metrics';
import { SloStore } from './sloStore';
import { openStore } from './storage/openStore';
import { Store } from './storage/store';
import { PrometheusClient } from './status/prometheusClient';
import { StatusService } from './status/statusService';
import { Upstream } from './upstream';

export interface RunningServer {
  url: string;
  port: number;
  /** The database (SQLite or PostgreSQL). */
  storage: Store;
  store: SloStore;
  tokens: TokenStore;
  reconciler: Reconciler;
  gitops?: GitOpsSource;
  leadership: Leadership;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const db = await openStore(config);
  const metrics = new ServerMetrics();
  const store = new SloStore(db);
  const tokens = await TokenStore.open(db);
  const actions = new ActionStore(db, store);
  metrics.manualActions = () => actions.active();
  await storeConfiguredTokens(db, tokens, config, log);
  const upstream = new Upstream({ allowedOrigins: allowedOrigins(config), timeoutMs: config.upstreamTimeoutMs, retries: config.upstreamRetries });
  const prometheus = config.prometheusUrl ? new PrometheusClient(config.prometheusUrl, upstream, config.prometheusAuth) : undefined;
  const sinks: RuleSink[] = [];
  const rules = config.prometheusRules;
  if (rules.mode === 'directory') {
    sinks.push(new PrometheusDirectorySink(rules.dir, prometheus, log));
  } else if (rules.mode === 'ruler') {
    sinks.push(new RulerSink('prometheus', { url: rules.url, tenant: rules.tenant, api: rules.api, prefix: rules.prefix, auth: rules.auth }, upstream, log));
  }
  if (config.lokiRuler) {
    sinks.push(new RulerSink('loki', { url: config.lokiRuler.url, tenant: config.lokiRuler.tenant, api: 'loki', auth: config.lokiRuler.auth }, upstream, log));
  }
  const history = new HistoryService(store, upstream, historyMode(config, prometheus), log);
  const reconciler = new Reconciler(db, store, sinks, log, metrics, config.reconcileIntervalMs, (target, key, version, o) => {
    if (target === 'prometheus') {
      history.delivered(key, version, o);
    }
  });
  // Until this server is the leader (at once on SQLite), changes only mark SLOs pending.
  reconciler.pause();
  const leadership = leadershipFor(db, log, { retryMs: config.leaderRetryMs });
  metrics.leader = () => leadership.isLeader();
  const status = new StatusService(prometheus, metrics, config.statusCacheMs);
  const gitops = config.gitopsDir ? new GitOpsSource(config.gitopsDir, store, log, (s, n) => reconciler.changed(s, n)) : undefined;
  const router = new Router(tokens, log, metrics, config.maxBodyBytes);
  registerRoutes(router, {
    store,
    actions,
    tokens,
    status,
    reconciler,
    history,
    metrics,
    gitops: gitops ? () => gitops.status() : undefined,
    leadership,
    ready: async () => {
      try {
        await db.get('SELECT 1');
      } catch (e) {
        return { ready: false, reason: `the database does not answer: ${(e as Error).message}` };
      }
      const problem = leadership.problem();
      if (problem) {
        return { ready: false, reason: `leader election cannot reach the database: ${problem}` };
      }
      // A follower serves the API; rule delivery is the leader's.
      return !leadership.isLeader() || reconciler.lastRun || sinks.length === 0 ? { ready: true } : { ready: false, reason: 'the first rule sync has not finished' };
    },
  });
  const updateCounts = async () => {
    const n = await store.countBySource();
    metrics.slos.set({ source: 'api' }, n.api);
    metrics.slos.set({ source: 'git' }, n.git);
  };
  leadership.onChange(async (leader) => {
    if (leader) {
      await gitops?.start();
      reconciler.start();
    } else {
      gitops?.stop();
      reconciler.pause();
    }
  });
  await leadership.start();
  await updateCounts();
  const countsTimer = setInterval(() => updateCounts().catch((e) => log.warn('could not count the SLOs', { error: (e as Error).message })), 15000);
  countsTimer.unref();

  const server: Server = createServer((req, res) => {
    router.handle(req, res).catch((e) => log.error('unhandled request error', { error: (e as Error).stack ?? String(e) }));
  });
  server.headersTimeout = 10000;
  server.requestTimeout = 30000;
  // Idle keep-alive connections stay open longer than clients keep them (Grafana's proxy: 90 s):
  // a server that closes first races the client's next request on that connection, which then
  // fails ("fetch failed", a 502 through Grafana) when it is not safe to retry, as a POST is not.
  server.keepAliveTimeout = 95_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info('burnrate server listening', { url, db: db.location, prometheus: config.prometheusUrl, rules: rules.mode, slos: Object.values(await store.countBySource()).reduce((a, b) => a + b, 0) });
  return {
    url,
    port,
    storage: db,
    store,
    tokens,
    reconciler,
    gitops,
    leadership,
    async close() {
      clearInterval(countsTimer);
      await leadership.stop();
      gitops?.stop();
      await reconciler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.close();
    },
  };
}

/** History backfill needs the rules loaded by a Prometheus the server can write to (directory mode). */
function historyMode(config: ServerConfig, prometheus: PrometheusClient | undefined): HistoryMode {
  const rules = config.prometheusRules;
  if (rules.mode === 'ruler') {
    return { kind: 'unsupported', reason: `history backfill into a ${rules.api} ruler's storage is not built yet: the rollups fill from the creation on` };
  }
  if (!prometheus || !config.prometheusUrl) {
    return { kind: 'unsupported', reason: 'no Prometheus URL configured: the rollups fill from the creation on' };
  }
  return { kind: 'directory', prometheusUrl: config.prometheusUrl, prometheus, auth: config.prometheusAuth };
}
