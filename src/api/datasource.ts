// The user's Prometheus and Loki data sources, through Grafana's data source proxy
// (/api/datasources/proxy/uid/<uid>/...): metric and label pickers, bucket boundaries and the
// editor's live SLI preview. The SLI is previewed with the queries core generates
// (previewQueries), so what the editor shows is what the rules will record.

import { lastValueFrom } from 'rxjs';
import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';

export interface DataSourceRef {
  uid: string;
  name: string;
  type: 'prometheus' | 'loki' | string;
}

export interface InstantSample {
  metric: Record<string, string>;
  value: number;
}

export function listDataSources(type: 'prometheus' | 'loki'): DataSourceRef[] {
  return getDataSourceSrv()
    .getList({ type })
    .map((d) => ({ uid: d.uid, name: d.name, type: d.type }));
}

const proxy = (uid: string) => `/api/datasources/proxy/uid/${encodeURIComponent(uid)}`;

async function get<T>(url: string, params: Record<string, string | string[] | number>): Promise<T> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<{ status: string; data: T; error?: string }>({ url, params, showErrorAlert: false })
    );
    return res.data.data;
  } catch (e: any) {
    const msg = e?.data?.error || e?.data?.message || e?.statusText || e?.message || 'query failed';
    throw new Error(String(msg));
  }
}

/** Metric names, optionally only those matching a regex (client side). */
export async function metricNames(uid: string): Promise<string[]> {
  return get<string[]>(`${proxy(uid)}/api/v1/label/__name__/values`, {});
}

/** Label names present on the series of `metric` (for group-by and matchers). */
export async function labelNames(uid: string, metric?: string): Promise<string[]> {
  const names = await get<string[]>(`${proxy(uid)}/api/v1/labels`, metric ? { 'match[]': metric } : {});
  return names.filter((n) => n !== '__name__' && n !== 'le');
}

/** Loki's stream labels, of the streams a selector matches when one is given (Loki 2.9 and later
 * read `query`; older ones list every label). */
export async function lokiLabelNames(uid: string, streamSelector?: string): Promise<string[]> {
  const end = Date.now() * 1e6;
  const names = await get<string[]>(`${proxy(uid)}/loki/api/v1/labels`, {
    ...(streamSelector ? { query: streamSelector } : {}),
    start: end - 3600 * 1e9,
    end,
  });
  return names.filter((n) => n !== '__name__');
}

export async function labelValues(uid: string, label: string, metric?: string): Promise<string[]> {
  return get<string[]>(
    `${proxy(uid)}/api/v1/label/${encodeURIComponent(label)}/values`,
    metric ? { 'match[]': metric } : {}
  );
}

/** The real `le` boundaries of a classic histogram, sorted, without +Inf. */
export async function bucketBoundaries(uid: string, metric: string): Promise<number[]> {
  return boundariesOf(await labelValues(uid, 'le', `${metric}_bucket`));
}

/** `le` values as numbers, once each: clients spell one bound "1e+06", "1000000.0" or "1.0E6". */
export function boundariesOf(le: string[]): number[] {
  return [...new Set(le.map(Number).filter((n) => Number.isFinite(n)))].sort((a, b) => a - b);
}

/** Series of a selector over the last hour (to see what labels a query really has). */
export async function series(uid: string, selector: string): Promise<Array<Record<string, string>>> {
  const end = Math.floor(Date.now() / 1000);
  return get(`${proxy(uid)}/api/v1/series`, { 'match[]': selector, start: end - 3600, end });
}

/** An instant query, PromQL or LogQL. */
export async function instantQuery(ds: DataSourceRef, expr: string): Promise<InstantSample[]> {
  const path = ds.type === 'loki' ? '/loki/api/v1/query' : '/api/v1/query';
  const data = await get<{
    resultType: string;
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  }>(`${proxy(ds.uid)}${path}`, {
    query: expr,
  });
  return (data.result ?? [])
    .map((r) => ({ metric: r.metric, value: Number(r.value[1]) }))
    .filter((s) => Number.isFinite(s.value));
}
