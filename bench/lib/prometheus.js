// One real Prometheus (Debian 2.42) on 127.0.0.1: start/stop, HTTP API queries with timings, and
// its own /metrics for rule group evaluation figures.
'use strict';
const fs = require('fs');
const path = require('path');
const { start, stop, sleep } = require('./proc');

class Prometheus {
  constructor({ port, dataDir, configFile }) {
    this.port = port;
    this.dataDir = dataDir;
    this.configFile = configFile;
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(timeoutMs = 120000) {
    this.proc = start('prometheus', [
      `--config.file=${this.configFile}`,
      `--storage.tsdb.path=${this.dataDir}`,
      '--storage.tsdb.retention.time=60d',
      `--web.listen-address=127.0.0.1:${this.port}`,
      '--web.enable-lifecycle',
      // The exact 30d reference reads every raw sample of the month at once.
      '--query.max-samples=2000000000',
      '--query.timeout=10m',
      '--log.level=warn',
    ]);
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (this.proc.exitCode !== null) {
        throw new Error(`prometheus exited ${this.proc.exitCode}: ${this.proc.output}`);
      }
      try {
        const r = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(2000) });
        if (r.status === 200) {
          return;
        }
      } catch {
        // not up yet
      }
      await sleep(250);
    }
    throw new Error(`prometheus not ready after ${timeoutMs} ms: ${this.proc.output}`);
  }

  async stop() {
    await stop(this.proc, 30000);
    this.proc = undefined;
  }

  /** Instant query at `time` (seconds); returns { result, evalMs (Prometheus's own timing), wallMs }. */
  async query(q, time) {
    const params = new URLSearchParams({ query: q, stats: 'all' });
    if (time !== undefined) {
      params.set('time', String(time));
    }
    return this.call('/api/v1/query', params);
  }

  async queryRange(q, startS, endS, step) {
    return this.call(
      '/api/v1/query_range',
      new URLSearchParams({ query: q, start: String(startS), end: String(endS), step: String(step), stats: 'all' })
    );
  }

  async call(p, params) {
    const t0 = performance.now();
    const res = await fetch(`${this.url}${p}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
      signal: AbortSignal.timeout(15 * 60000),
    });
    const body = await res.json();
    const wallMs = performance.now() - t0;
    if (body.status !== 'success') {
      throw new Error(`query failed: ${body.error}: ${params.get('query')}`);
    }
    const timings = body.data.stats?.timings ?? {};
    return {
      result: body.data.result,
      evalMs: (timings.evalTotalTime ?? NaN) * 1000,
      wallMs,
      samples: body.data.stats?.samples?.totalQueryableSamples,
    };
  }

  async rules() {
    const res = await fetch(`${this.url}/api/v1/rules`);
    return (await res.json()).data.groups;
  }

  /** Re-reads the configuration (rule files) without a restart. */
  async reload() {
    const res = await fetch(`${this.url}/-/reload`, { method: 'POST' });
    if (res.status !== 200) {
      throw new Error(`reload answered ${res.status}: ${await res.text()}`);
    }
  }

  /** The Prometheus process's own CPU time (user + system), from its /metrics. */
  async cpuSeconds() {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const m = /^process_cpu_seconds_total (\S+)$/m.exec(text);
    if (!m) {
      throw new Error('process_cpu_seconds_total not found in /metrics');
    }
    return Number(m[1]);
  }

  /** prometheus_rule_group_* gauges by "file;group". */
  async ruleGroupMetrics() {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const out = new Map();
    const re =
      /^prometheus_rule_group_(last_duration_seconds|last_evaluation_timestamp_seconds|last_evaluation_samples|rules|interval_seconds|iterations_missed_total)\{rule_group="([^"]*)"\} (\S+)$/gm;
    let m;
    while ((m = re.exec(text))) {
      const g = out.get(m[2]) ?? {};
      g[m[1]] = Number(m[3]);
      out.set(m[2], g);
    }
    return out;
  }
}

function writeConfig(file, { exporterPort, ruleFiles }) {
  const lines = [
    'global:',
    '  scrape_interval: 1m',
    '  evaluation_interval: 1m',
    'scrape_configs:',
    '  - job_name: llm',
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${exporterPort}']`,
  ];
  if (ruleFiles?.length) {
    lines.push('rule_files:', ...ruleFiles.map((f) => `  - ${JSON.stringify(path.resolve(f))}`));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

module.exports = { Prometheus, writeConfig };
