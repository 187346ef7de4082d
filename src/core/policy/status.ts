// From the contract series of one SLO (as Prometheus returns them) to a status per group: error
// ratio and burn rate per window, budget left as a ratio and in events, the policy's state with the
// reasons and numbers behind it, and a forecast of when the budget runs out. Pure: the server
// fetches the samples, the UI may compute the same from a data frame.

import { formatDuration } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { Labels, Slo } from '../spec/types';
import { periodSeconds, recordedWindows } from '../rules/burnRateWindows';
import { errorBudget, periodSuffix, RATIO } from '../rules/seriesNames';

export type PolicyState = 'ship' | 'caution' | 'freeze' | 'no-data';

export interface Sample {
  metric: Labels;
  value: number;
}

export interface WindowStatus {
  window: string;
  errorRatio?: number;
  burnRate?: number;
}

export interface GroupStatus {
  /** The group-by labels of this group ({} for an ungrouped SLO). */
  group: Labels;
  windows: WindowStatus[];
  currentBurnRate?: number;
  periodBurnRate?: number;
  budgetRemaining?: number;
  /** Events in the period, and the budget left in events at the period's error budget. */
  eventsInPeriod?: number;
  budgetRemainingEvents?: number;
  state: PolicyState;
  reasons: string[];
  /** Seconds until the budget is spent at the 1h burn rate; undefined when not burning. */
  exhaustionSeconds?: number;
}

function groupKey(slo: Slo, labels: Labels): string {
  // Most SLOs group by one label: its value is the key, without building an array.
  return slo.groupBy.length === 1 ? (labels[slo.groupBy[0]] ?? '') : JSON.stringify(slo.groupBy.map((l) => labels[l] ?? ''));
}

function pct(x: number): string {
  return `${formatNumber(Number((x * 100).toFixed(2)))}%`;
}

function burnWindowText(w: string): string {
  return w === 'period' ? 'the period' : w;
}

/** Status of every group of `slo` from an instant query of `{slo="...", slo_service="..."}`. */
export function groupStatuses(slo: Slo, samples: Sample[]): GroupStatus[] {
  const byGroup = new Map<string, { group: Labels; values: Map<string, number> }>();
  for (const s of samples) {
    if (s.metric.slo !== slo.name || s.metric.slo_service !== slo.service || !Number.isFinite(s.value)) {
      continue;
    }
    const key = groupKey(slo, s.metric);
    let g = byGroup.get(key);
    if (!g) {
      g = { group: Object.fromEntries(slo.groupBy.map((l) => [l, s.metric[l] ?? ''])), values: new Map() };
      byGroup.set(key, g);
    }
    g.values.set(s.metric.__name__, s.value);
  }
  const budget = errorBudget(slo);
  const period = periodSuffix(slo);
  const out: GroupStatus[] = [];
  for (const { group, values } of byGroup.values()) {
    const windows: WindowStatus[] = [...recordedWindows().map(formatDuration), period].map((w) => {
      const r = values.get(`${RATIO}${w}`);
      return { window: w === period ? 'period' : w, errorRatio: r, burnRate: r === undefined ? undefined : r / budget };
    });
    const burnOver = (w: string) => windows.find((x) => x.window === w)?.burnRate;
    const remaining = values.get('slo:period_error_budget_remaining:ratio');
    const periodBurn = values.get('slo:period_burn_rate:ratio');
    const events = values.get(`slo:sli_events:increase${period}`);
    const status: GroupStatus = {
      group,
      windows,
      currentBurnRate: values.get('slo:current_burn_rate:ratio'),
      periodBurnRate: periodBurn,
      budgetRemaining: remaining,
      eventsInPeriod: events,
      budgetRemainingEvents:
        events !== undefined && periodBurn !== undefined && slo.sli.kind !== 'cost' ? events * budget - events * budget * periodBurn : undefined,
      state: 'no-data',
      reasons: [],
    };
    const p = slo.policy;
    const freeze = values.get('slo:release_freeze:bool');
    const caution = values.get('slo:release_caution:bool');
    if (freeze === 1) {
      status.state = 'freeze';
      if (remaining !== undefined && remaining <= p.freezeBudgetRemaining) {
        status.reasons.push(`error budget remaining ${pct(remaining)} is at or below ${pct(p.freezeBudgetRemaining)}`);
      }
      const b = burnOver(p.freezeBurnWindow);
      if (b !== undefined && b > p.freezeBurnRate) {
        status.reasons.push(`burn rate ${formatNumber(Number(b.toFixed(2)))}x over ${burnWindowText(p.freezeBurnWindow)} is above ${formatNumber(p.freezeBurnRate)}x`);
      }
    } else if (caution === 1) {
      status.state = 'caution';
      const b = burnOver(p.cautionBurnWindow);
      if (b !== undefined) {
        status.reasons.push(`burn rate ${formatNumber(Number(b.toFixed(2)))}x over ${burnWindowText(p.cautionBurnWindow)} is above ${formatNumber(p.cautionBurnRate)}x: at this pace the budget runs out`);
      }
    } else if (freeze === 0 || caution === 0 || remaining !== undefined) {
      status.state = 'ship';
    } else {
      status.reasons.push('no budget yet: the period windows appear after the first hourly rollup (up to an hour after the rules load)');
    }
    const hourBurn = burnOver('1h');
    if (remaining !== undefined && remaining > 0 && hourBurn !== undefined && hourBurn > 0) {
      status.exhaustionSeconds = Math.round((remaining * periodSeconds(slo.window)) / hourBurn);
    }
    out.push(status);
  }
  // Worst first: by state, then least budget left, then fastest current burn.
  const rank = (g: GroupStatus) => STATE_ORDER.indexOf(g.state);
  return out.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.budgetRemaining ?? Infinity) - (b.budgetRemaining ?? Infinity) ||
      (b.currentBurnRate ?? -Infinity) - (a.currentBurnRate ?? -Infinity)
  );
}

const STATE_ORDER: PolicyState[] = ['freeze', 'caution', 'no-data', 'ship'];

/** The worst state first: freeze, caution, no-data, ship. */
export function worstState(states: PolicyState[]): PolicyState {
  return STATE_ORDER.find((s) => states.includes(s)) ?? 'no-data';
}
