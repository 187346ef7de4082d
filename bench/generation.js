// Generation throughput: validate, generate and render rules for N SLOs of mixed kinds.
// Run with `npm run bench` (builds first). Prints a Markdown table; results are kept in
// bench/results.md with the machine they ran on.
'use strict';
const os = require('os');
const { loadText } = require('../build/core/load');
const { generateRules } = require('../build/core/rules/generate');
const { renderRuleFile } = require('../build/core/rules/render');

const N = Number(process.env.N || 1000);
const RUNS = Number(process.env.RUNS || 5);

const KINDS = [
  `    groupBy: [route]
    sli:
      ratio:
        errors: gen_ai_client_operation_duration_seconds_count{service="svc%I", error_type!=""}
        total: gen_ai_client_operation_duration_seconds_count{service="svc%I"}
    exclude: [{name: upstream, label: error_type, values: [provider_error]}]`,
  `    groupBy: [route, gen_ai_request_model]
    sli:
      latency: {metric: gen_ai_server_time_to_first_token_seconds, matchers: 'service="svc%I"', threshold: 1}`,
  `    sli:
      timeslice: {latency: {metric: gen_ai_server_time_to_first_token_seconds, matchers: 'service="svc%I"', quantile: 0.95, threshold: 2.5}}`,
  `    groupBy: [route]
    sli:
      quality:
        components:
          - {name: judge, good: 'judge_total{service="svc%I",verdict="pass"}', total: 'judge_total{service="svc%I"}', weight: 0.7}
          - {name: thumbs, good: 'thumbs_total{service="svc%I",thumb="up"}', total: 'thumbs_total{service="svc%I"}', weight: 0.3}`,
  `    groupBy: [route]
    sli:
      ratio:
        source: loki
        errors: '{app="svc%I"} | json | verdict="fail"'
        total: '{app="svc%I"} | json'`,
];

function spec(n) {
  const slos = [];
  for (let i = 0; i < n; i++) {
    slos.push(`  - name: slo-${i}\n    objective: 0.99\n${KINDS[i % KINDS.length].replace(/%I/g, String(i))}`);
  }
  return `version: burnrate/v1\nservice: bench\nslos:\n${slos.join('\n')}\n`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const text = spec(N);
const times = { load: [], generate: [], render: [] };
let rules = 0;
for (let run = 0; run < RUNS; run++) {
  const t0 = process.hrtime.bigint();
  const loaded = loadText(text, 'bench.yaml');
  const t1 = process.hrtime.bigint();
  if (loaded.slos.length !== N) {
    throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  }
  const generated = generateRules(loaded.slos);
  const t2 = process.hrtime.bigint();
  renderRuleFile(generated.prometheus);
  renderRuleFile(generated.loki);
  const t3 = process.hrtime.bigint();
  times.load.push(Number(t1 - t0) / 1e6);
  times.generate.push(Number(t2 - t1) / 1e6);
  times.render.push(Number(t3 - t2) / 1e6);
  rules = generated.prometheus.reduce((a, g) => a + g.rules.length, 0) + generated.loki.reduce((a, g) => a + g.rules.length, 0);
}
const total = times.load.map((_, i) => times.load[i] + times.generate[i] + times.render[i]);
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
console.log(`${N} SLOs (5 kinds), ${rules} rules, median of ${RUNS} runs in one process:\n`);
console.log('| step | median ms | per SLO ms |');
console.log('|---|---|---|');
for (const [k, v] of Object.entries({ ...times, total })) {
  console.log(`| ${k} | ${median(v).toFixed(1)} | ${(median(v) / N).toFixed(3)} |`);
}
console.log(`\nheap used after: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
