// The HTTP API. Handlers are thin: parse, call core or a store, shape the answer.

import { parseDuration } from '../../core/spec/duration';
import { validateSloText } from '../../core/spec/sloObject';
import { Slo } from '../../core/spec/types';
import { sloRuleGroups } from '../../core/rules/ruleGroups';
import { renderRuleFile } from '../../core/rules/render';
import { toNativeYaml } from '../../core/spec/serialize';
import { exportDiagnostics, exportOpenSLODocuments } from '../../core/formats/opensloExport';
import { nameList, ON_NO_DATA, OnNoData } from '../../core/policy/gate';
import { ActionStore } from '../actionStore';
import type { GitOpsStatus } from '../gitops';
import { TokenStore } from '../auth';
import { Reconciler, SyncRecord, syncFor } from '../delivery/reconciler';
import { Ctx, HttpError, Router } from '../http/router';
import { ServerMetrics } from '../metrics';
import { offThread } from '../offThread/offThread';
import { SloStore, StoredSlo } from '../sloStore';
import { HistoryService } from '../history/historyService';
import type { Leadership } from '../leader';
import { StatusService } from '../status/statusService';
import { nextTurn } from '../timeSlice';
import { openApiDocument } from './openapi';
import { registerActionRoutes } from './actionRoutes';
import { registerTokenRoutes } from './tokenRoutes';
import { etag, ifMatch, int, invalid, statusCall, storeCall } from './httpHelpers';
import { compositeProblems, compositesListing } from './compositeGuard';
import { actionAnswer, atAnswer, releaseAnswer, rfc3339 } from '../timestamps';
import { listStatus } from './listStatus';

export interface ApiDeps {
  store: SloStore;
  actions: ActionStore;
  tokens: TokenStore;
  status: StatusService;
  reconciler: Reconciler;
  /** Backfill state of each SLO's history (directory mode). */
  history?: HistoryService;
  metrics: ServerMetrics;
  ready: () => Promise<{ ready: boolean; reason?: string }>;
  /** Whether this server runs rule delivery (the leader of servers sharing one database). */
  leadership: Leadership;
  /** The GitOps folder's state, when one is configured. */
  gitops?: () => GitOpsStatus;
}

async function describeOne(s: StoredSlo, reconciler: Reconciler, history?: HistoryService) {
  return describe(s, await reconciler.states(s.service, s.name), history);
}

function describe(s: StoredSlo, sync: SyncRecord[], history?: HistoryService) {
  const backfill = history?.state(s.service, s.name);
  return {
    service: s.service,
    name: s.name,
    version: s.version,
    source: s.source,
    ...(s.sourcePath ? { sourcePath: s.sourcePath } : {}),
    kind: s.slo.sli.kind,
    description: s.slo.description,
    objective: s.slo.sli.kind === 'cost' ? undefined : s.slo.objective,
    window: s.slo.window.type === 'calendar' ? 'calendar-month' : `${s.slo.window.days}d`,
    labels: s.slo.labels,
    groupBy: s.slo.groupBy,
    spec: s.spec,
    sync: syncFor(sync, s.version).map((r) => ({ ...r, updatedAt: rfc3339(r.updatedAt) })),
    ...(backfill ? { backfill } : {}),
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
    updatedBy: s.updatedBy,
  };
}

