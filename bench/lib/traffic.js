// Deterministic LLM traffic model: N SLOs (one app each) x R routes, 6 raw counter series per route
// (2 models x {ok, timeout, provider_error}), one sample per minute.
//   traffic: base rate per route x day/night factor (0.1 at 04:00 UTC .. 1.0 at 16:00 UTC: 10:1)
//            x (1 +- 10% noise)
//   errors:  a per-route baseline ratio (0.2%..0.6%), 1.5x at the bottom of the night (cold caches,
//            batch traffic), plus error bursts (about one per route every two days, 10..120 min,
//            5%..30% errors). Everything comes from one seeded PRNG per route.
'use strict';

const METRIC = 'gen_ai_client_operation_duration_seconds_count';
const MODELS = [
  { name: 'gpt-4o', share: 0.6 },
  { name: 'claude-sonnet', share: 0.4 },
];
const ERROR_TYPES = [
  { name: 'timeout', share: 0.6 },
  { name: 'provider_error', share: 0.4 },
];
const SERIES_PER_ROUTE = MODELS.length * (1 + ERROR_TYPES.length);

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Day/night factor in [0.1, 1]: 10:1 between 16:00 and 04:00 UTC. */
function dayFactor(tSeconds) {
  const h = (tSeconds / 3600) % 24;
  return 0.1 + 0.9 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (h - 4)) / 24));
}

function appName(i) {
  return `app-${i}`;
}
function routeName(j) {
  return `/v1/route-${j}`;
}

/** Splits n into integer parts by shares, the remainder going to the first part. */
function split(n, shares) {
  const out = shares.map((s) => Math.floor(n * s));
  out[0] += n - out.reduce((a, b) => a + b, 0);
  return out;
}

class Route {
  constructor(slo, route, seed, startSeconds) {
    this.slo = slo;
    this.route = route;
    this.rand = mulberry32(seed);
    const r = this.rand;
    this.base = 30 + Math.floor(r() * 270); // requests per minute at the daily peak
    this.e0 = 0.002 + r() * 0.004;
    // Bursts over 45 days from the start: exponential gaps with a mean of 2 days.
    this.bursts = [];
    let t = startSeconds;
    for (;;) {
      t += Math.floor(-Math.log(1 - r()) * 2 * 86400);
      if (t > startSeconds + 45 * 86400) {
        break;
      }
      this.bursts.push({ from: t, to: t + 600 + Math.floor(r() * 6600), ratio: 0.05 + r() * 0.25 });
    }
    // Cumulative counters: [model][0=ok,1..=error types]
    this.counters = MODELS.map(() => new Array(1 + ERROR_TYPES.length).fill(0));
    this.labels = [];
    for (const m of MODELS) {
      const common = `job="llm",instance="gateway",service_name="${appName(slo)}",route="${routeName(route)}",gen_ai_request_model="${m.name}"`;
      this.labels.push([
        `${METRIC}{${common}}`,
        ...ERROR_TYPES.map((e) => `${METRIC}{${common},error_type="${e.name}"}`),
      ]);
    }
    this.total = 0;
    this.bad = 0;
  }

  errorRatio(t, f) {
    let e = this.e0 * (1 + 0.5 * ((1 - f) / 0.9));
    for (const b of this.bursts) {
      if (t >= b.from && t < b.to) {
        e = Math.max(e, b.ratio);
      }
    }
    return e;
  }

  /** Adds the requests of the minute ending at t. */
  step(t) {
    const r = this.rand;
    const f = dayFactor(t);
    const n = Math.max(0, Math.round(this.base * f * (0.9 + 0.2 * r())));
    const e = this.errorRatio(t, f);
    const k = Math.min(n, Math.floor(n * e + r()));
    const nm = split(
      n,
      MODELS.map((m) => m.share)
    );
    const km = split(
      k,
      MODELS.map((m) => m.share)
    ).map((x, i) => Math.min(x, nm[i]));
    const kTotal = km.reduce((a, b) => a + b, 0);
    for (let i = 0; i < MODELS.length; i++) {
      const c = this.counters[i];
      const ke = split(
        km[i],
        ERROR_TYPES.map((x) => x.share)
      );
      c[0] += nm[i] - km[i];
      for (let j = 0; j < ke.length; j++) {
        c[1 + j] += ke[j];
      }
    }
    this.total += n;
    this.bad += kTotal;
  }

