// From the contract series of one SLO (as Prometheus returns them) to a status per group: error
// ratio and burn rate per window, budget left as a ratio and in events, the policy's state with the
// reasons and numbers behind it, and a forecast of when the budget runs out. Pure: the server
// fetches the samples, the UI may compute the same from a data frame.

import { formatDuration } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { Labels, Slo } from '../spec/types';
import { periodSeconds, recordedWindows } from '../rules/burnRateWindows';
import { errorBudget, periodSuffix, RATIO } from '../rules/seriesNames';
import { samplingStatus, SamplingStatus } from './sampling';

/** `pending`: the SLO's rules are evaluated (burn rates exist) but its period windows and budget
 * are not there yet (before the first hourly rollup); `no-data`: Prometheus has no series of it. */
export type PolicyState = 'ship' | 'caution' | 'freeze' | 'pending' | 'no-data';

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
  /** Share of the period the windows cover (0 to 1): less while the SLO is young, on a calendar
   * month before its end, or when Prometheus holds less history than the period. */
  coverage?: number;
  /** Events in the period so far. */
  eventsInPeriod?: number;
  /** The whole period's error budget in events (the objective's share of the events the period is
   * expected to hold at the traffic seen so far), how many of them are spent, and how many are left. */
  budgetEvents?: number;
  spentEvents?: number;
  budgetRemainingEvents?: number;
  state: PolicyState;
  reasons: string[];
  /** Seconds until the budget is spent at the 1h burn rate; undefined when not burning. */
  exhaustionSeconds?: number;
  /** Quality SLOs: the sampled pass ratio's interval, samples, and the judge's trust. */
  sampling?: SamplingStatus;
}

function groupKey(slo: Slo, labels: Labels): string {
  // Most SLOs group by one label: its value is the key, without building an array.
  return slo.groupBy.length === 1 ? (labels[slo.groupBy[0]] ?? '') : JSON.stringify(slo.groupBy.map((l) => labels[l] ?? ''));
}

function pct(x: number): string {
  return `${formatNumber(Number((x * 100).toFixed(2)))}%`;
}

/** Spent, total and left in events. Cost SLOs have no budget in events. */
function budgetInEvents(slo: Slo, events?: number, periodRatio?: number, coverage?: number) {
  if (slo.sli.kind === 'cost' || events === undefined || periodRatio === undefined || !coverage) {
    return {};
  }
  const budgetEvents = (events * errorBudget(slo)) / coverage;
  const spentEvents = events * periodRatio;
  return { budgetEvents, spentEvents, budgetRemainingEvents: budgetEvents - spentEvents };
}

