// `alerting`: the burn-rate alerts' name, labels, annotations, links, minimum events and per-severity
// options. Labels, annotations and links end up in alert rules, where Prometheus parses them as Go
// templates: each is checked as Prometheus will (goTemplate.ts).

import { defaultAlerting } from './defaults';
import { MapReader, Problems } from './fieldReader';
import { checkGoTemplate } from './goTemplate';
import { readLabels } from './names';
import { SIZE_LIMITS } from './sizeLimits';
import { AlertSeverityOptions, Sli } from './types';
import { isLabelName } from '../promql/escape';

const ALERT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const REJECTED = 'Prometheus would reject the whole rule file';

function readTemplate(r: MapReader, key: string, p: Problems): string | undefined {
  const v = r.string(key);
  const problem = v === undefined ? undefined : checkGoTemplate(v);
  if (problem) {
    p.error(r.at(key), `not a valid template: ${problem}; ${REJECTED}`);
  }
  return v;
}

/** Annotation names are label names to Prometheus ("invalid annotation name" otherwise). */
function readAnnotations(r: MapReader, key: string, p: Problems): Record<string, string> | undefined {
  const m = r.stringMap(key, { length: SIZE_LIMITS.annotationValue, why: 'each alert rule carries it' });
  if (m && Object.keys(m).length > SIZE_LIMITS.annotations) {
    p.error(r.at(key), `${Object.keys(m).length} annotations: at most ${SIZE_LIMITS.annotations}`);
  }
  for (const name of Object.keys(m ?? {})) {
    if (!isLabelName(name)) {
      p.error(`${r.at(key)}.${name}`, `"${name}" is not a valid annotation name: use [a-zA-Z_][a-zA-Z0-9_]*`);
    }
  }
  return m;
}

function readTemplates(r: MapReader, key: string, p: Problems, read: (key: string) => Record<string, string> | undefined): Record<string, string> | undefined {
  const m = read(key);
  for (const [k, v] of Object.entries(m ?? {})) {
    const problem = checkGoTemplate(v);
    if (problem) {
      p.error(`${r.at(key)}.${k}`, `not a valid template: ${problem}; ${REJECTED}`);
    }
  }
  return m;
}

function readSeverity(r: MapReader, key: 'page' | 'ticket', base: AlertSeverityOptions, p: Problems): AlertSeverityOptions {
  const c = r.child(key);
  if (!c.ok) {
    return base;
  }
  c.allowOnly(['disabled', 'labels', 'annotations']);
  const labels = { ...base.labels, ...(readTemplates(c, 'labels', p, (k) => readLabels(c, k, p)) ?? {}) };
  const annotations = { ...base.annotations, ...(readTemplates(c, 'annotations', p, (k) => readAnnotations(c, k, p)) ?? {}) };
  return { enabled: c.boolean('disabled') === undefined ? base.enabled : !c.boolean('disabled'), labels, annotations };
}

export function readAlerting(r: MapReader, kind: Sli['kind'], sli: Sli | undefined, p: Problems) {
  const a = defaultAlerting(kind);
  if (!r.ok) {
    return a;
  }
  r.allowOnly(['name', 'disabled', 'labels', 'annotations', 'minEvents', 'runbookUrl', 'dashboardUrl', 'sloUrl', 'page', 'ticket']);
  a.name = r.string('name', { pattern: ALERT_NAME, patternHint: 'an alert name is [a-zA-Z_][a-zA-Z0-9_]*' }) ?? a.name;
  a.labels = readTemplates(r, 'labels', p, (k) => readLabels(r, k, p)) ?? {};
  a.annotations = readTemplates(r, 'annotations', p, (k) => readAnnotations(r, k, p)) ?? {};
  a.minEvents = r.number('minEvents', { min: 0, integer: true }) ?? a.minEvents;
  if (sli?.kind === 'raw' && r.has('minEvents') && a.minEvents > 0) {
    p.error(r.at('minEvents'), 'raw SLIs have no event counts, so a minimum-events guard cannot apply');
  }
  if (sli?.kind === 'raw') {
    a.minEvents = 0;
  }
  // The links become annotations, which Prometheus parses as templates too.
  a.runbookUrl = readTemplate(r, 'runbookUrl', p);
  a.dashboardUrl = readTemplate(r, 'dashboardUrl', p);
  a.sloUrl = readTemplate(r, 'sloUrl', p);
  a.page = readSeverity(r, 'page', a.page, p);
  a.ticket = readSeverity(r, 'ticket', a.ticket, p);
  if (r.boolean('disabled')) {
    a.page.enabled = false;
    a.ticket.enabled = false;
  }
  return a;
}
