// Recorded series computed from the traffic model, for the part of the month that has no raw
// samples (the full size keeps 3 days of raw history: a month of 12,000 raw series is more than
// promtool converts here in a run's time). Each value is what the rule would have recorded from
// the raw samples at that instant. Raw samples are minute-aligned: at an aligned evaluation time
// `rate(x[5m])` and `increase(x[1h])` cover their whole range and are exactly the counters'
// difference over the window; at an evaluation time between minutes (a group's offset, see
// src/core/rules/groupPhase.ts) the samples span a minute less and Prometheus extrapolates the difference to the
// whole window, and so does this. Only three kinds of rule are needed: the inputs of the two 30d
// windows.
//   errorRatio: Sloth's slo:sli_error:ratio_rate5m, sum by (route) of errors over total, 5m
//   errors:     Burnrate's slo:sli_error_events:increase1h (sum by (route), 1h)
//   total:      Burnrate's slo:sli_events:increase1h
'use strict';
const { routeName } = require('./traffic');
const { omTime, omEscape: esc } = require('./openmetrics');
const { evaluationAtOrAfter } = require('../../build/core/rules/groupPhase');

const KINDS = { errorRatio: 300, errors: 3600, total: 3600 };

class ModelRecorded {
  /**
   * @param traffic the model, before its first step
   * @param series [{record, labels, slo, kind, step, phase, until}]: the rule's output name and
   *   labels, the SLO index whose routes it covers, its kind, its group's evaluation interval and
   *   offset within it (s, see src/core/rules/groupPhase.ts; default 0), and the first evaluation time left to the
   *   real backfill from raw samples (exclusive end here)
   */
  constructor(traffic, series) {
    this.traffic = traffic;
    this.origin = traffic.t;
    this.n = traffic.routes.length;
    this.depth = 61; // minutes of counters kept: the longest window (1h) and its start
    this.total = new Float64Array(this.depth * this.n);
    this.bad = new Float64Array(this.depth * this.n);
    this.series = series.map((s) => {
      if (!KINDS[s.kind]) {
        throw new Error(`unknown recorded kind ${s.kind} (${s.record})`);
      }
      const routes = [];
      traffic.routes.forEach((r, i) => {
        if (r.slo === s.slo) {
          const labels = { ...s.labels, route: routeName(r.route) };
          const ls = Object.keys(labels)
            .sort()
            .map((k) => `${k}="${esc(labels[k])}"`)
            .join(',');
          routes.push({ i, prefix: `${s.record}{${ls}} ` });
        }
      });
      return { phase: 0, ...s, windowS: KINDS[s.kind], routes };
    });
    this.samples = 0;
  }

  /** Call after each step of the model: the recorded lines at the new minute (OpenMetrics). */
  afterStep(t) {
    const slot = ((t - this.origin) / 60) % this.depth;
    for (let i = 0; i < this.n; i++) {
      this.total[slot * this.n + i] = this.traffic.routes[i].total;
      this.bad[slot * this.n + i] = this.traffic.routes[i].bad;
    }
    let out = '';
    for (const s of this.series) {
      // The group's evaluation in [t, t + 1m), if any: its newest raw sample is the one at t.
      const at = evaluationAtOrAfter(t, s.step, s.phase);
      if (at >= t + 60 || at >= s.until) {
        continue;
      }
      const first = Math.ceil((at - s.windowS) / 60) * 60; // the oldest raw sample in its range
      if (first < this.origin) {
        continue;
      }
      const from = (((first - this.origin) / 60) % this.depth) * this.n;
      const to = slot * this.n;
      const extrapolate = s.windowS / (t - first);
      const stamp = omTime(at);
      for (const { i, prefix } of s.routes) {
        const dBad = this.bad[to + i] - this.bad[from + i];
        const dTotal = this.total[to + i] - this.total[from + i];
        const v = s.kind === 'errorRatio' ? dBad / dTotal : (s.kind === 'errors' ? dBad : dTotal) * extrapolate;
        if (Number.isFinite(v)) {
          out += `${prefix}${v} ${stamp}\n`;
          this.samples++;
        }
      }
    }
    return out;
  }
}

module.exports = { ModelRecorded };
