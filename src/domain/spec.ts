// The editor's model: the SLO as the API carries it (native fields plus service), edited as a
// plain object and validated on every change by core's validator, the same code the server runs.

import { validateSloObject } from '../core/spec/sloObject';
import { Diagnostic, Slo } from '../core/spec/types';
import { sloRuleGroups } from '../core/rules/ruleGroups';
import { renderRuleFile } from '../core/rules/render';
import { alertWindows, periodSeconds } from '../core/rules/burnRateWindows';
import { SpecValue } from './templates';

export interface Validation {
  slo?: Slo;
  diagnostics: Diagnostic[];
  /** Messages by field path (`objective`, `sli.latency.threshold`, ...). */
  byPath: Map<string, string[]>;
}

/** Drops empty text fields, so that an optional field left blank is absent, not "". */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(compact);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
        continue;
      }
      out[k] = compact(v);
    }
    return out;
  }
  return value;
}

export function validateSpec(spec: SpecValue): Validation {
  const value = compact(spec);
  const r = validateSloObject(value);
  const byPath = new Map<string, string[]>();
  for (const d of r.diagnostics) {
    const p = d.path ?? '';
    byPath.set(p, [...(byPath.get(p) ?? []), d.message]);
  }
  return { slo: r.slo, diagnostics: r.diagnostics, byPath };
}

/** Messages for a field: its own path, and the paths below it (`sli.ratio` gets `sli.ratio.total`). */
export function messagesFor(v: Validation, ...fieldPaths: string[]): string[] {
  const paths = fieldPaths.map(diagnosticPath);
  const out: string[] = [];
  for (const [p, msgs] of v.byPath) {
    if (paths.some((path) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`))) {
      out.push(...msgs.map((m) => (p === paths[0] || paths.includes(p) ? m : `${p}: ${m}`)));
    }
  }
  return out;
}

/** Form paths use `.0.` for list items; diagnostics use `[0]`. */
export function diagnosticPath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** Diagnostics whose path no field of the form shows. */
export function unplacedMessages(v: Validation, shownPaths: string[]): Diagnostic[] {
  return v.diagnostics.filter(
    (d) =>
      !d.path || !shownPaths.some((p) => d.path === p || d.path!.startsWith(`${p}.`) || d.path!.startsWith(`${p}[`))
  );
}

/** The Prometheus rule file the server would deliver for this SLO. */
export function renderRules(slo: Slo): { prometheus: string; loki?: string } {
  const g = sloRuleGroups(slo);
  return { prometheus: renderRuleFile(g.prometheus), loki: g.loki.length ? renderRuleFile(g.loki) : undefined };
}

export function sliKind(spec: SpecValue): string {
  const sli = spec.sli && typeof spec.sli === 'object' ? Object.keys(spec.sli) : [];
  return sli[0] ?? 'ratio';
}

/** Sets a value at a dotted path, copying along the way (immutably). */
export function setPath(spec: SpecValue, path: string, value: unknown): SpecValue {
  const keys = path.split('.');
  const root: SpecValue = { ...spec };
  let cur: any = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    cur[k] = cur[k] && typeof cur[k] === 'object' ? (Array.isArray(cur[k]) ? [...cur[k]] : { ...cur[k] }) : {};
    cur = cur[k];
  }
  cur[keys[keys.length - 1]] = value;
  return root;
}

export function getPath(spec: SpecValue, path: string): any {
  return path.split('.').reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), spec);
}

/** "1,000 failed requests per 30 days at today's traffic", from events per day. */
export function budgetInWords(slo: Slo, eventsPerDay: number | undefined): string {
  const days = periodSeconds(slo.window) / 86400;
  const period = slo.window.type === 'calendar' ? 'calendar month' : `${days} days`;
  if (slo.sli.kind === 'cost') {
    return `Average cost per request at or under ${slo.sli.target} ${slo.sli.currency}; burn rate 1x means spending exactly the target.`;
  }
  if (slo.sli.kind === 'timeslice') {
    const slices = (periodSeconds(slo.window) / slo.sli.sliceSeconds) * (1 - slo.objective);
    return `${Math.floor(slices).toLocaleString('en-US')} bad ${slo.sli.sliceSeconds / 60}-minute slices per ${period} (${pct(1 - slo.objective)} of them).`;
  }
  const unit =
    slo.sli.kind === 'quality' ? 'failed samples' : slo.sli.kind === 'latency' ? 'slow requests' : 'failed requests';
  if (eventsPerDay === undefined || !Number.isFinite(eventsPerDay) || slo.sli.kind === 'raw') {
    return `${pct(1 - slo.objective)} of events may be bad per ${period}${slo.sli.kind === 'raw' ? '' : ' (no traffic seen yet to count them)'}.`;
  }
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const perDay = eventsPerDay * (1 - slo.objective);
  const events = slo.sli.kind === 'quality' ? 'samples' : 'requests';
  const may = slo.sli.kind === 'latency' ? 'may be slow' : 'may fail';
  return `At today's traffic, ${n(perDay)} of ${n(eventsPerDay)} ${events} a day ${may} (${pct(1 - slo.objective)}): ${n(perDay * days)} ${unit} per ${period}.`;
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}

/** The alert thresholds in words, for the alerting section; a switched-off severity says so. */
export function alertSummary(slo: Slo): string[] {
  const lines = alertWindows(slo.window).map((w) => {
    if (!slo.alerting[w.severity].enabled) {
      return `${w.severity}: off (no ${w.severity} alert is generated)`;
    }
    const long = w.longSeconds >= 86400 ? `${w.longSeconds / 86400}d` : `${w.longSeconds / 3600}h`;
    return `${w.severity}: burn rate above ${Number(w.factor.toPrecision(3))}x over ${long} (spends ${pct(w.budgetShare)} of the budget)`;
  });
  return [...new Set(lines)];
}
