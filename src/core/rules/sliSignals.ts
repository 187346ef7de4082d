// The base signals of an SLO, per group-by label set, from which every window is built:
//   slo:sli_error_events:rate5m, slo:sli_events:rate5m     bad and total events per second over 5m
//   slo:sli_error_events:increase1h, slo:sli_events:increase1h   bad and total events per hour,
//     recorded once an hour so that a 30-day window reads 720 samples, not a month of raw data.
// Each SLI kind produces them its own way; Loki and timeslice SLIs go through per-minute (per-slice)
// counts first. Raw SLIs (an error ratio without counts) are handled apart, see rawSignals.

import { formatDuration, HOUR } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { Exclusion, Slo } from '../spec/types';
import { quote, regexOneOf } from '../promql/escape';
import { isWindowTemplate, renderWindow, selector, withMatchers } from '../promql/queries';
import { bucketBoundRegex } from './bucketBound';
import { RecordingRule } from './types';
import { compositePreview, compositeSignals } from './compositeSignals';

export const E5 = 'slo:sli_error_events:rate5m';
export const T5 = 'slo:sli_events:rate5m';
export const X5 = 'slo:sli_excluded_events:rate5m';
export const E1H = 'slo:sli_error_events:increase1h';
export const T1H = 'slo:sli_events:increase1h';
export const X1H = 'slo:sli_excluded_events:increase1h';
export const AGREED1H = 'slo:judge_agreed_events:increase1h';
export const REVIEWED1H = 'slo:judge_reviewed_events:increase1h';

export interface Signals {
  /** Rules of the frequent SLI group producing E5/T5 (and X5). */
  sli: RecordingRule[];
  /** Rules of the hourly rollup group producing E1H/T1H (and X1H, agreement). */
  rollup: RecordingRule[];
  /** Rules of a group evaluated once per slice (timeslice SLIs). */
  slices?: { seconds: number; rules: RecordingRule[] };
  /** Loki ruler rules (Loki SLIs): per-minute counts remote-written to Prometheus. */
  loki?: RecordingRule[];
}

/** `{slo="...", slo_service="..."}`: selects the series generated for one SLO. */
export function sloSelector(slo: Slo): string {
  return `{slo=${quote(slo.name)}, slo_service=${quote(slo.service)}}`;
}

/** Labels every generated series carries besides its group-by labels. */
export function sloLabels(slo: Slo): Record<string, string> {
  return { ...slo.labels, slo: slo.name, slo_service: slo.service };
}

export function sumBy(slo: Slo, inner: string, extra: string[] = []): string {
  const by = [...slo.groupBy, ...extra];
  return by.length ? `sum by (${by.join(', ')}) (${inner})` : `sum(${inner})`;
}

function exclusionRegex(x: Exclusion): string {
  return x.values ? regexOneOf(x.values) : x.regex!;
}

/** Matchers that drop excluded events from a Prometheus selector. */
function excludeMatchers(slo: Slo): string[] {
  return slo.exclude.map((x) => `${x.label}!~${quote(exclusionRegex(x))}`);
}

/** Matchers that keep only excluded events (any exclusion). One selector per exclusion. */
function onlyExcludedMatchers(x: Exclusion): string {
  return `${x.label}=~${quote(exclusionRegex(x))}`;
}

/** Per-second rate (fn=rate) or increase over `window` of a counter query, summed by group. */
function counter(slo: Slo, query: string, windowSeconds: number, fn: 'rate' | 'increase'): string {
  const w = formatDuration(windowSeconds);
  if (isWindowTemplate(query)) {
    const expr = renderWindow(query, w);
    return fn === 'rate' ? sumBy(slo, expr) : `${sumBy(slo, expr)} * ${windowSeconds}`;
  }
  return sumBy(slo, `${fn}(${withMatchers(query, excludeMatchers(slo))}[${w}])`);
}

function orZero(expr: string, like: string): string {
  return `(${expr} or 0 * ${like})`;
}

