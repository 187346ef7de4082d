// Import of Pyrra `pyrra.dev/v1alpha1` ServiceLevelObjective resources. Each resource becomes one
// native burnrate/v1 document value that the native validator then checks; Pyrra-specific problems
// are reported at Pyrra's own field paths and lines.
//
// Mapping (docs/spec.md has the table): metadata.namespace -> service ("default" when absent, as
// Kubernetes does), metadata.name -> name, spec.target (a percentage) -> objective, spec.window
// (a Prometheus duration) -> window in whole days, spec.description as is, the indicator and its
// grouping (pyrraIndicator.ts), `pyrra.dev/`-prefixed labels -> SLO labels and `pyrra.dev/`
// annotations -> alert annotations (Pyrra copies only those into its rules), alerting.name as is,
// alerting.disabled or burnrates: false -> no burn-rate alerts. Pyrra's critical/warning alert
// severities are kept as the page/ticket `severity` labels so that Alertmanager routes still match.
// What Burnrate does not generate (SLOMetricAbsent alerts, Thanos partial_response_strategy) is a
// warning that names it.

import { SourceDoc } from '../spec/document';
import { MapReader, Problems } from '../spec/fieldReader';
import { ImportResult, PathMap, percentToRatio, readPercent, validateConverted } from './sloth';
import { promDurationSeconds, readPyrraIndicator } from './pyrraIndicator';

export const PYRRA_API_VERSION = 'pyrra.dev/v1alpha1';
export const PYRRA_KIND = 'ServiceLevelObjective';
const PREFIX = 'pyrra.dev/';
/** Kubernetes' own bookkeeping in metadata: nothing an SLO means. */
const K8S_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'finalizers',
  'ownerReferences',
  'generateName',
];

/** `pyrra.dev/x` entries as `x`; the rest are named in one warning (Pyrra leaves them out of its rules). */
function prefixed(r: MapReader, key: string, what: string, ignore: RegExp): Record<string, string> | undefined {
  const m = r.stringMap(key);
  if (!m) {
    return undefined;
  }
  const out: Record<string, string> = {};
  const left: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    if (k.startsWith(PREFIX)) {
      out[k.slice(PREFIX.length)] = v;
    } else if (!ignore.test(k)) {
      left.push(k);
    }
  }
  if (left.length) {
    r.problems.warn(
      r.at(key),
      `${left.length === 1 ? key.replace(/s$/, '') : key} ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} not imported: Pyrra copies only ${PREFIX} ${key} into its rules (${what})`
    );
  }
  return Object.keys(out).length ? out : undefined;
}

function readWindow(spec: MapReader): string | undefined {
  const text = spec.string('window', { required: true });
  if (text === undefined) {
    return undefined;
  }
  const s = promDurationSeconds(text);
  if (s === undefined) {
    spec.problems.error(spec.at('window'), `${JSON.stringify(text)} is not a duration such as 28d or 4w`);
    return undefined;
  }
  if (s % 86400 !== 0) {
    spec.problems.error(
      spec.at('window'),
      `${JSON.stringify(text)} is not a whole number of days: Burnrate's SLO periods are whole days (4d to 400d)`
    );
    return undefined;
  }
  return `${s / 86400}d`;
}

function readAlerting(r: MapReader, map: PathMap, specPath: string): Record<string, unknown> {
  const p = r.problems;
  const out: Record<string, unknown> = {
    page: { labels: { severity: 'critical' } },
    ticket: { labels: { severity: 'warning' } },
  };
  if (r.ok) {
    r.allowOnly(['disabled', 'burnrates', 'absent', 'name', 'absentName']);
    map['slos[0].alerting'] = r.path;
    const name = r.string('name');
    if (name !== undefined) {
      out.name = name;
      map['slos[0].alerting.name'] = r.at('name');
    }
    if (r.boolean('disabled') === true || r.boolean('burnrates') === false) {
      out.disabled = true;
    }
  }
  // Pyrra's default is on: only `absent: false` means there is nothing to leave out.
  if (!r.ok || r.boolean('absent') !== false) {
    const absentName = r.ok ? r.string('absentName') : undefined;
    p.warn(
      r.ok ? (r.has('absent') ? r.at('absent') : r.path) : specPath,
      `Pyrra's absent-metric alerts (${absentName ?? 'SLOMetricAbsent'}; alerting.absent, on by default) are not generated: Burnrate has no such alert, and its status and gate report "no data" for groups without events; set alerting.absent: false to import without this warning`
    );
  }
  return out;
}

/** Lists of resources, as `kubectl get slo -o yaml` writes them. */
const LIST_KINDS = ['List', `${PYRRA_KIND}List`];

/** Whether a document is a Kubernetes list whose first item is a Pyrra resource. */
export function isPyrraList(v: Record<string, unknown>): boolean {
  const first = Array.isArray(v.items) ? (v.items[0] as Record<string, unknown> | undefined) : undefined;
  return LIST_KINDS.includes(v.kind as string) && typeof first?.apiVersion === 'string' && first.apiVersion.startsWith('pyrra.dev/');
}

