// The shipped dashboards (dashboards/*.json, built from dashboards/src/*.jsonnet with the jsonnet
// CLI): they build, match their sources, query only the metric contract, and their variables resolve.

import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  allPanels,
  BUILTIN_VARIABLES,
  DASHBOARD_DIR,
  documentedSeries,
  promqlNames,
  queries,
  ROOT,
  shippedDashboards,
  variableRefs,
} from './dashboardQueries';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildAll } = require('../../scripts/build-dashboards.js');

const JSONNET = process.env.JSONNET ?? 'jsonnet';

/** The uid of each shipped dashboard: links, bookmarks and provisioning depend on them. */
const STABLE_UIDS: Record<string, string> = {
  'slo-overview.json': 'burnrate-slo-overview',
  'slo-detail.json': 'burnrate-slo-detail',
  'llm-service.json': 'burnrate-llm-service',
};

/** Labels a dashboard query may name: the contract's, the example group-by labels, and ALERTS'. */
const ALLOWED_LABELS = new Set([
  'slo',
  'slo_service',
  'route',
  'gen_ai_request_model',
  'team',
  'alertname',
  'alertstate',
  'severity',
  // burnrate_manual_action_expiry_timestamp_seconds: freeze or override (docs/metrics.md).
  'kind',
  '__name__',
]);

/** `__name__` regexes allowed, with names they must and must not match. */
const NAME_REGEXES: Record<string, { match: string[]; reject: string[] }> = {
  'slo:sli_events:increase([0-9]+[dwy]|_calendar_month)': {
    match: [
      'slo:sli_events:increase30d',
      'slo:sli_events:increase28d',
      'slo:sli_events:increase7d',
      'slo:sli_events:increase_calendar_month',
    ],
    reject: [
      'slo:sli_events:increase1h',
      'slo:sli_events:increase1m',
      'slo:sli_events:increase_month_to_date',
      'slo:sli_events:rate5m',
    ],
  },
};

const dashboards = shippedDashboards();
const documented = documentedSeries();

function isDocumented(name: string): boolean {
  return name === 'ALERTS' || documented.exact.has(name) || documented.patterns.some((p) => p.test(name));
}

describe('build', () => {
  test('the jsonnet CLI is installed', () => {
    expect(() => execFileSync(JSONNET, ['--version'], { stdio: 'pipe' })).not.toThrow();
  });

  test('the committed JSON is what the jsonnet sources build', () => {
    const built: Array<{ target: string; text: string }> = buildAll();
    expect(built.map((b) => b.target.slice(DASHBOARD_DIR.length + 1)).sort()).toEqual(dashboards.map((d) => d.file));
    for (const b of built) {
      expect({ file: b.target, text: readFileSync(b.target, 'utf8') }).toEqual({ file: b.target, text: b.text });
    }
  });

  test('the mixin exposes the same dashboards', () => {
    const out = execFileSync(
      JSONNET,
      ['-e', `(import '${join(DASHBOARD_DIR, 'mixin.libsonnet')}').grafanaDashboards`],
      {
        encoding: 'utf8',
      }
    );
    const mixin = JSON.parse(out);
    expect(Object.keys(mixin).sort()).toEqual(dashboards.map((d) => `burnrate-${d.file}`).sort());
    for (const d of dashboards) {
      expect(mixin[`burnrate-${d.file}`]).toEqual(d.json);
    }
  });

  test('the mixin takes a config (uid prefix, LLM service)', () => {
    const out = execFileSync(
      JSONNET,
      [
        '-e',
        `((import '${join(DASHBOARD_DIR, 'mixin.libsonnet')}') + { _config+:: { uidPrefix: 'acme-', llm+: { service: 'bot' } } }).grafanaDashboards`,
      ],
      { encoding: 'utf8' }
    );
    const mixin = JSON.parse(out);
    expect(mixin['burnrate-llm-service.json'].uid).toBe('acme-llm-service');
    const service = mixin['burnrate-llm-service.json'].templating.list.find(
      (v: { name: string }) => v.name === 'service'
    );
    expect(service.current.value).toBe('bot');
  });
});

