// Hooks over the user's data sources: pickers and the live SLI preview.

import { useMemo } from 'react';
import { Slo } from '../core/spec/types';
import { previewQueries } from '../core/rules/sliSignals';
import {
  bucketBoundaries,
  DataSourceRef,
  instantQuery,
  labelNames,
  labelValues,
  listDataSources,
  lokiLabelNames,
  metricNames,
} from '../api/datasource';
import { useAsync } from './useAsync';

export function useDataSources(type: 'prometheus' | 'loki'): DataSourceRef[] {
  return useMemo(() => {
    try {
      return listDataSources(type);
    } catch {
      return [];
    }
  }, [type]);
}

/**
 * How often the editor asks its data source again while it is open: soon while there is nothing
 * to show (a metric deployed a minute ago, a Prometheus whose first scrapes have not landed),
 * seldom once there is. Exported for the tests.
 */
export const REFRESH_EMPTY_MS = 10_000;
export const REFRESH_PREVIEW_MS = 30_000;
export const REFRESH_PICKER_MS = 60_000;

/** How soon the preview asks again after showing `p`. */
export const previewRefreshMs = (p: Preview | undefined) => (p?.rows.length ? REFRESH_PREVIEW_MS : REFRESH_EMPTY_MS);

const pickerRefresh = (v: unknown[] | undefined) => (v?.length ? REFRESH_PICKER_MS : REFRESH_EMPTY_MS);

export function useMetricNames(uid?: string) {
  return useAsync(() => metricNames(uid!), [uid], { skip: !uid, refreshMs: pickerRefresh });
}

/** Label names for the group-by picker: a Prometheus metric's labels, or the stream labels of a
 * Loki stream selector. */
export function useLabelNames(ds?: DataSourceRef, match?: string) {
  const uid = ds?.uid;
  const loki = ds?.type === 'loki';
  return useAsync(() => (loki ? lokiLabelNames(uid!, match) : labelNames(uid!, match)), [uid, loki, match], {
    skip: !uid || !match,
    delayMs: 300,
    refreshMs: pickerRefresh,
  });
}

export function useLabelValues(uid?: string, label?: string, metric?: string) {
  return useAsync(() => labelValues(uid!, label!, metric), [uid, label, metric], {
    skip: !uid || !label,
    refreshMs: pickerRefresh,
  });
}

export function useBuckets(uid?: string, metric?: string) {
  return useAsync(() => bucketBoundaries(uid!, metric!), [uid, metric], {
    skip: !uid || !metric,
    delayMs: 300,
    refreshMs: pickerRefresh,
  });
}

export interface PreviewRow {
  group: Record<string, string>;
  /** Error ratio (cost per request for cost SLIs) over the last hour and the last day. */
  errorRatio1h?: number;
  errorRatio1d?: number;
  /** Events in the last day. */
  events1d?: number;
}

export interface Preview {
  rows: PreviewRow[];
  /** Events in the last day, all groups. */
  eventsPerDay?: number;
  queries: { errorRatio1h: string; errorRatio1d: string; events1d?: string; language: 'promql' | 'logql' };
}

function key(groupBy: string[], m: Record<string, string>) {
  return JSON.stringify(groupBy.map((l) => m[l] ?? ''));
}

/** Runs core's preview queries through the data source: last hour and last day, per group. */
export async function runPreview(slo: Slo, ds: DataSourceRef): Promise<Preview> {
  const h = previewQueries(slo, 3600);
  const d = previewQueries(slo, 86400);
  const [r1h, r1d, ev] = await Promise.all([
    instantQuery(ds, h.errorRatio),
    instantQuery(ds, d.errorRatio),
    d.events ? instantQuery(ds, d.events) : Promise.resolve(undefined),
  ]);
  const rows = new Map<string, PreviewRow>();
  const row = (m: Record<string, string>) => {
    const k = key(slo.groupBy, m);
    let r = rows.get(k);
    if (!r) {
      r = { group: Object.fromEntries(slo.groupBy.map((l) => [l, m[l] ?? ''])) };
      rows.set(k, r);
    }
    return r;
  };
  r1h.forEach((s) => (row(s.metric).errorRatio1h = s.value));
  r1d.forEach((s) => (row(s.metric).errorRatio1d = s.value));
  ev?.forEach((s) => (row(s.metric).events1d = s.value));
  const eventsPerDay = ev ? ev.reduce((a, s) => a + s.value, 0) : undefined;
  return {
    rows: [...rows.values()].sort((a, b) => (b.errorRatio1h ?? -1) - (a.errorRatio1h ?? -1)),
    eventsPerDay,
    queries: { errorRatio1h: h.errorRatio, errorRatio1d: d.errorRatio, events1d: d.events, language: h.language },
  };
}

export function useSliPreview(slo: Slo | undefined, ds: DataSourceRef | undefined) {
  const text = slo ? JSON.stringify(slo) : '';
  return useAsync(() => runPreview(slo!, ds!), [text, ds?.uid], {
    skip: !slo || !ds,
    delayMs: 600,
    refreshMs: previewRefreshMs,
  });
}
