// OpenSLO v1 (apiVersion openslo/v1): import into native Burnrate SLOs, and export to OpenSLO.
//
// Import. Every kind SLO of a file becomes one native burnrate/v1 document value, checked by the
// native validator; SLI, AlertPolicy, AlertCondition and DataSource objects of the same file (any
// document, or any item of a document that is a YAML list) are resolved by name. OpenSLO-specific
// problems are reported at the OpenSLO field path and line; the native validator's findings are
// translated back to OpenSLO paths. Any error means no SLOs from the file.
//
//   indicator / indicatorRef   ratioMetric good/total or bad/total (counter: true) -> ratio;
//                              raw (rawType failure/success) -> raw SLI (success: `1 - (...)`);
//                              thresholdMetric over a histogram bucket selector -> latency, or over
//                              histogram_quantile(...) with Timeslices -> timeslice latency.
//   metricSource               type Prometheus or Loki (any case); other types are rejected.
//   counter queries            OpenSLO queries are plain PromQL over raw counters. A bare selector,
//                              `sum(sel)` or `sum by (l) (sel)` becomes a native selector with
//                              groupBy (so Burnrate's hourly rollups apply); anything else is
//                              rewritten so that each vector selector is `rate(sel[{{.window}}])`.
//   objectives[0]              target (or targetPercent) -> objective; further objectives are
//                              ignored with a warning naming them.
//   timeWindow                 rolling d/w as is; rolling M/Q/Y -> 30/90/365 days per unit with a
//                              warning; calendar 1M -> calendar-month (UTC, warning otherwise);
//                              other calendar windows are rejected.
//   budgetingMethod            Occurrences -> event-based; Timeslices -> native timeslice.
//   metadata.labels            lists joined with ","; invalid label names dropped with a warning.
//   alertPolicies              severities of the conditions decide which of page/ticket stays on;
//                              burn-rate thresholds and lookbacks that are not the multiwindow
//                              multi-burn-rate scheme's are reported: Burnrate applies the scheme.
//
// Export: opensloExport.ts.

import { parser as promParser } from '@prometheus-io/lezer-promql';
import { SourceDoc } from '../spec/document';
import { MapReader, Problems } from '../spec/fieldReader';
import { Diagnostic } from '../spec/types';
import { DAY, formatDuration, parseDuration } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { RESERVED_LABELS } from '../spec/defaults';
import { isWindowTemplate, parseSelector, QueryError } from '../promql/queries';
import { isLabelName } from '../promql/escape';
import { alertWindows } from '../rules/burnRateWindows';
import { ImportResult, PathMap, validateConverted } from './sloth';
import { firstParseError, leOf, matcherList, quantileQuery, rewriteCounters, simpleCounter } from './promqlRewrite';

export const API_VERSION = 'openslo/v1';
const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Group-by labels of a Loki SLI (LogQL log queries have no place for them), on export and import. */
export const GROUP_BY_ANNOTATION = 'burnrate.dev/group-by';
const KINDS = ['SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget', 'DataSource', 'Service'];

