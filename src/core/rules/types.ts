import { Labels } from '../spec/types';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Labels;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Labels;
  annotations?: Labels;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  /** Prometheus duration, e.g. "1m". */
  interval: string;
  rules: Rule[];
}

/** Everything generated for a set of SLOs. */
export interface GeneratedRules {
  /** Groups for Prometheus (or a Mimir/Cortex/Thanos ruler). */
  prometheus: RuleGroup[];
  /** Groups for the Loki ruler (Loki SLIs only), remote-writing per-minute counts to Prometheus. */
  loki: RuleGroup[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return (rule as AlertingRule).alert !== undefined;
}
