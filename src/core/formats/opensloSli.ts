// OpenSLO indicators: ratioMetric and thresholdMetric, their metric sources and PromQL queries.

import { parser as promParser } from '@prometheus-io/lezer-promql';
import { MapReader } from '../spec/fieldReader';
import { formatNumber } from '../spec/numbers';
import { isWindowTemplate, parseSelector, QueryError } from '../promql/queries';
import { PathMap } from './sloth';
import { Finder } from './opensloObjects';
import { reportedGroupBy, sameSet } from './queryGrouping';
import { firstParseError, latencyFromRatio, matcherList, quantileQuery, rewriteCounters, simpleCounter } from './promqlRewrite';

export interface Indicator {
  sli: Record<string, unknown>;
  groupBy?: string[];
  /** Native path suffix (after `slos[0].sli`) -> source path. */
  map: PathMap;
}

interface MetricQuery {
  source: 'prometheus' | 'loki';
  query: string;
  path: string;
}

/** Reads `<key>.metricSource` of a ratio part (or the thresholdMetric's own metricSource). */
function readMetricSource(parent: MapReader, find: Finder): MetricQuery | undefined {
  const p = parent.problems;
  const ms = parent.child('metricSource', true);
  if (!ms.ok) {
    return undefined;
  }
  ms.allowOnly(['metricSourceRef', 'type', 'spec']);
  let type = ms.string('type');
  const ref = ms.string('metricSourceRef');
  if (type === undefined && ref !== undefined) {
    const ds = find('DataSource', ref);
    if (!ds) {
      p.error(
        ms.at('metricSourceRef'),
        `no kind DataSource named ${JSON.stringify(ref)} in this file, and no "type": cannot tell which system the query is for`
      );
      return undefined;
    }
    type = new MapReader(ds.value, ds.path, ds.p).child('spec', true).string('type', { required: true });
  }
  if (type === undefined) {
    p.error(ms.at('type'), 'required field is missing (or give metricSourceRef naming a DataSource in this file)');
    return undefined;
  }
  const lower = type.toLowerCase();
  if (lower !== 'prometheus' && lower !== 'loki') {
    p.error(
      ms.at('type'),
      `metricSource type ${JSON.stringify(type)} is not supported: Burnrate reads Prometheus (PromQL) and Loki (LogQL) sources only`
    );
    return undefined;
  }
  const s = ms.child('spec', true);
  if (!s.ok) {
    return undefined;
  }
  s.allowOnly(['query']);
  const query = s.string('query', { required: true });
  return query === undefined
    ? undefined
    : { source: lower as 'prometheus' | 'loki', query: query.trim(), path: s.at('query') };
}

export function readIndicatorSpec(
  r: MapReader,
  slo: string,
  method: string,
  ob: { op?: string; value?: number; sliceTarget?: number },
  find: Finder
): Indicator | undefined {
  const p = r.problems;
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(['description', 'thresholdMetric', 'ratioMetric']);
  const has = ['thresholdMetric', 'ratioMetric'].filter((k) => r.has(k));
  if (has.length !== 1) {
    p.error(
      r.path,
      has.length === 0
        ? 'expected one of ratioMetric or thresholdMetric'
        : 'give either ratioMetric or thresholdMetric, not both'
    );
    return undefined;
  }
  if (has[0] === 'thresholdMetric') {
    return readThreshold(r.child('thresholdMetric', true), method, ob, find);
  }
  return readRatio(r.child('ratioMetric', true), slo, method, ob, find);
}

