// OpenSLO alert policies and conditions: which of Burnrate's page and ticket alerts stay on, and
// which conditions are not the multiwindow, multi-burn-rate scheme Burnrate applies.

import { MapReader, Problems } from '../spec/fieldReader';
import { formatDuration, parseDuration } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { alertWindows } from '../rules/burnRateWindows';
import { Finder } from './opensloObjects';

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

export function readAlertPolicies(
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
