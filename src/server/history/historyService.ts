// Starts one history backfill per SLO once its rules are confirmed loaded (directory mode), and
// keeps each SLO's backfill state for the API. A backfill runs again when the SLO's rollups change
// (a changed SLI gives them other exprs), and never twice at once for one SLO. State lives in
// memory: after a restart the next confirmation reruns it, which writes only the missing hours.

import { rollupGroup } from '../../core/rules/historyBackfill';
import { sloRuleGroups } from '../../core/rules/ruleGroups';
import { groupName } from '../../core/rules/seriesNames';
import { SyncOutcome } from '../delivery/sink';
import { Logger } from '../log';
import { SloStore } from '../sloStore';
import { PrometheusClient } from '../status/prometheusClient';
import { Upstream } from '../upstream';
import { backfillHistory, HistoryState } from './backfill';

export type HistoryMode = { kind: 'directory'; prometheusUrl: string; prometheus: PrometheusClient } | { kind: 'unsupported'; reason: string };

export class HistoryService {
  private readonly states = new Map<string, HistoryState & { rollups: string }>();

  constructor(
    private readonly store: SloStore,
    private readonly upstream: Upstream,
    private readonly mode: HistoryMode,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now() / 1000
  ) {}

  state(service: string, name: string): HistoryState | undefined {
    const s = this.states.get(`${service}/${name}`);
    if (!s) {
      return undefined;
    }
    const { rollups: _, ...state } = s;
    return state;
  }

  /** Called by the reconciler with each SLO's outcome on the Prometheus target. */
  delivered(key: string, outcome: SyncOutcome): void {
    if (outcome.state !== 'in-sync') {
      return;
    }
    const [service, name] = key.split('/');
    const stored = this.store.get(service, name);
    if (!stored) {
      return;
    }
    const group = rollupGroup(sloRuleGroups(stored.slo).prometheus, stored.slo);
    const rollups = JSON.stringify(group?.rules ?? []);
    const seen = this.states.get(key);
    if (seen && seen.rollups === rollups && seen.state !== 'failed') {
      return;
    }
    if (seen?.state === 'running') {
      return;
    }
    if (this.mode.kind === 'unsupported') {
      this.states.set(key, { state: 'unsupported', reason: this.mode.reason, rollups });
      return;
    }
    this.states.set(key, { state: 'running', rollups });
    void this.run(key, rollups, this.mode, stored.slo);
  }

  private async run(key: string, rollups: string, mode: Extract<HistoryMode, { kind: 'directory' }>, slo: import('../../core/spec/types').Slo): Promise<void> {
    let result: HistoryState;
    try {
      // The group's phase depends on the rule file's path as Prometheus loaded it.
      const groups = await mode.prometheus.loadedRuleGroups(60_000);
      const file = groups.find((g) => g.name === groupName(slo, 'rollup'))?.file;
      result = file
        ? await backfillHistory({ upstream: this.upstream, prometheusUrl: mode.prometheusUrl, slo, ruleFile: file, nowS: this.now() })
        : { state: 'failed', reason: 'Prometheus does not list the rollup group' };
    } catch (e) {
      result = { state: 'failed', reason: (e as Error).message };
    }
    this.log[result.state === 'done' ? 'info' : 'warn']('history backfill', { slo: key, ...result });
    this.states.set(key, { ...result, rollups });
  }
}
