// The Burnrate budget panel, nested in the app plugin: budget left, burn rate, release state,
// forecast and trend per SLO and route, from ordinary Prometheus (or Mimir) queries.
import { PanelPlugin } from '@grafana/data';
import { BudgetPanel } from './BudgetPanel';
import { addBudgetOptions } from './options';
import { BudgetOptions } from './types';

export const plugin = new PanelPlugin<BudgetOptions>(BudgetPanel).setPanelOptions(addBudgetOptions);
