// Burnrate's dashboards as functions of a config, shared by dashboards/src/*.jsonnet (the JSON the
// plugin ships) and dashboards/mixin.libsonnet (dashboards as code).

local b = import 'burnrate.libsonnet';

local defaults = {
  uidPrefix: 'burnrate-',
  tags: ['burnrate', 'slo'],
  llm: {
    service: 'llm-gateway',
    availabilitySlo: 'chat-availability',
    ttftSlo: 'chat-ttft',
    slicesSlo: 'chat-ttft-p95-slices',
    // A regex: every quality SLO of the service.
    qualitySlo: 'answer-quality|judge-verdicts-loki',
    costSlo: 'cost-per-request',
    tpotSlo: 'chat-tokens-per-second',
    responseSlo: 'batch-response-time',
    hardChecksSlo: 'answer-hard-checks',
    implicitSlo: 'answer-implicit-feedback',
    // The minimum agreement between the judge and human reviewers (the SLO's agreement.minimum).
    agreementMinimum: 0.8,
  },
};

local uids(c) = {
  overview: c.uidPrefix + 'slo-overview',
  detail: c.uidPrefix + 'slo-detail',
  llm: c.uidPrefix + 'llm-service',
};

local links(c) = [
  b.dashboardLink('SLO overview', uids(c).overview),
  b.dashboardLink('SLO detail', uids(c).detail),
  b.dashboardLink('LLM service', uids(c).llm),
];

// The per-SLO table: one row per SLO and group (route, model), worst budget first.
local sloTable(title, m, detailUid, description, h=10) =
  b.table(
    title,
    [
      b.target(b.series('slo:period_error_budget_remaining:ratio', m), instant=true, table=true),
      b.target(b.series('slo:period_burn_rate:ratio', m), instant=true, table=true),
      b.target(b.series('slo:current_burn_rate:ratio', m), instant=true, table=true),
      b.target(b.state(m), instant=true, table=true),
      b.target(b.alertLevel(m), instant=true, table=true),
      b.target(b.series('slo:time_period:days', m), instant=true, table=true),
    ],
    [
      { name: 'Budget remaining', unit: 'percentunit', decimals: 1, thresholds: b.budgetThresholds, cell: 'color-background' },
      { name: 'Period burn rate', unit: b.burnUnit, decimals: 2, thresholds: b.burnThresholds, cell: 'color-text' },
      { name: 'Current burn rate (5m)', unit: b.burnUnit, decimals: 2, thresholds: b.burnThresholds, cell: 'color-text', noValue: 'no traffic' },
      { name: 'State', mappings: b.stateMappings, cell: 'color-background' },
      { name: 'Burn alert', mappings: b.alertMappings, cell: 'color-text' },
      { name: 'Period (days)', decimals: 0 },
    ],
    'Budget remaining',
    description=description,
    h=h,
    links=[{
      field: 'slo',
      title: 'SLO detail',
      url: '/d/' + detailUid + '?var-service=${__data.fields.slo_service}&var-slo=${__data.fields.slo}&var-route=${__data.fields.route}&${datasource:queryparam}&${__url_time_range}',
    }],
  );

// Burn-rate time series over alert windows, with the alert thresholds for the SLO's period.
local burnPanel(title, windows, m, thresholdM, legend, description, w=12, h=9) =
  b.timeseries(
    title,
    [b.target(b.burnRate(win, m), legend + ' ' + win) for win in windows]
    + [
      b.target(b.alertThreshold(aw, thresholdM), aw.severity + ' threshold (' + aw.long + ' and ' + aw.short + ')')
      for aw in b.alertWindows
      if std.member(windows, aw.long)
    ],
    unit=b.burnUnit,
    description=description,
    w=w,
    h=h,
    decimals=2,
    min=0,
    overrides=[b.overrideByRegex('.*threshold.*', b.referenceLine('red'))],
  );

