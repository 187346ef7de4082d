// The `sli` of a native SLO: one of ratio, latency, timeslice, quality, cost, raw or composite, with its
// PromQL or LogQL queries checked as Prometheus and Loki will read them.

import { parseDuration } from './duration';
import { KNOWN_BUCKETS, KNOWN_HISTOGRAMS } from './defaults';
import { MapReader, Problems } from './fieldReader';
import { NAME_HINT, NAME_PATTERN } from './names';
import { Sli, SourceType } from './types';
import { readComposite } from './compositeReader';
import { checkLogQuery, checkMatchers, checkPromQL, isWindowTemplate, parseSelector } from '../promql/queries';
import { isMetricName } from '../promql/escape';

const SLI_KINDS = ['ratio', 'latency', 'timeslice', 'quality', 'cost', 'raw', 'composite'];

export function readSli(r: MapReader, p: Problems): Sli | undefined {
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(SLI_KINDS);
  const kinds = SLI_KINDS.filter((k) => r.has(k));
  if (kinds.length !== 1) {
    p.error(
      r.path,
      kinds.length === 0 ? `expected exactly one SLI kind: ${SLI_KINDS.join(', ')}` : `expected exactly one SLI kind, got ${kinds.join(' and ')}`
    );
    return undefined;
  }
  const kind = kinds[0];
  const c = r.child(kind, true);
  if (!c.ok) {
    return undefined;
  }
  switch (kind) {
    case 'ratio':
      return readRatio(c, p);
    case 'raw': {
      c.allowOnly(['errorRatio']);
      const q = readPromQuery(c, 'errorRatio', p, { required: true, templateOnly: true });
      return q ? { kind: 'raw', source: 'prometheus', errorRatio: q } : undefined;
    }
    case 'latency':
      return readLatency(c, p);
    case 'timeslice':
      return readTimeslice(c, p);
    case 'quality':
      return readQuality(c, p);
    case 'composite':
      return readComposite(c, p);
    default:
      return readCost(c, p);
  }
}

function readSource(r: MapReader, p: Problems): SourceType {
  const s = r.string('source') ?? 'prometheus';
  if (s !== 'prometheus' && s !== 'loki') {
    p.error(r.at('source'), `unknown source ${JSON.stringify(s)}: expected "prometheus" or "loki"`);
    return 'prometheus';
  }
  return s;
}

/** A query field: a PromQL counter selector or `{{.window}}` rate expression, or a LogQL log query. */
function readQuery(r: MapReader, key: string, source: SourceType, p: Problems, required: boolean): string | undefined {
  return source === 'loki' ? readLogQuery(r, key, p, required) : readPromQuery(r, key, p, { required });
}

function readPromQuery(r: MapReader, key: string, p: Problems, opts: { required?: boolean; templateOnly?: boolean }): string | undefined {
  const q = r.string(key, { required: opts.required });
  if (q === undefined) {
    return undefined;
  }
  const query = q.trim();
  if (isWindowTemplate(query)) {
    const err = checkPromQL(query);
    if (err) {
      p.error(r.at(key), `invalid PromQL: ${err.message}`);
      return undefined;
    }
    return query;
  }
  if (opts.templateOnly) {
    p.error(r.at(key), 'expected an expression with a {{.window}} placeholder, e.g. 1 - avg_over_time(up{job="x"}[{{.window}}])');
    return undefined;
  }
  const sel = parseSelector(query);
  if ('offset' in sel) {
    p.error(r.at(key), `invalid PromQL: ${sel.message}`);
    return undefined;
  }
  return query;
}

function readLogQuery(r: MapReader, key: string, p: Problems, required: boolean): string | undefined {
  const q = r.string(key, { required });
  if (q === undefined) {
    return undefined;
  }
  const err = checkLogQuery(q.trim());
  if (err) {
    p.error(r.at(key), `invalid LogQL: ${err.message}`);
    return undefined;
  }
  return q.trim();
}

function readGoodOrErrors(r: MapReader, source: SourceType, p: Problems): { errors?: string; good?: string } | undefined {
  const hasErrors = r.has('errors');
  const hasGood = r.has('good');
  if (hasErrors === hasGood) {
    p.error(r.path, hasErrors ? 'give either "errors" or "good", not both' : 'one of "errors" (bad events) or "good" is required');
    return undefined;
  }
  const key = hasErrors ? 'errors' : 'good';
  const q = readQuery(r, key, source, p, true);
  return q === undefined ? undefined : { [key]: q };
}

