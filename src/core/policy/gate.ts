// The release gate: "may service S (route R) ship now?" From the SLOs' group statuses and the
// manual freezes and overrides in force, with the reasons and numbers behind the answer.
// Precedence: a manual freeze (a person said stop) > a route no SLO knows (cannot decide) > an
// override (a person said go despite the budget) > the SLOs' policy states > SLOs without data
// (cannot decide, unless the caller chose ship or freeze for them). Cost SLOs never freeze a
// release, and never block one for lack of data.

import { Slo } from '../spec/types';
import { budgetSummary, GroupStatus, PolicyState, worstState } from './status';
import { intervalText, samplingWarnings } from './sampling';
import { activeActions, ManualAction, PolicyDecision, releaseState, ReleaseState, stateWords } from './releaseState';

export { activeActions };
export type { ManualAction };

export interface GateSloResult {
  slo: string;
  kind: Slo['sli']['kind'];
  group: Record<string, string>;
  state: PolicyState;
  reasons: string[];
  budgetRemaining?: number;
  periodBurnRate?: number;
  /** The budget in words: "30% left: 700 of 1,000 failures spent over 10 of 30 days; burn 2.1x ...". */
  budget?: string;
  /** Quality SLOs: "94.1% pass, 92.8-95.2%, n = 2,140 over 1d". */
  sampling?: string;
  /** Quality SLOs: "not enough samples: ...", "judge not trusted: ...". */
  samplingWarnings?: string[];
}

/** `unknown`: the gate cannot decide (a route no SLO knows, or an SLO without data). */
export type GateAnswer = 'ship' | 'freeze' | 'unknown';

/** What an SLO without data (a new SLO, or a route it has not seen yet) makes the gate answer. */
export type OnNoData = GateAnswer;
export const ON_NO_DATA: readonly OnNoData[] = ['unknown', 'freeze', 'ship'];

export interface GateDecision {
  service: string;
  route?: string;
  decision: GateAnswer;
  reasons: string[];
  /** Caution states and missing data that do not decide: CI should show them. */
  warnings: string[];
  slos: GateSloResult[];
  manual: ManualAction[];
  /** What an SLO without data was taken to say. */
  onNoData: OnNoData;
  /** The routes the service's SLOs grouped by route have data for, when any is. */
  knownRoutes?: string[];
  /** The one release state the list, detail page and panel show for this service and route. */
  release: ReleaseState;
}

/** The label a gate's `route` parameter matches. */
export const ROUTE_LABEL = 'route';

/** Not yet decided by numbers: no series at all, or rules loaded and windows still filling. */
const undecided = (s: PolicyState) => s === 'no-data' || s === 'pending';

