import { RuleGroup } from '../../core/rules/types';

/** The rule groups one SLO needs on one target. */
export interface SloRules {
  /** `service/name` */
  key: string;
  groups: RuleGroup[];
}

export type SyncState = 'in-sync' | 'pending' | 'failed';

export interface SyncOutcome {
  state: SyncState;
  reason?: string;
}

/** A place rules are delivered to: a Prometheus rules directory, a Mimir/Cortex or Loki ruler. */
export interface RuleSink {
  /** `prometheus` or `loki`: which generated groups it takes. */
  readonly target: 'prometheus' | 'loki';
  /** Makes the target hold exactly `desired` (rules of SLOs not listed are removed). */
  sync(desired: SloRules[]): Promise<Map<string, SyncOutcome>>;
}