interface Obj {
  doc: SourceDoc;
  p: Problems;
  /** Field path of the object inside its document: '' or `[i]` for list documents. */
  path: string;
  value: Record<string, unknown>;
  kind: string;
  name?: string;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Imports every OpenSLO document of one file together (objects refer to each other by name). */
export function importOpenSLO(docs: SourceDoc[], file?: string): ImportResult {
  const problems = docs.map((d) => new Problems(d, file));
  const objects: Obj[] = [];
  docs.forEach((doc, di) => {
    const p = problems[di];
    const items: Array<[unknown, string]> = Array.isArray(doc.value)
      ? doc.value.map((v, i) => [v, `[${i}]`])
      : [[doc.value, '']];
    for (const [value, path] of items) {
      const r = new MapReader(value, path, p);
      if (!r.ok) {
        continue;
      }
      const apiVersion = r.string('apiVersion', { required: true });
      if (apiVersion !== undefined && apiVersion !== API_VERSION) {
        p.error(
          r.at('apiVersion'),
          apiVersion === 'openslo/v1alpha'
            ? 'OpenSLO v1alpha is not supported: Burnrate imports openslo/v1 (rewrite objectives[].ratioMetrics as spec.indicator.spec.ratioMetric and timeWindows as timeWindow)'
            : `unsupported apiVersion ${JSON.stringify(apiVersion)}: Burnrate imports "${API_VERSION}"`
        );
        continue;
      }
      const kind = r.string('kind', { required: true });
      if (kind === undefined) {
        continue;
      }
      if (!KINDS.includes(kind)) {
        p.error(r.at('kind'), `unknown OpenSLO kind ${JSON.stringify(kind)} (expected one of ${KINDS.join(', ')})`);
        continue;
      }
      const name = r.child('metadata', true).string('name', { required: true });
      if (name !== undefined) {
        checkRfc1123(name, join(path, 'metadata.name'), kind, p);
      }
      objects.push({ doc, p, path, value: r.obj, kind, name });
    }
  });
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.name === name);
  const results: ImportResult[] = [];
  for (const o of objects.filter((x) => x.kind === 'SLO')) {
    const converted = convertSlo(o, find);
    if (converted) {
      results.push(validateConverted(converted.value, o.doc, converted.map, file));
    }
  }
  const diagnostics: Diagnostic[] = [...problems.flatMap((p) => p.list), ...results.flatMap((r) => r.diagnostics)];
  if (
    objects.length > 0 &&
    !objects.some((o) => o.kind === 'SLO') &&
    !diagnostics.some((d) => d.severity === 'error')
  ) {
    const kinds = [...new Set(objects.map((o) => o.kind))].join(', ');
    diagnostics.push({
      severity: 'warning',
      file,
      line: docs[0]?.lineOf(''),
      message: `no kind SLO in this file: its ${kinds} objects are only read when an SLO in the same file refers to them`,
    });
  }
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { slos: failed ? [] : results.flatMap((r) => r.slos), diagnostics };
}

function checkRfc1123(name: string, path: string, kind: string, p: Problems): void {
  if (!RFC1123.test(name) || name.length > 253) {
    p.warn(
      path,
      `${kind} name ${JSON.stringify(name)} is not an RFC 1123 name (lowercase letters, digits, "-" and "."), which OpenSLO asks tools to expect`
    );
  }
}

type Finder = (kind: string, name: string) => Obj | undefined;

interface Indicator {
  sli: Record<string, unknown>;
  groupBy?: string[];
  /** Native path suffix (after `slos[0].sli`) -> source path. */
  map: PathMap;
}

