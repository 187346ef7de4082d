// The tails since the hourly rollup (src/core/rules/freshWindows.ts) that Burnrate's `:period` group
// would have recorded a window ago, computed from the traffic model, so that the bench's fresh 1d,
// 3d and 30d windows read their slid-out part as in steady state (a live Prometheus records the
// tails only from the moment the rules load). Each value follows the rules step by step at the
// groups' own offsets (groupPhase.js): the main group's 5m rates from the raw samples (whole
// minutes: `rate()` over 5 minutes at an offset between minutes sees 5 samples over 4 minutes and
// extrapolates them to the window the way Prometheus 2.42 does, series by series, including its
// stop at a counter's zero), the rollup times, and the period group's recursion. `tests/bench/modelTails.test.ts` checks the values against the
// real rules evaluated by promtool over the model's raw samples.
'use strict';
const { routeName } = require('./traffic');
const { omTime, omEscape: esc } = require('./openmetrics');

const TAIL_E = 'slo:sli_error_events:increase_since_rollup';
const TAIL_T = 'slo:sli_events:increase_since_rollup';

/**
 * Prometheus's rate() over [end - 300, end] (s) of one counter series sampled at whole minutes
 * (values `first` at the oldest minute in the range, `last` at the newest), as extrapolatedRate in
 * promql/functions.go (2.42) computes it. Without `stopAtZero`, `last` is the difference and the
 * counter is taken as far from zero.
 */
function seriesRate(first, last, end, stopAtZero = true) {
  const newest = Math.floor(end / 60) * 60;
  const oldest = Math.ceil((end - 300) / 60) * 60;
  const sampled = newest - oldest;
  const delta = stopAtZero ? last - first : last;
  let toStart = oldest - (end - 300);
  const toEnd = end - newest;
  if (stopAtZero && delta > 0 && first >= 0) {
    toStart = Math.min(toStart, sampled * (first / delta));
  }
  const average = sampled / Math.round(sampled / 60);
  const threshold = average * 1.1;
  const interval = sampled + (toStart < threshold ? toStart : average / 2) + (toEnd < threshold ? toEnd : average / 2);
  return (delta * (interval / sampled)) / 300;
}

/**
 * @param counts (routeIndex, minute seconds) -> { total, bad, errors } cumulative counts at that
 *   minute (errors: per error series; the other series are far from zero)
 * @param o { routes: [{ index, labels }], phases: { main, period, rollup } (s), mainS, periodS,
 *   from, to (s): period instants to compute, the first ones restart from the rollup before }
 * @returns [{ t, route, bad, total }] per period instant in [from, to] and route
 */
function modelTails(counts, o) {
  const ms = (s) => Math.round(s * 1000);
  const e = ms(o.mainS);
  const p = ms(o.periodS);
  const lag = ((300 - Math.min(o.mainS, 300)) / 2) * 1000;
  const first = (phase, step, atOrAfter) => Math.ceil((atOrAfter - phase) / step) * step + phase;
  const phase = { main: ms(o.phases.main), period: ms(o.phases.period), rollup: ms(o.phases.rollup) };
  // Start an hour and a half early, so that the first instants asked for continue a tail.
  const start = ms(o.from) - 5400000 - p;
  // The bad-events rate sums the error series' rates, the total all series' rates.
  const rate = (i, sMs, kind) => {
    const end = sMs / 1000;
    const newest = Math.floor(end / 60) * 60;
    const a = counts(i, Math.ceil((end - 300) / 60) * 60);
    const b = counts(i, newest);
    const bad = a.errors.reduce((n, v, j) => n + seriesRate(v, b.errors[j], end), 0);
    if (kind === 'bad') {
      return bad;
    }
    const errorDelta = a.errors.reduce((n, v, j) => n + b.errors[j] - v, 0);
    // The other (successful) series' counters are far from zero: no stop there.
    return seriesRate(0, b.total - a.total - errorDelta, end, false) + bad;
  };
  /** Newest main instant at or before x (ms). */
  const mainAtOrBefore = (x) => Math.floor((x - phase.main) / e) * e + phase.main;
  /** Newest rollup time a period evaluation at x reads: as of a minute ago, within 90 minutes. */
  const rollupTime = (x) => {
    const r = Math.floor((x - 60000 - phase.rollup) / 3600000) * 3600000 + phase.rollup;
    return r >= x - 60000 - 5400000 ? r : undefined;
  };
  const out = [];
  for (const route of o.routes) {
    let prev;
    for (let t = first(phase.period, p, start); t <= ms(o.to); t += p) {
      const start0 = rollupTime(t);
      const startBefore = rollupTime(t - p);
      const latest = mainAtOrBefore(t);
      const value = {};
      for (const kind of ['bad', 'total']) {
        const r = rate(route.index, latest, kind);
        if (prev && prev.t === t - p && start0 !== undefined && start0 === startBefore) {
          // Main samples in [t - P, t] (a closed range), their average times P.
          let sum = 0;
          let n = 0;
          for (let s = first(phase.main, e, t - p); s <= t; s += e) {
            sum += rate(route.index, s, kind);
            n++;
          }
          const before = rate(route.index, mainAtOrBefore(t - p), kind);
          value[kind] = prev[kind] + (p / 1000) * (sum / n) + (lag / 1000) * (r - before);
        } else {
          value[kind] = start0 === undefined ? 0 : r * ((latest - start0) / 1000);
        }
      }
      prev = { t, ...value };
      if (t >= ms(o.from)) {
        out.push({ t: t / 1000, route, bad: value.bad, total: value.total });
      }
    }
  }
  return out;
}

/** The tails as OpenMetrics lines (no `# EOF`). */
function tailLines(tails) {
  let text = '';
  for (const { t, route, bad, total } of tails) {
    const ls = Object.keys(route.labels)
      .sort()
      .map((k) => `${k}="${esc(route.labels[k])}"`)
      .join(',');
    text += `${TAIL_E}{${ls}} ${bad} ${omTime(t)}\n${TAIL_T}{${ls}} ${total} ${omTime(t)}\n`;
  }
  return text;
}

/** The routes of SLO `slo` in `traffic`, with the labels of Burnrate's series for them. */
function sloRoutes(traffic, slo, service) {
  const routes = [];
  traffic.routes.forEach((r, index) => {
    if (r.slo === slo) {
      routes.push({ index, labels: { route: routeName(r.route), slo: `slo-${slo}`, slo_service: service } });
    }
  });
  return routes;
}

module.exports = { modelTails, tailLines, sloRoutes, seriesRate, TAIL_E, TAIL_T };
