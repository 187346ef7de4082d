// The OpenSLO SLO object: name, labels, objective, time window; its indicator and alert policies
// are read by opensloSli.ts and opensloAlerting.ts.

import { MapReader, Problems } from '../spec/fieldReader';
import { DAY, parseDuration } from '../spec/duration';
import { RESERVED_LABELS } from '../spec/defaults';
import { isLabelName } from '../promql/escape';
import { PathMap } from './sloth';
import { Finder, GROUP_BY_ANNOTATION, join, Obj } from './opensloObjects';
import { Indicator, readIndicatorSpec } from './opensloSli';
import { readAlertPolicies } from './opensloAlerting';
import { isComposite, readComposite } from './opensloComposite';

export function convertSlo(o: Obj, find: Finder, slos: Obj[] = []): { value: unknown; map: PathMap } | undefined {
  const p = o.p;
  const r = new MapReader(o.value, o.path, p);
  r.allowOnly(['apiVersion', 'kind', 'metadata', 'spec']);
  const meta = r.child('metadata', true);
  meta.allowOnly(['name', 'displayName', 'labels', 'annotations']);
  const name = meta.string('name');
  const sloName = name ?? meta.at('name');
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
  const composite = isComposite(objectives) ? readComposite(spec, service, o, slos) : undefined;
  if (isComposite(objectives)) {
    if (method !== 'Occurrences') {
      p.error(spec.at('budgetingMethod'), 'a composite SLO combines events: it needs budgetingMethod Occurrences');
    }
    for (const k of ['indicator', 'indicatorRef']) {
      if (spec.has(k)) {
        p.error(spec.at(k), `a composite SLO's indicators are on its objectives: remove spec.${k}`);
      }
    }
  }
  let objective: number | undefined;
  let op: string | undefined;
  let value: number | undefined;
  let sliceTarget: number | undefined;
  let sliceWindow: string | undefined;
  if (objectives.length > 0 && !isComposite(objectives)) {
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
  if (isComposite(objectives)) {
    if (composite) {
      ind = { sli: composite.sli, map: {} };
      objective = composite.objective;
      Object.assign(map, composite.map);
      const groupBy = annotations[GROUP_BY_ANNOTATION];
      if (groupBy) {
        ind.groupBy = groupBy.split(',').map((x) => x.trim()).filter((x) => x !== '');
        map['slos[0].groupBy'] = meta.at('annotations');
      }
    }
  } else if (hasInline === spec.has('indicatorRef')) {
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
      ind = readIndicatorSpec(c.child('spec', true), sloName, method, { op, value, sliceTarget }, find);
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
      ind = readIndicatorSpec(tr.child('spec', true), sloName, method, { op, value, sliceTarget }, find);
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
