// The Burnrate server, reached through Grafana's plugin proxy (/api/plugin-proxy/<id>/api/...).
// Grafana adds the server URL and the token (secureJsonData) from the routes in plugin.json:
// the browser never holds the token. Only this module talks to the network for the server.

import { lastValueFrom } from 'rxjs';
import { getBackendSrv, FetchResponse } from '@grafana/runtime';
import { PROXY_BASE } from '../constants';
import { ApiDiagnostic, AuditEntry, ManualAction, SloHistory, SloItem, SloList, SloStatus } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics: ApiDiagnostic[] = []
  ) {
    super(message);
  }
  get conflict(): boolean {
    return this.status === 412;
  }
}

function errorFrom(e: any): ApiError {
  const status: number = e?.status ?? 0;
  const body = e?.data;
  const err = body?.error;
  let message: string =
    (typeof err === 'object' && err?.message) ||
    (typeof err === 'string' && err) ||
    body?.message ||
    e?.statusText ||
    e?.message ||
    'request failed';
  if (status === 0 || status === 502) {
    message = `the Burnrate server cannot be reached through Grafana (${message}); check the server URL in the app's settings`;
  }
  const details = Array.isArray(err?.details) ? (err.details as ApiDiagnostic[]) : [];
  return new ApiError(status, message, details);
}

const seg = encodeURIComponent;

interface Req {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
  headers?: Record<string, string>;
}

async function call<T>(r: Req): Promise<FetchResponse<T>> {
  const params = Object.fromEntries(Object.entries(r.params ?? {}).filter(([, v]) => v !== undefined && v !== ''));
  try {
    return await lastValueFrom(
      getBackendSrv().fetch<T>({
        url: `${PROXY_BASE}${r.path}`,
        method: r.method ?? 'GET',
        params,
        data: r.data,
        headers: r.headers,
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
  } catch (e) {
    throw errorFrom(e);
  }
}

function etagVersion(res: FetchResponse<SloItem>): number {
  const h = res.headers?.get?.('etag');
  const m = h ? /(\d+)/.exec(h) : null;
  return m ? Number(m[1]) : res.data.version;
}

export interface ListFilter {
  service?: string;
  team?: string;
  q?: string;
  limit?: number;
  status?: boolean;
}

export const api = {
  async listSlos(f: ListFilter = {}): Promise<SloList> {
    const { status, ...rest } = f;
    return (
      await call<SloList>({
        path: '/api/v1/slos',
        params: { ...rest, limit: f.limit ?? 1000, status: status === false ? 'false' : undefined },
      })
    ).data;
  },
  async getSlo(service: string, name: string): Promise<SloItem> {
    const res = await call<SloItem>({ path: `/api/v1/slos/${seg(service)}/${seg(name)}` });
    return { ...res.data, version: etagVersion(res) };
  },
  async createSlo(spec: Record<string, unknown>): Promise<SloItem> {
    return (
      await call<SloItem>({
        method: 'POST',
        path: '/api/v1/slos',
        data: spec,
        headers: { 'Content-Type': 'application/json' },
      })
    ).data;
  },
  /** PUT with If-Match: a stale version gets ApiError with status 412 (`conflict`). */
  async updateSlo(service: string, name: string, spec: Record<string, unknown>, version: number): Promise<SloItem> {
    return (
      await call<SloItem>({
        method: 'PUT',
        path: `/api/v1/slos/${seg(service)}/${seg(name)}`,
        data: spec,
        headers: { 'Content-Type': 'application/json', 'If-Match': `"${version}"` },
      })
    ).data;
  },
  /** Imports every SLO of a text in one format, all or none (the server's POST /api/v1/import). */
  async importSlos(text: string, from: string): Promise<{ created: string[]; diagnostics: ApiDiagnostic[] }> {
    return (
      await call<{ created: string[]; diagnostics: ApiDiagnostic[] }>({
        method: 'POST',
        path: '/api/v1/import',
        params: { from },
        data: text,
        headers: { 'Content-Type': 'application/yaml' },
      })
    ).data;
  },
  async deleteSlo(service: string, name: string, version?: number): Promise<void> {
    await call({
      method: 'DELETE',
      path: `/api/v1/slos/${seg(service)}/${seg(name)}`,
      headers: version ? { 'If-Match': `"${version}"` } : undefined,
    });
  },
  async status(service: string, name: string): Promise<SloStatus> {
    return (await call<SloStatus>({ path: `/api/v1/slos/${seg(service)}/${seg(name)}/status` })).data;
  },
  async history(service: string, name: string, range?: string, step?: string): Promise<SloHistory> {
    return (
      await call<SloHistory>({ path: `/api/v1/slos/${seg(service)}/${seg(name)}/history`, params: { range, step } })
    ).data;
  },
  async audit(service: string, name: string, limit = 50): Promise<AuditEntry[]> {
    return (
      await call<{ items: AuditEntry[] }>({
        path: `/api/v1/slos/${seg(service)}/${seg(name)}/audit`,
        params: { limit },
      })
    ).data.items;
  },
  async freezes(service?: string): Promise<ManualAction[]> {
    return (await call<{ items: ManualAction[] }>({ path: '/api/v1/freezes', params: { service } })).data.items;
  },
  async createFreeze(body: {
    kind: 'freeze' | 'override';
    service: string;
    route?: string;
    reason: string;
    duration: string;
  }): Promise<ManualAction> {
    return (await call<ManualAction>({ method: 'POST', path: '/api/v1/freezes', data: body })).data;
  },
  async revokeFreeze(id: number, reason: string): Promise<void> {
    await call({ method: 'DELETE', path: `/api/v1/freezes/${id}`, params: { reason } });
  },
  /** The connection check of the settings page: the server answers and accepts the token. */
  async testConnection(): Promise<{ ok: boolean; message: string }> {
    try {
      await call({ path: '/healthz' });
    } catch (e) {
      return { ok: false, message: `server not reachable: ${(e as Error).message}` };
    }
    try {
      const list = await call<SloList>({ path: '/api/v1/slos', params: { limit: 1, status: 'false' } });
      return {
        ok: true,
        message: `Connected: the server holds ${list.data.total} SLO${list.data.total === 1 ? '' : 's'} and accepts the token`,
      };
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 401 || err.status === 403) {
        return { ok: false, message: `the server answers, but refuses the token (${err.status}): ${err.message}` };
      }
      return { ok: false, message: err.message };
    }
  },
};
