// Reads native Burnrate documents (`version: burnrate/v1`) into validated Slo objects. Every
// problem is reported with file, line, field path and what was expected; a document with any error
// yields no SLOs at all, so that nothing half-valid is ever stored or generated.

import { DAY, formatDuration, parseDuration } from './duration';
import {
  DEFAULT_EVALUATION_SECONDS,
  DEFAULT_WINDOW_DAYS,
  KNOWN_BUCKETS,
  RESERVED_LABELS,
  SPEC_VERSION,
  defaultAlerting,
  defaultPolicy,
} from './defaults';
import { SourceDoc } from './document';
import { MapReader, Problems } from './fieldReader';
import { AlertSeverityOptions, Diagnostic, Exclusion, Labels, Slo, Sli, SourceType, TimeWindow } from './types';
import { checkLogQuery, checkMatchers, checkPromQL, isWindowTemplate, parseSelector } from '../promql/queries';
import { isLabelName, isMetricName } from '../promql/escape';
import { LONGEST_ALERT_WINDOW, policyWindowNames } from '../rules/burnRateWindows';
import { formatNumber } from './numbers';

export const NAME_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,126}[a-zA-Z0-9])?$/;
const NAME_HINT = 'use letters, digits, ".", "_" and "-", starting and ending with a letter or digit (at most 128)';
const ALERT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_PERIOD_DAYS = 400;

export interface ValidationResult {
  slos: Slo[];
  diagnostics: Diagnostic[];
}

/** Validates one native document. `doc.value` is the parsed YAML/JSON. */
export function validateNativeDocument(doc: SourceDoc, file?: string): ValidationResult {
  const p = new Problems(doc, file);
  const root = new MapReader(doc.value, '', p);
  if (!root.ok) {
    return { slos: [], diagnostics: p.list };
  }
  root.allowOnly(['version', 'service', 'labels', 'slos']);
  const version = root.string('version', { required: true });
  if (version !== undefined && version !== SPEC_VERSION) {
    p.error('version', `unsupported version ${JSON.stringify(version)}: expected "${SPEC_VERSION}"`);
  }
  const service = root.string('service', { required: true, pattern: NAME_PATTERN, patternHint: NAME_HINT });
  const fileLabels = readLabels(root, 'labels', p) ?? {};
  const items = root.list('slos', { required: true, nonEmpty: true }) ?? [];
  const slos: Slo[] = [];
  const seen = new Map<string, string>();
  items.forEach((item, i) => {
    const slo = readSlo(new MapReader(item, `slos[${i}]`, p), service ?? '', fileLabels, p);
    if (slo) {
      const prev = seen.get(slo.name);
      if (prev) {
        p.error(`slos[${i}].name`, `duplicate SLO name "${slo.name}" in service "${slo.service}" (first defined at ${prev})`);
      } else {
        seen.set(slo.name, `slos[${i}]`);
        slo.origin = { file, line: doc.lineOf(`slos[${i}]`) };
        slos.push(slo);
      }
    }
  });
  return { slos: p.hasErrors ? [] : slos, diagnostics: p.list };
}

function readLabels(r: MapReader, key: string, p: Problems): Labels | undefined {
  const labels = r.stringMap(key);
  if (!labels) {
    return undefined;
  }
  for (const name of Object.keys(labels)) {
    if (!isLabelName(name) || name.startsWith('__')) {
      p.error(r.at(key) + '.' + name, `"${name}" is not a valid label name: use [a-zA-Z_][a-zA-Z0-9_]* not starting with "__"`);
    } else if (RESERVED_LABELS.includes(name)) {
      p.error(r.at(key) + '.' + name, `"${name}" is set by Burnrate and cannot be given (reserved: ${RESERVED_LABELS.join(', ')})`);
    }
  }
  return labels;
}

