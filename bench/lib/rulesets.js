// The two rule sets for the same SLOs: Burnrate's (generateRules) and a Sloth-style baseline
// written by a small generator that follows Sloth's own output (tests/fixtures/anchors/sloth/_gen/,
// mapping in bench/README.md).
'use strict';
const { stringify } = require('yaml');
const { loadText } = require('../../build/core/load');
const { generateRules } = require('../../build/core/rules/generate');
const { renderRuleFile } = require('../../build/core/rules/render');
const { withRawInputs } = require('../../build/core/rules/rawExprs');
const { METRIC, appName } = require('./traffic');

const OBJECTIVE = 0.99;
const SLOS_PER_SERVICE = 10;

function serviceOf(i) {
  return `svc-${Math.floor(i / SLOS_PER_SERVICE)}`;
}

/** One dataset SLO: chat availability of app-i per route, 99% over 30d. */
function sloDef(i) {
  return {
    name: `slo-${i}`,
    objective: OBJECTIVE,
    window: '30d',
    groupBy: ['route'],
    sli: {
      ratio: {
        errors: `${METRIC}{service_name="${appName(i)}", error_type!=""}`,
        total: `${METRIC}{service_name="${appName(i)}"}`,
      },
    },
  };
}

/** Native definitions of SLOs [0, n), grouped by service (10 SLOs per service). */
function nativeDocs(n) {
  const byService = new Map();
  for (let i = 0; i < n; i++) {
    const s = serviceOf(i);
    if (!byService.has(s)) {
      byService.set(s, []);
    }
    byService.get(s).push(sloDef(i));
  }
  return [...byService].map(([service, slos]) => ({ version: 'burnrate/v1', service, slos }));
}

function loadSlos(n) {
  const slos = [];
  for (const doc of nativeDocs(n)) {
    const r = loadText(stringify(doc), `${doc.service}.yaml`);
    if (r.diagnostics.some((d) => d.severity !== 'warning')) {
      throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    }
    slos.push(...r.slos);
  }
  return slos;
}

/** Burnrate's Prometheus rule groups for SLOs [0, n). */
function burnrateGroups(n) {
  return generateRules(loadSlos(n)).prometheus;
}

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
const ALERTS = [
  {
    severity: 'page',
    pairs: [
      ['5m', '1h', 14.4],
      ['30m', '6h', 6],
    ],
  },
  {
    severity: 'ticket',
    pairs: [
      ['2h', '1d', 3],
      ['6h', '3d', 1],
    ],
  },
];

/**
 * Sloth-style groups (what `sloth generate` writes for a prometheus/v1 SLO whose queries are
 * `sum by (route) (rate(...[{{.window}}]))`), one set of three groups per SLO. Sloth sets no group
 * interval: the global evaluation_interval (1m here, the same as Burnrate's) applies.
 */