/** Bad events from either a bad-events counter or good and total counters. */
function badFrom(kind: { errors?: string; good?: string }, total: string, expr: (q: string) => string): string {
  if (kind.errors !== undefined) {
    // A bad-events counter often does not exist until the first failure: count it as zero.
    return orZero(expr(kind.errors), total);
  }
  return `clamp_min(${total} - ${orZero(expr(kind.good!), total)}, 0)`;
}

function histogramParts(slo: Slo, metric: string, matchers: string, threshold: number) {
  const m = [matchers, ...excludeMatchers(slo)];
  return {
    total: selector(`${metric}_count`, ...m),
    good: selector(`${metric}_bucket`, ...m, `le=~${quote(bucketBoundRegex(threshold))}`),
    native: selector(metric, ...m),
  };
}

function record(name: string, expr: string, labels: Record<string, string>): RecordingRule {
  return { record: name, expr, labels };
}

/**
 * Bad and total events (per second with rate, counts with increase) over a window, per group,
 * straight from the raw counters of a Prometheus counter SLI. With `recordedTotal` (the same
 * total, already recorded and summed by group), bad events read it where they need the total
 * (their zero, or total minus good) instead of every raw total series again.
 */
export function counterPair(
  slo: Slo,
  windowSeconds: number,
  fn: 'rate' | 'increase',
  recordedTotal?: string
): { bad: string; total: string; excluded?: string } {
  const c = (q: string) => counter(slo, q, windowSeconds, fn);
  const sli = slo.sli;
  switch (sli.kind) {
    case 'ratio':
    case 'cost': {
      const totalQ = sli.kind === 'ratio' ? sli.total : sli.requests;
      const kinds = sli.kind === 'ratio' ? sli : { errors: sli.cost };
      const total = c(totalQ);
      const excluded = slo.exclude.length ? excludedCounter(slo, totalQ, windowSeconds, fn) : undefined;
      return { bad: badFrom(kinds, recordedTotal ?? total, c), total, excluded };
    }
    case 'latency': {
      const w = formatDuration(windowSeconds);
      const h = histogramParts(slo, sli.metric, sli.matchers, sli.threshold);
      if (sli.native) {
        const hist = sumBy(slo, `${fn}(${h.native}[${w}])`);
        const total = `histogram_count(${hist})`;
        const t = recordedTotal ?? total;
        // histogram_fraction is NaN without observations: keep only groups that have some.
        const bad = `(${t} * (1 - histogram_fraction(0, ${formatNumber(sli.threshold)}, ${hist})) and ${t} > 0)`;
        return { bad, total };
      }
      const total = sumBy(slo, `${fn}(${h.total}[${w}])`);
      const t = recordedTotal ?? total;
      const good = sumBy(slo, `${fn}(${h.good}[${w}])`);
      return { bad: `clamp_min(${t} - ${orZero(good, t)}, 0)`, total };
    }
    case 'quality': {
      // Weighted sum of each component's bad and total samples. label_replace keeps the
      // components apart so that `or` does not merge equal label sets before the sum.
      const parts = sli.components.map((comp) => {
        const total = c(comp.total);
        const bad = badFrom({ good: comp.good }, total, c);
        const tag = (e: string) =>
          `label_replace(${formatNumber(comp.weight)} * ${e}, "slo_component", ${quote(comp.name)}, "", "")`;
        return { bad: tag(bad), total: tag(total) };
      });
      if (parts.length === 1 && sli.components[0].weight === 1) {
        const comp = sli.components[0];
        const total = c(comp.total);
        return { bad: badFrom({ good: comp.good }, recordedTotal ?? total, c), total };
      }
      return {
        bad: sumBy(slo, parts.map((p) => p.bad).join(' or ')),
        total: sumBy(slo, parts.map((p) => p.total).join(' or ')),
      };
    }
    default:
      throw new Error(`not a counter SLI: ${sli.kind}`);
  }
}