/**
 * Imports one Pyrra document: a ServiceLevelObjective, or a list of them (`kind: List` or
 * `ServiceLevelObjectiveList`, each item read at `items[i]`). Any error means no SLOs.
 */
export function importPyrra(source: SourceDoc, file?: string): ImportResult {
  const v = source.value as Record<string, unknown>;
  if (typeof v === 'object' && v !== null && LIST_KINDS.includes(v.kind as string) && Array.isArray(v.items)) {
    const p = new Problems(source, file);
    new MapReader(v, '', p).allowOnly(['apiVersion', 'kind', 'metadata', 'items']);
    const results = v.items.map((item, i) => importResource(item, `items[${i}]`, source, file));
    const diagnostics = [...p.list, ...results.flatMap((r) => r.diagnostics)];
    return { slos: diagnostics.some((d) => d.severity === 'error') ? [] : results.flatMap((r) => r.slos), diagnostics };
  }
  return importResource(source.value, '', source, file);
}

function importResource(value: unknown, path: string, source: SourceDoc, file?: string): ImportResult {
  const p = new Problems(source, file);
  const root = new MapReader(value, path, p);
  if (!root.ok) {
    return { slos: [], diagnostics: p.list };
  }
  root.allowOnly(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const apiVersion = root.string('apiVersion', { required: true });
  if (apiVersion !== undefined && apiVersion !== PYRRA_API_VERSION) {
    p.error(root.at('apiVersion'), `unsupported Pyrra apiVersion ${JSON.stringify(apiVersion)}: Burnrate imports "${PYRRA_API_VERSION}"`);
  }
  const kind = root.string('kind', { required: true });
  if (kind !== undefined && kind !== PYRRA_KIND) {
    p.error(root.at('kind'), `unknown Pyrra kind ${JSON.stringify(kind)}: Burnrate imports kind ${PYRRA_KIND} (one resource per document, or a List of them)`);
  }
  if (p.hasErrors) {
    return { slos: [], diagnostics: p.list };
  }
  const meta = root.child('metadata', true);
  const map: PathMap = { '': path, service: meta.path, slos: root.at('spec'), 'slos[0]': root.at('spec'), 'slos[0].name': meta.at('name') };
  const slo: Record<string, unknown> = {};
  let service = 'default';
  let alertAnnotations: Record<string, string> | undefined;
  if (meta.ok) {
    meta.allowOnly(['name', 'namespace', 'labels', 'annotations', ...K8S_METADATA]);
    slo.name = meta.string('name', { required: true });
    const ns = meta.string('namespace');
    if (ns === undefined) {
      p.warn(meta.path, 'no metadata.namespace: imported into service "default" (Burnrate\'s service is the namespace, and Kubernetes puts a resource without one in "default")');
    } else {
      service = ns;
      map.service = meta.at('namespace');
    }
    const labels = prefixed(meta, 'labels', 'the others select the resource, e.g. for the Prometheus Operator', /^$/);
    if (labels) {
      slo.labels = labels;
      map['slos[0].labels'] = meta.at('labels');
    }
    alertAnnotations = prefixed(meta, 'annotations', 'as alert annotations', /^kubectl\.kubernetes\.io\//);
    if (alertAnnotations) {
      map['slos[0].alerting.annotations'] = meta.at('annotations');
    }
  }
  const spec = root.child('spec', true);
  if (spec.ok) {
    spec.allowOnly(['description', 'target', 'window', 'indicator', 'alerting', 'partial_response_strategy']);
    const description = spec.string('description');
    if (description) {
      slo.description = description;
    }
    const target = readPercent(spec, 'target', 'Pyrra targets');
    slo.objective = target === undefined ? undefined : percentToRatio(target);
    map['slos[0].objective'] = spec.at('target');
    slo.window = readWindow(spec);
    map['slos[0].window'] = spec.at('window');
    const strategy = spec.string('partial_response_strategy');
    if (strategy) {
      p.warn(
        spec.at('partial_response_strategy'),
        `partial_response_strategy ${JSON.stringify(strategy)} is not imported: it is a Thanos Ruler setting of the rule group; set it on the groups Burnrate generates if they run in Thanos Ruler`
      );
    }
    const ind = readPyrraIndicator(spec.child('indicator', true));
    if (ind) {
      slo.sli = ind.sli;
      if (ind.groupBy.length) {
        slo.groupBy = ind.groupBy;
      }
      Object.assign(map, ind.map);
    }
    slo.alerting = { ...readAlerting(spec.child('alerting'), map, spec.path), ...(alertAnnotations ? { annotations: alertAnnotations } : {}) };
  }
  if (p.hasErrors) {
    return { slos: [], diagnostics: p.list };
  }
  const r = validateConverted({ version: 'burnrate/v1', service, slos: [slo] }, source, map, file);
  const diagnostics = [...p.list, ...r.diagnostics];
  return { slos: diagnostics.some((d) => d.severity === 'error') ? [] : r.slos, diagnostics };
}
