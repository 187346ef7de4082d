// Backfills recording rules the way `promtool tsdb create-blocks-from rules` does (each rule's
// expression over a range with `query_range` against the Prometheus that serves the raw data, one
// point per evaluation interval), but writes the points as OpenMetrics, one file per day, for
// `promtool tsdb create-blocks-from openmetrics --max-block-duration=24h`.
// Why not create-blocks-from rules itself: in 2.42 it writes one 2-hour block per rule per 2 hours
// (a month of 5 SLOs' 5m ratios: 1,860 blocks), and Prometheus then spends the measurement
// compacting thousands of tiny overlapping blocks.
'use strict';
const fs = require('fs');
const path = require('path');
const { run } = require('./proc');
const { omTime, omEscape: esc } = require('./openmetrics');
const { evaluationAtOrAfter } = require('../../build/core/rules/groupPhase');

const DAY = 86400;

/**
 * @param rules [{record, expr, labels, step, phase}] (step in seconds: the group's interval; phase:
 *   the group's offset within it, see src/core/rules/groupPhase.ts, default 0)
 * @param from, to  unix seconds (inclusive range of evaluation times)
 */
async function backfillRules(prom, rules, from, to, workDir, dataDir, name) {
  const sorted = [...rules].sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : 0));
  let samples = 0;
  let queryMs = 0;
  let promtoolMs = 0;
  const pending = new Set();
  let fileNo = 0;
  for (let dayStart = from; dayStart <= to; dayStart += DAY) {
    const dayEnd = Math.min(to, dayStart + DAY - 1);
    const file = path.join(workDir, `${name}-${fileNo}.om`);
    const fd = fs.openSync(file, 'w');
    let written = 0;
    for (const r of sorted) {
      // Evaluation times at the rule's step and offset, as a rule group's are.
      const first = evaluationAtOrAfter(dayStart, r.step, r.phase);
      if (first > dayEnd) {
        continue;
      }
      const t0 = performance.now();
      const res = await prom.queryRange(r.expr, first, dayEnd, r.step);
      queryMs += performance.now() - t0;
      for (const s of res.result) {
        const labels = { ...s.metric, ...(r.labels ?? {}) };
        delete labels.__name__;
        const ls = Object.keys(labels)
          .sort()
          .map((k) => `${k}="${esc(labels[k])}"`)
          .join(',');
        const prefix = `${r.record}{${ls}} `;
        let text = '';
        for (const [t, v] of s.values) {
          text += `${prefix}${v} ${omTime(t)}\n`;
        }
        samples += s.values.length;
        written += s.values.length;
        fs.writeSync(fd, text);
      }
    }
    fs.writeSync(fd, '# EOF\n');
    fs.closeSync(fd);
    if (written === 0) {
      fs.unlinkSync(file);
      continue;
    }
    fileNo++;
    const p = (async () => {
      const t0 = Date.now();
      await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir], {
        quiet: true,
      });
      promtoolMs += Date.now() - t0;
      fs.unlinkSync(file);
    })().finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= 2) {
      await Promise.race(pending);
    }
  }
  await Promise.all(pending);
  return { samples, queryMs: Math.round(queryMs), promtoolMs };
}

module.exports = { backfillRules };
