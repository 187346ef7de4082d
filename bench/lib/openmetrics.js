// Writes the traffic model's history as OpenMetrics, one file per day (promtool's openmetrics
// backfill re-reads its whole input once per block, so per-day files keep it to one pass each),
// and turns each into TSDB blocks with `promtool tsdb create-blocks-from openmetrics
// --max-block-duration=24h`, two at a time.
'use strict';
const fs = require('fs');
const path = require('path');
const { run } = require('./proc');

/**
 * Steps `traffic` from its current time to `endSeconds`, writing one sample per raw series per
 * minute after `rawFrom` (default: from the start), and per day a second file with what
 * `recorded` (a ModelRecorded, optional) computes at each minute.
 * Returns { samples, recordedSamples, days, genMs, promtoolMs }.
 */
async function backfillHistory(traffic, endSeconds, workDir, dataDir, log, { rawFrom = -Infinity, recorded } = {}) {
  let files = 0;
  let days = 0;
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
  // A file written in 8 MiB pieces; nothing on disk if nothing was written.
  const output = (name) => {
    let fd;
    let buf = [];
    let size = 0;
    const file = path.join(workDir, `${name}-${days}.om`);
    const flush = () => {
      fd = fd ?? fs.openSync(file, 'w');
      fs.writeSync(fd, buf.join(''));
      buf = [];
      size = 0;
    };
    return {
      add(text) {
        if (text) {
          buf.push(text);
          size += text.length;
          if (size > 8 << 20) {
            flush();
          }
        }
      },
      close() {
        if (fd === undefined && size === 0) {
          return undefined;
        }
        buf.push('# EOF\n');
        flush();
        fs.closeSync(fd);
        return file;
      },
    };
  };
  while (traffic.t < endSeconds) {
    const t0 = Date.now();
    const raw = output('history');
    const rec = output('recorded');
    const dayEnd = Math.min(endSeconds, traffic.t + 86400);
    while (traffic.t < dayEnd) {
      const t = traffic.step();
      if (t > rawFrom) {
        raw.add(traffic.exposition(` ${t}`));
        samples += traffic.routes.length * 6;
      }
      if (recorded) {
        rec.add(recorded.afterStep(t));
      }
    }
    const written = [raw.close(), rec.close()].filter(Boolean);
    days++;
    genMs += Date.now() - t0;
    // At most two conversions at a time (2 cores), while the next day is generated.
    for (const file of written) {
      files++;
      const p = convert(file).finally(() => pending.delete(p));
      pending.add(p);
      if (pending.size >= 2) {
        await Promise.race(pending);
      }
    }
    log?.(`history: day ${days} written (${written.map((f) => path.basename(f)).join(', ')})`);
  }
  await Promise.all(pending);
  return { samples, recordedSamples: recorded?.samples ?? 0, days, files, genMs, promtoolMs };
}

/**
 * A sample timestamp for OpenMetrics, in seconds, that promtool reads back as exactly the same
 * millisecond: it parses a float of seconds, and "…123.567" is a double a hair below or above, so
 * a conversion that truncates could give 566 ms. 0.4 ms more gives 567 truncated or rounded.
 * Burnrate's backfilled rollups must carry the live group's exact timestamps: a sample at the same
 * millisecond as the live one is the same sample to a query, one a millisecond off is counted twice.
 */
function omTime(t) {
  const ms = Math.round(t * 1000);
  return ms % 1000 === 0 ? String(ms / 1000) : `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}4`;
}

/** A label value escaped for the exposition format. */
const omEscape = (v) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

module.exports = { backfillHistory, omTime, omEscape };