  /** Exposition lines, with a timestamp suffix (e.g. " 1700000000") or none. */
  lines(suffix) {
    let s = '';
    for (let i = 0; i < MODELS.length; i++) {
      for (let j = 0; j < this.counters[i].length; j++) {
        s += `${this.labels[i][j]} ${this.counters[i][j]}${suffix}\n`;
      }
    }
    return s;
  }
}

class Traffic {
  /** @param startSeconds minute-aligned time of the first sample */
  constructor({ slos, routes, seed, startSeconds }) {
    this.slos = slos;
    this.routes = [];
    this.t = startSeconds;
    for (let i = 0; i < slos; i++) {
      for (let j = 0; j < routes; j++) {
        this.routes.push(new Route(i, j, (seed * 1000003 + i * 1009 + j) >>> 0, startSeconds));
      }
    }
  }

  /** Advances one minute; returns the new sample time. */
  step() {
    this.t += 60;
    for (const r of this.routes) {
      r.step(this.t);
    }
    if (this.keep?.(this.t)) {
      const n = this.routes.length;
      const snap = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        snap[i] = this.routes[i].total;
        snap[n + i] = this.routes[i].bad;
      }
      this.snapshots.set(this.t, snap);
    }
    if (this.keepErrors?.(this.t)) {
      // Each route's error series (models x error types), for a per-series rate() where a series'
      // counter is near zero (bench/lib/modelTails.js).
      const k = MODELS.length * ERROR_TYPES.length;
      const snap = new Float32Array(k * this.routes.length);
      this.routes.forEach((r, i) => {
        let j = 0;
        for (const c of r.counters) {
          for (let e = 1; e < c.length; e++) {
            snap[i * k + j++] = c[e];
          }
        }
      });
      this.errorSnapshots.set(this.t, snap);
    }
    return this.t;
  }

  /** Keeps every route's error series counters at the minutes `keep(t)` selects (errorCounts). */
  keepErrorSeries(keep) {
    this.keepErrors = keep;
    this.errorSnapshots = new Map();
  }

  /**
   * Cumulative counts of route `i` at minute `t`: { total, bad, errors: [per error series] }, from
   * the kept minutes (keepTotals and keepErrorSeries); throws where one was not kept.
   */
  counts(i, t) {
    const a = this.snapshots?.get(t);
    const e = this.errorSnapshots?.get(t);
    if (!a || !e) {
      throw new Error(`the model's counts at ${new Date(t * 1000).toISOString()} were not kept`);
    }
    const k = MODELS.length * ERROR_TYPES.length;
    return { total: a[i], bad: a[this.routes.length + i], errors: Array.from(e.subarray(i * k, i * k + k)) };
  }

  /**
   * Keeps every route's cumulative request and error counts at the minutes `keep(t)` selects, for
   * `truth` (the model's own error ratio over a window: what increase(bad) / increase(total) over
   * the raw samples gives, also where the raw samples are not in Prometheus).
   */
  keepTotals(keep) {
    this.keep = keep;
    this.snapshots = new Map();
  }

  /**
   * Error ratio per route over (t - windowS, t], keyed `slo-<i>|<route>`; undefined if not kept.
   * Live, the model is stepped when scraped: a t past its newest minute counts to that minute,
   * which is all Prometheus has seen.
   */
  truth(t, windowS) {
    const t1 = Math.min(Math.floor(t / 60) * 60, this.t);
    const a = this.snapshots?.get(t1 - windowS);
    const b = this.snapshots?.get(t1);
    if (!a || !b) {
      return undefined;
    }
    const n = this.routes.length;
    const out = new Map();
    this.routes.forEach((r, i) => {
      out.set(`slo-${r.slo}|${routeName(r.route)}`, (b[n + i] - a[n + i]) / (b[i] - a[i]));
    });
    return out;
  }

  exposition(suffix = '') {
    let s = '';
    for (const r of this.routes) {
      s += r.lines(suffix);
    }
    return s;
  }
}

/**
 * The traffic going on live: an exporter on 127.0.0.1 (a free port) that steps the model to the
 * current minute and serves its counters, for Prometheus to scrape. Resolves once listening.
 */
async function serveTraffic(traffic) {
  const server = require('http').createServer((req, res) => {
    const target = Math.floor(Date.now() / 60000) * 60;
    while (traffic.t < target) {
      traffic.step();
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    res.end(traffic.exposition());
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

module.exports = { Traffic, METRIC, SERIES_PER_ROUTE, appName, routeName, dayFactor, mulberry32, serveTraffic };