function whole(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const BAD_EVENTS: Partial<Record<Slo['sli']['kind'], string>> = {
  latency: 'slow requests',
  timeslice: 'bad slices',
  quality: 'failed samples',
};

/** What a bad event of this SLO is called: "failures", "slow requests", ... */
export function badEventsNoun(slo: Slo): string {
  return BAD_EVENTS[slo.sli.kind] ?? 'failures';
}

/** "700 of 1,000 failures spent" where the budget is known in events. */
export function spentWords(slo: Slo, g: Pick<GroupStatus, 'spentEvents' | 'budgetEvents'>): string | undefined {
  return g.budgetEvents === undefined || g.spentEvents === undefined
    ? undefined
    : `${whole(g.spentEvents)} of ${whole(g.budgetEvents)} ${badEventsNoun(slo)} spent`;
}

/** "30 of 30 days" / "9.5 of 30 days": how much of the period the budget covers. */
export function coverageText(slo: Slo, coverage?: number): string | undefined {
  if (coverage === undefined) {
    return undefined;
  }
  const days = periodSeconds(slo.window) / 86400;
  const covered = Number((coverage * days).toFixed(coverage * days < 10 ? 1 : 0));
  return slo.window.type === 'calendar' ? `${pct(coverage)} of the month` : `${formatNumber(covered)} of ${formatNumber(days)} days`;
}

/** "30% left: 700 of 1,000 failures spent over 10 of 30 days; burn 2.1x over the period". */
export function budgetSummary(slo: Slo, g: GroupStatus): string | undefined {
  if (g.budgetRemaining === undefined) {
    return undefined;
  }
  const spent = spentWords(slo, g);
  const covered = coverageText(slo, g.coverage);
  const burn = g.periodBurnRate === undefined ? '' : `; burn ${formatNumber(Number(g.periodBurnRate.toFixed(2)))}x over the period`;
  return `${pct(g.budgetRemaining)} left${spent ? `: ${spent}` : ''}${covered ? ` over ${covered}` : ''}${burn}`;
}

function spentSuffix(slo: Slo, g: GroupStatus): string {
  const w = spentWords(slo, g);
  return w ? `: ${w}` : '';
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
    const coverage = values.get('slo:period_coverage:ratio');
    const status: GroupStatus = {
      group,
      windows,
      currentBurnRate: values.get('slo:current_burn_rate:ratio'),
      periodBurnRate: periodBurn,
      budgetRemaining: remaining,
      coverage,
      eventsInPeriod: events,
      ...budgetInEvents(slo, events, values.get(`${RATIO}${period}`), coverage),
      state: 'no-data',
      reasons: [],
      sampling: samplingStatus(slo, values),
    };
    const p = slo.policy;
    const freeze = values.get('slo:release_freeze:bool');
    const caution = values.get('slo:release_caution:bool');
    if (freeze === 1) {
      status.state = 'freeze';
      if (remaining !== undefined && remaining <= p.freezeBudgetRemaining) {
        status.reasons.push(`error budget remaining ${pct(remaining)} is at or below ${pct(p.freezeBudgetRemaining)}${spentSuffix(slo, status)}`);
      }
      const b = burnOver(p.freezeBurnWindow);
      if (b !== undefined && b > p.freezeBurnRate) {
        status.reasons.push(
          `burn rate ${formatNumber(Number(b.toFixed(2)))}x over ${burnWindowText(p.freezeBurnWindow)} is above ${formatNumber(p.freezeBurnRate)}x` +
            (remaining !== undefined && remaining > p.freezeBudgetRemaining ? ` (budget left ${pct(remaining)}${spentSuffix(slo, status)})` : '')
        );
      }
    } else if (caution === 1) {
      status.state = 'caution';
      const b = burnOver(p.cautionBurnWindow);
      const fb = burnOver(p.freezeBurnWindow);
      const estimateFreezes = (remaining !== undefined && remaining <= p.freezeBudgetRemaining) || (fb !== undefined && fb > p.freezeBurnRate);
      if (slo.sli.kind === 'quality' && estimateFreezes) {
        // The rules held a freeze to caution: the interval reaches below the threshold, or the judge is not trusted.
        status.reasons.push(
          status.sampling?.judgeUntrusted && p.untrustedJudge === 'caution'
            ? 'the estimate says freeze, but the judge is not trusted: its freezes are held to caution (policy.quality.untrustedJudge)'
            : `the estimate says freeze (burn ${fb === undefined ? '?' : formatNumber(Number(fb.toFixed(2)))}x over ${burnWindowText(p.freezeBurnWindow)}), but its 95% interval reaches below the threshold: caution until the samples tell`
        );
      }
      if (b !== undefined && (slo.sli.kind !== 'quality' || b > p.cautionBurnRate)) {
        status.reasons.push(`burn rate ${formatNumber(Number(b.toFixed(2)))}x over ${burnWindowText(p.cautionBurnWindow)} is above ${formatNumber(p.cautionBurnRate)}x: at this pace the budget runs out`);
      }
    } else if (freeze === 0 || caution === 0 || remaining !== undefined) {
      status.state = 'ship';
    } else {
      // Rules loaded, windows filling: not "no data". Its burn rates are known and may be high.
      status.state = 'pending';
      const now = status.currentBurnRate ?? burnOver('5m');
      const hour = burnOver('1h');
      const burns = [now === undefined ? '' : `${formatNumber(Number(now.toFixed(2)))}x now`, hour === undefined ? '' : `${formatNumber(Number(hour.toFixed(2)))}x over 1h`].filter(Boolean);
      status.reasons.push(
        `rules loaded, the period windows are filling: the budget appears after the first hourly rollup (up to an hour after the rules load)${burns.length ? `; burn ${burns.join(', ')}` : ''}`
      );
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

const STATE_ORDER: PolicyState[] = ['freeze', 'caution', 'pending', 'no-data', 'ship'];

/** The worst state first: freeze, caution, pending, no-data, ship. */
export function worstState(states: PolicyState[]): PolicyState {
  return STATE_ORDER.find((s) => states.includes(s)) ?? 'no-data';
}