describe('plugin', () => {
  test('plugin.json includes every shipped dashboard, and src/dashboards leads to them', () => {
    const plugin = JSON.parse(readFileSync(join(ROOT, 'plugin.json'), 'utf8'));
    const included = plugin.includes
      .filter((i: { type: string }) => i.type === 'dashboard')
      .map((i: { path: string }) => i.path);
    expect(included.sort()).toEqual(dashboards.map((d) => `dashboards/${d.file}`).sort());
    for (const d of dashboards) {
      // The scaffold's webpack config copies src/**/*.json into dist/.
      expect(JSON.parse(readFileSync(join(ROOT, 'src', 'dashboards', d.file), 'utf8'))).toEqual(d.json);
    }
  });

  test('uids are unique and stable', () => {
    const uids = Object.fromEntries(dashboards.map((d) => [d.file, d.json.uid]));
    expect(uids).toEqual(STABLE_UIDS);
    expect(new Set(Object.values(uids)).size).toBe(dashboards.length);
  });
});

describe.each(dashboards.map((d) => [d.file, d.json]))('%s', (_file, d) => {
  const defined = new Set<string>((d.templating?.list ?? []).map((v: { name: string }) => v.name));
  const qs = queries(d);

  test('has a prometheus datasource variable used by every panel and variable', () => {
    const ds = d.templating.list.find((v: { name: string }) => v.name === 'datasource');
    expect(ds).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const p of allPanels(d).filter((p) => p.type !== 'row' && p.type !== 'text')) {
      expect({ panel: p.title, ds: p.datasource }).toEqual({
        panel: p.title,
        ds: { type: 'prometheus', uid: '${datasource}' },
      });
      for (const t of p.targets) {
        expect(t.datasource.uid).toBe('${datasource}');
      }
    }
    for (const v of d.templating.list.filter((v: { type: string }) => v.type === 'query')) {
      expect(v.datasource.uid).toBe('${datasource}');
    }
  });

  test('every query parses as PromQL', () => {
    const bad = qs
      .map((q) => ({ where: q.where, errors: promqlNames(q.expr).errors }))
      .filter((r) => r.errors.length > 0);
    expect(bad).toEqual([]);
  });

  test('queries name only contract and documented series, and ALERTS', () => {
    const unknown: string[] = [];
    for (const q of qs.filter((q) => q.kind === 'panel' || !q.where.endsWith('(label)'))) {
      const names = promqlNames(q.expr);
      for (const m of names.metrics) {
        if (!isDocumented(m)) {
          unknown.push(`${q.where}: ${m}`);
        }
      }
      for (const nm of names.nameMatchers) {
        const rule = nm.startsWith('=~') ? NAME_REGEXES[nm.slice(2)] : undefined;
        if (nm.startsWith('=') && !nm.startsWith('=~')) {
          if (!isDocumented(nm.slice(1))) {
            unknown.push(`${q.where}: __name__${nm}`);
          }
          continue;
        }
        if (!rule) {
          unknown.push(`${q.where}: __name__${nm} (not an allowed name regex)`);
          continue;
        }
        const re = new RegExp(`^(?:${nm.slice(2)})$`);
        expect(rule.match.filter((n) => !re.test(n) || !isDocumented(n))).toEqual([]);
        expect(rule.reject.filter((n) => re.test(n))).toEqual([]);
      }
      if (names.metrics.length === 0 && names.nameMatchers.length === 0 && q.kind === 'panel') {
        unknown.push(`${q.where}: selects no series`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test('queries use only contract labels', () => {
    const bad: string[] = [];
    for (const q of qs) {
      for (const l of promqlNames(q.expr).labels) {
        if (!ALLOWED_LABELS.has(l)) {
          bad.push(`${q.where}: ${l}`);
        }
      }
      for (const m of (q.legendFormat ?? '').matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
        if (!ALLOWED_LABELS.has(m[1])) {
          bad.push(`${q.where} legend: ${m[1]}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  test('every $variable is defined in the templating', () => {
    const texts: Array<[string, string]> = [];
    for (const p of allPanels(d)) {
      texts.push([`panel ${p.id} title`, p.title ?? '']);
      for (const t of p.targets ?? []) {
        texts.push(
          [`panel "${p.title}" ${t.refId}`, t.expr],
          [`panel "${p.title}" ${t.refId} legend`, t.legendFormat ?? '']
        );
      }
      for (const o of p.fieldConfig?.overrides ?? []) {
        for (const prop of o.properties) {
          if (prop.id === 'links') {
            for (const l of prop.value) {
              texts.push([`panel "${p.title}" link`, l.url]);
            }
          }
        }
      }
    }
    for (const v of d.templating.list) {
      texts.push([`variable ${v.name}`, typeof v.query === 'string' ? v.query : (v.query?.query ?? '')]);
    }
    const undefinedRefs = texts.flatMap(([where, text]) =>
      variableRefs(text)
        .filter((n) => !defined.has(n) && !BUILTIN_VARIABLES.has(n))
        .map((n) => `${where}: $${n}`)
    );
    expect(undefinedRefs).toEqual([]);
  });

  test('variables refer only to variables defined before them', () => {
    const seen = new Set<string>();
    for (const v of d.templating.list) {
      const text = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      for (const n of variableRefs(text)) {
        expect({ variable: v.name, uses: n, defined: seen.has(n) }).toEqual({
          variable: v.name,
          uses: n,
          defined: true,
        });
      }
      seen.add(v.name);
    }
  });

  test('multi-value variables match series without the label when "All" is chosen', () => {
    for (const v of d.templating.list.filter((v: { includeAll?: boolean }) => v.includeAll)) {
      expect({ name: v.name, allValue: v.allValue }).toEqual({ name: v.name, allValue: '.*' });
    }
  });

  test('every panel shows "No data" (or its own text) instead of NaN when series are missing', () => {
    for (const p of allPanels(d).filter((p) => p.type !== 'row' && p.type !== 'text')) {
      expect({ panel: p.title, noValue: typeof p.fieldConfig.defaults.noValue }).toEqual({
        panel: p.title,
        noValue: 'string',
      });
    }
  });

  test('never averages ratios', () => {
    for (const q of qs) {
      expect({ where: q.where, avg: /\bavg(_over_time)?\s*(\(|by|without)/.test(q.expr) }).toEqual({
        where: q.where,
        avg: false,
      });
    }
  });

  test('series-per-group queries of graph panels name their group in the legend', () => {
    for (const q of qs.filter((q) => q.kind === 'panel' && q.panel.type !== 'table')) {
      if (q.panel.type === 'timeseries') {
        expect({ where: q.where, legend: (q.legendFormat ?? '') !== '' }).toEqual({ where: q.where, legend: true });
      }
      // Aggregated to one series (max(...), sum(...), thresholds): no group to name.
      const aggregatedToOne = /^\s*(\d[\d. /*]*\*\s*)?\(?\s*(max|min|sum|count|1 - \(sum)\s*\(/.test(q.expr);
      if (!aggregatedToOne && /slo:|ALERTS/.test(q.expr) && !/\b(by|without)\b/.test(q.expr.split('(')[0])) {
        expect({
          where: q.where,
          legend: /\{\{(route|slo|slo_service|team|severity)\}\}/.test(q.legendFormat ?? ''),
        }).toEqual({
          where: q.where,
          legend: true,
        });
      }
    }
  });

  test('table columns are named for every query', () => {
    for (const p of allPanels(d).filter((p) => p.type === 'table')) {
      const organize = p.transformations.find((t: { id: string }) => t.id === 'organize');
      const renamed = Object.keys(organize.options.renameByName).filter((k) => k.startsWith('Value #'));
      expect({ panel: p.title, columns: renamed.length }).toEqual({ panel: p.title, columns: p.targets.length });
      for (const t of p.targets) {
        expect({ panel: p.title, refId: t.refId, instant: t.instant, format: t.format }).toEqual({
          panel: p.title,
          refId: t.refId,
          instant: true,
          format: 'table',
        });
      }
    }
  });

  test('panels have unique ids and do not overlap', () => {
    const panels = allPanels(d);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (let i = 0; i < panels.length; i++) {
      const a = panels[i].gridPos;
      expect(a.x + a.w).toBeLessThanOrEqual(24);
      for (let j = i + 1; j < panels.length; j++) {
        const b = panels[j].gridPos;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect({ a: panels[i].title, b: panels[j].title, overlap }).toEqual({
          a: panels[i].title,
          b: panels[j].title,
          overlap: false,
        });
      }
    }
  });
});
