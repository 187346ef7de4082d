// Prometheus HTTP API answers to data frames as Grafana's Prometheus backend makes them
// (pkg/promlib/converter: one frame per series, fields [Time, Value], the series labels with
// __name__ on Value), as DataFrameJSON, which the browser host reads with dataFrameFromJSON.

import { PrometheusProcess } from '../support/prometheusServer';

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;
type Matrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

function frameJSON(refId: string, expr: string, kind: 'vector' | 'matrix', labels: Record<string, string>, points: Array<[number, string]>, stepMs: number) {
  return {
    schema: {
      refId,
      name: '',
      meta: {
        type: kind === 'vector' ? 'numeric-multi' : 'timeseries-multi',
        typeVersion: [0, 1],
        custom: { resultType: kind },
        executedQueryString: `Expr: ${expr}\nStep: ${stepMs / 1000}s`,
      },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' }, config: { interval: stepMs } },
        { name: 'Value', type: 'number', typeInfo: { frame: 'float64' }, labels, config: {} },
      ],
    },
    data: {
      values: [points.map((p) => Math.round(p[0] * 1000)), points.map((p) => parseFloat(p[1]))],
    },
  };
}

export interface QueryAnswer {
  frames: any[];
  errors: Array<{ refId: string; message: string }>;
}

export async function promQuery(prom: PrometheusProcess, refId: string, expr: string, range?: { start: number; end: number; step: number }): Promise<QueryAnswer> {
  const path = range ? '/api/v1/query_range' : '/api/v1/query';
  const params = new URLSearchParams(
    range ? { query: expr, start: String(range.start), end: String(range.end), step: String(range.step) } : { query: expr }
  );
  const r = await fetch(`${prom.url}${path}`, { method: 'POST', body: params });
  const body = (await r.json()) as any;
  if (body.status !== 'success') {
    // Grafana: DataResponse{Error: "<errorType>: <error>"} -> data.errors[] in the panel.
    return { frames: [], errors: [{ refId, message: `${body.errorType}: ${body.error}` }] };
  }
  const step = (range?.step ?? 15) * 1000;
  const frames =
    body.data.resultType === 'vector'
      ? (body.data.result as Vector).map((s) => frameJSON(refId, expr, 'vector', s.metric, [s.value], step))
      : (body.data.result as Matrix).map((s) => frameJSON(refId, expr, 'matrix', s.metric, s.values, step));
  return { frames, errors: [] };
}

