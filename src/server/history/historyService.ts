// Starts one history backfill per SLO once its rules are confirmed loaded (directory mode), and
// keeps each SLO's backfill state for the API. A backfill runs again when the SLO's rollups change
// (a changed SLI gives them other exprs), and never twice at once for one SLO. Backfills run one
// at a time: an import of thousands of SLOs queues them instead of sending Prometheus thousands of
// range queries at once. State lives in memory: after a restart the next confirmation reruns it,
// which writes only the missing hours.

import { rollupGroup } from '../../core/rules/historyBackfill';
import { sloRuleGroups } from '../../core/rules/ruleGroups';
import { groupName } from '../../core/rules/seriesNames';
import { Slo } from '../../core/spec/types';
import { SyncOutcome } from '../delivery/sink';
import { Logger } from '../log';
import { SloStore } from '../sloStore';
import { PrometheusClient } from '../status/prometheusClient';
import { Upstream } from '../upstream';
import { UpstreamAuth } from '../upstreamAuth';
import { backfillHistory, HistoryState } from './backfill';

export type HistoryMode = { kind: 'directory'; prometheusUrl: string; prometheus: PrometheusClient; auth?: UpstreamAuth } | { kind: 'unsupported'; reason: string };

/** A failed backfill is tried again on a later pass, not on every one. */
const RETRY_FAILED_MS = 5 * 60_000;

/** How long one listing of Prometheus's rule groups serves the backfills queued behind it. */
const LISTING_TTL_MS = 30_000;

export class HistoryService {
  private readonly states = new Map<string, HistoryState & { rollups: string; version: number; at: number }>();
  private readonly queue: string[] = [];
  private draining = false;
  private again = false;
  private listing?: { at: number; groups: Promise<Array<{ name: string; file: string }>> };

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
    const { rollups: _r, version: _v, at: _a, ...state } = s;
    return state;
  }

  /** Resolves once no backfill is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Called by the reconciler with each SLO's outcome on the Prometheus target, every pass: the
   * version check keeps an unchanged SLO to a map lookup. */
  async delivered(key: string, version: number, outcome: SyncOutcome): Promise<void> {
    if (outcome.state !== 'in-sync') {
      return;
    }
    const seen = this.states.get(key);
    if (seen?.version === version && (seen.state !== 'failed' || Date.now() - seen.at < RETRY_FAILED_MS)) {
      return;
    }
    const [service, name] = key.split('/');
    const stored = await this.store.get(service, name);
    if (!stored) {
      this.states.delete(key);
      return;
    }
    const rollups = rollupsOf(stored.slo);
    if (seen?.rollups === rollups && seen.state !== 'failed') {
      this.states.set(key, { ...seen, version: stored.version, at: Date.now() });
      return;
    }
    if (seen?.state === 'running' || seen?.state === 'queued') {
      // A composite waiting for its components' fills is picked up by a later drain.
      if (seen.state === 'queued' && this.mode.kind === 'directory') {
        void this.drain(this.mode);
      }
      return;
    }
    if (this.mode.kind === 'unsupported') {
      this.states.set(key, { state: 'unsupported', reason: this.mode.reason, rollups, version: stored.version, at: Date.now() });
      return;
    }
    this.states.set(key, { state: 'queued', rollups, version: stored.version, at: Date.now() });
    this.queue.push(key);
    void this.drain(this.mode);
  }

  private async drain(mode: Extract<HistoryMode, { kind: 'directory' }>): Promise<void> {
    if (this.draining) {
      // Looked at again once the drain under way finds nothing more: a key queued while it read
      // the store might otherwise wait for the next drain, which an unchanged SLO never starts.
      this.again = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.again = false;
        await this.drainOnce(mode);
      } while (this.again);
    } finally {
      this.draining = false;
    }
  }

  private async drainOnce(mode: Extract<HistoryMode, { kind: 'directory' }>): Promise<void> {
    for (let key = await this.next(); key !== undefined; key = await this.next()) {
      const [service, name] = key.split('/');
      const stored = await this.store.get(service, name);
      if (!stored) {
        this.states.delete(key);
        continue;
      }
      // The SLO may have changed while queued: fill what is loaded now.
      const rollups = rollupsOf(stored.slo);
      this.states.set(key, { state: 'running', rollups, version: stored.version, at: Date.now() });
      const result = await this.run(mode, stored.slo);
      this.log[result.state === 'done' ? 'info' : 'warn']('history backfill', { slo: key, ...result });
      this.states.set(key, { ...result, rollups, version: stored.version, at: Date.now() });
    }
  }

  /**
   * The next SLO to fill. A composite's history is read from its components' filled rollups, so it
   * waits in the queue until each of its components (that the server holds) has finished its own
   * fill; a later pass of the reconciler drains it then.
   */
  private async next(): Promise<string | undefined> {
    const ready = async (key: string) => {
      const [service, name] = key.split('/');
      const slo = (await this.store.get(service, name))?.slo;
      if (slo?.sli.kind !== 'composite') {
        return true;
      }
      for (const c of slo.sli.components) {
        const id = `${c.service ?? slo.service}/${c.slo}`;
        const state = this.states.get(id)?.state;
        if ((await this.store.get(c.service ?? slo.service, c.slo)) && (state === undefined || state === 'queued' || state === 'running')) {
          return false;
        }
      }
      return true;
    };
    // The live queue: keys queued while the store is read are looked at too.
    for (let i = 0; i < this.queue.length; i++) {
      const key = this.queue[i];
      if (await ready(key)) {
        const at = this.queue.indexOf(key);
        if (at !== -1) {
          return this.queue.splice(at, 1)[0];
        }
      }
    }
    return undefined;
  }

  private async run(mode: Extract<HistoryMode, { kind: 'directory' }>, slo: Slo): Promise<HistoryState> {
    try {
      // The group's phase depends on the rule file's path as Prometheus loaded it.
      const name = groupName(slo, 'rollup');
      let file = (await this.loadedGroups(mode)).find((g) => g.name === name)?.file;
      if (!file) {
        // A listing from before this SLO's rules were loaded: ask again once.
        this.listing = undefined;
        file = (await this.loadedGroups(mode)).find((g) => g.name === name)?.file;
      }
      if (!file) {
        return { state: 'failed', reason: 'Prometheus does not list the rollup group yet; the next rule sync retries' };
      }
      return await backfillHistory({ upstream: this.upstream, prometheusUrl: mode.prometheusUrl, auth: mode.auth, slo, ruleFile: file, nowS: this.now() });
    } catch (e) {
      return { state: 'failed', reason: (e as Error).message };
    }
  }

  /** /api/v1/rules lists every rule of every group (12 MB for 1,000 SLOs): one listing serves a batch. */
  private loadedGroups(mode: Extract<HistoryMode, { kind: 'directory' }>): Promise<Array<{ name: string; file: string }>> {
    if (!this.listing || Date.now() - this.listing.at > LISTING_TTL_MS) {
      const groups = mode.prometheus.loadedRuleGroups(60_000);
      groups.catch(() => (this.listing = undefined));
      this.listing = { at: Date.now(), groups };
    }
    return this.listing.groups;
  }
}

function rollupsOf(slo: Slo): string {
  return JSON.stringify(rollupGroup(sloRuleGroups(slo).prometheus, slo)?.rules ?? []);
}
