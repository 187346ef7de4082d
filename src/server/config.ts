// Server configuration: environment variables, optionally a YAML/JSON config file
// (BURNRATE_CONFIG), environment winning. Every URL the server may ever contact is listed here;
// nothing else is reachable from the server (see allowedOrigins). Credentials and API tokens are
// read by configSecrets.ts.

import { readFileSync } from 'fs';
import { parseDocuments } from '../core/spec/document';
import { formatDiagnostic } from '../core/spec/types';
import { apiToken, ConfigError, httpUrl, upstream } from './configSecrets';
import { UpstreamAuth } from './upstreamAuth';

export { ConfigError };

export type RulesTarget =
  | { mode: 'directory'; dir: string }
  | { mode: 'ruler'; url: string; tenant?: string; api: 'mimir' | 'cortex'; prefix?: string; auth?: UpstreamAuth }
  | { mode: 'none' };

export interface ServerConfig {
  host: string;
  port: number;
  dbPath: string;
  /** PostgreSQL instead of the SQLite file at dbPath (postgres://user:password@host:5432/db). */
  databaseUrl?: string;
  /** Prometheus (or Mimir) for status queries and, in directory mode, /-/reload. */
  prometheusUrl?: string;
  /** Credentials sent with every request to prometheusUrl (queries, rules list, reload, writes). */
  prometheusAuth?: UpstreamAuth;
  prometheusRules: RulesTarget;
  /** Loki ruler for Loki SLIs' first stage. */
  lokiRuler?: { url: string; tenant?: string; auth?: UpstreamAuth };
  /** Read-only SLO files (native, OpenSLO, Sloth, Pyrra), watched for changes. */
  gitopsDir?: string;
  /** Token created with the admin role on first start when the database has no tokens. */
  bootstrapAdminToken?: string;
  /** The Grafana app's token: kept as the token named `grafana`, with the editor role. */
  grafanaToken?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Timeout of every call to Prometheus or a ruler, in ms. */
  upstreamTimeoutMs: number;
  /** Retries of rule delivery calls (rulers) that failed with 5xx or a network error. */
  upstreamRetries: number;
  reconcileIntervalMs: number;
  /** With PostgreSQL: how often a server that is not the leader tries to become it, in ms. */
  leaderRetryMs?: number;
  /** How long a status answer may be reused, in ms. */
  statusCacheMs: number;
  /** Links put into generated alerts, e.g. the Grafana app's SLO page. */
  grafanaUrl?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

function num(value: string | number | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new ConfigError(`${name}: expected a non-negative number, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** A URL put into alerts and shown to people: credentials in it would be published. */
function linkUrl(value: unknown, name: string): string | undefined {
  const u = httpUrl(value, name);
  if (u && (new URL(u).username || new URL(u).password)) {
    throw new ConfigError(`${name}: must not hold credentials (it is written into every alert)`);
  }
  return u;
}

/** BURNRATE_DATABASE_URL, checked here so that a mistyped one stops the start with its name. */
function databaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError('BURNRATE_DATABASE_URL: not a URL; expected postgres://user:password@host:5432/database');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new ConfigError(`BURNRATE_DATABASE_URL: expected a postgres:// or postgresql:// URL, got ${u.protocol}//`);
  }
  return value;
}

/** Reads configuration from `env` and the file it names. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  let file: Record<string, any> = {};
  if (env.BURNRATE_CONFIG) {
    let text: string;
    try {
      text = readFileSync(env.BURNRATE_CONFIG, 'utf8');
    } catch (e) {
      throw new ConfigError(`BURNRATE_CONFIG ${env.BURNRATE_CONFIG}: ${(e as Error).message}`);
    }
    // Through the same bounded parser as SLO files.
    const parsed = parseDocuments(text, env.BURNRATE_CONFIG);
    if (parsed.diagnostics.length > 0) {
      throw new ConfigError(`BURNRATE_CONFIG ${parsed.diagnostics.map(formatDiagnostic).join('\n')}`);
    }
    file = (parsed.docs[0]?.value as Record<string, any> | null) ?? {};
  }
  const prom = file.prometheus ?? {};
  const rulesDir = env.BURNRATE_RULES_DIR ?? prom.rulesDir;
  const prometheus = upstream(env, 'BURNRATE_PROMETHEUS', prom, 'prometheus');
  const ruler = upstream(env, 'BURNRATE_PROMETHEUS_RULER', prom.ruler, 'prometheus.ruler');
  const loki = upstream(env, 'BURNRATE_LOKI_RULER', file.loki?.ruler, 'loki.ruler');
  const rulerUrl = ruler.url;
  let prometheusRules: RulesTarget = { mode: 'none' };
  if (rulesDir && rulerUrl) {
    throw new ConfigError('give either a Prometheus rules directory or a ruler URL, not both');
  }
  if (rulesDir) {
    prometheusRules = { mode: 'directory', dir: String(rulesDir) };
  } else if (rulerUrl) {
    const api = env.BURNRATE_PROMETHEUS_RULER_API ?? prom.ruler?.api ?? 'mimir';
    if (api !== 'mimir' && api !== 'cortex') {
      throw new ConfigError(`prometheus ruler api: expected mimir or cortex, got ${JSON.stringify(api)}`);
    }
    prometheusRules = {
      mode: 'ruler',
      url: rulerUrl,
      api,
      tenant: env.BURNRATE_PROMETHEUS_TENANT ?? prom.ruler?.tenant,
      prefix: prom.ruler?.prefix,
      auth: ruler.auth,
    };
  }
  const adminToken = apiToken(env, 'BURNRATE_ADMIN_TOKEN', file, 'adminToken');
  const grafanaToken = apiToken(env, 'BURNRATE_GRAFANA_TOKEN', file, 'grafanaToken');
  if (adminToken !== undefined && adminToken === grafanaToken) {
    throw new ConfigError('the Grafana app token is the admin token: give the app a token of its own (it gets the editor role only)');
  }
  const level = env.BURNRATE_LOG_LEVEL ?? file.logLevel ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    throw new ConfigError(`log level: expected debug, info, warn or error, got ${JSON.stringify(level)}`);
  }
  return {
    host: env.BURNRATE_HOST ?? file.host ?? '127.0.0.1',
    port: num(env.BURNRATE_PORT ?? file.port, 'port', 8787),
    dbPath: env.BURNRATE_DB ?? file.db ?? '.burnrate/burnrate.db',
    databaseUrl: databaseUrl(env.BURNRATE_DATABASE_URL),
    prometheusUrl: prometheus.url,
    prometheusAuth: prometheus.auth,
    prometheusRules,
    lokiRuler: loki.url ? { url: loki.url, tenant: env.BURNRATE_LOKI_TENANT ?? file.loki?.ruler?.tenant, auth: loki.auth } : undefined,
    gitopsDir: env.BURNRATE_GITOPS_DIR ?? file.gitopsDir,
    bootstrapAdminToken: adminToken,
    grafanaToken,
    maxBodyBytes: num(env.BURNRATE_MAX_BODY_BYTES ?? file.maxBodyBytes, 'max body bytes', 1024 * 1024),
    upstreamTimeoutMs: num(env.BURNRATE_UPSTREAM_TIMEOUT_MS ?? file.upstreamTimeoutMs, 'upstream timeout', 5000),
    upstreamRetries: num(env.BURNRATE_UPSTREAM_RETRIES ?? file.upstreamRetries, 'upstream retries', 2),
    reconcileIntervalMs: num(env.BURNRATE_RECONCILE_INTERVAL_MS ?? file.reconcileIntervalMs, 'reconcile interval', 30000),
    leaderRetryMs: num(env.BURNRATE_LEADER_RETRY_MS ?? file.leaderRetryMs, 'leader retry', 2000),
    statusCacheMs: num(env.BURNRATE_STATUS_CACHE_MS ?? file.statusCacheMs, 'status cache', 5000),
    grafanaUrl: linkUrl(env.BURNRATE_GRAFANA_URL ?? file.grafanaUrl, 'grafana url'),
    logLevel: level,
  };
}

/** The only origins the server may contact: those configured above. */
export function allowedOrigins(c: ServerConfig): string[] {
  const urls = [c.prometheusUrl, c.prometheusRules.mode === 'ruler' ? c.prometheusRules.url : undefined, c.lokiRuler?.url];
  return [...new Set(urls.filter((u): u is string => !!u).map((u) => new URL(u).origin))];
}