/** "a, b, c" for up to 20 names, then how many more. */
export function nameList(names: string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Why the asked route cannot be answered, if it cannot: no SLO is per route, or none knows it. */
function routeProblem(service: string, route: string, perRoute: number, known: string[]): string | undefined {
  if (perRoute === 0) {
    return `no SLO of ${service} is grouped by route, so none can answer for route ${JSON.stringify(route)}: ask for the whole service`;
  }
  // While no SLO has data, a typo and a new route look alike: the no-data rule answers.
  if (known.length === 0 || known.includes(route)) {
    return undefined;
  }
  return `no SLO of ${service} knows route ${JSON.stringify(route)}; known routes: ${nameList(known)}`;
}

function where(r: GateSloResult): string {
  const labels = Object.entries(r.group)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return labels ? `${r.slo}{${labels}}` : r.slo;
}

const stateLine = (r: GateSloResult) => `${where(r)}: ${stateWords(r.state)}${r.reasons.length ? `: ${r.reasons.join('; ')}` : ''}`;

/** Each SLO's result for the asked route (all its groups when it is not per route). */
function sloResults(route: string | undefined, slos: Array<{ slo: Slo; groups: GroupStatus[] }>): GateSloResult[] {
  const results: GateSloResult[] = [];
  for (const { slo, groups } of slos) {
    const perRoute = route !== undefined && slo.groupBy.includes(ROUTE_LABEL);
    const relevant = perRoute ? groups.filter((g) => g.group[ROUTE_LABEL] === route) : groups;
    if (relevant.length === 0) {
      const why = perRoute && groups.length > 0 ? 'no data for this route in Prometheus yet' : 'no data in Prometheus yet';
      results.push({ slo: slo.name, kind: slo.sli.kind, group: perRoute ? { [ROUTE_LABEL]: route } : {}, state: 'no-data', reasons: [why] });
    }
    for (const g of relevant) {
      // Cost is a soft SLO: its freeze becomes a warning.
      const state: PolicyState = slo.sli.kind === 'cost' && g.state === 'freeze' ? 'caution' : g.state;
      results.push({
        slo: slo.name,
        kind: slo.sli.kind,
        group: g.group,
        state,
        reasons: g.reasons,
        budgetRemaining: g.budgetRemaining,
        periodBurnRate: g.periodBurnRate,
        budget: budgetSummary(slo, g),
        ...(g.sampling ? { sampling: intervalText(g.sampling), samplingWarnings: samplingWarnings(slo, g.sampling) } : {}),
      });
    }
  }
  return results;
}

export function decideGate(input: {
  service: string;
  route?: string;
  slos: Array<{ slo: Slo; groups: GroupStatus[] }>;
  actions: ManualAction[];
  now: number;
  onNoData?: OnNoData;
}): GateDecision {
  const { service, route, now } = input;
  const onNoData = input.onNoData ?? 'unknown';
  const manual = activeActions(input.actions, service, route, now);
  const perRoute = input.slos.filter((s) => s.slo.groupBy.includes(ROUTE_LABEL));
  const knownRoutes = perRoute.length ? [...new Set(perRoute.flatMap((s) => s.groups.map((g) => g.group[ROUTE_LABEL])))].sort() : undefined;
  const unknownRoute = route === undefined ? undefined : routeProblem(service, route, perRoute.length, knownRoutes ?? []);
  const results = sloResults(route, input.slos);

  const automatic = results.filter((r) => r.state === 'freeze').map((r) => `${where(r)}: ${r.reasons.join('; ') || 'policy says freeze'}`);
  // A cost SLO can never freeze, so its missing data changes nothing.
  const missing = results.filter((r) => undecided(r.state) && r.kind !== 'cost');
  const missingDecides = missing.length > 0 && onNoData !== 'ship';
  const warnings = results
    .filter((r) => r.state === 'caution' || (undecided(r.state) && !(missingDecides && missing.includes(r))))
    .map(stateLine)
    .concat(results.flatMap((r) => (r.samplingWarnings ?? []).map((w) => `${where(r)}: ${w}`)));
  const withData = results.filter((r) => !undecided(r.state)).length;
  const cautions = results.filter((r) => r.state === 'caution');
  // What the policy says for this service and route, as the gate reads it: freeze, else the
  // missing data that decides, else caution, else ship.
  const policy: PolicyDecision =
    automatic.length > 0
      ? { state: 'freeze', reasons: automatic }
      : missingDecides
        ? { state: worstState(missing.map((r) => r.state)), reasons: missing.map((r) => `${where(r)}: ${r.reasons.join('; ') || stateWords(r.state)}`) }
        : cautions.length
          ? { state: 'caution', reasons: results.filter((r) => r.state === 'caution').map((r) => `${where(r)}: ${r.reasons.join('; ') || 'caution'}`) }
          : { state: 'ship', reasons: [withData === 0 ? 'no SLO of this service has data yet: nothing says freeze' : `${withData} SLO group${withData === 1 ? '' : 's'} within policy`] };
  const merged = releaseState({ service, route, policy, actions: input.actions, now });
  // A route no SLO knows is likely a typo: only a manual freeze answers for it (an override of a
  // mistyped route would ship what nobody measured).
  const release: ReleaseState =
    unknownRoute && merged.source !== 'manual-freeze' ? { state: 'unknown', reason: `unknown: ${unknownRoute}`, source: 'policy', policy: 'unknown' } : merged;
  const answer = (decision: GateAnswer, reasons: string[], extraWarnings: string[] = []): GateDecision => ({
    service,
    route,
    decision,
    reasons,
    warnings: [...warnings, ...extraWarnings],
    slos: results,
    manual,
    onNoData,
    ...(knownRoutes ? { knownRoutes } : {}),
    release,
  });

  if (release.source === 'manual-freeze') {
    return answer('freeze', [release.reason, ...automatic], unknownRoute ? [unknownRoute] : []);
  }
  if (unknownRoute) {
    return answer('unknown', [unknownRoute]);
  }
  if (release.source === 'override') {
    // The override ships whatever the policy says; what it ships past stays visible as warnings.
    return answer('ship', [release.reason], [...automatic.map((r) => `overridden: ${r}`), ...(missingDecides ? missing.map((r) => `overridden: ${stateLine(r)}`) : [])]);
  }
  if (automatic.length > 0) {
    return answer('freeze', automatic);
  }
  if (missingDecides) {
    const lines = missing.map(stateLine);
    return onNoData === 'freeze'
      ? answer('freeze', [...lines, 'an SLO without data freezes (onNoData=freeze)'])
      : answer('unknown', [...lines, 'an SLO without data cannot say ship or freeze: ask again once Prometheus has evaluated its rules, or choose with onNoData=ship|freeze']);
  }
  return answer('ship', policy.reasons);
}

/**
 * The gate's answer when the SLOs' states cannot be read (Prometheus down): a manual freeze or
 * override in force for this service and route decides it (a person's decision needs no numbers;
 * a freeze wins over an override), saying that the states are unknown. Without one, undefined:
 * there is no answer. The route cannot be checked against the SLOs' data here.
 */
export function decideWithoutStates(input: { service: string; route?: string; actions: ManualAction[]; now: number; why: string }): GateDecision | undefined {
  const { service, route } = input;
  const manual = activeActions(input.actions, service, route, input.now);
  if (manual.length === 0) {
    return undefined;
  }
  const release = releaseState({ service, route, unavailable: input.why, actions: manual, now: input.now });
  const freezes = release.source === 'manual-freeze';
  return {
    service,
    route,
    decision: freezes ? 'freeze' : 'ship',
    reasons: [release.reason],
    warnings: [`SLO states are unknown: ${input.why}; the ${freezes ? 'manual freeze' : 'override'} decides`],
    slos: [],
    manual,
    onNoData: 'unknown',
    release,
  };
}
