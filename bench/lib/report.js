// bench/results.md from bench/results/<size>.json (every size measured so far).
'use strict';
const fs = require('fs');
const path = require('path');

const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : Number(x).toFixed(d));
const ms = (s) => f(s * 1000, 1);
const pct = (x, d = 2) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(d)}%`);
const int = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const ratio = (a, b) => (a > 0 && b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');

function section(r) {
  const c = r.config;
  const e = r.evaluation.perSet;
  const B = e.burnrate;
  const S = e.sloth;
  const rq = r.evaluation.rollupQueries;
  // Burnrate's hourly rollups, amortized per minute (they may not run during a measurement).
  const rollupsPerMinute = rq.evalMsPerHour / 1000 / 60;
  const amortB = B.evalSecondsPerCycleMedian + rollupsPerMinute;
  const L = [];
  L.push(`## ${r.size}: ${c.slos} SLOs x ${c.routes} routes`, '');
  L.push(
    `Run ${r.startedAt}, ${r.durationS} s in all; load average at start ${r.machine.loadavgAtStart.join(' / ')} (the machine is shared).`,
    ''
  );
  L.push('| size | value |', '|---|---|');
  L.push(
    `| SLOs x routes | ${c.slos} x ${c.routes} = ${c.slos * c.routes} routes, ${int(r.history.series)} raw series |`
  );
  L.push(
    `| raw history | ${c.historyHours} h at 1m: ${int(r.history.samples)} samples, ${r.history.files ?? r.history.days} OpenMetrics files (generate ${f(r.history.genMs / 1000)} s, promtool ${f(r.history.promtoolMs / 1000)} s, two at a time) |`
  );
  if (r.history.recordedSamples > 0) {
    L.push(
      `| the month before the raw history | ${f(r.history.monthHours - c.historyHours, 0)} h of the 30d windows' recorded inputs computed from the traffic model (Sloth-style 5m ratio at 1m, Burnrate's hourly rollups): ${int(r.history.recordedSamples)} samples, in the same files and conversion as the raw history |`
    );
  }
  for (const [k, b] of Object.entries(r.ruleBackfill)) {
    L.push(
      `| rule backfill ${k} | ${b.what}: ${b.rules} rules, ${b.from} to ${b.to}, ${int(b.samples)} samples (query_range ${f(b.queryMs / 1000)} s, promtool ${f(b.promtoolMs / 1000)} s) |`
    );
  }
  L.push(
    `| rules | Burnrate ${r.rules.burnrate.groups} groups / ${r.rules.burnrate.rules} rules; Sloth-style ${r.rules.sloth.groups} groups / ${r.rules.sloth.rules} rules |`
  );
  L.push(`| recorded series | Burnrate ${int(r.series.burnrate)}; Sloth-style ${int(r.series.sloth)} |`, '');

  L.push('### Rule evaluation (same Prometheus, same cycles)', '');
  L.push(
    `Sum of \`prometheus_rule_group_last_duration_seconds\` over each set's groups, per 1-minute cycle, median of ${r.evaluation.cycles} cycles after a warm-up cycle. Groups that run less often than every minute (Burnrate's \`:period\`, every 3 minutes) count their share of each evaluation (duration x 60 / interval). Burnrate's hourly rollup group runs once an hour: its cost is measured as instant queries of the same expressions and amortized per minute.`,
    ''
  );
  L.push('| | Burnrate | Sloth-style | Sloth / Burnrate |', '|---|---|---|---|');
  L.push(
    `| eval time per cycle, every-minute groups (ms) | ${ms(B.evalSecondsPerCycleMedian)} | ${ms(S.evalSecondsPerCycleMedian)} | ${ratio(S.evalSecondsPerCycleMedian, B.evalSecondsPerCycleMedian)} |`
  );
  L.push(
    `| + hourly rollups amortized per minute (ms) | ${ms(amortB)} (rollups ${f(rq.evalMsPerHour, 1)} ms per hour) | ${ms(S.evalSecondsPerCycleMedian)} | ${ratio(S.evalSecondsPerCycleMedian, amortB)} |`
  );
  L.push(
    `| cycles (s) | ${B.evalSecondsPerCycle.map((x) => f(x, 3)).join(', ')} | ${S.evalSecondsPerCycle.map((x) => f(x, 3)).join(', ')} | |`
  );
  L.push(
    `| by group kind, median ms | ${Object.entries(B.byKindMedianSeconds)
      .map(([k, v]) => `${k} ${ms(v)}`)
      .join(', ')} | ${Object.entries(S.byKindMedianSeconds)
      .map(([k, v]) => `${k} ${ms(v)}`)
      .join(', ')} | |`
  );
  L.push(
    `| samples written per cycle | ${int(B.samplesWrittenPerCycle)} (+ ${int(rq.samplesWrittenPerHour)} per hour) | ${int(S.samplesWrittenPerCycle)} | ${ratio(S.samplesWrittenPerCycle, B.samplesWrittenPerCycle + rq.samplesWrittenPerHour / 60)} |`
  );
  const sr = r.samplesReadPerSlo;
  L.push(
    `| samples read per minute, one SLO (${c.routes} routes), from query stats | ${int(sr.burnrate.samplesPerMinute)} | ${int(sr.sloth.samplesPerMinute)} | ${ratio(sr.sloth.samplesPerMinute, sr.burnrate.samplesPerMinute)} |`
  );
  L.push(
    `| missed iterations | ${r.evaluation.missedIterations.burnrate ?? 0} | ${r.evaluation.missedIterations.sloth ?? 0} | |`,
    ''
  );

  if (r.alone) {
    const A = r.alone;
    const base = A.none?.cpuSecondsPerMinute ?? 0;
    const cpuB = A.burnrate.cpuSecondsPerMinute - base;
    const cpuS = A.sloth.cpuSecondsPerMinute - base;
    const evB = A.burnrate.evaluation?.evalSecondsPerCycleMedian;
    const evS = A.sloth.evaluation?.evalSecondsPerCycleMedian;
    L.push('### Each set alone (same Prometheus, after the measurements above)', '');
    L.push(
      `The same Prometheus reloaded with one rule file at a time, then with none: group durations without the other set's work competing for the same 2 cores, and Prometheus's own CPU time (\`process_cpu_seconds_total\`) per minute over ${r.evaluation.cycles} or more cycles, minus the no-rules baseline (scraping, compaction, idle). CPU time is what rule evaluation costs a user; wall-clock group durations on a shared machine also count waiting.`,
      ''
    );
    L.push('| | Burnrate alone | Sloth-style alone | Sloth / Burnrate |', '|---|---|---|---|');
    L.push(`| eval time per cycle, every-minute groups (ms) | ${ms(evB)} | ${ms(evS)} | ${ratio(evS, evB)} |`);
    L.push(
      `| + hourly rollups amortized per minute (ms) | ${ms(evB + rollupsPerMinute)} | ${ms(evS)} | ${ratio(evS, evB + rollupsPerMinute)} |`
    );
    L.push(
      `| Prometheus CPU s per minute, minus the no-rules baseline (${f(base, 2)} s) | ${f(cpuB, 2)} | ${f(cpuS, 2)} | ${ratio(cpuS, cpuB)} |`
    );
    L.push(
      `| load average at the end of the phase | ${A.burnrate.loadavg.join(' / ')} | ${A.sloth.loadavg.join(' / ')} | |`,
      ''
    );
  }

  L.push('Samples read per rule of one SLO (instant query at the end of the run, `stats=all`):', '');
  L.push('| set | group | rule | samples read | eval ms |', '|---|---|---|---|---|');
  for (const set of ['burnrate', 'sloth']) {
    for (const row of sr[set].rows) {
      L.push(
        `| ${set} | ${row.group}${row.hourly ? ' (hourly)' : row.perMinute < 1 ? ` (every ${f(1 / row.perMinute, 0)} min)` : ''} | ${row.rule} | ${int(row.samples)} | ${f(row.evalMs, 2)} |`
      );
    }
  }
  L.push('');

  const a = r.accuracy;
  L.push('### Period SLI against the exact ratio', '');
  const exactIs =
    a.exactFrom === 'model'
      ? `the exact ratio over 30 days from the traffic model's own counts (the raw samples cover only the last ${a.historyHours} h at this size)`
      : `\`increase(bad[30d]) / increase(total[30d])\` over the raw samples (the exact query took ${f(a.exactQueryMs)} ms)`;
  const months = a.monthHours ?? a.historyHours;
  L.push(
    `At ${a.at}: \`slo:sli_error:ratio_rate30d\` of each set against ${exactIs}, per route (${a.routes} routes; exact error ratios ${pct(a.exactRatio.min)} to ${pct(a.exactRatio.max)}, median ${pct(a.exactRatio.median)}).${months < 30 * 24 ? ` **The history is only ${months} h at this size, so both "30d" windows cover those hours only.**` : ''}`,
    ''
  );
  const agree = a.modelAgainstRaw?.served;
  if (agree) {
    L.push(
      `Check of the model's counts: against \`increase()\` over the raw samples, median ${pct(agree.median, 4)}, worst route ${pct(agree.max, 4)} apart (${agree.routes} routes).`,
      ''
    );
  }
  L.push('| | Burnrate | Sloth-style |', '|---|---|---|');
  L.push(
    `| relative error, median over routes | ${pct(a.relativeError.burnrate.median, 3)} | ${pct(a.relativeError.sloth.median, 3)} |`
  );
  L.push(
    `| relative error, worst route | ${pct(a.relativeError.burnrate.max, 3)} | ${pct(a.relativeError.sloth.max, 3)} |`
  );
  L.push(
    `| error in budget terms (abs. difference / error budget 1%), worst route | ${pct(a.budgetError.burnrate.max)} of the budget | ${pct(a.budgetError.sloth.max)} of the budget |`
  );
  L.push(`| routes with a value | ${a.relativeError.burnrate.routes} | ${a.relativeError.sloth.routes} |`);
  if (a.atRollup) {
    const x = a.atRollup;
    // Runs before the bench took the newest backfilled rollup measured at the newest live one.
    const at =
      x.basis === "each SLO's newest rollup"
        ? `hourly rollup of each SLO** (${x.at}: the groups run at different offsets within the hour; both sets' 30d expressions and the exact ratio at each SLO's instant`
        : x.basis === 'newest backfilled rollup'
          ? `backfilled hourly rollup** (${x.at}; both sets' 30d expressions and the exact ratio at that instant, before any live rollup`
          : `hourly rollup** (${x.at}; Burnrate's 30d expression and the exact ratio at that instant`;
    L.push(
      `| **at the newest ${at}, so without the up-to-1h trailing): relative error median / worst | ${pct(x.relativeError.burnrate.median, 3)} / ${pct(x.relativeError.burnrate.max, 3)} | ${pct(x.relativeError.sloth.median, 3)} / ${pct(x.relativeError.sloth.max, 3)} |`
    );
    L.push(
      `| same instant, worst route in budget terms | ${pct(x.budgetError.burnrate.max)} of the budget | ${pct(x.budgetError.sloth.max)} of the budget |`
    );
  }
  L.push('');

  const m = r.accuracyOverMinutes;
  const REGIMES = { first: 'first window', beforeRollup: 'before rollup', afterRollup: 'after rollup' };
  if (m) {
    L.push('### The 1d, 3d and 30d windows as served, at every minute', '');
    L.push(
      `Every minute from ${m.from} to ${m.to} (${m.minutes} minutes, Burnrate's rules running without a break since they loaded, after 6 minutes of settling): each set's \`slo:sli_error:ratio_rate<w>\` per route against the exact ratio over the window ending at that minute (the traffic model's counts). "Steady": SLOs with the tails of a window ago written (as after a window of running); "first window": SLOs without them, as in the first window after the rules arrive (the window is then up to an hour longer than its name). "Before/after rollup": Burnrate's route-minutes before and after the SLO's first live hourly rollup (and the \`:period\` evaluation after it), when the tails since the rollup restart from the live rules alone; before it they continue the bench's written tails, or start cold where the gap since those was longer than two \`:period\` intervals. "Within 5 min" counts a value within 1% of the exact window ending at that minute or up to 5 minutes earlier.`,
      ''
    );
    L.push('| window | set | regime | route-minutes | median | p99 | worst | within 1% | within 1% or 5 min behind | worst within 5 min |', '|---|---|---|---|---|---|---|---|---|---|');
    for (const [w, sets] of Object.entries(m.windows)) {
      for (const [set, regimes] of Object.entries(sets)) {
        for (const [regime, e] of Object.entries(regimes)) {
          if (!e.routeMinutes) {
            continue;
          }
          L.push(
            `| ${w} | ${set} | ${REGIMES[regime] ?? regime} | ${int(e.routeMinutes)} | ${pct(e.median, 3)} | ${pct(e.p99, 3)} | ${pct(e.max, 3)} | ${pct(e.within1pct, 1)} | ${pct(e.within1pctOr5minBehind, 1)} | ${pct(e.maxWithin5min, 3)} |`
          );
        }
      }
    }
    L.push('');
  }

  L.push('### Panel and dashboard queries', '');
  L.push("Median of 10 runs; Prometheus's own `evalTotalTime` and the HTTP round trip from Node.", '');
  L.push('| query | Burnrate eval / wall ms | Sloth-style eval / wall ms | series |', '|---|---|---|---|');
  for (const q of r.queries) {
    L.push(
      `| ${q.name} | ${f(q.burnrate.evalMsMedian, 2)} / ${f(q.burnrate.wallMsMedian, 1)} | ${f(q.sloth.evalMsMedian, 2)} / ${f(q.sloth.wallMsMedian, 1)} | ${q.burnrate.series} / ${q.sloth.series} |`
    );
  }
  L.push('');

  const s = r.server;
  if (!s) {
    L.push('### Server', '', `Not measured: ${r.serverError ?? 'no result'}`, '');
  } else {
    L.push(`### Server: ${s.slos} SLOs, concurrency ${s.concurrency}`, '');
    L.push(
      `${s.slos} SLOs in a temp SQLite database (created through the store in ${f(s.createMs, 0)} ms), ${s.requestsPerEndpoint} requests per endpoint from Node, against this Prometheus (the ${s.datasetSlos} SLOs with data are the ones status and gate ask for; list pages include SLOs without data).`,
      ''
    );
    L.push(
      "Latency is what the client sees (concurrency 16, so it includes queueing: p50 is about 16 / throughput); server CPU ms per request is the server process's CPU time over the endpoint's requests (the server runs in a process of its own).",
      ''
    );
    L.push(
      '| cache | endpoint | requests | p50 ms | p99 ms | max ms | req/s | server CPU ms / request | statuses |',
      '|---|---|---|---|---|---|---|---|---|'
    );
    for (const [mode, eps] of Object.entries(s.runs)) {
      for (const [name, x] of Object.entries(eps)) {
        L.push(
          `| ${mode} | ${name} | ${x.requests} | ${f(x.p50)} | ${f(x.p99)} | ${f(x.max)} | ${f(x.perSecond, 0)} | ${f(x.serverCpuMsPerRequest, 2)} | ${Object.entries(
            x.statuses
          )
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')} |`
        );
      }
    }
  }
  L.push(
    '',
    '### Rule generation throughput (bench/generation.js, 1,000 SLOs of five kinds)',
    '',
    '```',
    r.generation.trim(),
    '```',
    ''
  );
  return L.join('\n');
}

function writeResultsMd(resultsDir, file) {
  const runs = ['small', 'full']
    .map((s) => path.join(resultsDir, `${s}.json`))
    .filter((p) => fs.existsSync(p))
    .map((p) => JSON.parse(fs.readFileSync(p, 'utf8')));
  const m = runs[0]?.machine ?? {};
  const head = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (small) and `BENCH_SIZE=full npm run bench` from `bench/results/<size>.json`; what is measured and how is in [README.md](README.md).',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.prometheus}. The machine is shared with other work: compare the ratios measured in one run, not absolute times across runs.`,
    '',
  ];
  const notes = fs.existsSync(path.join(resultsDir, 'notes.md'))
    ? fs.readFileSync(path.join(resultsDir, 'notes.md'), 'utf8')
    : '';
  fs.writeFileSync(file, head.join('\n') + (notes ? notes.trim() + '\n\n' : '') + runs.map(section).join('\n'));
}

module.exports = { writeResultsMd };