function sameMode(r: MapReader, p: Problems, queries: Array<[string, string | undefined]>): void {
  const modes = queries.filter(([, q]) => q !== undefined).map(([k, q]) => [k, isWindowTemplate(q!)] as const);
  if (modes.length > 1 && modes.some(([, t]) => t !== modes[0][1])) {
    p.error(r.path, `${modes.map(([k]) => k).join(' and ')} must both be selectors or both {{.window}} expressions`);
  }
}

function readRatio(r: MapReader, p: Problems): Sli | undefined {
  r.allowOnly(['source', 'errors', 'good', 'total']);
  const source = readSource(r, p);
  const ge = readGoodOrErrors(r, source, p);
  const total = readQuery(r, 'total', source, p, true);
  if (source === 'prometheus') {
    sameMode(r, p, [
      [ge?.errors ? 'errors' : 'good', ge?.errors ?? ge?.good],
      ['total', total],
    ]);
  }
  if (!ge || !total) {
    return undefined;
  }
  return { kind: 'ratio', source, ...ge, total };
}

function readHistogram(r: MapReader, p: Problems): { metric: string; matchers: string } | undefined {
  const metric = r.string('metric', { required: true });
  const matchers = r.string('matchers') ?? '';
  if (metric !== undefined && !isMetricName(metric)) {
    p.error(r.at('metric'), `"${metric}" is not a metric name: use [a-zA-Z_:][a-zA-Z0-9_:]*`);
    return undefined;
  }
  if (metric !== undefined && /_(bucket|count|sum)$/.test(metric)) {
    p.error(r.at('metric'), `give the histogram's base name without "_bucket"/"_count"/"_sum" (e.g. "${metric.replace(/_(bucket|count|sum)$/, '')}")`);
    return undefined;
  }
  const err = checkMatchers(matchers);
  if (err) {
    p.error(r.at('matchers'), `invalid label matchers: ${err.message}`);
    return undefined;
  }
  if (/\ble\s*(=|!=|=~|!~)/.test(matchers)) {
    p.error(r.at('matchers'), 'do not match on "le": Burnrate picks the bucket from "threshold"');
    return undefined;
  }
  return metric ? { metric, matchers } : undefined;
}

function readLatency(r: MapReader, p: Problems): Sli | undefined {
  r.allowOnly(['metric', 'matchers', 'threshold', 'native', 'buckets']);
  const h = readHistogram(r, p);
  const threshold = r.number('threshold', { required: true, min: 0, exclusive: true });
  const native = r.boolean('native') ?? false;
  let buckets: number[] | undefined;
  const rawBuckets = r.list('buckets');
  if (rawBuckets) {
    buckets = [];
    rawBuckets.forEach((b, i) => {
      if (typeof b !== 'number' || !Number.isFinite(b)) {
        p.error(`${r.at('buckets')}[${i}]`, `expected a number, got ${JSON.stringify(b)}`);
      } else {
        buckets!.push(b);
      }
    });
  }
  if (!h || threshold === undefined) {
    return undefined;
  }
  const known = buckets ?? KNOWN_BUCKETS[h.metric];
  if (!native && known && !known.some((b) => Math.abs(b - threshold) < 1e-12)) {
    const below = known.filter((b) => b < threshold).pop();
    const above = known.find((b) => b > threshold);
    const near = [below, above].filter((b) => b !== undefined).join(' or ');
    p.error(
      r.at('threshold'),
      `${threshold} is not a bucket boundary of ${h.metric} (${buckets ? 'buckets given' : KNOWN_HISTOGRAMS[h.metric].source}: ${known.join(', ')}); a classic histogram can only count requests at a boundary: use ${near}`
    );
    return undefined;
  }
  return { kind: 'latency', source: 'prometheus', metric: h.metric, matchers: h.matchers, threshold, native, buckets };
}