function slothGroups(n) {
  const groups = [];
  for (let i = 0; i < n; i++) {
    const service = serviceOf(i);
    const slo = `slo-${i}`;
    const id = `${service}-${slo}`;
    const base = { sloth_id: id, sloth_service: service, sloth_slo: slo };
    const sel = `{sloth_id="${id}", sloth_service="${service}", sloth_slo="${slo}"}`;
    const errQ = (w) => `sum by (route) (rate(${METRIC}{service_name="${appName(i)}", error_type!=""}[${w}]))`;
    const totQ = (w) => `sum by (route) (rate(${METRIC}{service_name="${appName(i)}"}[${w}]))`;
    const budget = 1 - OBJECTIVE;
    const sli = WINDOWS.map((w) => ({
      record: 'slo:sli_error:ratio_rate' + w,
      expr: `(${errQ(w)})\n/\n(${totQ(w)})\n`,
      labels: { ...base, sloth_window: w },
    }));
    sli.push({
      record: 'slo:sli_error:ratio_rate30d',
      expr:
        `sum_over_time(slo:sli_error:ratio_rate5m${sel}[30d])\n` +
        `/ ignoring (sloth_window)\n` +
        `count_over_time(slo:sli_error:ratio_rate5m${sel}[30d])\n`,
      labels: { ...base, sloth_window: '30d' },
    });
    const meta = [
      { record: 'slo:objective:ratio', expr: `vector(${OBJECTIVE})`, labels: base },
      { record: 'slo:error_budget:ratio', expr: `vector(1-${OBJECTIVE})`, labels: base },
      { record: 'slo:time_period:days', expr: 'vector(30)', labels: base },
      {
        record: 'slo:current_burn_rate:ratio',
        expr: `slo:sli_error:ratio_rate5m${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}\n`,
        labels: base,
      },
      {
        record: 'slo:period_burn_rate:ratio',
        expr: `slo:sli_error:ratio_rate30d${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}\n`,
        labels: base,
      },
      { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${sel}`, labels: base },
      {
        record: 'sloth_slo_info',
        expr: 'vector(1)',
        labels: {
          ...base,
          sloth_mode: 'cli-gen-prom',
          sloth_objective: String(OBJECTIVE * 100),
          sloth_spec: 'prometheus/v1',
          sloth_version: 'bench',
        },
      },
    ];
    const alerts = ALERTS.map((a) => ({
      alert: 'ErrorBudgetBurn',
      expr:
        a.pairs
          .map(
            ([s, l, f]) =>
              `(\n    max(slo:sli_error:ratio_rate${s}${sel} > (${f} * ${budget})) without (sloth_window)\n    and\n` +
              `    max(slo:sli_error:ratio_rate${l}${sel} > (${f} * ${budget})) without (sloth_window)\n)`
          )
          .join('\nor\n') + '\n',
      labels: { severity: a.severity, sloth_severity: a.severity },
      annotations: {
        summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
        title: `(${a.severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
      },
    }));
    groups.push(
      { name: `sloth-slo-sli-recordings-${id}`, rules: sli },
      { name: `sloth-slo-meta-recordings-${id}`, rules: meta },
      { name: `sloth-slo-alerts-${id}`, rules: alerts }
    );
  }
  return groups;
}

function renderSloth(groups) {
  return (
    '# Sloth-style baseline written by bench/lib/rulesets.js (see bench/README.md).\n' +
    stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false })
  );
}

/**
 * Rules that read only raw series, for `promtool tsdb create-blocks-from rules` (which evaluates
 * each rule against the raw data and cannot chain recorded series):
 *   sloth5m:    Sloth's slo:sli_error:ratio_rate5m (input of its 30d window)
 *   burnrate5m: Burnrate's slo:sli_error_events:rate5m and slo:sli_events:rate5m (inputs of 30m..6h)
 *   burnrate1h: Burnrate's hourly rollups (inputs of 1d, 3d and 30d)
 */
function baseRuleFiles(burnrate, sloth) {
  const pick = (groups, names, interval) =>
    groups
      .map((g) => ({
        name: g.name,
        interval: interval ?? g.interval,
        // From raw data only: the bad-events rate reads the recorded total live.
        rules: withRawInputs(g.rules.filter((r) => names.includes(r.record))),
      }))
      .filter((g) => g.rules.length > 0);
  return {
    sloth5m: stringify(
      { groups: pick(sloth, ['slo:sli_error:ratio_rate5m'], '1m') },
      { lineWidth: 0, aliasDuplicateObjects: false }
    ),
    burnrate5m: stringify(
      { groups: pick(burnrate, ['slo:sli_error_events:rate5m', 'slo:sli_events:rate5m']) },
      { lineWidth: 0, aliasDuplicateObjects: false }
    ),
    burnrate1h: stringify(
      { groups: pick(burnrate, ['slo:sli_error_events:increase1h', 'slo:sli_events:increase1h']) },
      { lineWidth: 0, aliasDuplicateObjects: false }
    ),
  };
}

module.exports = {
  burnrateGroups,
  slothGroups,
  renderSloth,
  renderRuleFile,
  baseRuleFiles,
  nativeDocs,
  sloDef,
  serviceOf,
  loadSlos,
  OBJECTIVE,
  SLOS_PER_SERVICE,
  withRawInputs,
};
