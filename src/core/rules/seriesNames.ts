// Names of the generated series and groups, and the budget they are measured against.

import { formatDuration } from '../spec/duration';
import { complement } from '../spec/numbers';
import { Slo } from '../spec/types';
import { periodName } from './burnRateWindows';

export const RATIO = 'slo:sli_error:ratio_rate';

/** Name of the error-ratio series over a window given in seconds, or over the period. */
export function ratioSeries(slo: Slo, window: number | 'period'): string {
  return `${RATIO}${window === 'period' ? periodName(slo.window) : formatDuration(window)}`;
}

export function periodSuffix(slo: Slo): string {
  return slo.window.type === 'calendar' ? '_calendar_month' : periodName(slo.window);
}

/** Error budget as a ratio; for cost SLOs, the target cost per request. */
export function errorBudget(slo: Slo): number {
  return slo.sli.kind === 'cost' ? slo.sli.target : complement(slo.objective);
}

/** A prefix unique per SLO, readable in Prometheus's rule page. */
export function groupPrefix(slo: Slo): string {
  return `burnrate-${slo.service}-${slo.name}`;
}