export function registerRoutes(r: Router, d: ApiDeps): void {
  const { store, reconciler } = d;
  const refuseCompositeProblems = async (slos: Slo[]) => {
    const problems = await compositeProblems(store, slos);
    if (problems.length) {
      throw invalid(problems);
    }
  };
  const get = async (ctx: Ctx) => {
    const s = await store.get(ctx.params.service, ctx.params.name);
    if (!s) {
      throw new HttpError(404, `SLO ${ctx.params.service}/${ctx.params.name} does not exist`);
    }
    return s;
  };

  r.add('GET', '/healthz', 'public', () => ({ body: { status: 'ok' } }));
  r.add('GET', '/readyz', 'public', async () => {
    const s = await d.ready();
    return { status: s.ready ? 200 : 503, body: { status: s.ready ? 'ready' : 'not ready', reason: s.reason, leader: d.leadership.isLeader() } };
  });
  r.add('GET', '/metrics', 'public', async () => ({ raw: await d.metrics.render(), headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' } }));
  r.add('GET', '/api/openapi.json', 'public', () => ({ body: openApiDocument() }));

  r.add('GET', '/api/v1/slos', 'viewer', async (ctx) => {
    const { items, total } = await store.list({
      service: ctx.query.get('service') ?? undefined,
      team: ctx.query.get('team') ?? undefined,
      label: ctx.query.get('label') ?? undefined,
      q: ctx.query.get('q') ?? undefined,
      limit: int(ctx, 'limit', 100, 1000),
      offset: int(ctx, 'offset', 0, 1_000_000),
    });
    let statusError: string | undefined;
    let summaries: Awaited<ReturnType<StatusService['summaries']>> | undefined;
    if (ctx.query.get('status') !== 'false') {
      try {
        summaries = await d.status.summaries(items);
      } catch (e) {
        statusError = (e as Error).message;
      }
    }
    const sync = await reconciler.statesOf([...new Set(items.map((s) => s.service))]);
    // Manual actions apply with or without live numbers; `status=false` asks for neither.
    const actions = ctx.query.get('status') !== 'false' ? await d.actions.active() : undefined;
    const now = Date.now();
    const rows = items.map((s) => ({
      ...describe(s, sync.get(`${s.service}/${s.name}`) ?? [], d.history),
      spec: undefined,
      ...(actions ? listStatus(s, summaries?.get(`${s.service}/${s.name}`), actions, now, statusError) : {}),
    }));
    return { body: { items: rows, total, limit: int(ctx, 'limit', 100, 1000), offset: int(ctx, 'offset', 0, 1_000_000), ...(statusError ? { statusError } : {}) } };
  });

  r.add('POST', '/api/v1/slos', 'editor', async (ctx) => {
    const v = validateSloText(await ctx.text(), 'body');
    if (!v.slo) {
      throw invalid(v.diagnostics);
    }
    await refuseCompositeProblems([v.slo]);
    const s = await storeCall(() => store.create(v.spec!, v.slo!, ctx.principal.name));
    await reconciler.changed(s.service, s.name);
    return { status: 201, body: await describeOne(s, reconciler, d.history), headers: { ETag: etag(s.version), Location: `/api/v1/slos/${encodeURIComponent(s.service)}/${encodeURIComponent(s.name)}` } };
  });

  r.add('GET', '/api/v1/slos/{service}/{name}', 'viewer', async (ctx) => {
    const s = await get(ctx);
    return { body: await describeOne(s, reconciler, d.history), headers: { ETag: etag(s.version) } };
  });

  r.add('PUT', '/api/v1/slos/{service}/{name}', 'editor', async (ctx) => {
    const version = ifMatch(ctx, true)!;
    const v = validateSloText(await ctx.text(), 'body');
    if (!v.slo) {
      throw invalid(v.diagnostics);
    }
    await refuseCompositeProblems([v.slo]);
    const s = await storeCall(() => store.update(ctx.params.service, ctx.params.name, v.spec!, v.slo!, version, ctx.principal.name));
    await reconciler.changed(s.service, s.name);
    return { body: await describeOne(s, reconciler, d.history), headers: { ETag: etag(s.version) } };
  });

  r.add('DELETE', '/api/v1/slos/{service}/{name}', 'editor', async (ctx) => {
    const listing = await compositesListing(store, ctx.params.service, ctx.params.name);
    if (listing.length) {
      throw new HttpError(409, `${ctx.params.service}/${ctx.params.name} is a component of ${listing.join(', ')}: remove it from ${listing.length === 1 ? 'that composite' : 'those composites'} first`);
    }
    await storeCall(() => store.delete(ctx.params.service, ctx.params.name, ifMatch(ctx, false), ctx.principal.name));
    await reconciler.changed(ctx.params.service, ctx.params.name);
    return { status: 204 };
  });

  r.add('GET', '/api/v1/slos/{service}/{name}/rules', 'viewer', async (ctx) => {
    const g = sloRuleGroups((await get(ctx)).slo);
    return { body: { prometheus: renderRuleFile(g.prometheus), loki: g.loki.length ? renderRuleFile(g.loki) : undefined } };
  });

  r.add('GET', '/api/v1/slos/{service}/{name}/status', 'viewer', async (ctx) => {
    const s = await get(ctx);
    const active = await d.actions.active(s.service);
    const status = await statusCall(() => d.status.sloStatus(s, active));
    return {
      body: {
        ...status,
        ...(status.release ? { release: releaseAnswer(status.release) } : {}),
        groups: status.groups.map((g) => (g.release ? { ...g, release: releaseAnswer(g.release) } : g)),
        evaluatedAt: rfc3339(status.evaluatedAt),
      },
    };
  });

  r.add('GET', '/api/v1/slos/{service}/{name}/history', 'viewer', async (ctx) => {
    const s = await get(ctx);
    const range = parseDuration(ctx.query.get('range') ?? '') ?? (s.slo.window.type === 'rolling' ? s.slo.window.days * 86400 : 31 * 86400);
    const step = parseDuration(ctx.query.get('step') ?? '') ?? Math.max(60, Math.ceil(range / 500));
    if (range / step > 11000) {
      throw new HttpError(400, `range/step gives ${Math.round(range / step)} points; Prometheus allows 11,000`);
    }
    const end = Date.now();
    return { body: { range, step, series: await statusCall(() => d.status.history(s, end - range * 1000, end, step)) } };
  });

  r.add('GET', '/api/v1/slos/{service}/{name}/audit', 'viewer', async (ctx) => ({ body: { items: (await store.sloAuditLog(ctx.params.service, ctx.params.name, int(ctx, 'limit', 100, 1000))).map(atAnswer) } }));
  r.add('GET', '/api/v1/audit', 'viewer', async (ctx) => ({ body: { items: (await store.auditLog(undefined, int(ctx, 'limit', 100, 1000))).map(atAnswer) } }));

  r.add('POST', '/api/v1/validate', 'viewer', async (ctx) => {
    const v = validateSloText(await ctx.text(), 'body');
    return { status: v.slo ? 200 : 422, body: { valid: !!v.slo, diagnostics: v.diagnostics } };
  });

  r.add('POST', '/api/v1/preview', 'viewer', async (ctx) => {
    const v = validateSloText(await ctx.text(), 'body');
    if (!v.slo) {
      throw invalid(v.diagnostics);
    }
    const g = sloRuleGroups(v.slo);
    return { body: { prometheus: renderRuleFile(g.prometheus), loki: g.loki.length ? renderRuleFile(g.loki) : undefined, diagnostics: v.diagnostics } };
  });

  r.add('POST', '/api/v1/import', 'editor', async (ctx) => {
    const from = ctx.query.get('from');
    if (from !== 'openslo' && from !== 'sloth' && from !== 'pyrra' && from !== 'burnrate') {
      throw new HttpError(400, 'from must be openslo, sloth, pyrra or burnrate');
    }
    // Parsing and validating thousands of SLOs takes seconds: on the worker thread, so that other
    // requests are answered meanwhile.
    const text = await ctx.text();
    const body = await offThread.run('importBody', [text, 'body']).catch((e: Error) => {
      throw new HttpError(422, `the body could not be read: ${e.message}`);
    });
    // Receiving thousands of SLOs from the worker took a while: let waiting requests go first.
    await nextTurn();
    const found = body.formats;
    if (found.length > 0 && (found.length !== 1 || found[0] !== from)) {
      throw new HttpError(422, `from=${from} but the body holds ${found.join(', ')} documents`);
    }
    if (body.slos.length === 0) {
      throw invalid(body.diagnostics);
    }
    await refuseCompositeProblems(body.slos.map((x) => x.slo));
    const created = await storeCall(() =>
      store.transaction(async () => {
        const out: StoredSlo[] = [];
        for (const { spec, slo } of body.slos) {
          out.push(await store.create(spec, slo, ctx.principal.name));
        }
        return out;
      })
    );
    reconciler.changedMany();
    return { status: 201, body: { created: created.map((s) => `${s.service}/${s.name}`), diagnostics: body.diagnostics } };
  });

  r.add('GET', '/api/v1/export', 'viewer', async (ctx) => {
    const format = ctx.query.get('format') ?? 'burnrate';
    const service = ctx.query.get('service') ?? undefined;
    const slos = (await store.byService(service)).map((s) => s.slo);
    if (format === 'openslo') {
      // What OpenSLO cannot express is refused by name, unless the caller asked to leave it out:
      // then the YAML says, in comments at its top, what it does not hold.
      const r = exportOpenSLODocuments(slos);
      const problems = exportDiagnostics(r, ctx.query.get('skipUnsupported') === 'true');
      if (problems.some((p) => p.severity === 'error')) {
        throw invalid(problems);
      }
      const notes = problems.map((p) => `# ${p.message.replace(/\s+/g, ' ')}\n`).join('');
      return { raw: notes + r.text, headers: { 'Content-Type': 'application/yaml' } };
    }
    if (format === 'burnrate') {
      return { raw: toNativeYaml(slos), headers: { 'Content-Type': 'application/yaml' } };
    }
    throw new HttpError(400, 'format must be openslo or burnrate');
  });

  r.add('GET', '/api/v1/gate', 'viewer', async (ctx) => {
    const service = ctx.query.get('service');
    if (!service) {
      throw new HttpError(400, 'service is required: /api/v1/gate?service=...&route=...');
    }
    const route = ctx.query.get('route') ?? undefined;
    const onNoData = (ctx.query.get('onNoData') ?? 'unknown') as OnNoData;
    if (!ON_NO_DATA.includes(onNoData)) {
      throw new HttpError(400, `onNoData must be ${ON_NO_DATA.join(', ')}`);
    }
    const slos = await store.byService(service);
    if (slos.length === 0) {
      const known = await store.services();
      throw new HttpError(404, `no SLO knows service ${JSON.stringify(service)}; known services: ${known.length ? nameList(known) : 'none'}`, { knownServices: known });
    }
    const active = await d.actions.active(service);
    const decision = await statusCall(() => d.status.gate(service, route, slos, active, onNoData));
    return { body: { ...decision, release: releaseAnswer(decision.release), manual: decision.manual.map(actionAnswer) } };
  });

  // The GitOps folder: applied, or rejected with the problems by file and line.
  r.add('GET', '/api/v1/gitops', 'viewer', () => {
    const status = d.gitops?.();
    if (!status) {
      return { body: { enabled: false } };
    }
    // Before the first read there is no time to give (checkedAt 0).
    const { checkedAt, appliedAt, ...rest } = status;
    return { body: { enabled: true, ...rest, ...(checkedAt ? { checkedAt: rfc3339(checkedAt) } : {}), ...(appliedAt ? { appliedAt: rfc3339(appliedAt) } : {}) } };
  });

  registerActionRoutes(r, d);
  registerTokenRoutes(r, d, store);

  r.add('POST', '/api/v1/sync', 'editor', async () => {
    if (!d.leadership.isLeader()) {
      // Two servers delivering at once would race each other's rule files and ruler pushes.
      throw new HttpError(503, 'this server is not the leader of the servers sharing the database: rule delivery runs on the leader (burnrate_leader 1 in /metrics); send the sync there, or retry', undefined, { 'Retry-After': '2' });
    }
    await reconciler.run();
    return { body: { lastRun: reconciler.lastRun && atAnswer(reconciler.lastRun) } };
  });
}
