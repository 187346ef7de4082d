// Reconcile passes back to back: POST /api/v1/sync resolves after a whole pass (a call made while a
// pass runs waits for the next one), so calling it again as soon as it answers keeps a pass
// running all the time, the heaviest schedule the reconciler allows (the server's own timer runs
// one every BURNRATE_RECONCILE_INTERVAL_MS, 30 s by default). Each pass is recorded with its start
// and end in this process's performance.now() clock, to count the passes that overlapped a
// measurement window.
'use strict';
const { pct } = require('./load');

async function syncOnce(url, token) {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/api/v1/sync`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(600000),
    });
    const text = await res.text();
    let ok;
    try {
      ok = JSON.parse(text).lastRun?.ok;
    } catch {
      ok = undefined;
    }
    return { t0, t1: performance.now(), status: res.status, ok };
  } catch (e) {
    return { t0, t1: performance.now(), status: `error ${e.message}` };
  }
}

/** Starts passes back to back; `stop()` waits for the pass under way and returns every pass. */
function startPassLoop(url, token) {
  const passes = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      passes.push(await syncOnce(url, token));
    }
  })();
  return {
    passes,
    /** Resolves once `n` passes have finished. */
    async until(n) {
      while (passes.length < n && !stopped) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      stopped = true;
      await loop;
      return passes;
    },
  };
}

/** The passes that overlapped [from, to]: how many, their durations, and the share of the window
 * during which a pass was running. */
function passesDuring(passes, from, to) {
  const during = passes.filter((p) => p.t1 > from && p.t0 < to);
  const covered = during.reduce((sum, p) => sum + (Math.min(p.t1, to) - Math.max(p.t0, from)), 0);
  const ms = during.map((p) => p.t1 - p.t0);
  const statuses = {};
  during.forEach((p) => (statuses[p.status] = (statuses[p.status] ?? 0) + 1));
  return {
    windowMs: Math.round(to - from),
    passes: during.length,
    passMs: during.length
      ? { p50: Math.round(pct(ms, 50)), max: Math.round(Math.max(...ms)), min: Math.round(Math.min(...ms)) }
      : null,
    runningShare: Math.round((covered / (to - from)) * 1000) / 1000,
    statuses,
  };
}

module.exports = { startPassLoop, passesDuring, syncOnce };
