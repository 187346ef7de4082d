// Shapes of the Burnrate server's answers (see docs/server.md and /api/openapi.json). Every time
// in them is an RFC 3339 string in UTC, such as "2026-12-05T10:00:00.000Z".

import type { GroupStatus, PolicyState } from '../core/policy/status';
import type { ManualAction as StoredAction } from '../core/policy/gate';
import type { ReleaseState as CoreReleaseState, ReleaseStateName } from '../core/policy/releaseState';

export type { GroupStatus, PolicyState, ReleaseStateName };

/** A manual freeze or override, as the API answers it. */
export type ManualAction = Omit<StoredAction, 'expiresAt' | 'createdAt'> & { expiresAt: string; createdAt: string };

/** The release state as the API answers it (`until` as RFC 3339). */
export type ReleaseState = Omit<CoreReleaseState, 'until'> & { until?: string };

export interface SyncState {
  target: string;
  state: 'in-sync' | 'pending' | 'failed';
  reason?: string;
  /** The version of the SLO this state is about. */
  version?: number;
  /** When this state last changed. */
  updatedAt?: string;
}

/** The server's fill of an SLO's recorded history from the raw series Prometheus holds. */
export interface BackfillState {
  state: 'queued' | 'running' | 'done' | 'failed' | 'unsupported';
  coveredHours?: number;
  periodHours?: number;
  written?: number;
  reason?: string;
}

export interface SloSummaryStatus {
  state: PolicyState;
  /** The release state to show (servers before it: absent, then `state` is shown). */
  release?: ReleaseState;
  budgetRemaining?: number;
  periodBurnRate?: number;
  currentBurnRate?: number;
  groups: Array<{
    group: Record<string, string>;
    state: PolicyState;
    release?: ReleaseState;
    budgetRemaining?: number;
    budgetEvents?: number;
    spentEvents?: number;
    periodBurnRate?: number;
    currentBurnRate?: number;
    sampling?: GroupStatus['sampling'];
  }>;
}

export interface SloItem {
  service: string;
  name: string;
  version: number;
  source: 'api' | 'git';
  sourcePath?: string;
  kind: string;
  description?: string;
  objective?: number;
  window: string;
  labels: Record<string, string>;
  groupBy: string[];
  /** The stored definition: native SLO fields plus service (not in list answers). */
  spec?: Record<string, unknown>;
  sync: SyncState[];
  backfill?: BackfillState;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  status?: SloSummaryStatus;
  /** The release state, also when Prometheus is down (then `status` is absent). */
  release?: ReleaseState;
}

export interface SloList {
  items: SloItem[];
  total: number;
  limit: number;
  offset: number;
  statusError?: string;
}

export interface SloStatus {
  service: string;
  name: string;
  state: PolicyState;
  release?: ReleaseState;
  groups: Array<GroupStatus & { release?: ReleaseState }>;
  /** Absent when Prometheus could not say which alerts fire: `alertsError` says why. */
  alerts?: Array<{ labels: Record<string, string>; state: string }>;
  alertsError?: string;
  /** When Prometheus was asked. */
  evaluatedAt: string;
}

export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export interface SloHistory {
  range: number;
  step: number;
  series: Record<string, RangeSeries[]>;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

export interface ApiDiagnostic {
  severity: 'error' | 'warning';
  path?: string;
  line?: number;
  message: string;
}
