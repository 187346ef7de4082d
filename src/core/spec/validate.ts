// Reads native Burnrate documents (`version: burnrate/v1`) into validated Slo objects: the document
// and each SLO's own fields here; the SLI, exclusions, alerting and policy in their readers. Every
// problem is reported with file, line, field path and what was expected; a document with any error
// yields no SLOs at all, so that nothing half-valid is ever stored or generated.

import { readAlerting } from './alertingReader';
import { DAY, formatDuration, parseDuration } from './duration';
import { DEFAULT_EVALUATION_SECONDS, DEFAULT_WINDOW_DAYS, RESERVED_LABELS, SPEC_VERSION } from './defaults';
import { SourceDoc } from './document';
import { readExclusions } from './exclusions';
import { MapReader, Problems } from './fieldReader';
import { NAME_HINT, NAME_PATTERN, readLabels } from './names';
import { formatNumber } from './numbers';
import { checkQualityPolicy, readPolicy } from './policyReader';
import { SIZE_LIMITS } from './sizeLimits';
import { readSli } from './sliReader';
import { Diagnostic, Labels, Slo, TimeWindow } from './types';
import { isLabelName } from '../promql/escape';
import { LONGEST_ALERT_WINDOW } from '../rules/burnRateWindows';

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

function readWindow(r: MapReader, key: string, p: Problems): TimeWindow {
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
  // slo and slo_service are on every series too.
  const perSeries = Object.keys(labels).length + groupBy.length + 2;
  if (perSeries > SIZE_LIMITS.labelsPerSeries) {
    p.error(r.at('labels'), `every series would carry ${perSeries} labels (these, the group-by labels, slo and slo_service): at most ${SIZE_LIMITS.labelsPerSeries} (Mimir's default limit)`);
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
      if (formatNumber(objective) === '1') {
        p.error(r.at('objective'), `${objective} would be recorded as 1 (rules keep 12 significant digits), leaving no error budget: at most 0.999999999999`);
      }
    }
  }
  const exclude = readExclusions(r, sli, p);
  const alerting = readAlerting(r.child('alerting'), sli?.kind ?? 'ratio', sli, p);
  const policy = readPolicy(r.child('policy'), p);
  checkQualityPolicy(r.child('policy'), sli?.kind, policy, p);
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
