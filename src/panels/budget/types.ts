// Options of the budget panel, with their defaults (the options editor in module.ts uses them).

/** Burn-rate windows the panel can show. `period` is the SLO's own period (30d, 28d, ...). */
export const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', 'period'] as const;
export type BurnWindow = (typeof WINDOWS)[number];

export type SortOrder = 'worst' | 'budget' | 'name';

export interface BudgetOptions {
  /** Burn-rate columns, in this order. */
  windows: BurnWindow[];
  /** Budget bar: red below this percentage of budget left. */
  budgetCritical: number;
  /** Budget bar: orange below this percentage (green at or above). */
  budgetWarning: number;
  /** Burn rate shown orange at or above this (1 = spending exactly the budget over the period). */
  burnWarning: number;
  /** Burn rate shown red at or above this. */
  burnCritical: number;
  /** Burn rate the forecast to exhaustion extrapolates (falls back to 5m when missing). */
  forecastWindow: '5m' | '1h' | '6h' | '1d';
  sort: SortOrder;
  showForecast: boolean;
  showTrend: boolean;
  /** Link each SLO to its page in the Burnrate app. */
  showLinks: boolean;
  /** Labels not shown per row (comma separated), e.g. SLO-wide labels such as team. */
  hideLabels: string;
}

export const DEFAULT_OPTIONS: BudgetOptions = {
  windows: ['5m', '1h', '6h', 'period'],
  budgetCritical: 10,
  budgetWarning: 50,
  burnWarning: 1,
  burnCritical: 2,
  forecastWindow: '1h',
  sort: 'worst',
  showForecast: true,
  showTrend: true,
  showLinks: true,
  hideLabels: 'team',
};