function readRatio(
  r: MapReader,
  slo: string,
  method: string,
  ob: { op?: string; sliceTarget?: number },
  find: Finder
): Indicator | undefined {
  const p = r.problems;
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(['counter', 'good', 'bad', 'total', 'rawType', 'raw']);
  if (ob.op === 'lt' || ob.op === 'lte') {
    p.warn(
      r.path,
      `objective op ${JSON.stringify(ob.op)} is ignored: a ratioMetric's good ratio is always held at or above its target`
    );
  }
  if (r.has('raw')) {
    for (const k of ['good', 'bad', 'total']) {
      if (r.has(k)) {
        p.error(r.at(k), 'a raw ratioMetric has no good/bad/total: give either raw or good (or bad) with total');
      }
    }
    const rawType = r.string('rawType', { required: true });
    if (rawType !== undefined && rawType !== 'success' && rawType !== 'failure') {
      p.error(r.at('rawType'), `expected "success" or "failure", got ${JSON.stringify(rawType)}`);
      return undefined;
    }
    if (method === 'Timeslices') {
      p.error(
        r.at('raw'),
        'a raw ratio has no per-slice good and total events: Timeslices need good/total (or bad/total) counters; use Occurrences'
      );
      return undefined;
    }
    const mq = readMetricSource(r.child('raw', true), find);
    if (!mq || rawType === undefined) {
      return undefined;
    }
    if (mq.source !== 'prometheus') {
      p.error(mq.path, 'raw ratios need a Prometheus source');
      return undefined;
    }
    const tmpl = rawTemplate(mq.query);
    if (typeof tmpl !== 'string') {
      p.error(mq.path, tmpl.message);
      return undefined;
    }
    if (tmpl !== mq.query) {
      p.warn(mq.path, 'the range windows of the raw query are replaced by each burn-rate window ({{.window}})');
    }
    const groupBy = reportedGroupBy(slo, [{ field: 'the raw query', query: tmpl, path: mq.path }], p);
    if (!groupBy) {
      return undefined;
    }
    const errorRatio = rawType === 'failure' ? tmpl : `1 - (${tmpl})`;
    return {
      sli: { raw: { errorRatio } },
      groupBy,
      map: { '': r.path, '.raw': r.at('raw'), '.raw.errorRatio': mq.path },
    };
  }
  if (r.has('rawType')) {
    p.error(r.at('rawType'), 'rawType only applies to a raw ratioMetric');
  }
  const hasGood = r.has('good');
  if (hasGood === r.has('bad')) {
    p.error(
      r.path,
      hasGood ? 'give either "good" or "bad", not both' : 'one of "good" or "bad" (with "total"), or "raw", is required'
    );
    return undefined;
  }
  const key = hasGood ? 'good' : 'bad';
  const part = readMetricSource(r.child(key, true), find);
  const total = readMetricSource(r.child('total', true), find);
  if (!part || !total) {
    return undefined;
  }
  if (part.source !== total.source) {
    p.error(r.path, `${key} and total must come from the same kind of source (got ${part.source} and ${total.source})`);
    return undefined;
  }
  const nativeKey = hasGood ? 'good' : 'errors';
  let queries: Record<string, string>;
  let groupBy: string[] | undefined;
  if (part.source === 'loki') {
    queries = { [nativeKey]: part.query, total: total.query };
  } else {
    if (r.boolean('counter') !== true) {
      p.error(
        r.has('counter') ? r.at('counter') : r.path,
        'ratioMetric over gauges (counter is not true) cannot be imported: Burnrate counts events with rate() over counters, and instantaneous gauge values are not event counts; set counter: true if the queries are counters'
      );
      return undefined;
    }
    const simple = [simpleCounter(part.query), simpleCounter(total.query)];
    if (simple[0] && simple[1] && sameSet(simple[0].groupBy, simple[1].groupBy)) {
      const lat =
        hasGood && method !== 'Timeslices' ? latencyFromRatio(simple[0].selector, simple[1].selector) : undefined;
      if (lat) {
        return {
          sli: { latency: lat },
          groupBy: simple[0].groupBy,
          map: { '': r.path, '.latency': part.path, '.latency.threshold': part.path, '.latency.matchers': total.path },
        };
      }
      queries = { [nativeKey]: simple[0].selector, total: simple[1].selector };
      groupBy = simple[0].groupBy;
    } else {
      // Not two plain selectors with the same `sum by`: the labels the queries keep, read from
      // them (an error when they differ), become the groupBy of the rewritten queries.
      groupBy = reportedGroupBy(
        slo,
        [
          { field: `the ${key} query`, query: part.query, path: part.path },
          { field: 'the total query', query: total.query, path: total.path },
        ],
        p
      );
      if (!groupBy) {
        return undefined;
      }
      const a = rewriteCounters(part.query);
      const b = rewriteCounters(total.query);
      if (typeof a !== 'string') {
        p.error(part.path, `cannot rewrite the counter query: ${a.message}`);
      }
      if (typeof b !== 'string') {
        p.error(total.path, `cannot rewrite the counter query: ${b.message}`);
      }
      if (typeof a !== 'string' || typeof b !== 'string') {
        return undefined;
      }
      queries = { [nativeKey]: a, total: b };
    }
  }
  const source = part.source;
  if (method === 'Timeslices') {
    if (source !== 'prometheus') {
      p.error(r.path, 'Timeslices need a Prometheus source');
      return undefined;
    }
    if (ob.sliceTarget === undefined) {
      p.error(
        r.path,
        'Timeslices with a ratioMetric need objectives[0].timeSliceTarget (the good ratio a slice must reach)'
      );
      return undefined;
    }
    return {
      sli: { timeslice: { ratio: { ...queries, target: ob.sliceTarget } } },
      groupBy,
      map: {
        '': r.path,
        '.timeslice': r.path,
        [`.timeslice.ratio.${nativeKey}`]: part.path,
        '.timeslice.ratio.total': total.path,
      },
    };
  }
  return {
    sli: { ratio: { ...(source === 'loki' ? { source: 'loki' } : {}), ...queries } },
    groupBy,
    map: { '': r.path, '.ratio': r.path, [`.ratio.${nativeKey}`]: part.path, '.ratio.total': total.path },
  };
}

