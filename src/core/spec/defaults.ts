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

/** Bucket boundaries of well-known LLM histograms (OpenTelemetry GenAI semantic conventions). */
export const KNOWN_BUCKETS: Record<string, number[]> = {
  gen_ai_server_time_to_first_token_seconds: [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  gen_ai_client_operation_duration_seconds: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
};
