// Reading the shipped dashboards: their queries, variables and the names PromQL refers to.

import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parser } from '@prometheus-io/lezer-promql';

export const ROOT = join(__dirname, '..', '..');
export const DASHBOARD_DIR = join(ROOT, 'dashboards');

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Dashboard = any;
export type Panel = any;

export interface ShippedDashboard {
  file: string;
  json: Dashboard;
}

export function shippedDashboards(): ShippedDashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) }));
}

export function allPanels(d: Dashboard): Panel[] {
  const out: Panel[] = [];
  for (const p of d.panels ?? []) {
    out.push(p);
    for (const inner of p.panels ?? []) {
      out.push(inner);
    }
  }
  return out;
}

export interface Query {
  where: string;
  /** PromQL as written in the dashboard (with $variables). */
  expr: string;
  kind: 'panel' | 'variable';
  legendFormat?: string;
  instant?: boolean;
  panel?: Panel;
}

const LABEL_VALUES = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/s;

/** Every PromQL query: panel targets, and the selector inside each label_values() variable. */
export function queries(d: Dashboard): Query[] {
  const out: Query[] = [];
  for (const p of allPanels(d)) {
    for (const t of p.targets ?? []) {
      out.push({
        where: `panel "${p.title}" ${t.refId}`,
        expr: t.expr,
        kind: 'panel',
        legendFormat: t.legendFormat,
        instant: t.instant,
        panel: p,
      });
    }
  }
  for (const v of d.templating?.list ?? []) {
    if (v.type !== 'query') {
      continue;
    }
    const text: string = typeof v.query === 'string' ? v.query : v.query.query;
    const m = LABEL_VALUES.exec(text);
    if (!m) {
      throw new Error(`variable ${v.name}: expected label_values(selector, label), got ${text}`);
    }
    out.push({ where: `variable ${v.name}`, expr: m[1], kind: 'variable' });
    out.push({ where: `variable ${v.name} (label)`, expr: `x{${m[2]}=""}`, kind: 'variable' });
  }
  return out;
}

export const BUILTIN_VARIABLES = new Set([
  '__interval',
  '__interval_ms',
  '__rate_interval',
  '__range',
  '__range_s',
  '__range_ms',
  '__from',
  '__to',
  '__dashboard',
  '__org',
  '__user',
  '__data',
  '__url_time_range',
  '__timeFilter',
  '__name',
]);

const VARIABLE_REF =
  /\$(?:\{([A-Za-z0-9_.]+)(?::[A-Za-z]+)?\}|([A-Za-z0-9_]+))|\[\[([A-Za-z0-9_]+)(?::[A-Za-z]+)?\]\]/g;

/** Names of the $variables a text uses (`$x`, `${x}`, `${x:fmt}`, `[[x]]`); `${__data.fields.x}` gives `__data`. */
export function variableRefs(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(VARIABLE_REF)) {
    names.push((m[1] ?? m[2] ?? m[3]).split('.')[0]);
  }
  return names;
}

/** Replaces every variable with a value: durations for the interval ones, `values` for the others. */
export function substitute(expr: string, values: Record<string, string> = {}): string {
  return expr.replace(VARIABLE_REF, (_all, a, b, c) => {
    const name = (a ?? b ?? c) as string;
    if (name.startsWith('__')) {
      return '5m';
    }
    return values[name] ?? 'x';
  });
}

export interface Names {
  errors: string[];
  metrics: string[];
  labels: string[];
  /** Values of `__name__` matchers, with their operator: `=~regex`. */
  nameMatchers: string[];
}

/** Parses with the lezer PromQL grammar Grafana's editor uses; collects metric and label names. */
export function promqlNames(expr: string): Names {
  const text = substitute(expr);
  const tree = parser.parse(text);
  const out: Names = { errors: [], metrics: [], labels: [], nameMatchers: [] };
  tree.iterate({
    enter(node) {
      const slice = text.slice(node.from, node.to);
      if (node.type.isError) {
        out.errors.push(`syntax error at ${node.from}: ${JSON.stringify(text.slice(node.from, node.from + 20))}`);
      } else if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        out.metrics.push(slice);
      } else if (node.name === 'LabelName') {
        out.labels.push(slice);
        const matcher = node.node.parent;
        if (slice === '__name__' && matcher) {
          const op = matcher.getChild('MatchOp');
          const value = matcher.getChild('StringLiteral');
          if (op && value) {
            out.nameMatchers.push(text.slice(op.from, op.to) + JSON.parse(text.slice(value.from, value.to)));
          }
        }
      }
      return undefined;
    },
  });
  return out;
}

/**
 * Series names documented in docs/metrics.md: exact names, and patterns for `<period>`-style
 * placeholders. `_rate30m`-style shorthands in a table cell extend the cell's first name.
 */
export function documentedSeries(): { exact: Set<string>; patterns: RegExp[] } {
  const doc = readFileSync(join(ROOT, 'docs', 'metrics.md'), 'utf8');
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const line of doc.split('\n')) {
    if (!line.startsWith('| `')) {
      continue;
    }
    const cell = line.split('|')[1];
    let prefix = '';
    for (const m of cell.matchAll(/`([^`]+)`/g)) {
      let name = m[1];
      if (name.startsWith('slo:')) {
        prefix = name.replace(/_[a-z]+[0-9]*[a-z]*$/, '');
      } else if (name.startsWith('burnrate_')) {
        // The series the server itself exports (manual freezes and overrides).
      } else if (name.startsWith('_') && prefix) {
        name = prefix + name;
      } else {
        continue;
      }
      if (name.includes('<')) {
        const source = name
          .split(/<[^>]+>/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[A-Za-z0-9_]+');
        patterns.push(new RegExp(`^${source}$`));
      } else {
        exact.add(name);
      }
    }
  }
  return { exact, patterns };
}