function prometheusCounterSignals(slo: Slo): Signals {
  const labels = sloLabels(slo);
  // The 5m total first: the bad events of the same evaluation read it. (The hourly rollups read
  // raw data only, so that a history backfill can evaluate each of them for the past.)
  const five = counterPair(slo, 300, 'rate', sumBy(slo, `${T5}${sloSelector(slo)}`));
  const hour = counterPair(slo, HOUR, 'increase');
  const sli: RecordingRule[] = [record(T5, five.total, labels), record(E5, five.bad, labels)];
  const rollup: RecordingRule[] = [record(E1H, hour.bad, labels), record(T1H, hour.total, labels)];
  if (five.excluded && hour.excluded) {
    sli.push(record(X5, five.excluded, labels));
    rollup.push(record(X1H, hour.excluded, labels));
  }
  if (slo.sli.kind === 'quality' && slo.sli.agreement) {
    const a = slo.sli.agreement;
    rollup.push(record(AGREED1H, counter(slo, a.agreed, HOUR, 'increase'), labels));
    rollup.push(record(REVIEWED1H, counter(slo, a.reviewed, HOUR, 'increase'), labels));
  }
  return { sli, rollup };
}

function excludedCounter(slo: Slo, totalQuery: string, windowSeconds: number, fn: 'rate' | 'increase'): string {
  const w = formatDuration(windowSeconds);
  const parts = slo.exclude.map((x) => `${fn}(${withMatchers(totalQuery, [onlyExcludedMatchers(x)])}[${w}])`);
  return sumBy(slo, parts.join(' or '));
}

// Per-interval counts (Loki per-minute records, timeslice per-slice records) become E5/T5 and
// hourly rollups by summing: a missing sample is a minute without events, which counts as zero.
const C_BAD = 'slo:sli_error_events:increase';
const C_GOOD = 'slo:sli_good_events:increase';
const C_TOTAL = 'slo:sli_events:increase';
const C_EXCLUDED = 'slo:sli_excluded_events:increase';

function fromCounts(
  slo: Slo,
  intervalSeconds: number,
  hasGood: boolean,
  hasExcluded: boolean,
  component?: string
): Signals {
  const labels = sloLabels(slo);
  const suffix = formatDuration(intervalSeconds);
  const sel = component
    ? `{slo=${quote(slo.name)}, slo_service=${quote(slo.service)}, slo_component=${quote(component)}}`
    : sloSelector(slo);
  const sum = (name: string, w: string) => sumBy(slo, `sum_over_time(${name}${suffix}${sel}[${w}])`);
  const pair = (w: string) => {
    const total = sum(C_TOTAL, w);
    const bad = hasGood ? `clamp_min(${total} - ${orZero(sum(C_GOOD, w), total)}, 0)` : orZero(sum(C_BAD, w), total);
    return { total, bad, excluded: hasExcluded ? sum(C_EXCLUDED, w) : undefined };
  };
  const five = pair('5m');
  const hour = pair('1h');
  const sli = [record(E5, `${five.bad} / 300`, labels), record(T5, `${five.total} / 300`, labels)];
  const rollup = [record(E1H, hour.bad, labels), record(T1H, hour.total, labels)];
  if (five.excluded && hour.excluded) {
    sli.push(record(X5, `${five.excluded} / 300`, labels));
    rollup.push(record(X1H, hour.excluded, labels));
  }
  return { sli, rollup };
}

function lokiCount(slo: Slo, query: string, extraPipeline: string[], window = '1m'): string {
  // Loki fails a metric query whose lines failed to parse (json, logfmt, ...) unless they are
  // filtered out; dropping them from good, bad and total alike keeps the ratio honest.
  const q = [query, '| __error__=""', ...extraPipeline].join(' ');
  return sumBy(slo, `count_over_time(${q} [${window}])`);
}

