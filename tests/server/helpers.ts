// Shared pieces of the server integration tests: SLO bodies on OpenTelemetry GenAI names, a
// config for startServer, an API client and a log capture.

import { randomBytes } from 'crypto';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ServerConfig } from '../../src/server/config';
import { createLogger, Logger } from '../../src/server/log';

export const SERVICE = 'llm-gateway';
export const DURATION_COUNT = 'gen_ai_client_operation_duration_seconds_count';
export const TTFT = 'gen_ai_server_time_to_first_token_seconds';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `burnrate-${prefix}-`));
}

export function secret(): string {
  return `brt_test_${randomBytes(24).toString('hex')}`;
}

/** Chat availability per route: 99% => error budget 0.01; freezes above 2x over 5m. */
export function availabilitySlo(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service: SERVICE,
    name: 'chat-availability',
    description: 'Chat completions that do not fail',
    objective: 0.99,
    window: '30d',
    groupBy: ['route'],
    evaluationInterval: '10s',
    policy: { freeze: { window: '5m', burnRate: 2 } },
    sli: {
      ratio: {
        errors: `${DURATION_COUNT}{gen_ai_operation_name="chat", error_type!=""}`,
        total: `${DURATION_COUNT}{gen_ai_operation_name="chat"}`,
      },
    },
    ...overrides,
  };
}

/** Time to first token at or under 1s (a real bucket boundary) per route: 95% => budget 0.05. */
export function ttftSlo(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service: SERVICE,
    name: 'chat-ttft',
    objective: 0.95,
    window: '30d',
    groupBy: ['route'],
    evaluationInterval: '10s',
    policy: { freeze: { window: '5m', burnRate: 2 } },
    sli: { latency: { metric: TTFT, matchers: 'gen_ai_operation_name="chat"', threshold: 1 } },
    ...overrides,
  };
}

export function serverConfig(o: Partial<ServerConfig> & { dbPath: string }): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    prometheusRules: { mode: 'none' },
    maxBodyBytes: 64 * 1024,
    upstreamTimeoutMs: 1500,
    upstreamRetries: 1,
    reconcileIntervalMs: 2000,
    statusCacheMs: 0,
    logLevel: 'debug',
    ...o,
  };
}

export interface CapturedLog {
  log: Logger;
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  return { lines, log: createLogger('debug', (l) => lines.push(l)) };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
}

export class Api {
  constructor(
    public base: string,
    public token?: string,
    /** How long a request may take: 20 s, longer for a test's one big request (withTimeout). */
    public timeoutMs = 20000
  ) {}

  as(token: string | undefined): Api {
    return new Api(this.base, token, this.timeoutMs);
  }

  withTimeout(ms: number): Api {
    return new Api(this.base, this.token, ms);
  }

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const started = performance.now();
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (metrics, YAML exports)
    }
    return { status: res.status, body: parsed, headers: res.headers, ms: performance.now() - started };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.call<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.call<T>('POST', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.call<T>('PUT', path, body, headers);
  }
  del<T = any>(path: string, headers?: Record<string, string>) {
    return this.call<T>('DELETE', path, undefined, headers);
  }
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
