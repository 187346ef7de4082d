// data-testid values of the budget panel (unit tests and the browser test use them).
export const panelTestIds = {
  container: 'data-testid br-budget-panel',
  row: (service: string, slo: string) => `data-testid br-budget-row ${service}/${slo}`,
  state: 'data-testid br-budget-state',
  reason: 'data-testid br-budget-reason',
  manualMissing: 'data-testid br-budget-manual-missing',
  budget: 'data-testid br-budget-remaining',
  burn: (w: string) => `data-testid br-budget-burn ${w}`,
  forecast: 'data-testid br-budget-forecast',
  trend: 'data-testid br-budget-trend',
  note: 'data-testid br-budget-note',
  empty: 'data-testid br-budget-empty',
  error: 'data-testid br-budget-error',
  ignored: 'data-testid br-budget-ignored',
  sampling: 'data-testid br-budget-sampling',
  compact: 'data-testid br-budget-compact',
};
