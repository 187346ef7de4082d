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

/**
 * answer-quality on two routes, objective 92% (budget 8%), as query A returns it. /chat: 94.1% pass
 * over 1d (error 5.9%), Wilson 93.0-95.0% pass, 2,140 effective samples: enough, judge trusted.
 * /search: 94% pass, 38 samples where about 710 are needed to tell 92% from 94%; the judge agrees
 * with people 70% of the time.
 */
export function qualityFrames(at: number, labels: Labels = {}): DataFrame[] {
  const group = (route: string, v: Record<string, number>) =>
    Object.entries({ 'slo:error_budget:ratio': 0.08, 'slo:release_freeze:bool': 0, 'slo:release_caution:bool': 0, ...v }).map(([name, x]) =>
      promFrame('A', { __name__: name, slo: 'answer-quality', slo_service: 'llm-gateway', ...labels, route }, [[at, x]])
    );
  return [
    ...group('/chat', {
      'slo:sli_error:ratio_rate1d': 0.059,
      'slo:sli_error_lower:ratio_rate1d': 0.05,
      'slo:sli_error_upper:ratio_rate1d': 0.07,
      'slo:sli_samples:effective1d': 2140,
      'slo:sli_samples:needed1d': 700,
      'slo:sli_samples_insufficient:bool': 0,
      'slo:judge_untrusted:bool': 0,
    }),
    ...group('/search', {
      'slo:sli_error:ratio_rate1d': 0.06,
      'slo:sli_error_lower:ratio_rate1d': 0.017,
      'slo:sli_error_upper:ratio_rate1d': 0.19,
      'slo:sli_samples:effective1d': 38,
      'slo:sli_samples:needed1d': 707,
      'slo:sli_samples_insufficient:bool': 1,
      'slo:judge_untrusted:bool': 1,
      'slo:judge_agreement:ratio_rate1d': 0.7,
    }),
  ];
}