function convertSlo(o: Obj, find: Finder): { value: unknown; map: PathMap } | undefined {
  const p = o.p;
  const r = new MapReader(o.value, o.path, p);
  r.allowOnly(['apiVersion', 'kind', 'metadata', 'spec']);
  const meta = r.child('metadata', true);
  meta.allowOnly(['name', 'displayName', 'labels', 'annotations']);
  const name = meta.string('name');
  const labels = readLabels(meta, p);
  const annotations = meta.stringMap('annotations') ?? {};
  const spec = r.child('spec', true);
  if (!spec.ok) {
    return undefined;
  }
  spec.allowOnly([
    'description',
    'service',
    'indicator',
    'indicatorRef',
    'timeWindow',
    'budgetingMethod',
    'objectives',
    'alertPolicies',
  ]);
  const service = spec.string('service', { required: true });
  const description = spec.string('description');
  const map: PathMap = {
    '': o.path,
    service: spec.at('service'),
    slos: o.path,
    // The SLO's origin is the object itself; every field below is mapped on its own.
    'slos[0]': o.path,
    'slos[0].name': meta.at('name'),
    'slos[0].labels': meta.at('labels'),
    'slos[0].description': spec.at('description'),
  };

  // Budgeting method.
  const method = spec.string('budgetingMethod') ?? 'Occurrences';
  if (!['Occurrences', 'Timeslices'].includes(method)) {
    p.error(
      spec.at('budgetingMethod'),
      method === 'RatioTimeslices'
        ? 'RatioTimeslices is not supported: use Occurrences or Timeslices'
        : `unknown budgetingMethod ${JSON.stringify(method)}: expected Occurrences or Timeslices`
    );
  }

  // Objectives.
  const objectives = spec.list('objectives', { required: true, nonEmpty: true }) ?? [];
  let objective: number | undefined;
  let op: string | undefined;
  let value: number | undefined;
  let sliceTarget: number | undefined;
  let sliceWindow: string | undefined;
  if (objectives.length > 0) {
    const ob = new MapReader(objectives[0], `${spec.at('objectives')}[0]`, p);
    if (ob.ok) {
      ob.allowOnly([
        'displayName',
        'op',
        'value',
        'target',
        'targetPercent',
        'timeSliceTarget',
        'timeSliceWindow',
        'indicator',
        'indicatorRef',
        'compositeWeight',
      ]);
      for (const k of ['indicator', 'indicatorRef', 'compositeWeight']) {
        if (ob.has(k)) {
          p.error(
            ob.at(k),
            'composite SLOs (objectives with their own indicator) are not supported: define one SLO per indicator'
          );
        }
      }
      if (ob.has('target') && ob.has('targetPercent')) {
        p.error(ob.path, 'give either "target" or "targetPercent", not both');
      } else if (ob.has('targetPercent')) {
        const t = ob.number('targetPercent', { required: true, min: 0, max: 100, exclusive: true });
        objective = t === undefined ? undefined : Number((t / 100).toPrecision(12));
        map['slos[0].objective'] = ob.at('targetPercent');
      } else {
        objective = ob.number('target', { required: true, min: 0, max: 1, exclusive: true });
        map['slos[0].objective'] = ob.at('target');
      }
      op = ob.string('op');
      if (op !== undefined && !['lt', 'lte', 'gt', 'gte'].includes(op)) {
        p.error(ob.at('op'), `unknown op ${JSON.stringify(op)}: expected lt, lte, gt or gte`);
        op = undefined;
      }
      value = ob.number('value');
      sliceTarget = ob.number('timeSliceTarget', { min: 0, max: 1, exclusive: true });
      sliceWindow = ob.string('timeSliceWindow');
      map['slos[0].sli.timeslice.slice'] = ob.at('timeSliceWindow');
      map['slos[0].sli.timeslice.ratio.target'] = ob.at('timeSliceTarget');
      if (method !== 'Timeslices') {
        for (const k of ['timeSliceTarget', 'timeSliceWindow']) {
          if (ob.has(k)) {
            p.warn(ob.at(k), `${k} applies to budgetingMethod Timeslices only: ignored`);
          }
        }
      }
    }
    if (objectives.length > 1) {
      const names = objectives.slice(1).map((x, i) => {
        const dn = typeof x === 'object' && x !== null ? (x as Record<string, unknown>).displayName : undefined;
        return typeof dn === 'string' ? `"${dn}"` : `objectives[${i + 1}]`;
      });
      p.warn(
        spec.at('objectives'),
        `only the first objective is imported; ${names.join(', ')} ignored (Burnrate SLOs have one objective: define one SLO per objective)`
      );
    }
  }

  // Time window.
  const window = readTimeWindow(spec, p);
  map['slos[0].window'] = window.path;

  // Indicator.
  let ind: Indicator | undefined;
  const hasInline = spec.has('indicator');
  if (hasInline === spec.has('indicatorRef')) {
    p.error(
      spec.path,
      hasInline
        ? 'give either "indicator" or "indicatorRef", not both'
        : 'one of "indicator" (inline SLI) or "indicatorRef" is required'
    );
  } else if (hasInline) {
    const c = spec.child('indicator', true);
    if (c.ok) {
      c.allowOnly(['metadata', 'spec']);
      ind = readIndicatorSpec(c.child('spec', true), method, { op, value, sliceTarget }, find);
      map['slos[0].sli'] = c.path;
      map['slos[0].groupBy'] = c.path;
    }
  } else {
    const ref = spec.string('indicatorRef', { required: true });
    const target = ref === undefined ? undefined : find('SLI', ref);
    if (ref !== undefined && !target) {
      p.error(
        spec.at('indicatorRef'),
        `no kind SLI named ${JSON.stringify(ref)} in this file: indicatorRef must name an SLI object defined in the same file`
      );
    } else if (target) {
      const tr = new MapReader(target.value, target.path, target.p);
      tr.allowOnly(['apiVersion', 'kind', 'metadata', 'spec']);
      ind = readIndicatorSpec(tr.child('spec', true), method, { op, value, sliceTarget }, find);
      map['slos[0].sli'] = spec.at('indicatorRef');
      map['slos[0].groupBy'] = spec.at('indicatorRef');
      if (ind && target.doc === o.doc) {
        map['slos[0].sli'] = join(target.path, 'spec');
      } else if (ind) {
        ind.map = {};
      }
    }
  }
  if (ind) {
    for (const [k, v] of Object.entries(ind.map)) {
      map[`slos[0].sli${k}`] = v;
    }
  }
  if (ind && 'timeslice' in ind.sli) {
    const ts = ind.sli.timeslice as Record<string, unknown>;
    if (sliceWindow !== undefined) {
      ts.slice = sliceWindow;
    }
  }

  const alerting = readAlertPolicies(spec, find, window.days, p);
  map['slos[0].alerting'] = spec.at('alertPolicies');

  if (
    ind &&
    'ratio' in ind.sli &&
    (ind.sli.ratio as Record<string, unknown>).source === 'loki' &&
    annotations[GROUP_BY_ANNOTATION]
  ) {
    ind.groupBy = annotations[GROUP_BY_ANNOTATION].split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '');
    map['slos[0].groupBy'] = meta.at('annotations');
  }
  if (p.hasErrors || !ind) {
    return undefined;
  }
  const slo: Record<string, unknown> = {
    name,
    ...(description !== undefined ? { description } : {}),
    objective,
    window: window.value,
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(ind.groupBy && ind.groupBy.length ? { groupBy: ind.groupBy } : {}),
    sli: ind.sli,
    ...(alerting ? { alerting } : {}),
  };
  return { value: { version: 'burnrate/v1', service, slos: [slo] }, map };
}