export function readWindow(r: MapReader, key: string, p: Problems): TimeWindow {
  const raw = r.string(key);
  if (raw === undefined) {
    return { type: 'rolling', days: DEFAULT_WINDOW_DAYS };
  }
  if (raw === 'calendar-month' || raw === 'month') {
    return { type: 'calendar', unit: 'month' };
  }
  const secs = parseDuration(raw);
  if (secs === undefined) {
    p.error(r.at(key), `${JSON.stringify(raw)} is not a window: expected a rolling duration in days or weeks ("30d", "28d", "4w") or "calendar-month"`);
    return { type: 'rolling', days: DEFAULT_WINDOW_DAYS };
  }
  if (secs % DAY !== 0) {
    p.error(r.at(key), `${JSON.stringify(raw)} is not a whole number of days: rolling windows are whole days or weeks`);
  } else if (secs <= LONGEST_ALERT_WINDOW) {
    p.error(
      r.at(key),
      `${JSON.stringify(raw)} is too short: the multiwindow burn-rate alerts need a period longer than their longest window (${formatDuration(LONGEST_ALERT_WINDOW)}); use 4d or more (7d, 28d and 30d are common)`
    );
  } else if (secs > MAX_PERIOD_DAYS * DAY) {
    p.error(r.at(key), `${JSON.stringify(raw)} is too long: at most ${MAX_PERIOD_DAYS}d`);
  }
  return { type: 'rolling', days: Math.max(1, Math.round(secs / DAY)) };
}

function readSlo(r: MapReader, service: string, fileLabels: Labels, p: Problems): Slo | undefined {
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(['name', 'description', 'objective', 'window', 'labels', 'groupBy', 'sli', 'exclude', 'alerting', 'policy', 'evaluationInterval']);
  const name = r.string('name', { required: true, pattern: NAME_PATTERN, patternHint: NAME_HINT });
  const description = r.string('description');
  const labels = { ...fileLabels, ...(readLabels(r, 'labels', p) ?? {}) };
  const groupBy = readGroupBy(r, p);
  for (const l of groupBy.filter((g) => g in labels)) {
    // A fixed label would overwrite the group-by label on every series and merge the groups.
    p.error(r.at('groupBy'), `"${l}" is both a group-by label and a fixed label in "labels"; drop one of them`);
  }
  const window = readWindow(r, 'window', p);
  const sli = readSli(r.child('sli', true), p);
  let objective = 0;
  if (sli?.kind === 'cost') {
    if (r.has('objective')) {
      p.error(r.at('objective'), 'cost SLOs have no objective: set sli.cost.target (cost per request) instead');
    }
  } else {
    const raw = typeof r.obj['objective'] === 'string' && r.obj['objective'] !== '' ? Number(r.obj['objective']) : r.obj['objective'];
    if (typeof raw === 'number' && raw > 1 && raw < 100) {
      p.error(r.at('objective'), `${raw} is outside (0,1): objectives are ratios; did you mean ${formatNumber(raw / 100)}?`);
    } else {
      objective = r.number('objective', { required: true, min: 0, max: 1, exclusive: true }) ?? 0;
    }
  }
  const exclude = readExclusions(r, sli, p);
  const alerting = readAlerting(r.child('alerting'), sli?.kind ?? 'ratio', sli, p);
  const policy = readPolicy(r.child('policy'), p);
  const evalRaw = r.string('evaluationInterval');
  let evaluationSeconds = DEFAULT_EVALUATION_SECONDS;
  if (evalRaw !== undefined) {
    const s = parseDuration(evalRaw);
    if (s === undefined || s < 10 || s > 300) {
      p.error(r.at('evaluationInterval'), `${JSON.stringify(evalRaw)} is not usable: expected a duration from 10s to 5m (the shortest window is 5m)`);
    } else {
      evaluationSeconds = s;
    }
  }
  if (sli?.kind === 'timeslice' && evaluationSeconds > sli.sliceSeconds) {
    p.error(r.at('evaluationInterval'), `must not be longer than the slice (${formatDuration(sli.sliceSeconds)})`);
  }
  if (!name || !sli) {
    return undefined;
  }
  return { name, service, description, objective, window, labels, groupBy, sli, exclude, alerting, policy, evaluationSeconds };
}

function readGroupBy(r: MapReader, p: Problems): string[] {
  const list = r.stringList('groupBy') ?? [];
  const seen = new Set<string>();
  list.forEach((l, i) => {
    const path = `${r.at('groupBy')}[${i}]`;
    if (!isLabelName(l) || l.startsWith('__')) {
      p.error(path, `"${l}" is not a valid label name: use [a-zA-Z_][a-zA-Z0-9_]* not starting with "__"`);
    } else if (RESERVED_LABELS.includes(l)) {
      p.error(path, `cannot group by "${l}": Burnrate sets it itself`);
    } else if (seen.has(l)) {
      p.error(path, `"${l}" is listed twice`);
    }
    seen.add(l);
  });
  return list;
}

