// Writes the traffic model's history as OpenMetrics, one file per day (promtool's openmetrics
// backfill re-reads its whole input once per block, so per-day files keep it to one pass each),
// and turns each into TSDB blocks with `promtool tsdb create-blocks-from openmetrics
// --max-block-duration=24h`, two at a time.
'use strict';
const fs = require('fs');
const path = require('path');
const { run } = require('./proc');

/**
 * Steps `traffic` from its current time to `endSeconds`, writing one sample per series per minute.
 * Returns { samples, files, genMs, promtoolMs }.
 */
async function backfillHistory(traffic, endSeconds, workDir, dataDir, log) {
  const files = [];
  let samples = 0;
  let genMs = 0;
  let promtoolMs = 0;
  const pending = new Set();
  const convert = async (file) => {
    const t0 = Date.now();
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir], {
      quiet: true,
    });
    promtoolMs += Date.now() - t0;
    fs.unlinkSync(file);
  };
  while (traffic.t < endSeconds) {
    const t0 = Date.now();
    const file = path.join(workDir, `history-${files.length}.om`);
    const fd = fs.openSync(file, 'w');
    const dayEnd = Math.min(endSeconds, traffic.t + 86400);
    let buf = [];
    let size = 0;
    while (traffic.t < dayEnd) {
      const t = traffic.step();
      const chunk = traffic.exposition(` ${t}`);
      buf.push(chunk);
      size += chunk.length;
      samples += traffic.routes.length * 6;
      if (size > 8 << 20) {
        fs.writeSync(fd, buf.join(''));
        buf = [];
        size = 0;
      }
    }
    buf.push('# EOF\n');
    fs.writeSync(fd, buf.join(''));
    fs.closeSync(fd);
    files.push(file);
    genMs += Date.now() - t0;
    // At most two conversions at a time (2 cores), while the next day is generated.
    const p = convert(file).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= 2) {
      await Promise.race(pending);
    }
    log?.(`history: day ${files.length} written`);
  }
  await Promise.all(pending);
  return { samples, days: files.length, genMs, promtoolMs };
}

module.exports = { backfillHistory };
