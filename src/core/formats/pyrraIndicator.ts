// Pyrra indicators (spec.indicator of a pyrra.dev/v1alpha1 ServiceLevelObjective) as native SLIs.
//
//   ratio          errors/total selectors -> ratio errors/total (Burnrate wraps them in rate()).
//   latency        success `<h>_bucket{..., le="t"}` over total `<h>_count{...}` -> latency on the
//                  classic histogram <h> at threshold t; any other pair -> ratio good/total.
//   latencyNative  total (a native histogram) and latency (a duration) -> latency native: true.
//   bool_gauge     a 0/1 gauge -> raw error ratio: samples at 0 over all samples, per window.
//   grouping       -> groupBy.

import { MapReader } from '../spec/fieldReader';
import { formatNumber } from '../spec/numbers';
import { isLabelName } from '../promql/escape';
import { parseSelector } from '../promql/queries';
import { PathMap } from './sloth';
import { latencyFromRatio } from './promqlRewrite';

export interface PyrraIndicator {
  sli: Record<string, unknown>;
  groupBy: string[];
  /** Native path (under `slos[0]`) -> Pyrra path. */
  map: PathMap;
}

const KINDS = ['ratio', 'latency', 'latencyNative', 'bool_gauge'];

/** Reads `<key>.metric`, which Pyrra requires to be a plain vector selector. */
function readMetric(r: MapReader, key: string): { query: string; path: string } | undefined {
  const c = r.child(key, true);
  if (!c.ok) {
    return undefined;
  }
  c.allowOnly(['metric']);
  const query = c.string('metric', { required: true })?.trim();
  if (query === undefined) {
    return undefined;
  }
  const sel = parseSelector(query);
  if ('offset' in sel) {
    c.problems.error(
      c.at('metric'),
      sel.message.startsWith('expected a counter selector')
        ? 'expected a plain selector such as http_requests_total{code=~"5.."}, as Pyrra requires (it wraps the metric in rate() itself)'
        : sel.message
    );
    return undefined;
  }
  return { query, path: c.at('metric') };
}

/** Grouping labels; the native validator checks their names (as groupBy). */
function readGrouping(r: MapReader): string[] {
  return r.stringList('grouping') ?? [];
}

/** Prometheus durations with milliseconds and years (`200ms`, `1s500ms`, `1y`) in seconds. */
export function promDurationSeconds(text: string): number | undefined {
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text.trim());
  if (!m || text.trim() === '') {
    return undefined;
  }
  const units = [365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001];
  const s = units.reduce((sum, u, i) => sum + (m[i + 1] === undefined ? 0 : Number(m[i + 1]) * u), 0);
  return s > 0 ? Number(s.toPrecision(12)) : undefined;
}

/** Reads spec.indicator. `r` is the indicator mapping. */
export function readPyrraIndicator(r: MapReader): PyrraIndicator | undefined {
  const p = r.problems;
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(KINDS);
  const kinds = KINDS.filter((k) => r.has(k));
  if (kinds.length !== 1) {
    p.error(
      r.path,
      kinds.length === 0
        ? `expected one of ${KINDS.join(', ')}`
        : `expected exactly one indicator, got ${kinds.join(' and ')}`
    );
    return undefined;
  }
  const kind = kinds[0];
  const c = r.child(kind, true);
  if (!c.ok) {
    return undefined;
  }
  const groupingMap = { 'slos[0].groupBy': c.at('grouping') };
  switch (kind) {
    case 'ratio':
    case 'latency': {
      // ratio: errors/total; latency: success/total. Both plain selectors with an optional grouping.
      const partKey = kind === 'ratio' ? 'errors' : 'success';
      c.allowOnly([partKey, 'total', 'grouping']);
      const part = readMetric(c, partKey);
      const total = readMetric(c, 'total');
      const groupBy = readGrouping(c);
      if (!part || !total) {
        return undefined;
      }
      const base = { ...groupingMap, 'slos[0].sli': c.path };
      const lat = kind === 'latency' ? latencyFromRatio(part.query, total.query) : undefined;
      if (lat) {
        return { sli: { latency: lat }, groupBy, map: { ...base, 'slos[0].sli.latency.threshold': part.path, 'slos[0].sli.latency': total.path } };
      }
      if (kind === 'latency') {
        // Still exactly Pyrra's SLI (good = success, bad = total - success), without Burnrate's
        // matching of a bucket's `le` however the exporter spells it.
        p.warn(
          c.path,
          'imported as a ratio of good (success) to total events: success and total are not the _bucket (with one le="<number>" matcher) and _count of one histogram with the same other matchers'
        );
      }
      const nativeKey = kind === 'ratio' ? 'errors' : 'good';
      return {
        sli: { ratio: { [nativeKey]: part.query, total: total.query } },
        groupBy,
        map: { ...base, [`slos[0].sli.ratio.${nativeKey}`]: part.path, 'slos[0].sli.ratio.total': total.path },
      };
    }
    case 'latencyNative': {
      c.allowOnly(['total', 'latency', 'grouping']);
      const total = readMetric(c, 'total');
      const latency = c.string('latency', { required: true });
      const groupBy = readGrouping(c);
      const seconds = latency === undefined ? undefined : promDurationSeconds(latency);
      if (latency !== undefined && seconds === undefined) {
        p.error(c.at('latency'), `${JSON.stringify(latency)} is not a duration such as 200ms, 1s or 1s500ms`);
      }
      if (!total || seconds === undefined) {
        return undefined;
      }
      const sel = parseSelector(total.query) as { metric: string; matchers: string };
      return {
        sli: {
          latency: {
            metric: sel.metric,
            ...(sel.matchers ? { matchers: sel.matchers } : {}),
            threshold: Number(formatNumber(seconds)),
            native: true,
          },
        },
        groupBy,
        map: {
          ...groupingMap,
          'slos[0].sli': c.path,
          'slos[0].sli.latency.threshold': c.at('latency'),
          'slos[0].sli.latency': total.path,
        },
      };
    }
    default: {
      c.allowOnly(['metric', 'grouping']);
      const metric = c.string('metric', { required: true })?.trim();
      const groupBy = readGrouping(c);
      if (metric === undefined) {
        return undefined;
      }
      const sel = parseSelector(metric);
      if ('offset' in sel) {
        p.error(c.at('metric'), 'expected a plain selector of a 0/1 gauge such as probe_success{job="blackbox"}');
        return undefined;
      }
      // Pyrra's own bool-gauge ratio: samples at 0 over all samples in the window, per group.
      // Labels that are not label names are reported by the native validator (groupBy).
      const valid = groupBy.filter(isLabelName);
      const by = valid.length ? `sum by (${valid.join(', ')}) ` : 'sum ';
      const count = `${by}(count_over_time(${metric}[{{.window}}]))`;
      const errorRatio = `(${count} - ${by}(sum_over_time(${metric}[{{.window}}]))) / ${count}`;
      p.warn(
        c.path,
        'bool_gauge becomes a raw error ratio (samples at 0 over all samples in each window): Burnrate counts no events for it, so its 1d, 3d and period ratios are averages of hourly ratios (the same as Pyrra\'s when the gauge is scraped at a steady interval), and minEvents cannot be used'
      );
      return {
        sli: { raw: { errorRatio } },
        groupBy,
        map: { ...groupingMap, 'slos[0].sli': c.path, 'slos[0].sli.raw.errorRatio': c.at('metric') },
      };
    }
  }
}
