// Import of Sloth `prometheus/v1` specs. Each spec becomes one native burnrate/v1 document value
// that the native validator then checks, so that an imported SLO is exactly what the same native
// definition would give. Sloth-specific problems are reported at Sloth's own field paths and lines.
//
// Mapping: service, labels, slos[].name/description/labels as they are; objective is a percentage
// (99.9 -> 0.999); sli.events error_query/total_query -> ratio errors/total (`{{.window}}` rate
// expressions, which Burnrate accepts as they are); sli.raw.error_ratio_query -> raw errorRatio;
// the labels the queries aggregate `by` -> groupBy (Sloth has no group-by: a per-route SLO is
// `sum by (route)` in both queries, and Sloth's rules keep one budget and alert per route); alerting
// name/labels/annotations and page_alert/ticket_alert labels, annotations and `disable`. Sloth's
// default period is 30d, which is Burnrate's default too. SLI plugins and SLO plugins are Go code
// that Burnrate cannot run: they are rejected.

import { SourceDoc } from '../spec/document';
import { MapReader, Problems } from '../spec/fieldReader';
import { Diagnostic, Slo } from '../spec/types';
import { validateNativeDocument } from '../spec/validate';
import { isWindowTemplate } from '../promql/queries';
import { reportedGroupBy } from './queryGrouping';

export interface ImportResult {
  slos: Slo[];
  diagnostics: Diagnostic[];
}

/** Native field path -> source field path. Longest native prefix wins; the rest of the path is kept. */
export type PathMap = Record<string, string>;

function translate(map: PathMap, nativePath: string): string {
  let best: string | undefined;
  for (const k of Object.keys(map)) {
    const matches = k === '' || nativePath === k || nativePath.startsWith(k + '.') || nativePath.startsWith(k + '[');
    if (matches && (best === undefined || k.length > best.length)) {
      best = k;
    }
  }
  if (best === undefined) {
    return nativePath;
  }
  const rest = nativePath.slice(best.length);
  const base = map[best];
  if (rest === '') {
    return base;
  }
  return base === '' ? rest.replace(/^\./, '') : base + rest;
}

/**
 * Validates a native document value built from a foreign source document. Lines and field paths
 * of the native validator's messages are translated back to the source through `map`.
 */
export function validateConverted(
  value: unknown,
  source: SourceDoc,
  map: PathMap,
  file: string | undefined
): ImportResult {
  const doc: SourceDoc = { value, index: source.index, lineOf: (p) => source.lineOf(translate(map, p)) };
  const r = validateNativeDocument(doc, file);
  const diagnostics = r.diagnostics.map((d) => ({
    ...d,
    path: d.path === undefined ? undefined : translate(map, d.path),
  }));
  return { slos: r.slos, diagnostics };
}

const SLOTH_VERSION = 'prometheus/v1';

export function percentToRatio(x: number): number {
  return Number((x / 100).toPrecision(12));
}

/** A required objective given as a percentage (Sloth's objective, Pyrra's target). */
export function readPercent(r: MapReader, key: string, what: string): number | undefined {
  const p = r.problems;
  const pct = r.number(key, { required: true, min: 0, max: 100 });
  if (pct === 0) {
    p.error(r.at(key), 'an objective of 0% is not an SLO: expected a percentage such as 99.9');
  } else if (pct === 100) {
    p.error(r.at(key), '100% leaves no error budget, so burn rates cannot be computed: use a percentage below 100, such as 99.99');
  } else if (pct !== undefined && pct <= 1) {
    p.warn(r.at(key), `${what} are percentages: ${pct} means ${pct}%, not ${pct * 100}%`);
  }
  return pct;
}

/** Imports one Sloth prometheus/v1 document. Any error means no SLOs. */
export function importSloth(source: SourceDoc, file?: string): ImportResult {
  const p = new Problems(source, file);
  const root = new MapReader(source.value, '', p);
  if (!root.ok) {
    return { slos: [], diagnostics: p.list };
  }
  root.allowOnly(['version', 'service', 'labels', 'slos', 'slo_plugins']);
  const version = root.string('version', { required: true });
  if (version !== undefined && version !== SLOTH_VERSION) {
    p.error(
      'version',
      `unsupported Sloth spec version ${JSON.stringify(version)}: Burnrate imports "${SLOTH_VERSION}" (Kubernetes CRDs: take the spec of the PrometheusServiceLevel)`
    );
  }
  if (root.has('slo_plugins')) {
    p.error(
      'slo_plugins',
      'Sloth SLO plugins are Go code that Burnrate cannot run: remove them (Burnrate generates its own rules)'
    );
  }
  const service = root.string('service', { required: true });
  const labels = root.stringMap('labels');
  const items = root.list('slos', { required: true, nonEmpty: true }) ?? [];
  const map: PathMap = { '': '', labels: 'labels', service: 'service', version: 'version' };
  const slos: unknown[] = [];
  items.forEach((item, i) => {
    const at = `slos[${i}]`;
    const r = new MapReader(item, at, p);
    if (!r.ok) {
      return;
    }
    map[at] = at;
    r.allowOnly(['name', 'objective', 'description', 'labels', 'sli', 'alerting', 'plugins']);
    if (r.has('plugins')) {
      p.error(
        r.at('plugins'),
        'Sloth SLO plugins are Go code that Burnrate cannot run: remove them (Burnrate generates its own rules)'
      );
    }
    const name = r.string('name', { required: true });
    const objective = readPercent(r, 'objective', 'Sloth objectives');
    const slo: Record<string, unknown> = {
      name,
      objective: objective === undefined ? undefined : percentToRatio(objective),
    };
    const description = r.string('description');
    if (description !== undefined) {
      slo.description = description;
    }
    const sloLabels = r.stringMap('labels');
    if (sloLabels) {
      slo.labels = sloLabels;
    }
    const sli = readSli(r.child('sli', true), p, map, at, name ?? `slos[${i}]`);
    slo.sli = sli?.value;
    if (sli?.groupBy.length) {
      slo.groupBy = sli.groupBy;
    }
    const alerting = readAlerting(r.child('alerting'), map, at);
    if (alerting) {
      slo.alerting = alerting;
    }
    slos.push(slo);
  });
  if (p.hasErrors) {
    return { slos: [], diagnostics: p.list };
  }
  const value = { version: 'burnrate/v1', service, ...(labels ? { labels } : {}), slos };
  const r = validateConverted(value, source, map, file);
  const diagnostics = [...p.list, ...r.diagnostics];
  return { slos: diagnostics.some((d) => d.severity === 'error') ? [] : r.slos, diagnostics };
}

