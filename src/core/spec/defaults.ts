// Defaults a definition gets for every field it leaves out. Kept in one place so that docs, the
// JSON Schema and the UI's editor show the same values.

import { AlertingOptions, PolicyOptions, SliKind } from './types';

export const SPEC_VERSION = 'burnrate/v1';
export const DEFAULT_WINDOW_DAYS = 30;
export const DEFAULT_EVALUATION_SECONDS = 60;
export const DEFAULT_ALERT_NAME = 'ErrorBudgetBurn';

/** Sampled SLIs page on a handful of samples without a guard; the others default to none. */
export function defaultMinEvents(kind: SliKind): number {
  return kind === 'quality' ? 20 : 0;
}

export function defaultAlerting(kind: SliKind): AlertingOptions {
  return {
    name: DEFAULT_ALERT_NAME,
    labels: {},
    annotations: {},
    // Cost is a soft SLO: it opens tickets, it never pages anyone.
    page: { enabled: kind !== 'cost', labels: { severity: 'page' }, annotations: {} },
    ticket: { enabled: true, labels: { severity: 'ticket' }, annotations: {} },
    minEvents: defaultMinEvents(kind),
  };
}

/** The workbook's policy: freeze once the budget is spent or burning above 2x over the period. */
export function defaultPolicy(): PolicyOptions {
  return {
    freezeBudgetRemaining: 0,
    freezeBurnRate: 2,
    freezeBurnWindow: 'period',
    cautionBurnRate: 1,
    cautionBurnWindow: '1d',
    qualityDecideOn: 'lowerBound',
    untrustedJudge: 'caution',
  };
}

/** Label names Burnrate sets itself; users may not set or group by them. */
export const RESERVED_LABELS = ['slo', 'slo_service', 'le', 'severity_window'];

/**
 * Bucket boundaries of well-known LLM histograms, by the name Prometheus stores them under, with
 * where they come from (docs/metrics-sources.md lists the versions checked). A classic histogram
 * can only count requests at a boundary, so a latency threshold on one of these must be one.
 */
export const KNOWN_HISTOGRAMS: Record<string, { source: string; buckets: number[] }> = {
  // OpenTelemetry GenAI semantic conventions (gen_ai.* names, seconds, after the Prometheus translation).
  gen_ai_server_time_to_first_token_seconds: {
    source: 'OpenTelemetry GenAI buckets',
    buckets: [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  },
  gen_ai_server_time_per_output_token_seconds: {
    source: 'OpenTelemetry GenAI buckets',
    buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5],
  },
  gen_ai_client_operation_duration_seconds: {
    source: 'OpenTelemetry GenAI buckets',
    buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  },
  gen_ai_client_operation_time_to_first_chunk_seconds: {
    source: 'OpenTelemetry GenAI buckets',
    buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  },
  gen_ai_server_request_duration_seconds: {
    source: 'OpenTelemetry GenAI buckets',
    buckets: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
  },
  // vLLM (v1 engine, vllm/v1/metrics/loggers.py).
  'vllm:time_to_first_token_seconds': {
    source: 'vLLM buckets',
    buckets: [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560],
  },
  'vllm:inter_token_latency_seconds': {
    source: 'vLLM buckets',
    buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80],
  },
  'vllm:e2e_request_latency_seconds': {
    source: 'vLLM buckets',
    buckets: [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680],
  },
  // LiteLLM proxy (LATENCY_BUCKETS in litellm/types/integrations/prometheus.py).
  litellm_request_total_latency_metric: {
    source: 'LiteLLM buckets',
    buckets: [0.005, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 15, 20, 25, 30, 60, 120, 180, 240, 300],
  },
  litellm_llm_api_latency_metric: {
    source: 'LiteLLM buckets',
    buckets: [0.005, 0.00625, 0.0125, 0.025, 0.05, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 15, 20, 25, 30, 60, 120, 180, 240, 300],
  },
};

/** The bucket boundaries alone, by metric name. */
export const KNOWN_BUCKETS: Record<string, number[]> = Object.fromEntries(Object.entries(KNOWN_HISTOGRAMS).map(([k, v]) => [k, v.buckets]));
