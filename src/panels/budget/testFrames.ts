// Data frames shaped like the ones Grafana's Prometheus data source hands to panels: one frame
// per series, fields [Time, Value], the series' labels (with __name__) on the Value field; one
// point for an instant query (meta.type numeric-multi), many for a range query (timeseries-multi).
// Used by the panel's unit tests.

import { createDataFrame, DataFrame, FieldType, Labels } from '@grafana/data';

export function promFrame(
  refId: string,
  labels: Labels,
  points: Array<[number, number]>,
  kind: 'vector' | 'matrix' = points.length > 1 ? 'matrix' : 'vector'
): DataFrame {
  return createDataFrame({
    refId,
    name: '',
    meta: {
      type: (kind === 'vector' ? 'numeric-multi' : 'timeseries-multi') as any,
      typeVersion: [0, 1],
      custom: { resultType: kind },
    },
    fields: [
      { name: 'Time', type: FieldType.time, values: points.map((p) => p[0]), config: {} },
      { name: 'Value', type: FieldType.number, values: points.map((p) => p[1]), labels, config: {} },
    ],
  });
}

/** A Prometheus /api/v1/query answer (vector) to frames, as Grafana's Prometheus backend converts it. */
export function vectorToFrames(
  refId: string,
  result: Array<{ metric: Record<string, string>; value: [number, string] }>
): DataFrame[] {
  return result.map((r) => promFrame(refId, r.metric, [[r.value[0] * 1000, parseFloat(r.value[1])]], 'vector'));
}

/** A Prometheus /api/v1/query_range answer (matrix) to frames. */
export function matrixToFrames(
  refId: string,
  result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>
): DataFrame[] {
  return result.map((r) =>
    promFrame(
      refId,
      r.metric,
      r.values.map(([t, v]) => [t * 1000, parseFloat(v)]),
      'matrix'
    )
  );
}