/** Loki SLIs: the Loki ruler counts events per minute; Prometheus builds everything else. */
function lokiSignals(slo: Slo): Signals {
  const labels = sloLabels(slo);
  const drop = slo.exclude.map((x) => `| ${x.label} !~ ${quote(exclusionRegex(x))}`);
  const sli = slo.sli;
  const loki: RecordingRule[] = [];
  if (sli.kind === 'ratio') {
    const hasGood = sli.good !== undefined;
    loki.push(record(`${hasGood ? C_GOOD : C_BAD}1m`, lokiCount(slo, (sli.good ?? sli.errors)!, drop), labels));
    loki.push(record(`${C_TOTAL}1m`, lokiCount(slo, sli.total, drop), labels));
    slo.exclude.forEach((x) => {
      loki.push(
        record(`${C_EXCLUDED}1m`, lokiCount(slo, sli.total, [`| ${x.label} =~ ${quote(exclusionRegex(x))}`]), {
          ...labels,
          slo_exclusion: x.name,
        })
      );
    });
    const signals = fromCounts(slo, 60, hasGood, slo.exclude.length > 0);
    return { ...signals, loki };
  }
  if (sli.kind === 'quality') {
    // One pair of per-minute records per component, told apart by slo_component.
    for (const comp of sli.components) {
      const l = { ...labels, slo_component: comp.name };
      loki.push(record(`${C_GOOD}1m`, lokiCount(slo, comp.good, drop), l));
      loki.push(record(`${C_TOTAL}1m`, lokiCount(slo, comp.total, drop), l));
    }
    const per = sli.components.map((comp) => ({ comp, s: fromCounts(slo, 60, true, false, comp.name) }));
    const combine = (group: 'sli' | 'rollup', idx: 0 | 1) =>
      sumBy(
        slo,
        per
          .map(
            ({ comp, s }) =>
              `label_replace(${formatNumber(comp.weight)} * ${s[group][idx].expr}, "slo_component", ${quote(comp.name)}, "", "")`
          )
          .join(' or ')
      );
    const out: Signals = {
      sli: [record(E5, combine('sli', 0), labels), record(T5, combine('sli', 1), labels)],
      rollup: [record(E1H, combine('rollup', 0), labels), record(T1H, combine('rollup', 1), labels)],
      loki,
    };
    if (sli.agreement) {
      loki.push(record('slo:judge_agreed_events:increase1m', lokiCount(slo, sli.agreement.agreed, []), labels));
      loki.push(record('slo:judge_reviewed_events:increase1m', lokiCount(slo, sli.agreement.reviewed, []), labels));
      out.rollup.push(
        record(AGREED1H, sumBy(slo, `sum_over_time(slo:judge_agreed_events:increase1m${sloSelector(slo)}[1h])`), labels)
      );
      out.rollup.push(
        record(
          REVIEWED1H,
          sumBy(slo, `sum_over_time(slo:judge_reviewed_events:increase1m${sloSelector(slo)}[1h])`),
          labels
        )
      );
    }
    return out;
  }
  throw new Error(`SLI kind ${sli.kind} has no Loki form`);
}

/** Timeslice SLIs: once per slice, record whether the slice was bad and whether it had traffic. */
function timesliceSignals(slo: Slo): Signals {
  const sli = slo.sli;
  if (sli.kind !== 'timeslice') {
    throw new Error('not a timeslice SLI');
  }
  const labels = sloLabels(slo);
  const w = formatDuration(sli.sliceSeconds);
  const on = `on(${slo.groupBy.join(', ')})`;
  let bad: string;
  let traffic: string;
  if (sli.latency) {
    const h = histogramParts(slo, sli.latency.metric, sli.latency.matchers, sli.latency.threshold);
    const buckets = selector(`${sli.latency.metric}_bucket`, sli.latency.matchers, ...excludeMatchers(slo));
    traffic = sumBy(slo, `rate(${h.total}[${w}])`);
    const q = `histogram_quantile(${formatNumber(sli.latency.quantile)}, ${sumBy(slo, `rate(${buckets}[${w}])`, ['le'])})`;
    bad = `(${q} > bool ${formatNumber(sli.latency.threshold)}) and ${on} (${traffic} > 0)`;
  } else {
    const r = sli.ratio!;
    const c = (q: string) => counter(slo, q, sli.sliceSeconds, 'rate');
    traffic = c(r.total);
    const errRatio = `${badFrom(r, traffic, c)} / (${traffic} > 0)`;
    bad = `(${errRatio}) > bool ${formatNumber(Number((1 - r.target).toPrecision(12)))}`;
  }
  const slices = [record(`${C_BAD}${w}`, bad, labels), record(`${C_TOTAL}${w}`, `${traffic} > bool 0`, labels)];
  return { ...fromCounts(slo, sli.sliceSeconds, false, false), slices: { seconds: sli.sliceSeconds, rules: slices } };
}

