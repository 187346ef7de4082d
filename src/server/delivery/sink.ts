import { RuleGroup } from '../../core/rules/types';

/** The rule groups one SLO needs on one target. */
export interface SloRules {
  /** `service/name` */
  key: string;
  /** The stored version of the SLO these rules were made from. */
  version: number;
  groups: RuleGroup[];
  /** The groups as one rule file. */
  text: string;
  /** A digest of `text`, to compare with what a target holds without keeping every file. */
  digest: string;
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