/** A raw ratio query with `{{.window}}`: range windows replaced by the placeholder. */
function rawTemplate(query: string): string | QueryError {
  if (isWindowTemplate(query)) {
    return query;
  }
  const err = firstParseError(query);
  if (err) {
    return { offset: err.offset, message: `invalid PromQL: ${err.message}` };
  }
  const spans: Array<{ from: number; to: number }> = [];
  promParser.parse(query).iterate({
    enter(ref) {
      if (ref.name === 'MatrixSelector') {
        const d = ref.node.getChild('DurationExpr');
        if (d) {
          spans.push({ from: d.from, to: d.to });
        }
      }
    },
  });
  if (spans.length === 0) {
    return {
      offset: 0,
      message:
        'a raw ratio query needs range selectors (e.g. avg_over_time(probe_success[5m])) so that Burnrate can evaluate it over each burn-rate window; an instant query has no window',
    };
  }
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += query.slice(pos, s.from) + '{{.window}}';
    pos = s.to;
  }
  return out + query.slice(pos);
}

function readThreshold(
  r: MapReader,
  method: string,
  ob: { op?: string; value?: number },
  find: Finder
): Indicator | undefined {
  const p = r.problems;
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(['metricSource']);
  const mq = readMetricSource(r, find);
  if (!mq) {
    return undefined;
  }
  if (mq.source !== 'prometheus') {
    p.error(mq.path, 'thresholdMetric needs a Prometheus histogram');
    return undefined;
  }
  const err = firstParseError(mq.query);
  if (err) {
    p.error(mq.path, `invalid PromQL: ${err.message}`);
    return undefined;
  }
  const why =
    'Burnrate counts good and total events, and a threshold on an arbitrary query gives no events to count. ' +
    (method === 'Timeslices'
      ? 'With Timeslices give histogram_quantile(<q>, sum by (le) (rate(<histogram>_bucket{...}[1m]))) (slice good when the quantile is within the threshold), or use a ratioMetric'
      : 'Give a histogram bucket selector such as http_request_duration_seconds_bucket{job="api"} (good = requests at or under the objective value), or use a ratioMetric');
  const flat = mq.query.replace(/\s+/g, ' ');
  const shown = flat.length > 200 ? flat.slice(0, 197) + '...' : flat;
  const reject = () => {
    p.error(
      mq.path,
      `thresholdMetric query ${JSON.stringify(shown)} cannot be imported: it is not ${method === 'Timeslices' ? 'a histogram_quantile over a histogram' : 'a histogram bucket selector'}. ${why}`
    );
    return undefined;
  };
  const qq = method === 'Timeslices' ? quantileQuery(mq.query) : undefined;
  const sel = parseSelector(mq.query);
  const parts = method === 'Timeslices' || 'offset' in sel ? undefined : matcherList(mq.query);
  if (
    method === 'Timeslices' ? !qq || qq.quantile <= 0 || qq.quantile >= 1 : !parts || !parts.metric.endsWith('_bucket')
  ) {
    return reject();
  }
  const obPath = r.path.replace(/\.indicator\.spec\.thresholdMetric$/, '.objectives[0]');
  if (ob.op !== undefined && ob.op !== 'lt' && ob.op !== 'lte') {
    p.error(
      r.path,
      `objective op ${JSON.stringify(ob.op)} cannot be imported: a latency objective keeps values at or under a threshold (op lte or lt)`
    );
    return undefined;
  }
  if (ob.value === undefined || ob.value <= 0) {
    p.error(r.path, `a thresholdMetric objective needs a positive "value" (the threshold) in ${obPath}`);
    return undefined;
  }
  if (ob.op === 'lt') {
    p.warn(
      r.path,
      `op "lt" is read as "lte": ${qq ? 'a slice is good when the quantile is at or under the value' : 'histogram buckets count observations at or under their bound'}`
    );
  }
  if (qq) {
    p.warn(
      mq.path,
      `the query's own rate window is replaced by the slice: Burnrate computes histogram_quantile(${formatNumber(qq.quantile)}, ...) over each slice`
    );
    return {
      sli: {
        timeslice: {
          latency: {
            metric: qq.metric,
            ...(qq.matchers ? { matchers: qq.matchers } : {}),
            quantile: qq.quantile,
            threshold: ob.value,
          },
        },
      },
      groupBy: qq.groupBy,
      map: { '': r.path, '.timeslice': r.path, '.timeslice.latency': mq.path },
    };
  }
  if (!parts) {
    return reject();
  }
  if (parts.matchers.some((m) => /^le\b/.test(m))) {
    p.error(mq.path, 'do not match on "le": the bucket is taken from the objective\'s value');
    return undefined;
  }
  return {
    sli: {
      latency: {
        metric: parts.metric.replace(/_bucket$/, ''),
        ...(parts.matchers.length ? { matchers: parts.matchers.join(', ') } : {}),
        threshold: ob.value,
      },
    },
    map: { '': r.path, '.latency': mq.path },
  };
}