function readLabels(meta: MapReader, p: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  if (!meta.has('labels')) {
    return out;
  }
  const l = meta.child('labels');
  if (!l.ok) {
    return out;
  }
  for (const [k, v] of Object.entries(l.obj)) {
    const values = Array.isArray(v) ? v : [v];
    if (!values.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
      p.error(l.at(k), 'expected a string or a list of strings');
      continue;
    }
    if (!isLabelName(k) || k.startsWith('__')) {
      p.warn(
        l.at(k),
        `label ${JSON.stringify(k)} dropped: not a valid Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__")`
      );
      continue;
    }
    if (RESERVED_LABELS.includes(k)) {
      p.warn(
        l.at(k),
        `label ${JSON.stringify(k)} dropped: Burnrate sets it itself (reserved: ${RESERVED_LABELS.join(', ')})`
      );
      continue;
    }
    out[k] = values.map(String).join(',');
  }
  return out;
}

function readTimeWindow(spec: MapReader, p: Problems): { value: string; days: number; path: string } {
  const fallback = { value: '30d', days: 30, path: spec.at('timeWindow') };
  const list = spec.list('timeWindow');
  if (!list || list.length === 0) {
    p.warn(spec.at('timeWindow'), 'no timeWindow: using a rolling 30d window');
    return fallback;
  }
  if (list.length > 1) {
    p.error(spec.at('timeWindow'), 'expected exactly one time window');
    return fallback;
  }
  const w = new MapReader(list[0], `${spec.at('timeWindow')}[0]`, p);
  if (!w.ok) {
    return fallback;
  }
  w.allowOnly(['duration', 'isRolling', 'calendar']);
  const duration = w.string('duration', { required: true });
  const isRolling = w.boolean('isRolling');
  const rolling = isRolling ?? !w.has('calendar');
  const path = w.at('duration');
  if (duration === undefined) {
    return fallback;
  }
  const m = /^(\d+)([smhdwMQY])$/.exec(duration.trim());
  if (!m) {
    p.error(
      path,
      `${JSON.stringify(duration)} is not an OpenSLO duration: expected a number and a unit (m, h, d, w, M, Q, Y), e.g. 28d`
    );
    return fallback;
  }
  const n = Number(m[1]);
  const unit = m[2];
  const daysPer: Record<string, number> = { d: 1, w: 7, M: 30, Q: 90, Y: 365 };
  if (!rolling) {
    const cal = w.child('calendar', true);
    if (cal.ok) {
      cal.allowOnly(['startTime', 'timeZone']);
      const tz = cal.string('timeZone');
      if (n === 1 && unit === 'M' && tz !== undefined && !['UTC', 'Etc/UTC', 'Z', 'GMT', 'Etc/GMT'].includes(tz)) {
        p.warn(
          cal.at('timeZone'),
          `Burnrate calendar months start at 00:00 UTC; the time zone ${JSON.stringify(tz)} is not applied`
        );
      }
    }
    if (n === 1 && unit === 'M') {
      return { value: 'calendar-month', days: 30, path };
    }
    const equiv = daysPer[unit] !== undefined ? `${n * daysPer[unit]}d` : '7d or more';
    p.error(
      path,
      `calendar windows other than a month are not supported (got ${duration}); use a rolling ${equiv} window (isRolling: true, duration: ${equiv})`
    );
    return fallback;
  }
  if (unit === 'M' || unit === 'Q' || unit === 'Y') {
    const days = n * daysPer[unit];
    p.warn(
      path,
      `a rolling ${duration} window becomes ${days}d: Burnrate's rolling windows are whole days (${unit === 'M' ? 'a month' : unit === 'Q' ? 'a quarter' : 'a year'} counted as ${daysPer[unit]} days)`
    );
    return { value: `${days}d`, days, path };
  }
  const secs = parseDuration(`${n}${unit}`);
  return { value: `${n}${unit}`, days: secs ? secs / DAY : 30, path };
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

function readIndicatorSpec(
  r: MapReader,
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
  return readRatio(r.child('ratioMetric', true), method, ob, find);
}

function readRatio(
  r: MapReader,
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
    const errorRatio = rawType === 'failure' ? tmpl : `1 - (${tmpl})`;
    return { sli: { raw: { errorRatio } }, map: { '': r.path, '.raw': r.at('raw'), '.raw.errorRatio': mq.path } };
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
    if (simple[0] && simple[1] && sameList(simple[0].groupBy, simple[1].groupBy)) {
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

/** good `<m>_bucket{..., le="t"}` over total `<m>_count{...}` (same other matchers): a latency SLI. */
function latencyFromRatio(
  good: string,
  total: string
): { metric: string; matchers?: string; threshold: number } | undefined {
  const g = matcherList(good);
  const t = matcherList(total);
  if (!g || !t || !g.metric.endsWith('_bucket') || !t.metric.endsWith('_count')) {
    return undefined;
  }
  const base = g.metric.replace(/_bucket$/, '');
  if (t.metric.replace(/_count$/, '') !== base) {
    return undefined;
  }
  const les = g.matchers.filter((m) => /^le\b/.test(m));
  const rest = g.matchers.filter((m) => !/^le\b/.test(m));
  const threshold = les.length === 1 ? leOf(les[0]) : undefined;
  if (threshold === undefined || threshold <= 0 || !sameList(rest, t.matchers)) {
    return undefined;
  }
  return { metric: base, ...(t.matchers.length ? { matchers: t.matchers.join(', ') } : {}), threshold };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
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

const PAGE_LIKE = /^(page|paging|critical|crit|high|urgent|emergency|p[12]|sev[12]|severity[12])$/i;
const TICKET_LIKE = /^(ticket|warning|warn|low|medium|info|minor|p[345]|sev[345]|severity[345])$/i;

interface Condition {
  name: string;
  path: string;
  p: Problems;
  severity?: string;
  kind?: string;
  op?: string;
  threshold?: number;
  lookback?: string;
}

function readCondition(r: MapReader, name: string): Condition | undefined {
  if (!r.ok) {
    return undefined;
  }
  const spec = r.child('spec', true);
  spec.allowOnly(['description', 'severity', 'condition']);
  const c = spec.child('condition', true);
  c.allowOnly(['kind', 'op', 'threshold', 'lookbackWindow', 'alertAfter']);
  return {
    name,
    path: r.path,
    p: r.problems,
    severity: spec.string('severity', { required: true }),
    kind: c.string('kind'),
    op: c.string('op'),
    threshold: c.number('threshold'),
    lookback: c.string('lookbackWindow'),
  };
}

function readAlertPolicies(
  spec: MapReader,
  find: Finder,
  periodDays: number,
  p: Problems
): Record<string, unknown> | undefined {
  const list = spec.list('alertPolicies');
  if (!list || list.length === 0) {
    return undefined;
  }
  const conditions: Condition[] = [];
  list.forEach((item, i) => {
    const at = `${spec.at('alertPolicies')}[${i}]`;
    let policy: MapReader | undefined;
    let refName: string | undefined;
    if (typeof item === 'string') {
      refName = item;
    } else {
      const r = new MapReader(item, at, p);
      if (!r.ok) {
        return;
      }
      if (r.has('alertPolicyRef')) {
        r.allowOnly(['alertPolicyRef']);
        refName = r.string('alertPolicyRef');
      } else {
        r.allowOnly(['kind', 'metadata', 'spec']);
        policy = r;
      }
    }
    if (refName !== undefined) {
      const o = find('AlertPolicy', refName);
      if (!o) {
        p.warn(
          at,
          `alert policy ${JSON.stringify(refName)} is not defined in this file: it is not imported, and Burnrate's default page and ticket alerts apply`
        );
        return;
      }
      policy = new MapReader(o.value, o.path, o.p);
    }
    if (!policy) {
      return;
    }
    const ps = policy.child('spec', true);
    ps.allowOnly([
      'description',
      'alertWhenBreaching',
      'alertWhenResolved',
      'alertWhenNoData',
      'conditions',
      'notificationTargets',
    ]);
    (ps.list('conditions') ?? []).forEach((ci, j) => {
      const cat = `${ps.at('conditions')}[${j}]`;
      const cr = new MapReader(ci, cat, ps.problems);
      if (!cr.ok) {
        return;
      }
      if (cr.has('conditionRef')) {
        cr.allowOnly(['conditionRef']);
        const ref = cr.string('conditionRef')!;
        const o = find('AlertCondition', ref);
        if (!o) {
          ps.problems.warn(
            cat,
            `alert condition ${JSON.stringify(ref)} is not defined in this file: it is not imported`
          );
          return;
        }
        const c = readCondition(new MapReader(o.value, o.path, o.p), ref);
        if (c) {
          conditions.push(c);
        }
      } else {
        cr.allowOnly(['kind', 'metadata', 'spec']);
        const c = readCondition(cr, cr.child('metadata').string('name') ?? cat);
        if (c) {
          conditions.push(c);
        }
      }
    });
  });
  if (conditions.length === 0) {
    return undefined;
  }
  const windows = alertWindows({ type: 'rolling', days: periodDays });
  const scheme = (['page', 'ticket'] as const)
    .map(
      (sev) =>
        `${sev} at ${windows
          .filter((w) => w.severity === sev)
          .map(
            (w) =>
              `${formatNumber(w.factor)}x over ${formatDuration(w.longSeconds)} and ${formatDuration(w.shortSeconds)}`
          )
          .join(' or ')}`
    )
    .join('; ');
  let page: string | undefined;
  let ticket: string | undefined;
  for (const c of conditions) {
    const fits =
      c.kind === 'burnrate' &&
      (c.op === 'gt' || c.op === 'gte') &&
      windows.some(
        (w) =>
          c.threshold !== undefined &&
          Math.abs(w.factor - c.threshold) < 1e-9 &&
          parseDuration(c.lookback ?? '') === w.longSeconds
      );
    if (!fits) {
      const what =
        c.kind === 'burnrate'
          ? `burn rate ${c.op ?? '?'} ${c.threshold ?? '?'} over ${c.lookback ?? '?'}`
          : `kind ${JSON.stringify(c.kind ?? '?')}`;
      c.p.warn(
        c.path,
        `alert condition ${JSON.stringify(c.name)} (${what}) is not imported as such: Burnrate applies the multiwindow multi-burn-rate scheme instead (${scheme})`
      );
    }
    if (c.severity === undefined) {
      continue;
    }
    if (PAGE_LIKE.test(c.severity)) {
      page = page ?? c.severity;
    } else if (TICKET_LIKE.test(c.severity)) {
      ticket = ticket ?? c.severity;
    } else {
      c.p.warn(
        c.path,
        `severity ${JSON.stringify(c.severity)} of alert condition ${JSON.stringify(c.name)} is neither page-like nor ticket-like: it is used for the page alert`
      );
      page = page ?? c.severity;
    }
  }
  const sev = (s: string | undefined, native: string) =>
    s === undefined ? { disabled: true } : s === native ? {} : { labels: { severity: s } };
  return { page: sev(page, 'page'), ticket: sev(ticket, 'ticket') };
}
