// Closed-loop HTTP load from Node: `concurrency` workers, each sending its next request as soon as
// the last one is answered, until `requests` are done or `maxMs` has passed. Latency is measured
// per request from send to the last byte of the body.
'use strict';

/** The p-th percentile (nearest rank below) of xs; null when there are none. */
function pct(xs, p) {
  if (xs.length === 0) {
    return null;
  }
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** GETs `url + pathFor(i)` for i = 0, 1, ...: at least `requests` and for at least `minMs`, at
 * most `maxMs`; { requests, statuses, p50, p99, max, perSecond }. */
async function load(url, token, pathFor, { requests = 1000, concurrency = 16, minMs = 0, maxMs = 60000 } = {}) {
  const lat = [];
  const statuses = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      const elapsed = performance.now() - started;
      if ((i >= requests && elapsed >= minMs) || elapsed > maxMs) {
        return;
      }
      const t0 = performance.now();
      let status;
      try {
        const res = await fetch(url + pathFor(i), {
          headers: { Authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(30000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch (e) {
        status = e.name === 'TimeoutError' ? 'timeout (30 s)' : `error ${e.message}`;
      }
      lat.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - started) / 1000;
  return {
    requests: lat.length,
    statuses,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    max: Math.max(...lat),
    perSecond: lat.length / secs,
  };
}

module.exports = { load, pct };