function readTimeslice(r: MapReader, p: Problems): Sli | undefined {
  r.allowOnly(['slice', 'latency', 'ratio']);
  const sliceRaw = r.string('slice') ?? '1m';
  const sliceSeconds = parseDuration(sliceRaw);
  if (sliceSeconds === undefined || sliceSeconds % 60 !== 0 || sliceSeconds < 60 || sliceSeconds > 300) {
    p.error(r.at('slice'), `${JSON.stringify(sliceRaw)} is not a usable slice: expected whole minutes from 1m to 5m`);
    return undefined;
  }
  const hasLatency = r.has('latency');
  if (hasLatency === r.has('ratio')) {
    p.error(r.path, 'expected exactly one of "latency" (quantile under a threshold) or "ratio" (good ratio over a target) per slice');
    return undefined;
  }
  if (hasLatency) {
    const c = r.child('latency', true);
    c.allowOnly(['metric', 'matchers', 'quantile', 'threshold']);
    const h = readHistogram(c, p);
    const quantile = c.number('quantile', { required: true, min: 0, max: 1, exclusive: true });
    const threshold = c.number('threshold', { required: true, min: 0, exclusive: true });
    if (!h || quantile === undefined || threshold === undefined) {
      return undefined;
    }
    return { kind: 'timeslice', source: 'prometheus', sliceSeconds, latency: { ...h, quantile, threshold } };
  }
  const c = r.child('ratio', true);
  c.allowOnly(['errors', 'good', 'total', 'target']);
  const ge = readGoodOrErrors(c, 'prometheus', p);
  const total = readPromQuery(c, 'total', p, { required: true });
  const target = c.number('target', { required: true, min: 0, max: 1, exclusive: true });
  sameMode(c, p, [
    [ge?.errors ? 'errors' : 'good', ge?.errors ?? ge?.good],
    ['total', total],
  ]);
  if (!ge || !total || target === undefined) {
    return undefined;
  }
  return { kind: 'timeslice', source: 'prometheus', sliceSeconds, ratio: { ...ge, total, target } };
}

function readQuality(r: MapReader, p: Problems): Sli | undefined {
  r.allowOnly(['source', 'components', 'agreement']);
  const source = readSource(r, p);
  const items = r.list('components', { required: true, nonEmpty: true }) ?? [];
  const components: Array<{ name: string; good: string; total: string; weight: number }> = [];
  const names = new Set<string>();
  items.forEach((item, i) => {
    const c = new MapReader(item, `${r.at('components')}[${i}]`, p);
    if (!c.ok) {
      return;
    }
    c.allowOnly(['name', 'good', 'total', 'weight']);
    const name = c.string('name', { required: true, pattern: NAME_PATTERN, patternHint: NAME_HINT });
    const good = readQuery(c, 'good', source, p, true);
    const total = readQuery(c, 'total', source, p, true);
    const weight = c.number('weight', { min: 0, exclusive: true }) ?? 1;
    if (source === 'prometheus') {
      sameMode(c, p, [
        ['good', good],
        ['total', total],
      ]);
    }
    if (name && names.has(name)) {
      p.error(c.at('name'), `duplicate component name "${name}"`);
    }
    if (name && good && total) {
      names.add(name);
      components.push({ name, good, total, weight });
    }
  });
  let agreement: { agreed: string; reviewed: string; minimum: number } | undefined;
  if (r.has('agreement')) {
    const a = r.child('agreement', true);
    a.allowOnly(['agreed', 'reviewed', 'minimum']);
    const agreed = readQuery(a, 'agreed', source, p, true);
    const reviewed = readQuery(a, 'reviewed', source, p, true);
    const minimum = a.number('minimum', { min: 0, max: 1, exclusive: true }) ?? 0.8;
    if (agreed && reviewed) {
      agreement = { agreed, reviewed, minimum };
    }
  }
  if (components.length === 0 || components.length !== items.length) {
    return undefined;
  }
  return { kind: 'quality', source, components, agreement };
}

function readCost(r: MapReader, p: Problems): Sli | undefined {
  r.allowOnly(['cost', 'requests', 'target', 'currency']);
  const cost = readPromQuery(r, 'cost', p, { required: true });
  const requests = readPromQuery(r, 'requests', p, { required: true });
  const target = r.number('target', { required: true, min: 0, exclusive: true });
  const currency = r.string('currency', { pattern: /^[A-Z]{3}$/, patternHint: 'a three-letter currency code such as "USD"' }) ?? 'USD';
  sameMode(r, p, [
    ['cost', cost],
    ['requests', requests],
  ]);
  if (!cost || !requests || target === undefined) {
    return undefined;
  }
  return { kind: 'cost', source: 'prometheus', cost, requests, target, currency };
}
