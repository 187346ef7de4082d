// The HTTP API's one timestamp format: RFC 3339 in UTC with milliseconds
// ("2026-12-05T10:00:00.000Z"), what the SLOs' createdAt/updatedAt and a freeze's expiresAt (in a
// request) used from the start. Stores and core keep epoch milliseconds, which compare and add
// cheaply; answers are converted here, at the edge. (Range series from Prometheus keep its own
// [unix seconds, "value"] pairs: they are Prometheus's data, passed through.)

import type { ManualAction } from '../core/policy/gate';
import type { ReleaseState } from '../core/policy/releaseState';

export const rfc3339 = (ms: number): string => new Date(ms).toISOString();

export type ManualActionAnswer = Omit<ManualAction, 'expiresAt' | 'createdAt'> & { expiresAt: string; createdAt: string };

export const actionAnswer = (a: ManualAction): ManualActionAnswer => ({ ...a, expiresAt: rfc3339(a.expiresAt), createdAt: rfc3339(a.createdAt) });

/** `at` of an object (an audit entry, the last delivery pass) as RFC 3339. */
export const atAnswer = <T extends { at: number }>(x: T): Omit<T, 'at'> & { at: string } => ({ ...x, at: rfc3339(x.at) });

/** A release state's `until` (the deciding manual action's expiry) as RFC 3339. */
export const releaseAnswer = (r: ReleaseState): Omit<ReleaseState, 'until'> & { until?: string } => {
  const { until, ...rest } = r;
  return until === undefined ? rest : { ...rest, until: rfc3339(until) };
};
