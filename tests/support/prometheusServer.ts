// Runs a real Prometheus (Debian package `prometheus`, 2.42) on 127.0.0.1 for integration tests.
// Tests that need it fail when it is missing: nothing here skips.
//
// Every process started here is tracked; `stopAllPrometheus()` (call it in afterAll) stops the
// ones still running and `runningPrometheusPids()` lets a test check that none is left.

import { ChildProcess, execFileSync, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

export const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus';

export function requirePrometheus(): void {
  try {
    execFileSync(PROMETHEUS, ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error(`prometheus not found (${PROMETHEUS}): install the Debian package "prometheus" (see .ci/run)`);
  }
}

/** A port that was free a moment ago on 127.0.0.1 (for processes that cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PrometheusOptions {
  /** Directory whose `*.yaml` files Prometheus loads as rule files. */
  rulesDir: string;
  /** host:port scrape targets (job "exporter"). */
  targets?: string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
  extraArgs?: string[];
  /** OpenMetrics text backfilled into the data directory (promtool) before Prometheus starts. */
  openMetrics?: string;
  /** Accept remote write, with an out-of-order window of 31d (history backfill writes past hours). */
  remoteWriteReceiver?: boolean;
  /** Basic auth on every endpoint (`--web.config.file` with basic_auth_users): the password and
   * its bcrypt hash. This module's own calls (readiness, query, ruleGroups) then authenticate. */
  basicAuth?: { username: string; password: string; bcrypt: string };
}

const running = new Set<ChildProcess>();

export class PrometheusProcess {
  proc?: ChildProcess;
  output = '';
  readonly url: string;

  constructor(
    readonly port: number,
    readonly dataDir: string,
    readonly configFile: string,
    private readonly extraArgs: string[],
    /** Headers of this module's own calls (basic auth when the web config asks for it). */
    private readonly headers: Record<string, string> = {}
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Starts the process and waits until /-/ready answers 200. */
  async start(timeoutMs = 20000): Promise<void> {
    if (this.proc) {
      throw new Error('Prometheus is already running');
    }
    const args = [
      `--config.file=${this.configFile}`,
      `--storage.tsdb.path=${this.dataDir}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
      ...this.extraArgs,
    ];
    const proc = spawn(PROMETHEUS, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    running.add(proc);
    const onData = (b: Buffer) => {
      this.output = (this.output + b.toString()).slice(-20000);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    let exited = false;
    proc.once('exit', () => {
      exited = true;
      running.delete(proc);
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited) {
        this.proc = undefined;
        throw new Error(`Prometheus exited at start:\n${this.output}`);
      }
      try {
        const r = await fetch(`${this.url}/-/ready`, { headers: this.headers, signal: AbortSignal.timeout(1000) });
        if (r.status === 200) {
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.stop();
    throw new Error(`Prometheus was not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc) {
      return;
    }
    this.proc = undefined;
    if (proc.exitCode !== null || proc.signalCode !== null) {
      running.delete(proc);
      return;
    }
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => proc.kill('SIGKILL'), 10000);
      proc.once('exit', () => {
        clearTimeout(kill);
        running.delete(proc);
        resolve();
      });
      proc.kill('SIGCONT'); // in case a test paused it
      proc.kill('SIGTERM');
    });
  }

  /** Freezes the process (SIGSTOP): it keeps its socket, so connections are accepted and never answered. */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  async query(q: string, time?: number): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const params = new URLSearchParams({ query: q, ...(time !== undefined ? { time: String(time) } : {}) });
    const r = await fetch(`${this.url}/api/v1/query`, { method: 'POST', body: params, headers: this.headers, signal: AbortSignal.timeout(5000) });
    const body = (await r.json()) as any;
    if (body.status !== 'success') {
      throw new Error(`query ${q} failed: ${JSON.stringify(body)}`);
    }
    return body.data.result;
  }

  async ruleGroups(): Promise<Array<{ name: string; file: string; interval: number; lastEvaluation: string; rules: any[] }>> {
    const r = await fetch(`${this.url}/api/v1/rules`, { headers: this.headers, signal: AbortSignal.timeout(5000) });
    const body = (await r.json()) as any;
    return body.data.groups;
  }
}

/** Writes prometheus.yml into a fresh temp dir and starts Prometheus on a free port. */
export async function startPrometheus(o: PrometheusOptions): Promise<PrometheusProcess> {
  requirePrometheus();
  const base = mkdtempSync(join(tmpdir(), 'burnrate-prom-'));
  const dataDir = join(base, 'data');
  mkdirSync(dataDir);
  const configFile = join(base, 'prometheus.yml');
  const targets = o.targets ?? [];
  writeFileSync(
    configFile,
    [
      'global:',
      `  scrape_interval: ${o.scrapeInterval ?? '1s'}`,
      `  evaluation_interval: ${o.evaluationInterval ?? '1s'}`,
      ...(o.remoteWriteReceiver ? ['storage:', '  tsdb:', '    out_of_order_time_window: 31d'] : []),
      'rule_files:',
      `  - ${JSON.stringify(join(o.rulesDir, '*.yaml'))}`,
      'scrape_configs:',
      ...(targets.length
        ? ['  - job_name: exporter', '    static_configs:', `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`]
        : ['  []']),
      '',
    ].join('\n')
  );
    if (o.openMetrics !== undefined) {
    const file = join(base, 'history.om');
    writeFileSync(file, o.openMetrics);
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir], { stdio: 'pipe' });
  }
  const extraArgs = [...(o.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []), ...(o.extraArgs ?? [])];
  const headers: Record<string, string> = {};
  if (o.basicAuth) {
    const webConfig = join(base, 'web.yml');
    writeFileSync(webConfig, `basic_auth_users:\n  ${JSON.stringify(o.basicAuth.username)}: ${JSON.stringify(o.basicAuth.bcrypt)}\n`);
    extraArgs.push(`--web.config.file=${webConfig}`);
    headers.Authorization = `Basic ${Buffer.from(`${o.basicAuth.username}:${o.basicAuth.password}`).toString('base64')}`;
  }
  const p = new PrometheusProcess(await freePort(), dataDir, configFile, extraArgs, headers);
  await p.start();
  return p;
}

/** Stops every Prometheus started by this module that is still running. */
export async function stopAllPrometheus(): Promise<void> {
  await Promise.all(
    [...running].map(
      (proc) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) {
            running.delete(proc);
            return resolve();
          }
          const kill = setTimeout(() => proc.kill('SIGKILL'), 10000);
          proc.once('exit', () => {
            clearTimeout(kill);
            running.delete(proc);
            resolve();
          });
          proc.kill('SIGCONT');
          proc.kill('SIGTERM');
        })
    )
  );
}

/** Pids of Prometheus processes started here that have not exited. */
export function runningPrometheusPids(): number[] {
  return [...running].filter((p) => p.exitCode === null && p.signalCode === null).map((p) => p.pid!);
}

/** True when a process with this pid exists (signal 0). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` until it returns a value other than undefined/false, or throws with the last error. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) {
        return v as T;
      }
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
