import { PanelOptionsEditorBuilder, SelectableValue } from '@grafana/data';
import { BudgetOptions, DEFAULT_OPTIONS, WINDOWS } from './types';

const WINDOW_LABEL: Record<string, string> = { period: "SLO's period" };

/** The options editor: windows, colour thresholds, forecast, sort, links. */
export function addBudgetOptions(builder: PanelOptionsEditorBuilder<BudgetOptions>) {
  return builder
    .addMultiSelect({
      path: 'windows',
      name: 'Burn-rate windows',
      description:
        'One column per window. 5m and the period read slo:current_burn_rate:ratio and slo:period_burn_rate:ratio; the others need slo:sli_error:ratio_rate<window> and slo:error_budget:ratio in the query.',
      category: ['Burn rate'],
      defaultValue: DEFAULT_OPTIONS.windows,
      // addMultiSelect's settings are typed per value array; each option holds one window.
      settings: { options: WINDOWS.map((w) => ({ value: w, label: WINDOW_LABEL[w] ?? w })) as Array<SelectableValue<any>> },
    })
    .addNumberInput({
      path: 'burnWarning',
      name: 'Orange at or above',
      description: 'Burn rate (1 spends exactly the budget over the period).',
      category: ['Burn rate'],
      defaultValue: DEFAULT_OPTIONS.burnWarning,
      settings: { min: 0, step: 0.1 },
    })
    .addNumberInput({
      path: 'burnCritical',
      name: 'Red at or above',
      category: ['Burn rate'],
      defaultValue: DEFAULT_OPTIONS.burnCritical,
      settings: { min: 0, step: 0.1 },
    })
    .addNumberInput({
      path: 'budgetWarning',
      name: 'Orange below (% left)',
      description: 'The budget bar is green at or above this share of the budget left.',
      category: ['Budget'],
      defaultValue: DEFAULT_OPTIONS.budgetWarning,
      settings: { min: 0, max: 100, integer: false },
    })
    .addNumberInput({
      path: 'budgetCritical',
      name: 'Red below (% left)',
      category: ['Budget'],
      defaultValue: DEFAULT_OPTIONS.budgetCritical,
      settings: { min: 0, max: 100, integer: false },
    })
    .addBooleanSwitch({
      path: 'showForecast',
      name: 'Forecast time to exhaustion',
      description: 'Budget left x period / burn rate.',
      category: ['Budget'],
      defaultValue: DEFAULT_OPTIONS.showForecast,
    })
    .addRadio({
      path: 'forecastWindow',
      name: 'Forecast from the burn rate over',
      category: ['Budget'],
      defaultValue: DEFAULT_OPTIONS.forecastWindow,
      settings: {
        options: (['5m', '1h', '6h', '1d'] as const).map((w) => ({ value: w, label: w })),
      },
      showIf: (o) => o.showForecast !== false,
    })
    .addBooleanSwitch({
      path: 'showTrend',
      name: 'Trend',
      description: 'Budget left over the time range, from a range query of slo:period_error_budget_remaining:ratio.',
      category: ['Budget'],
      defaultValue: DEFAULT_OPTIONS.showTrend,
    })
    .addRadio({
      path: 'sort',
      name: 'Sort',
      category: ['Rows'],
      defaultValue: DEFAULT_OPTIONS.sort,
      settings: {
        options: [
          { value: 'worst', label: 'Worst first', description: 'freeze, caution, then least budget' },
          { value: 'budget', label: 'Least budget' },
          { value: 'name', label: 'Name' },
        ],
      },
    })
    .addTextInput({
      path: 'hideLabels',
      name: 'Hide labels',
      description: 'Comma-separated labels not shown per row (slo and slo_service are always shown).',
      category: ['Rows'],
      defaultValue: DEFAULT_OPTIONS.hideLabels,
    })
    .addBooleanSwitch({
      path: 'showLinks',
      name: 'Link to the SLO page',
      description: "Each SLO name opens the SLO's page in the Burnrate app.",
      category: ['Rows'],
      defaultValue: DEFAULT_OPTIONS.showLinks,
    });
}
