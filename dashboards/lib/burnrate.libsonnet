// A small Grafana dashboard library for Burnrate (no grafonnet): variables, targets, panels, a
// row-by-row layout, and the PromQL helpers every Burnrate dashboard shares.
//
// Style: plain `+` string concatenation (jsonnet's `%` formatting is slow in per-item code).
// Every query reads only the public metric contract and the documented series of docs/metrics.md
// (plus ALERTS); tests/dashboards checks that.

local dsRef = { type: 'prometheus', uid: '${datasource}' };

{
  ds:: dsRef,

  // ---------------------------------------------------------------- selectors and PromQL helpers

  // `{a="b", c=~"d"}` from a list of matcher strings.
  sel(matchers):: '{' + std.join(', ', matchers) + '}',

  // `metric{matchers}`.
  series(name, matchers):: name + self.sel(matchers),

  // Legend for one series of a grouped SLO. Group-by labels that a series lacks render empty.
  groupLegend:: '{{route}} {{gen_ai_request_model}}',
  sloLegend:: '{{slo_service}} / {{slo}} {{route}} {{gen_ai_request_model}}',

  // Error ratio over a recorded window divided by the SLO's error budget: a burn rate. Both
  // series carry the same labels (slo, slo_service, SLO labels, group-by labels), so plain
  // one-to-one matching pairs every route with its own budget.
  burnRate(window, matchers)::
    self.series('slo:sli_error:ratio_rate' + window, matchers)
    + ' / ' + self.series('slo:error_budget:ratio', matchers),

  // The period error ratio, whatever the period is called (30d, 28d, 7d, _calendar_month):
  // period burn rate x error budget.
  periodRatio(matchers)::
    self.series('slo:period_burn_rate:ratio', matchers)
    + ' * ' + self.series('slo:error_budget:ratio', matchers),

  // SLI (1 - error ratio) over a window, only for SLOs with an objective (cost SLOs have none).
  sli(window, matchers)::
    '(1 - ' + self.series('slo:sli_error:ratio_rate' + window, matchers) + ') and '
    + self.series('slo:objective:ratio', matchers),

  periodSli(matchers)::
    '(1 - ' + self.periodRatio(matchers) + ') and ' + self.series('slo:objective:ratio', matchers),

  // Events in the SLO period. The period's name is part of the series name
  // (slo:sli_events:increase30d, ..._calendar_month), so this selects it by a name regex that
  // matches only period names (whole days or weeks, or the calendar month).
  periodEventsNameRegex:: 'slo:sli_events:increase([0-9]+[dwy]|_calendar_month)',
  periodEvents(matchers)::
    self.sel(['__name__=~"' + self.periodEventsNameRegex + '"'] + matchers),

  // Events-weighted error ratio over a window for everything the matchers select (several
  // routes, models): summed bad events over summed total events, never an average of ratios.
  pooledRatio(window, matchers)::
    'sum(sum_over_time(' + self.series('slo:sli_error_events:rate5m', matchers) + '[' + window + ']))'
    + ' / (sum(sum_over_time(' + self.series('slo:sli_events:rate5m', matchers) + '[' + window + '])) > 0)',

  // Release state per series, the server's rule (docs/server.md, Release state): a manual freeze
  // (3), then an override (-1, ship), then the policy: 2 freeze, 1 caution, 0 ship. Manual actions
  // come from the Burnrate server's /metrics (burnrate_manual_action_expiry_timestamp_seconds,
  // value: expiry). An action without a route counts for every series of its service; one with a
  // route for that route's series and for series without a route label.
  policyState(matchers)::
    '(2 * ' + self.series('slo:release_freeze:bool', matchers) + ' > 0)'
    + ' or (' + self.series('slo:release_caution:bool', matchers) + ' > 0)'
    + ' or ' + self.series('slo:release_freeze:bool', matchers),
  manualState(kind, value, matchers)::
    local zero(m) = '0 * ' + self.series('slo:release_freeze:bool', m);
    local active(route) = 'burnrate_manual_action_expiry_timestamp_seconds{kind="' + kind + '", ' + route + '} > time()';
    local join(on, m, route) =
      '(' + zero(m) + ' + on (' + on + ') group_left () (0 * max by (' + on + ') (' + active(route) + ') + ' + value + '))';
    join('slo_service', matchers, 'route=""')
    + ' or ' + join('slo_service, route', matchers, 'route!=""')
    + ' or ' + join('slo_service', matchers + ['route=""'], 'route!=""'),
  state(matchers)::
    self.manualState('freeze', '3', matchers) + ' or ' + self.manualState('override', '-1', matchers)
    + ' or ' + self.policyState(matchers),

  // Worst ErrorBudgetBurn alert firing per series: 2 page, 1 ticket (or any other severity),
  // 0 none. ALERTS carries the series' labels plus alertname, alertstate and severity.
  alertLevel(matchers)::
    local firing = ['alertname="ErrorBudgetBurn"', 'alertstate="firing"'];
    '2 * max without (alertname, alertstate, severity) ('
    + self.series('ALERTS', firing + ['severity="page"'] + matchers) + ')'
    + ' or max without (alertname, alertstate, severity) (' + self.series('ALERTS', firing + matchers) + ')'
    + ' or 0 * ' + self.series('slo:period_burn_rate:ratio', matchers),

  // Period length in days as the alert factors use it: slo:time_period:days, except calendar
  // months, whose alerts use 30 days (slo:calendar_month:number exists only for those).
  alertPeriodDays(matchers)::
    '(max(' + self.series('slo:time_period:days', matchers) + ')'
    + ' unless max(' + self.series('slo:calendar_month:number', matchers) + ')'
    + ' or 0 * max(' + self.series('slo:calendar_month:number', matchers) + ') + 30)',

  // Multiwindow, multi-burn-rate scheme (docs/metrics.md): factor = fraction x period / long window.
  // perDay: the factor per day of period (30d: 14.4, 6, 3, 1).
  alertWindows:: [
    { severity: 'page', long: '1h', short: '5m', fraction: 0.02, perDay: '0.48' },
    { severity: 'page', long: '6h', short: '30m', fraction: 0.05, perDay: '0.2' },
    { severity: 'ticket', long: '1d', short: '2h', fraction: 0.1, perDay: '0.1' },
    { severity: 'ticket', long: '3d', short: '6h', fraction: 0.1, perDay: '0.1 / 3' },
  ],
  alertThreshold(w, matchers)::
    w.perDay + ' * ' + self.alertPeriodDays(matchers),

  // ---------------------------------------------------------------- templating

  datasourceVar():: {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    current: {},
    hide: 0,
    refresh: 1,
    regex: '',
    options: [],
  },

  // label_values(metric{matchers}, label)
  labelValues(metric, matchers, label)::
    'label_values(' + metric + (if std.length(matchers) > 0 then self.sel(matchers) else '') + ', ' + label + ')',

  queryVar(name, label, query, multi=false, includeAll=false, current=null):: {
    name: name,
    label: label,
    type: 'query',
    datasource: dsRef,
    // The classic string form: every Grafana version reads it (and migrates it for its editor).
    query: query,
    definition: query,
    refresh: 2,
    sort: 1,
    regex: '',
    hide: 0,
    multi: multi,
    includeAll: includeAll,
    options: [],
    current: if current == null then {} else { selected: true, text: current, value: current },
  } + (if includeAll then { allValue: '.*' } else {}),

  textVar(name, label, value, description=''):: {
    name: name,
    label: label,
    type: 'textbox',
    query: value,
    current: { selected: false, text: value, value: value },
    options: [{ selected: true, text: value, value: value }],
    hide: 0,
    description: description,
  },

  // ---------------------------------------------------------------- targets

  target(expr, legend='', instant=false, table=false):: {
    datasource: dsRef,
    expr: expr,
    legendFormat: legend,
    range: !instant,
    instant: instant,
    format: if table then 'table' else 'time_series',
    editorMode: 'code',
  },

  // ---------------------------------------------------------------- field config pieces

  steps(list):: { mode: 'absolute', steps: list },
  budgetThresholds:: self.steps([
    { color: 'red', value: null },
    { color: 'orange', value: 0 },
    { color: 'yellow', value: 0.25 },
    { color: 'green', value: 0.5 },
  ]),
  burnThresholds:: self.steps([
    { color: 'green', value: null },
    { color: 'orange', value: 1 },
    { color: 'red', value: 2 },
  ]),
  stateMappings:: [{
    type: 'value',
    options: {
      '-1': { text: 'SHIP (override)', color: 'purple', index: 3 },
      '0': { text: 'SHIP', color: 'green', index: 0 },
      '1': { text: 'CAUTION', color: 'orange', index: 1 },
      '2': { text: 'FREEZE', color: 'red', index: 2 },
      '3': { text: 'FREEZE (manual)', color: 'dark-red', index: 4 },
    },
  }],
  alertMappings:: [{
    type: 'value',
    options: {
      '0': { text: 'none', color: 'green', index: 0 },
      '1': { text: 'TICKET', color: 'orange', index: 1 },
      '2': { text: 'PAGE', color: 'red', index: 2 },
    },
  }],
  burnUnit:: 'suffix:×',

  fieldDefaults(unit='', thresholds=null, mappings=[], noValue='No data', decimals=null, min=null, max=null, custom={}):: {
    unit: unit,
    noValue: noValue,
    mappings: mappings,
    thresholds: if thresholds == null then $.steps([{ color: 'green', value: null }]) else thresholds,
    color: { mode: 'thresholds' },
    custom: custom,
  } + (if decimals == null then {} else { decimals: decimals })
    + (if min == null then {} else { min: min })
    + (if max == null then {} else { max: max }),

  // Override for series whose display name matches a regex.
  overrideByRegex(regex, props):: {
    matcher: { id: 'byRegexp', options: regex },
    properties: props,
  },
  overrideByName(name, props):: {
    matcher: { id: 'byName', options: name },
    properties: props,
  },
  // Dashed, fixed-colour line: threshold or objective series.
  referenceLine(color):: [
    { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    { id: 'color', value: { mode: 'fixed', fixedColor: color } },
    { id: 'custom.fillOpacity', value: 0 },
  ],

  // ---------------------------------------------------------------- panels

  local panel(type, title, description, targets, w, h) = {
    type: type,
    title: title,
    description: description,
    datasource: dsRef,
    targets: [targets[i] { refId: std.char(65 + i) } for i in std.range(0, std.length(targets) - 1)],
    gridPos: { w: w, h: h },
  },

  row(title):: { type: 'row', title: title, collapsed: false, panels: [] },

  text(title, content, w=24, h=3):: {
    type: 'text',
    title: title,
    gridPos: { w: w, h: h },
    options: { mode: 'markdown', content: content },
  },

  stat(title, targets, unit='', thresholds=null, mappings=[], description='', w=6, h=4, decimals=null, noValue='No data', colorMode='value', textMode='auto')::
    panel('stat', title, description, targets, w, h) {
      fieldConfig: { defaults: $.fieldDefaults(unit, thresholds, mappings, noValue, decimals), overrides: [] },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: colorMode,
        graphMode: 'none',
        justifyMode: 'auto',
        orientation: 'auto',
        textMode: textMode,
        wideLayout: true,
        showPercentChange: false,
      },
    },

  barGauge(title, targets, unit='', thresholds=null, description='', w=8, h=8, min=null, max=null, decimals=null, noValue='No data')::
    panel('bargauge', title, description, targets, w, h) {
      fieldConfig: { defaults: $.fieldDefaults(unit, thresholds, [], noValue, decimals, min, max), overrides: [] },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        orientation: 'horizontal',
        displayMode: 'basic',
        showUnfilled: true,
        valueMode: 'color',
        namePlacement: 'left',
        sizing: 'auto',
      },
    },

  timeseries(title, targets, unit='', description='', w=12, h=8, overrides=[], thresholds=null, thresholdsStyle='off', min=null, max=null, decimals=null, noValue='No data', drawStyle='line')::
    panel('timeseries', title, description, targets, w, h) {
      fieldConfig: {
        defaults: $.fieldDefaults(unit, thresholds, [], noValue, decimals, min, max, {
          drawStyle: drawStyle,
          lineWidth: 1,
          fillOpacity: 0,
          showPoints: 'never',
          spanNulls: false,
          thresholdsStyle: { mode: thresholdsStyle },
        }) + { color: { mode: 'palette-classic' } },
        overrides: overrides,
      },
      options: {
        legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['lastNotNull'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    },

  stateTimeline(title, targets, mappings, thresholds, description='', w=24, h=6, noValue='No data')::
    panel('state-timeline', title, description, targets, w, h) {
      fieldConfig: { defaults: $.fieldDefaults('', thresholds, mappings, noValue), overrides: [] },
      options: { showValue: 'never', mergeValues: true, rowHeight: 0.8, legend: { showLegend: false } },
    },

  // Instant table from several queries merged on their labels. `columns` is a list of
  // { name, unit, ... } per query (in order); labels become the other columns.
  // Every query is wrapped in `sum without ()`, which keeps each series but drops __name__, so
  // rows from different queries merge on their labels alone.
  table(title, targets, columns, sortBy, description='', w=24, h=10, hide=[], noValue='No data', links=[])::
    panel('table', title, description, [t { expr: 'sum without () (' + t.expr + ')' } for t in targets], w, h) {
      fieldConfig: {
        defaults: $.fieldDefaults('', null, [], noValue) + { custom: { align: 'auto', cellOptions: { type: 'auto' } } },
        overrides: [
          $.overrideByName(c.name, [{ id: 'unit', value: std.get(c, 'unit', '') }]
                                   + (if std.objectHas(c, 'decimals') then [{ id: 'decimals', value: c.decimals }] else [])
                                   + (if std.objectHas(c, 'thresholds') then [{ id: 'thresholds', value: c.thresholds }] else [])
                                   + (if std.objectHas(c, 'mappings') then [{ id: 'mappings', value: c.mappings }] else [])
                                   + (if std.objectHas(c, 'cell') then [{ id: 'custom.cellOptions', value: { type: c.cell } }] else [])
                                   + [{ id: 'noValue', value: std.get(c, 'noValue', '—') }])
          for c in columns
        ] + [
          $.overrideByName(l.field, [{ id: 'links', value: [{ title: l.title, url: l.url }] }])
          for l in links
        ],
      },
      options: {
        showHeader: true,
        cellHeight: 'sm',
        footer: { show: false, reducer: ['sum'], countRows: false, fields: '' },
        sortBy: [{ displayName: sortBy, desc: false }],
      },
      transformations: [
        { id: 'merge', options: {} },
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true, __name__: true } + { [h]: true for h in hide },
            renameByName: {
              ['Value #' + std.char(65 + i)]: columns[i].name
              for i in std.range(0, std.length(columns) - 1)
            },
            indexByName: {},
          },
        },
        { id: 'sortBy', options: { fields: {}, sort: [{ field: sortBy, desc: false }] } },
      ],
    },

  // ---------------------------------------------------------------- layout and dashboard

  // Lays panels out left to right, wrapping at 24 columns; a row panel starts a new line.
  // Assigns ids in order.
  layout(panels)::
    local step(st, p) =
      local w = if p.type == 'row' then 24 else p.gridPos.w;
      local h = if p.type == 'row' then 1 else p.gridPos.h;
      local wrap = p.type == 'row' || st.x + w > 24;
      local y = if wrap && st.x > 0 then st.y + st.rowH else st.y;
      local x = if wrap then 0 else st.x;
      local placed = p { id: std.length(st.out) + 1, gridPos: { x: x, y: y, w: w, h: h } };
      if p.type == 'row' then
        { x: 0, y: y + 1, rowH: 0, out: st.out + [placed] }
      else
        { x: x + w, y: y, rowH: if wrap && st.x > 0 then h else std.max(st.rowH, h), out: st.out + [placed] };
    std.foldl(step, panels, { x: 0, y: 0, rowH: 0, out: [] }).out,

  dashboard(uid, title, description, variables, panels, tags=['burnrate', 'slo'], links=[], time='now-24h'):: {
    uid: uid,
    title: title,
    description: description,
    tags: tags,
    editable: true,
    graphTooltip: 1,
    refresh: '1m',
    schemaVersion: 39,
    version: 1,
    time: { from: time, to: 'now' },
    timepicker: {},
    timezone: 'browser',
    annotations: { list: [] },
    links: links,
    templating: { list: [$.datasourceVar()] + variables },
    panels: $.layout(panels),
  },

  // Link to another shipped dashboard, keeping the time range and variables.
  dashboardLink(title, uid):: {
    title: title,
    type: 'link',
    url: '/d/' + uid,
    keepTime: true,
    includeVars: true,
    icon: 'dashboard',
    targetBlank: false,
    tags: [],
    asDropdown: false,
    tooltip: '',
  },

}