function readQuery(r: MapReader, key: string, p: Problems): string | undefined {
  const q = r.string(key, { required: true });
  if (q !== undefined && !isWindowTemplate(q)) {
    p.error(
      r.at(key),
      'Sloth queries must use the {{.window}} placeholder for the rate window, e.g. sum(rate(http_requests_total[{{.window}}]))'
    );
    return undefined;
  }
  return q?.trim();
}

interface SliRead {
  value: unknown;
  groupBy: string[];
}

/** The SLI, and the labels its queries keep (errors at the query that disagrees). */
function readSli(r: MapReader, p: Problems, map: PathMap, at: string, slo: string): SliRead | undefined {
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(['events', 'raw', 'plugin']);
  const kinds = ['events', 'raw', 'plugin'].filter((k) => r.has(k));
  if (kinds.length !== 1) {
    p.error(
      r.path,
      kinds.length === 0
        ? 'expected exactly one SLI type: events or raw'
        : `expected exactly one SLI type, got ${kinds.join(' and ')}`
    );
    return undefined;
  }
  if (kinds[0] === 'plugin') {
    const id = r.child('plugin').string('id');
    p.error(
      r.at('plugin'),
      `SLI plugins${id ? ` (here ${JSON.stringify(id)})` : ''} are Go code that Burnrate cannot run: rewrite the SLI as events (error_query and total_query) or raw (error_ratio_query)`
    );
    return undefined;
  }
  const c = r.child(kinds[0], true);
  if (!c.ok) {
    return undefined;
  }
  const keys = kinds[0] === 'events' ? ['error_query', 'total_query'] : ['error_ratio_query'];
  c.allowOnly(keys);
  const queries = keys.map((k) => readQuery(c, k, p));
  map[`${at}.sli`] = r.path;
  const groupBy = queries.every((q) => q !== undefined)
    ? (reportedGroupBy(
        slo,
        keys.map((field, i) => ({ field, query: queries[i]!, path: c.at(field) })),
        p
      ) ?? [])
    : [];
  // The validator's findings on a group-by label point at the query that aggregates by it.
  [`${at}.groupBy`, ...groupBy.map((_, i) => `${at}.groupBy[${i}]`)].forEach((k) => (map[k] = c.at(keys[0])));
  if (kinds[0] === 'events') {
    map[`${at}.sli.ratio`] = c.path;
    map[`${at}.sli.ratio.errors`] = c.at('error_query');
    map[`${at}.sli.ratio.total`] = c.at('total_query');
    return { value: { ratio: { errors: queries[0], total: queries[1] } }, groupBy };
  }
  map[`${at}.sli.raw`] = c.path;
  map[`${at}.sli.raw.errorRatio`] = c.at('error_ratio_query');
  return { value: { raw: { errorRatio: queries[0] } }, groupBy };
}

function readAlerting(r: MapReader, map: PathMap, at: string): Record<string, unknown> | undefined {
  if (!r.ok) {
    return undefined;
  }
  r.allowOnly(['name', 'labels', 'annotations', 'page_alert', 'ticket_alert']);
  map[`${at}.alerting`] = r.path;
  const out: Record<string, unknown> = {};
  const name = r.string('name');
  if (name !== undefined) {
    out.name = name;
  }
  const labels = r.stringMap('labels');
  if (labels) {
    out.labels = labels;
  }
  const annotations = r.stringMap('annotations');
  if (annotations) {
    out.annotations = annotations;
  }
  for (const [key, native] of [
    ['page_alert', 'page'],
    ['ticket_alert', 'ticket'],
  ] as const) {
    const c = r.child(key);
    if (!c.ok) {
      continue;
    }
    c.allowOnly(['disable', 'labels', 'annotations']);
    map[`${at}.alerting.${native}`] = c.path;
    map[`${at}.alerting.${native}.disabled`] = c.at('disable');
    const sev: Record<string, unknown> = {};
    if (c.boolean('disable')) {
      sev.disabled = true;
    }
    const l = c.stringMap('labels');
    if (l) {
      sev.labels = l;
    }
    const a = c.stringMap('annotations');
    if (a) {
      sev.annotations = a;
    }
    out[native] = sev;
  }
  return out;
}
