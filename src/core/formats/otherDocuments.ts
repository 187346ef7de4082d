// Documents that are not SLO definitions but sit beside them in the folders users have: rule files
// generated from SLOs (Sloth's `_gen/` output, Burnrate's own `generate -o`, a PrometheusRule
// manifest), and Kubernetes objects of other kinds. Rule files in a folder are skipped with a
// note; anything else is an error that says what the document is and what Burnrate reads.

import { PYRRA_API_VERSION, PYRRA_KIND } from './pyrra';

/** What Burnrate reads, for messages about what it does not. */
export const FORMATS_READ = 'Burnrate, OpenSLO, Sloth and Pyrra';
const FORMATS_DETAIL = `version: burnrate/v1, apiVersion: openslo/v1, version: prometheus/v1, or apiVersion: ${PYRRA_API_VERSION} with kind: ${PYRRA_KIND}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What kind of rule file a document is, or undefined when it is not one: a Prometheus or Loki
 * rule file (top-level `groups:` list and no format field) or a prometheus-operator
 * PrometheusRule manifest (which `burnrate generate --format prometheusrule` writes).
 */
export function ruleDocumentKind(value: unknown): string | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  if (Array.isArray(value.groups) && value.version === undefined && value.apiVersion === undefined && value.kind === undefined) {
    return 'a Prometheus rule file (top-level groups:)';
  }
  if (value.kind === 'PrometheusRule' && typeof value.apiVersion === 'string' && value.apiVersion.startsWith('monitoring.coreos.com/')) {
    return `a PrometheusRule manifest (apiVersion: ${value.apiVersion})`;
  }
  return undefined;
}

const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Why a document no reader takes is refused, naming what it is when it says so. */
export function unsupportedDocumentMessage(value: unknown): string {
  const rules = ruleDocumentKind(value);
  if (rules) {
    return `${rules}, such as Sloth's _gen/ output or burnrate generate's: rules generated from SLOs, not an SLO definition (in a folder, such files are skipped). Burnrate reads ${FORMATS_READ} (${FORMATS_DETAIL})`;
  }
  const v = isObject(value) ? value : {};
  if (typeof v.apiVersion === 'string' && v.apiVersion.startsWith('sloth.slok.dev/')) {
    return `kind: ${shown(v.kind)} from apiVersion ${v.apiVersion} is Sloth's Kubernetes resource, which Burnrate does not read; it reads Sloth's prometheus/v1 spec: put the resource's spec (service, labels, slos) in a file under version: prometheus/v1`;
  }
  if (v.kind !== undefined || v.apiVersion !== undefined) {
    const what = v.kind !== undefined && v.apiVersion !== undefined ? `kind: ${shown(v.kind)} from apiVersion ${shown(v.apiVersion)}` : v.kind !== undefined ? `kind: ${shown(v.kind)} (no apiVersion)` : `apiVersion ${shown(v.apiVersion)} (no kind)`;
    return `${what} is not a format Burnrate reads; it reads ${FORMATS_READ} (${FORMATS_DETAIL})`;
  }
  if (v.version !== undefined) {
    return `version: ${shown(v.version)} is not a format Burnrate reads; it reads ${FORMATS_READ} (${FORMATS_DETAIL})`;
  }
  return `unknown document: expected a Burnrate definition (version: burnrate/v1), an OpenSLO v1 document (apiVersion: openslo/v1), a Sloth spec (version: prometheus/v1) or a Pyrra ${PYRRA_KIND} (apiVersion: ${PYRRA_API_VERSION}, kind: ${PYRRA_KIND})`;
}
