// Names of the generated series and groups, and the budget they are measured against.

import { formatDuration, MINUTE } from '../spec/duration';
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

/** The part of an SLO's rules a group holds; the main group has none. */
export type GroupPart = 'rollup' | 'period' | 'slices' | 'loki';

/**
 * Rule group name, unique per SLO and part by construction: ":" cannot occur in a service or SLO
 * name, so `burnrate:<service>:<name>[:<part>]` reads back one way only. (The former
 * `burnrate-<service>-<name>[-<part>]` did not: shop/api's period group and shop/api-period's main
 * group were one name.) Readable in Prometheus's rule page, and valid in ruler API paths.
 */
export function groupName(slo: Slo, part?: GroupPart): string {
  return ['burnrate', slo.service, slo.name, ...(part ? [part] : [])].join(':');
}

/** The part a group name holds (groupName read back); undefined for a main group. */
export function groupPart(name: string): GroupPart | undefined {
  return name.split(':')[3] as GroupPart | undefined;
}


/**
 * Interval of the `:period` group: 3 minutes, or the SLO's evaluation interval if longer. Its
 * series change only by the hourly rollups and the tail since the latest one: every minute cost an
 * SLO more than half of its rule time for windows that move by a few events a minute. Every 3
 * minutes the windows end at most 3 minutes and one main evaluation before now, and they never go
 * stale (Prometheus looks back 5 minutes); one missed evaluation leaves a minute without a value.
 */
export function periodGroupSeconds(slo: Slo): number {
  return Math.max(slo.evaluationSeconds, 3 * MINUTE);
}
