// Delivery to a ruler HTTP API: Mimir (`/prometheus/config/v1/rules`), Cortex (`/api/v1/rules`)
// or Loki (`/loki/api/v1/rules`). All Burnrate groups live in one namespace ("burnrate"); each
// sync lists it, pushes groups that are missing or differ (repairing a ruler that lost them) and
// deletes groups no SLO needs. Tenants go in X-Scope-OrgID.

import { toYaml, YamlValue } from '../../core/rules/yamlText';
import { RuleGroup } from '../../core/rules/types';
import { Logger } from '../log';
import { offThread } from '../offThread/offThread';
import { valueOf } from '../offThread/tasks';
import { Upstream, UpstreamError, UpstreamInit } from '../upstream';
import { UpstreamAuth } from '../upstreamAuth';
import { canonicalGroup } from './rulerCanonical';
import { RuleSink, SloRules, SyncOutcome } from './sink';
import { TimeSlice } from '../timeSlice';

export interface RulerOptions {
  url: string;
  tenant?: string;
  api: 'mimir' | 'cortex' | 'loki';
  /** Mimir's API prefix (default "/prometheus"). */
  prefix?: string;
  namespace?: string;
  /** Sent with every call to the ruler. */
  auth?: UpstreamAuth;
}

export function rulerBase(o: RulerOptions): string {
  switch (o.api) {
    case 'mimir':
      return `${o.url}${o.prefix ?? '/prometheus'}/config/v1/rules`;
    case 'cortex':
      return `${o.url}/api/v1/rules`;
    case 'loki':
      return `${o.url}/loki/api/v1/rules`;
  }
}

export class RulerSink implements RuleSink {
  private readonly base: string;
  private readonly namespace: string;
  /** Our groups' canonical form: the reconciler passes the same group objects while an SLO is
   * unchanged, so each is computed once per revision, not on every pass. */
  private readonly canonical = new WeakMap<RuleGroup, string>();

  constructor(
    readonly target: 'prometheus' | 'loki',
    private readonly opts: RulerOptions,
    private readonly upstream: Upstream,
    private readonly log: Logger
  ) {
    this.base = rulerBase(opts);
    this.namespace = opts.namespace ?? 'burnrate';
  }

  /** What every call to the ruler carries: the tenant and the credentials. */
  private init(extra: Record<string, string> = {}): Pick<UpstreamInit, 'headers' | 'auth'> {
    return { headers: { ...(this.opts.tenant ? { 'X-Scope-OrgID': this.opts.tenant } : {}), ...extra }, auth: this.opts.auth };
  }

  private nsUrl(): string {
    return `${this.base}/${encodeURIComponent(this.namespace)}`;
  }

  /** The groups in our namespace, by name (empty when the namespace does not exist). The answer
   * holds every group of every SLO, so the worker thread fetches and reads it. */
  async list(): Promise<Map<string, string>> {
    const req = { options: this.upstream.options, url: this.nsUrl(), init: this.init() };
    const { status, body, groups } = valueOf(await offThread.run('rulerNamespaceGroups', [req, this.namespace]));
    if (status === 404) {
      return new Map();
    }
    if (status !== 200) {
      throw new UpstreamError(`ruler answered ${status} listing rules: ${(body ?? '').slice(0, 300)}`, status, body);
    }
    return new Map(groups);
  }

  private canonicalOf(g: RuleGroup): string {
    let c = this.canonical.get(g);
    if (c === undefined) {
      c = canonicalGroup(g);
      this.canonical.set(g, c);
    }
    return c;
  }

  private async push(group: RuleGroup): Promise<void> {
    const body = toYaml(group as unknown as YamlValue);
    const res = await this.upstream.request(this.nsUrl(), { method: 'POST', ...this.init({ 'Content-Type': 'application/yaml' }), body });
    if (res.status !== 202 && res.status !== 200) {
      throw new UpstreamError(`ruler rejected group ${group.name} (${res.status}): ${res.body.trim().slice(0, 300)}`, res.status, res.body);
    }
  }

  private async remove(name: string): Promise<void> {
    const res = await this.upstream.request(`${this.nsUrl()}/${encodeURIComponent(name)}`, { method: 'DELETE', ...this.init() });
    if (res.status !== 202 && res.status !== 200 && res.status !== 404) {
      throw new UpstreamError(`ruler answered ${res.status} deleting group ${name}`, res.status, res.body);
    }
  }

  async sync(desired: SloRules[]): Promise<Map<string, SyncOutcome>> {
    const outcomes = new Map<string, SyncOutcome>();
    let existing: Map<string, string>;
    try {
      existing = await this.list();
    } catch (e) {
      const status = (e as UpstreamError).status;
      // 401/403 (a wrong tenant or credentials) will not heal by retrying: that is a failure.
      const refused = status === 401 || status === 403;
      const reason = `${this.opts.api} ruler ${refused ? 'refused access' : 'unavailable'}: ${(e as Error).message}`;
      desired.forEach((d) => outcomes.set(d.key, { state: refused ? 'failed' : 'pending', reason }));
      return outcomes;
    }
    // Every desired group is wanted even when an earlier push fails: a failed push must not make
    // the SLO's other groups look stale (and be deleted below).
    const wanted = new Set<string>(desired.flatMap((d) => d.groups.map((g) => g.name)));
    const slice = new TimeSlice();
    for (const d of desired) {
      await slice.check();
      try {
        for (const g of d.groups) {
          if (existing.get(g.name) !== this.canonicalOf(g)) {
            await this.push(g);
          }
        }
        outcomes.set(d.key, { state: 'in-sync' });
      } catch (e) {
        const err = e as UpstreamError;
        // 4xx: the ruler refused these rules; 5xx or no answer: try again later.
        const state = err.status !== undefined && err.status < 500 ? 'failed' : 'pending';
        outcomes.set(d.key, { state, reason: err.message });
      }
    }
    for (const name of existing.keys()) {
      if (!wanted.has(name)) {
        try {
          await this.remove(name);
        } catch (e) {
          this.log.warn('could not delete a stale rule group', { target: this.target, group: name, error: (e as Error).message });
        }
      }
    }
    return outcomes;
  }
}