{
  defaults:: defaults,

  // ------------------------------------------------------------------------------ SLO overview
  overview(config={}):: (
    local c = defaults + config;
    local m = ['slo_service=~"$service"', 'team=~"$team"'];
    b.dashboard(
      uids(c).overview,
      'Burnrate / SLO overview',
      'Every SLO, worst error budget first, by service and team: budget remaining, burn rates, release state and firing burn-rate alerts.',
      [
        b.queryVar('service', 'Service', b.labelValues('slo:error_budget:ratio', [], 'slo_service'), multi=true, includeAll=true),
        b.queryVar('team', 'Team', b.labelValues('slo:error_budget:ratio', ['slo_service=~"$service"'], 'team'), multi=true, includeAll=true),
      ],
      [
        b.row('Now'),
        b.stat('SLOs', [b.target('count(count by (slo_service, slo) (' + b.series('slo:error_budget:ratio', m) + '))')],
               description='SLOs with data in the selected services and teams.', w=4),
        b.stat('Frozen', [b.target('count((' + b.state(m) + ') >= 2)')],
               thresholds=b.steps([{ color: 'green', value: null }, { color: 'red', value: 1 }]), noValue='0', w=4,
               description='SLO routes whose release state is freeze: a manual freeze (from the Burnrate server\'s /metrics), or the error budget policy (slo:release_freeze:bool) unless an override is in force.'),
        b.stat('Caution', [b.target('count((' + b.series('slo:release_caution:bool', m) + ' == 1) unless (' + b.series('slo:release_freeze:bool', m) + ' == 1))')],
               thresholds=b.steps([{ color: 'green', value: null }, { color: 'orange', value: 1 }]), noValue='0', w=4,
               description='SLO routes on pace to run out of budget before the period resets, and not frozen (slo:release_caution:bool).'),
        b.stat('Burn-rate alerts firing', [b.target('count by (severity) (' + b.series('ALERTS', ['alertname="ErrorBudgetBurn"', 'alertstate="firing"'] + m) + ')', '{{severity}}')],
               thresholds=b.steps([{ color: 'green', value: null }, { color: 'red', value: 1 }]), noValue='0', w=6),
        b.stat('Worst budget remaining', [b.target('min(' + b.series('slo:period_error_budget_remaining:ratio', m) + ')')],
               unit='percentunit', thresholds=b.budgetThresholds, decimals=1, w=6),
        sloTable('All SLOs, worst first', m, uids(c).detail,
                 'One row per SLO and group (route, model). State: FREEZE when the policy freezes releases, CAUTION on a slow burn, else SHIP. Click an SLO for its detail dashboard.',
                 h=12),
        b.row('By service and team'),
        b.barGauge('Worst budget remaining by service', [b.target('min by (slo_service) (' + b.series('slo:period_error_budget_remaining:ratio', m) + ')', '{{slo_service}}')],
                   unit='percentunit', thresholds=b.budgetThresholds, min=-1, max=1, decimals=1,
                   description='The lowest budget left of any SLO route in each service (a minimum, never an average of ratios).'),
        b.barGauge('Worst budget remaining by team', [b.target('min by (team) (' + b.series('slo:period_error_budget_remaining:ratio', m) + ')', '{{team}}')],
                   unit='percentunit', thresholds=b.budgetThresholds, min=-1, max=1, decimals=1,
                   description='The lowest budget left of any SLO route per team (the SLO label `team`; SLOs without it show under an empty name).'),
        b.barGauge('Frozen SLO routes by team', [b.target('sum by (team) ((' + b.state(m) + ') >= bool 2)', '{{team}}')],
                   thresholds=b.steps([{ color: 'green', value: null }, { color: 'red', value: 1 }]), min=0, decimals=0),
        b.row('Over time'),
        b.timeseries('Budget remaining, worst 10', [b.target('bottomk(10, ' + b.series('slo:period_error_budget_remaining:ratio', m) + ')', b.sloLegend)],
                     unit='percentunit', decimals=1, thresholds=b.budgetThresholds, thresholdsStyle='line',
                     description='The ten SLO routes with the least budget left at each point in time.'),
        b.timeseries('Period burn rate, worst 10', [b.target('topk(10, ' + b.series('slo:period_burn_rate:ratio', m) + ')', b.sloLegend)],
                     unit=b.burnUnit, decimals=2, min=0, thresholds=b.burnThresholds, thresholdsStyle='line',
                     description='Above 1 the budget runs out before the period ends.'),
        b.table('Firing burn-rate alerts', [b.target(b.series('ALERTS', ['alertname="ErrorBudgetBurn"', 'alertstate="firing"'] + m), instant=true, table=true)],
                [{ name: 'Value', noValue: '' }], 'severity', hide=['Value', 'alertname', 'alertstate'], noValue='No burn-rate alerts firing', h=6),
      ],
      tags=c.tags,
      links=links(c),
    )
  ),

  // ------------------------------------------------------------------------------ SLO detail
  detail(config={}):: (
    local c = defaults + config;
    local one = ['slo_service="$service"', 'slo="$slo"'];
    local m = one + ['route=~"$route"'];
    local L = b.groupLegend;
    b.dashboard(
      uids(c).detail,
      'Burnrate / SLO detail',
      'One SLO per route: SLI against the objective, budget burndown, burn-rate windows with their alert thresholds, alerts and traffic.',
      [
        b.queryVar('service', 'Service', b.labelValues('slo:error_budget:ratio', [], 'slo_service')),
        b.queryVar('slo', 'SLO', b.labelValues('slo:error_budget:ratio', ['slo_service="$service"'], 'slo')),
        b.queryVar('route', 'Route', b.labelValues('slo:error_budget:ratio', one, 'route'), multi=true, includeAll=true),
      ],
      [
        b.row('Status'),
        b.stat('Budget remaining', [b.target(b.series('slo:period_error_budget_remaining:ratio', m), L)],
               unit='percentunit', thresholds=b.budgetThresholds, decimals=1, w=6, h=5, colorMode='background'),
        b.stat('Release state', [b.target(b.state(m), L)], mappings=b.stateMappings, w=6, h=5, colorMode='background',
               description='FREEZE (manual): a manual freeze is in force (burnrate_manual_action_expiry_timestamp_seconds, exported by the Burnrate server). SHIP (override): an override is in force. FREEZE: the policy freezes releases (slo:release_freeze:bool). CAUTION: burning faster than the policy allows over its caution window (slo:release_caution:bool). Else SHIP. The reason and who set a freeze: the SLO page in the Burnrate app.'),
        b.stat('Period burn rate', [b.target(b.series('slo:period_burn_rate:ratio', m), L)],
               unit=b.burnUnit, thresholds=b.burnThresholds, decimals=2, w=4, h=5),
        b.stat('Current burn rate (5m)', [b.target(b.series('slo:current_burn_rate:ratio', m), L)],
               unit=b.burnUnit, thresholds=b.burnThresholds, decimals=2, w=4, h=5, noValue='No traffic in 5m'),
        b.stat('Objective and period', [
          b.target('max(' + b.series('slo:objective:ratio', one) + ')', 'objective'),
          b.target('max(' + b.series('slo:time_period:days', one) + ')', 'period (days)'),
        ], w=4, h=5, description='Cost SLOs have no objective: their budget is the target cost per request.')
        + { fieldConfig+: { overrides: [b.overrideByName('objective', [{ id: 'unit', value: 'percentunit' }, { id: 'decimals', value: 2 }])] } },
        b.row('SLI and budget'),
        b.timeseries('SLI against the objective', [
          b.target(b.sli('1h', m), L + ' SLI (1h)'),
          b.target(b.periodSli(m), L + ' SLI (period)'),
          b.target('max(' + b.series('slo:objective:ratio', one) + ')', 'objective'),
        ], unit='percentunit', decimals=3,
           description='1 - error ratio, per route. Not shown for cost SLOs (see the burn rates instead).',
           overrides=[b.overrideByName('objective', b.referenceLine('red'))]),
        b.timeseries('Error budget remaining (burndown)', [b.target(b.series('slo:period_error_budget_remaining:ratio', m), L)],
                     unit='percentunit', decimals=1, thresholds=b.budgetThresholds, thresholdsStyle='line',
                     description='1 - period burn rate; below 0 when the budget is overspent.'),
        b.row('Burn-rate windows'),
        burnPanel('Fast burn (page): 1h and 5m, 6h and 30m', ['5m', '30m', '1h', '6h'], m, one, L,
                  'Error ratio / error budget over the page windows. The dashed lines are the page thresholds for this SLO\'s period (14.4 and 6 for 30 days).'),
        burnPanel('Slow burn (ticket): 1d and 2h, 3d and 6h', ['2h', '6h', '1d', '3d'], m, one, L,
                  'Error ratio / error budget over the ticket windows. The dashed lines are the ticket thresholds for this SLO\'s period (3 and 1 for 30 days). 1d and 3d are brought up to now every 3 minutes.'),
        b.table('Burn rate by window, now',
                [b.target(b.burnRate(win, m), instant=true, table=true) for win in ['5m', '30m', '1h', '2h', '6h', '1d', '3d']]
                + [b.target(b.series('slo:period_burn_rate:ratio', m), instant=true, table=true)],
                [{ name: win, unit: b.burnUnit, decimals: 2, thresholds: b.burnThresholds, cell: 'color-text' } for win in ['5m', '30m', '1h', '2h', '6h', '1d', '3d']]
                + [{ name: 'period', unit: b.burnUnit, decimals: 2, thresholds: b.burnThresholds, cell: 'color-text' }],
                'route', hide=['slo', 'slo_service', 'team'], h=7),
        b.row('Sampling (quality SLOs)'),
        b.timeseries('Sampled pass ratio over 1d, with its 95% interval', [
          b.target('1 - ' + b.series('slo:sli_error:ratio_rate1d', m), L + ' pass (1d)'),
          b.target('1 - ' + b.series('slo:sli_error_upper:ratio_rate1d', m), L + ' lower bound'),
          b.target('1 - ' + b.series('slo:sli_error_lower:ratio_rate1d', m), L + ' upper bound'),
          b.target('max(' + b.series('slo:objective:ratio', one) + ')', 'objective'),
        ], unit='percentunit', decimals=1, w=12, noValue='Not a quality SLO: no sampled series',
           description='Quality SLOs only: the pass ratio of the sampled verdicts over the last day, and its Wilson 95% interval from the effective sample size (weights counted). Where the interval straddles the objective, the samples cannot tell.',
           overrides=[b.overrideByName('objective', b.referenceLine('red'))]),
        b.table('Samples and judge, now',
                [b.target(b.series('slo:sli_samples:effective1d', m), instant=true, table=true),
                 b.target(b.series('slo:sli_samples:needed1d', m), instant=true, table=true),
                 b.target(b.series('slo:sli_samples_insufficient:bool', m), instant=true, table=true),
                 b.target(b.series('slo:judge_untrusted:bool', m), instant=true, table=true)],
                [{ name: 'effective samples (1d)', decimals: 0 }, { name: 'needed', decimals: 0 },
                 { name: 'not enough samples', mappings: [{ type: 'value', options: { '0': { text: 'enough' }, '1': { text: 'NOT ENOUGH', color: 'orange' } } }] },
                 { name: 'judge', mappings: [{ type: 'value', options: { '0': { text: 'trusted' }, '1': { text: 'NOT TRUSTED', color: 'red' } } }] }],
                'route', hide=['slo', 'slo_service', 'team'], w=12, h=8, noValue='Not a quality SLO: no sampled series',
                description='Effective samples over the last day, the samples needed to tell the pass ratio from the objective, and the judge\'s agreement with people against its minimum.'),
        b.row('Alerts'),
        b.table('Burn-rate alerts', [b.target(b.series('ALERTS', ['alertname="ErrorBudgetBurn"'] + m), instant=true, table=true)],
                [{ name: 'Value', noValue: '' }], 'severity', hide=['Value', 'alertname'], noValue='No burn-rate alerts pending or firing', w=12, h=7),
        b.stateTimeline('Alert history', [
          b.target('max without (alertname, alertstate, slo, slo_service, team) (' + b.series('ALERTS', ['alertname="ErrorBudgetBurn"', 'alertstate="firing"'] + m) + ')', '{{severity}} ' + L),
        ], [{ type: 'value', options: { '1': { text: 'firing', color: 'red', index: 0 } } }],
           b.steps([{ color: 'red', value: null }]), w=12, h=7, noValue='No burn-rate alerts fired in this time range'),
        b.row('Traffic'),
        b.timeseries('Event rate', [
          b.target(b.series('slo:sli_events:rate5m', m), L + ' total'),
          b.target(b.series('slo:sli_error_events:rate5m', m), L + ' bad'),
        ], unit='short', description='Events per second over 5m (for timeslice SLOs: slices with traffic; for cost SLOs: requests, and spend per second as "bad").', w=12),
        b.timeseries('Excluded events', [b.target(b.series('slo:sli_excluded_events:rate5m', m), L + ' excluded')],
                     unit='short', noValue='No excluded events (the SLO has no exclude rule, or none happened)', w=12,
                     description='Events left out of the SLI by `exclude` (for example upstream provider failures), per second over 5m.'),
      ],
      tags=c.tags,
      links=links(c),
    )
  ),

  // ------------------------------------------------------------------------------ LLM service
  llm(config={}):: (
    local c = defaults + config;
    local l = defaults.llm + std.get(config, 'llm', {});
    local svc = ['slo_service="$service"'];
    local routes = svc + ['route=~"$route"'];
    local any = svc + ['slo=~"$availability_slo|$ttft_slo|$slices_slo|$tpot_slo|$response_slo|$quality_slo|$hard_checks_slo|$implicit_slo|$cost_slo"', 'route=~"$route"'];
    local tpot = ['slo_service="$service"', 'slo="$tpot_slo"', 'route=~"$route"', 'gen_ai_request_model=~"$model"'];
    local response = ['slo_service="$service"', 'slo="$response_slo"', 'route=~"$route"'];
    local components = ['slo_service="$service"', 'slo=~"$quality_slo|$hard_checks_slo|$implicit_slo"', 'route=~"$route"'];
    local avail = ['slo_service="$service"', 'slo="$availability_slo"', 'route=~"$route"'];
    local ttft = ['slo_service="$service"', 'slo="$ttft_slo"', 'route=~"$route"', 'gen_ai_request_model=~"$model"'];
    local slices = ['slo_service="$service"', 'slo="$slices_slo"', 'route=~"$route"'];
    local quality = ['slo_service="$service"', 'slo=~"$quality_slo"', 'route=~"$route"'];
    local cost = ['slo_service="$service"', 'slo="$cost_slo"', 'route=~"$route"'];
    local oneOf(m) = m[0:2];
    local budgetBars(title, m, legend, description='') =
      b.barGauge(title, [b.target(b.series('slo:period_error_budget_remaining:ratio', m), legend)],
                 unit='percentunit', thresholds=b.budgetThresholds, min=-1, max=1, decimals=1, description=description);
    b.dashboard(
      uids(c).llm,
      'Burnrate / LLM service',
      'An LLM service\'s SLOs per route and model: time to first token, availability, answer quality and cost. The SLO names are variables, so the dashboard fits any service that uses the LLM templates.',
      [
        b.queryVar('service', 'Service', b.labelValues('slo:error_budget:ratio', [], 'slo_service'), current=l.service),
        b.queryVar('route', 'Route', b.labelValues('slo:error_budget:ratio', svc, 'route'), multi=true, includeAll=true),
        b.queryVar('model', 'Model', b.labelValues('slo:error_budget:ratio', routes, 'gen_ai_request_model'), multi=true, includeAll=true),
        b.textVar('availability_slo', 'Availability SLO', l.availabilitySlo),
        b.textVar('ttft_slo', 'TTFT SLO', l.ttftSlo, 'Latency threshold SLO on time to first token.'),
        b.textVar('slices_slo', 'TTFT slices SLO', l.slicesSlo, 'Timeslice SLO on a TTFT percentile.'),
        b.textVar('tpot_slo', 'Tokens per second SLO', l.tpotSlo, 'Latency threshold SLO on time per output token (tokens per second = 1 / it).'),
        b.textVar('response_slo', 'Response time SLO', l.responseSlo, 'Latency threshold SLO on total response time (batch and tool calls).'),
        b.textVar('quality_slo', 'Quality SLOs (regex)', l.qualitySlo),
        b.textVar('hard_checks_slo', 'Hard checks SLO', l.hardChecksSlo, 'Quality SLO on the deterministic checks alone (valid JSON, no improper refusal, no leaked system prompt).'),
        b.textVar('implicit_slo', 'Implicit feedback SLO', l.implicitSlo, 'Quality SLO on what people do with answers alone (accepted or copied, against edited, retried or abandoned).'),
        b.textVar('cost_slo', 'Cost SLO', l.costSlo),
      ],
      [
        b.row('All LLM SLOs'),
        sloTable('SLOs per route and model, worst first', any, uids(c).detail,
                 'Every SLO named in the variables above, one row per route (and model). Click an SLO for its detail dashboard.'),

        b.row('Time to first token'),
        budgetBars('TTFT budget remaining', ttft, '{{route}} · {{gen_ai_request_model}}', 'Per route and model.'),
        b.timeseries('Requests with a fast first token (1h)', [
          b.target(b.sli('1h', ttft), '{{route}} · {{gen_ai_request_model}}'),
          b.target('1 - (' + b.pooledRatio('1h', ttft) + ')', 'all selected routes and models'),
          b.target('max(' + b.series('slo:objective:ratio', oneOf(ttft)) + ')', 'objective'),
        ], unit='percentunit', decimals=2, w=16,
           description='Share of requests whose first token came within the threshold, per route and model. The "all" line pools events (summed bad / summed total), never averages ratios.',
           overrides=[b.overrideByName('objective', b.referenceLine('red')), b.overrideByName('all selected routes and models', [{ id: 'custom.lineWidth', value: 3 }])]),
        budgetBars('p95 TTFT slices: budget remaining', slices, '{{route}}', 'Timeslice SLO: share of one-minute slices whose TTFT percentile met the threshold.'),
        b.timeseries('Good one-minute slices (1h)', [
          b.target(b.sli('1h', slices), '{{route}}'),
          b.target('max(' + b.series('slo:objective:ratio', oneOf(slices)) + ')', 'objective'),
        ], unit='percentunit', decimals=2, w=16, overrides=[b.overrideByName('objective', b.referenceLine('red'))]),
        burnPanel('TTFT burn rate (1h and 6h)', ['1h', '6h'], ttft, oneOf(ttft), '{{route}} · {{gen_ai_request_model}}',
                  'Page windows; dashed lines are the page thresholds for the SLO\'s period.', w=24, h=8),

        b.row('Streaming speed and total response time'),
        budgetBars('Tokens per second: budget remaining', tpot, '{{route}} · {{gen_ai_request_model}}',
                   'Latency SLO on time per output token: a threshold of 0.05 s is 20 tokens per second.'),
        b.timeseries('Answers streamed at or above the tokens-per-second floor (1h)', [
          b.target(b.sli('1h', tpot), '{{route}} · {{gen_ai_request_model}}'),
          b.target('1 - (' + b.pooledRatio('1h', tpot) + ')', 'all selected routes and models'),
          b.target('max(' + b.series('slo:objective:ratio', oneOf(tpot)) + ')', 'objective'),
        ], unit='percentunit', decimals=2, w=16,
           description='Share of answers whose time per output token met the threshold (tokens per second = 1 / time per token). It drops when providers are saturated.',
           overrides=[b.overrideByName('objective', b.referenceLine('red')), b.overrideByName('all selected routes and models', [{ id: 'custom.lineWidth', value: 3 }])]),
        budgetBars('Total response time: budget remaining', response, '{{route}}', 'Latency SLO on the whole answer (batch and tool calls).'),
        b.timeseries('Whole answers within the threshold (1h)', [
          b.target(b.sli('1h', response), '{{route}}'),
          b.target('max(' + b.series('slo:objective:ratio', oneOf(response)) + ')', 'objective'),
        ], unit='percentunit', decimals=2, w=16, overrides=[b.overrideByName('objective', b.referenceLine('red'))]),

        b.row('Availability'),
        budgetBars('Availability budget remaining', avail, '{{route}}'),
        b.timeseries('Availability (1h)', [
          b.target(b.sli('1h', avail), '{{route}}'),
          b.target('1 - (' + b.pooledRatio('1h', avail) + ')', 'all selected routes'),
          b.target('max(' + b.series('slo:objective:ratio', oneOf(avail)) + ')', 'objective'),
        ], unit='percentunit', decimals=3, w=16,
           overrides=[b.overrideByName('objective', b.referenceLine('red')), b.overrideByName('all selected routes', [{ id: 'custom.lineWidth', value: 3 }])]),
        burnPanel('Availability burn rate (1h and 6h)', ['1h', '6h'], avail, oneOf(avail), '{{route}}',
                  'Page windows; dashed lines are the page thresholds for the SLO\'s period.'),
        b.timeseries('Requests and excluded failures', [
          b.target(b.series('slo:sli_events:rate5m', avail), '{{route}} requests'),
          b.target(b.series('slo:sli_error_events:rate5m', avail), '{{route}} failed'),
          b.target(b.series('slo:sli_excluded_events:rate5m', avail), '{{route}} excluded (e.g. upstream provider)'),
        ], unit='reqps', description='Excluded events (the SLO\'s `exclude`, such as upstream provider failures) do not count against the budget.'),

        b.row('Answer quality'),
        budgetBars('Quality budget remaining', quality, '{{slo}} {{route}}'),
        b.timeseries('Quality SLI (1d)', [
          b.target(b.sli('1d', quality), '{{slo}} {{route}}'),
          b.target('max by (slo) (' + b.series('slo:objective:ratio', oneOf(quality)) + ')', '{{slo}} objective'),
        ], unit='percentunit', decimals=2, w=16,
           description='Sampled quality (judge verdicts, thumbs) per route over the last day; the 1d window trails real time by up to an hour.',
           overrides=[b.overrideByRegex('.*objective', b.referenceLine('red'))]),
        b.timeseries('Quality components beside the blend (1h)', [
          b.target(b.sli('1h', components), '{{slo}} {{route}}'),
          b.target('max by (slo) (' + b.series('slo:objective:ratio', components) + ')', '{{slo}} objective'),
        ], unit='percentunit', decimals=2, w=24,
           description='The blended quality SLO beside the SLOs on its components alone: hard checks (malformed JSON, improper refusals, leaked system prompts) and implicit feedback (retries, edits, abandonment). A component that drops shows which signal moved the blend.',
           overrides=[b.overrideByRegex('.*objective', b.referenceLine('red'))]),
        b.table('Quality over the period: SLI, samples and margin of error', [
          b.target(b.periodSli(quality), instant=true, table=true),
          b.target(b.periodEvents(quality), instant=true, table=true),
          b.target('1.96 * sqrt((' + b.periodSli(quality) + ') * (' + b.periodRatio(quality) + ') / (' + b.periodEvents(quality) + ' > 0))', instant=true, table=true),
          b.target(b.series('slo:judge_agreement:ratio_rate1d', quality), instant=true, table=true),
        ], [
          { name: 'SLI (period)', unit: 'percentunit', decimals: 2 },
          { name: 'Samples (period)', unit: 'short', decimals: 0 },
          { name: '± 95% margin', unit: 'percentunit', decimals: 2 },
          { name: 'Judge agreement (1d)', unit: 'percentunit', decimals: 1, noValue: 'no reviews',
            thresholds: b.steps([{ color: 'red', value: null }, { color: 'green', value: l.agreementMinimum }]), cell: 'color-text' },
        ], 'SLI (period)', hide=['slo_service', 'team'], w=12, h=8,
           description='Margin of error: 1.96 x sqrt(p(1-p)/n), n the events in the period. For blended SLIs n is the weighted event count, so the margin is approximate.'),
        b.timeseries('Judge agreement with human reviewers (1d)', [b.target(b.series('slo:judge_agreement:ratio_rate1d', quality), '{{slo}} {{route}}')],
                     unit='percentunit', decimals=1, w=12, min=0, max=1,
                     thresholds=b.steps([{ color: 'red', value: null }, { color: 'green', value: l.agreementMinimum }]), thresholdsStyle='line',
                     noValue='No human-reviewed samples',
                     description='Share of human-reviewed samples where the judge agreed. The line is the minimum configured for this dashboard (' + std.toString(l.agreementMinimum) + '); JudgeAgreementLow fires below the SLO\'s own minimum.'),

        b.row('Cost'),
        budgetBars('Cost budget remaining', cost, '{{route}}', 'Cost SLOs alert but never freeze releases.'),
        b.timeseries('Cost per request (1h)', [
          b.target(b.series('slo:sli_error:ratio_rate1h', cost), '{{route}}'),
          b.target(b.pooledRatio('1h', cost), 'all selected routes'),
          b.target('max(' + b.series('slo:error_budget:ratio', oneOf(cost)) + ')', 'target'),
        ], unit='currencyUSD', decimals=5, w=16,
           overrides=[b.overrideByName('target', b.referenceLine('red')), b.overrideByName('all selected routes', [{ id: 'custom.lineWidth', value: 3 }])]),
        b.timeseries('Spend per hour', [
          b.target('3600 * ' + b.series('slo:sli_error_events:rate5m', cost), '{{route}}'),
          b.target('3600 * sum(' + b.series('slo:sli_error_events:rate5m', cost) + ')', 'all selected routes'),
        ], unit='currencyUSD', decimals=2, w=12),
        burnPanel('Cost burn rate (1h and 6h)', ['1h', '6h'], cost, oneOf(cost), '{{route}}',
                  'Cost per request / target; dashed lines are the page thresholds for the SLO\'s period.'),
      ],
      tags=c.tags + ['llm'],
      links=links(c),
    )
  ),
}