export function signalsFor(slo: Slo): Signals {
  switch (slo.sli.kind) {
    case 'timeslice':
      return timesliceSignals(slo);
    case 'raw':
      throw new Error('raw SLIs have no event signals');
    case 'composite':
      return compositeSignals(slo);
    default:
      return slo.sli.source === 'loki' ? lokiSignals(slo) : prometheusCounterSignals(slo);
  }
}

export interface PreviewQuery {
  language: 'promql' | 'logql';
  /** Bad / total over the window, per group; no sample where there were no events. */
  errorRatio: string;
  /** Total events over the window, per group (not for raw SLIs). */
  events?: string;
  /** For timeslice SLIs: the quantile (or slice ratio) the slices are judged on, over the window. */
  sliceValue?: string;
}

/** Queries that show an SLI on raw data before any rule exists (the editor's live preview).
 * They read the raw series directly, so keep windows short (an hour or a day). */
export function previewQueries(slo: Slo, windowSeconds: number): PreviewQuery {
  const sli = slo.sli;
  const w = formatDuration(windowSeconds);
  if (sli.kind === 'raw') {
    return { language: 'promql', errorRatio: `(${sumBy(slo, renderWindow(sli.errorRatio, w))}) >= 0 < +Inf` };
  }
  if (sli.kind === 'composite') {
    return { language: 'promql', ...compositePreview(slo, w) };
  }
  if (sli.source === 'loki' && sli.kind === 'ratio') {
    const drop = slo.exclude.map((x) => `| ${x.label} !~ ${quote(exclusionRegex(x))}`);
    const total = lokiCount(slo, sli.total, drop, w);
    const bad =
      sli.errors !== undefined
        ? orZero(lokiCount(slo, sli.errors, drop, w), total)
        : `clamp_min(${total} - ${orZero(lokiCount(slo, sli.good!, drop, w), total)}, 0)`;
    return { language: 'logql', errorRatio: `${bad} / (${total} > 0)`, events: total };
  }
  if (sli.kind === 'timeslice') {
    const c = (q: string) => counter(slo, q, windowSeconds, 'rate');
    if (sli.latency) {
      const buckets = selector(`${sli.latency.metric}_bucket`, sli.latency.matchers, ...excludeMatchers(slo));
      const q = `histogram_quantile(${formatNumber(sli.latency.quantile)}, ${sumBy(slo, `rate(${buckets}[${w}])`, ['le'])})`;
      const h = histogramParts(slo, sli.latency.metric, sli.latency.matchers, sli.latency.threshold);
      const total = sumBy(slo, `increase(${h.total}[${w}])`);
      return {
        language: 'promql',
        errorRatio: `(${q} > bool ${formatNumber(sli.latency.threshold)}) and on(${slo.groupBy.join(', ')}) (${total} > 0)`,
        events: total,
        sliceValue: q,
      };
    }
    const r = sli.ratio!;
    const total = c(r.total);
    const ratio = `${badFrom(r, total, c)} / (${total} > 0)`;
    return { language: 'promql', errorRatio: ratio, sliceValue: ratio };
  }
  if (sli.source === 'loki') {
    throw new Error('quality SLIs from Loki have no preview query yet');
  }
  const p = counterPair(slo, windowSeconds, 'increase');
  return { language: 'promql', errorRatio: `${p.bad} / (${p.total} > 0)`, events: p.total };
}