const SLI_KINDS = ['ratio', 'latency', 'timeslice', 'quality', 'cost', 'raw'];

function readSli(r: MapReader, p: Problems): Sli | undefined {
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
      `${threshold} is not a bucket boundary of ${h.metric} (${buckets ? 'buckets given' : 'OpenTelemetry GenAI buckets'}: ${known.join(', ')}); a classic histogram can only count requests at a boundary: use ${near}`
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

function usesTemplates(sli: Sli): boolean {
  const queries: Array<string | undefined> =
    sli.kind === 'ratio'
      ? [sli.errors, sli.good, sli.total]
      : sli.kind === 'raw'
        ? [sli.errorRatio]
        : sli.kind === 'quality'
          ? sli.components.flatMap((c) => [c.good, c.total])
          : sli.kind === 'cost'
            ? [sli.cost, sli.requests]
            : sli.kind === 'timeslice' && sli.ratio
              ? [sli.ratio.errors, sli.ratio.good, sli.ratio.total]
              : [];
  return sli.source === 'prometheus' && queries.some((q) => q !== undefined && isWindowTemplate(q));
}

function readExclusions(r: MapReader, sli: Sli | undefined, p: Problems): Exclusion[] {
  const items = r.list('exclude') ?? [];
  const out: Exclusion[] = [];
  items.forEach((item, i) => {
    const c = new MapReader(item, `${r.at('exclude')}[${i}]`, p);
    if (!c.ok) {
      return;
    }
    c.allowOnly(['name', 'label', 'values', 'regex']);
    const name = c.string('name', { required: true });
    const label = c.string('label', { required: true });
    const values = c.stringList('values');
    const regex = c.string('regex');
    if (label !== undefined && (!isLabelName(label) || label.startsWith('__'))) {
      p.error(c.at('label'), `"${label}" is not a valid label name: use [a-zA-Z_][a-zA-Z0-9_]* not starting with "__"`);
      return;
    }
    if (label !== undefined && RESERVED_LABELS.includes(label)) {
      p.error(c.at('label'), `cannot exclude on "${label}": Burnrate sets it itself`);
      return;
    }
    if (regex !== undefined) {
      const problem = checkRegex(regex);
      if (problem) {
        p.error(c.at('regex'), problem);
        return;
      }
    }
    if ((values === undefined) === (regex === undefined)) {
      p.error(c.path, 'give either "values" (exact label values) or "regex", not both and not neither');
      return;
    }
    if (values && values.length === 0) {
      p.error(c.at('values'), 'must not be empty');
      return;
    }
    if (name && label) {
      out.push({ name, label, values, regex });
    }
  });
  if (out.length > 0 && sli && (usesTemplates(sli) || sli.kind === 'raw')) {
    p.error(r.at('exclude'), 'exclusions need selector queries (Burnrate adds a label matcher to each); {{.window}} expressions cannot be rewritten');
  }
  return out;
}

/** Prometheus renders alert labels and annotations as Go templates and rejects the whole rule
 * file when one does not parse; catch the common mistake, an action left open or never opened. */
export function checkTemplate(text: string): string | undefined {
  let open = -1;
  for (let i = 0; i < text.length - 1; i++) {
    const two = text.slice(i, i + 2);
    if (two === '{{') {
      if (open >= 0) {
        return `template action opened at column ${open + 1} is not closed before the next "{{" (column ${i + 1})`;
      }
      open = i;
      i++;
    } else if (two === '}}' && open >= 0) {
      open = -1;
      i++;
    }
  }
  return open >= 0 ? `template action opened at column ${open + 1} is never closed with "}}"` : undefined;
}

function readTemplates(r: MapReader, key: string, p: Problems, read: (key: string) => Record<string, string> | undefined): Record<string, string> | undefined {
  const m = read(key);
  for (const [k, v] of Object.entries(m ?? {})) {
    const problem = checkTemplate(v);
    if (problem) {
      p.error(`${r.at(key)}.${k}`, `${problem}: Prometheus would reject the whole rule file`);
    }
  }
  return m;
}

/** RE2 and JavaScript regexes agree on what matters here (balanced groups, valid escapes);
 * RE2's leading flag groups such as (?i) are stripped before the check. */
function checkRegex(regex: string): string | undefined {
  if (regex === '') {
    return 'must not be empty (an empty regex matches only the empty value)';
  }
  try {
    new RegExp(regex.replace(/^\(\?[imsU]+\)/, ''));
    return undefined;
  } catch (e) {
    return `${JSON.stringify(regex)} is not a valid regex: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

function readSeverity(r: MapReader, key: 'page' | 'ticket', base: AlertSeverityOptions, p: Problems): AlertSeverityOptions {
  const c = r.child(key);
  if (!c.ok) {
    return base;
  }
  c.allowOnly(['disabled', 'labels', 'annotations']);
  const labels = { ...base.labels, ...(readTemplates(c, 'labels', p, (k) => readLabels(c, k, p)) ?? {}) };
  const annotations = { ...base.annotations, ...(readTemplates(c, 'annotations', p, (k) => c.stringMap(k)) ?? {}) };
  return { enabled: c.boolean('disabled') === undefined ? base.enabled : !c.boolean('disabled'), labels, annotations };
}

function readAlerting(r: MapReader, kind: Sli['kind'], sli: Sli | undefined, p: Problems) {
  const a = defaultAlerting(kind);
  if (!r.ok) {
    return a;
  }
  r.allowOnly(['name', 'disabled', 'labels', 'annotations', 'minEvents', 'runbookUrl', 'dashboardUrl', 'sloUrl', 'page', 'ticket']);
  a.name = r.string('name', { pattern: ALERT_NAME, patternHint: 'an alert name is [a-zA-Z_][a-zA-Z0-9_]*' }) ?? a.name;
  a.labels = readTemplates(r, 'labels', p, (k) => readLabels(r, k, p)) ?? {};
  a.annotations = readTemplates(r, 'annotations', p, (k) => r.stringMap(k)) ?? {};
  a.minEvents = r.number('minEvents', { min: 0, integer: true }) ?? a.minEvents;
  if (sli?.kind === 'raw' && r.has('minEvents') && a.minEvents > 0) {
    p.error(r.at('minEvents'), 'raw SLIs have no event counts, so a minimum-events guard cannot apply');
  }
  if (sli?.kind === 'raw') {
    a.minEvents = 0;
  }
  a.runbookUrl = r.string('runbookUrl');
  a.dashboardUrl = r.string('dashboardUrl');
  a.sloUrl = r.string('sloUrl');
  a.page = readSeverity(r, 'page', a.page, p);
  a.ticket = readSeverity(r, 'ticket', a.ticket, p);
  if (r.boolean('disabled')) {
    a.page.enabled = false;
    a.ticket.enabled = false;
  }
  return a;
}

function readPolicy(r: MapReader, p: Problems) {
  const policy = defaultPolicy();
  if (!r.ok) {
    return policy;
  }
  r.allowOnly(['freeze', 'caution']);
  const windows = policyWindowNames();
  const readWindowName = (c: MapReader, fallback: string) => {
    const w = c.string('window');
    if (w !== undefined && !windows.includes(w)) {
      p.error(c.at('window'), `unknown window ${JSON.stringify(w)}: expected one of ${windows.join(', ')}`);
      return fallback;
    }
    return w ?? fallback;
  };
  const f = r.child('freeze');
  if (f.ok) {
    f.allowOnly(['budgetRemaining', 'burnRate', 'window']);
    policy.freezeBudgetRemaining = f.number('budgetRemaining', { min: -10, max: 1 }) ?? policy.freezeBudgetRemaining;
    policy.freezeBurnRate = f.number('burnRate', { min: 0, exclusive: true }) ?? policy.freezeBurnRate;
    policy.freezeBurnWindow = readWindowName(f, policy.freezeBurnWindow);
  }
  const c = r.child('caution');
  if (c.ok) {
    c.allowOnly(['burnRate', 'window']);
    policy.cautionBurnRate = c.number('burnRate', { min: 0, exclusive: true }) ?? policy.cautionBurnRate;
    policy.cautionBurnWindow = readWindowName(c, policy.cautionBurnWindow);
  }
  return policy;
}
