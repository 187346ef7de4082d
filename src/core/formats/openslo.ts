// OpenSLO v1 (apiVersion openslo/v1): import into native Burnrate SLOs, and export to OpenSLO.
//
// Import. Every kind SLO of a file becomes one native burnrate/v1 document value, checked by the
// native validator; SLI, AlertPolicy, AlertCondition and DataSource objects of the same file (any
// document, or any item of a document that is a YAML list) are resolved by name. OpenSLO-specific
// problems are reported at the OpenSLO field path and line; the native validator's findings are
// translated back to OpenSLO paths. Any error means no SLOs from the file.
//
//   indicator / indicatorRef   ratioMetric good/total or bad/total (counter: true) -> ratio;
//                              raw (rawType failure/success) -> raw SLI (success: `1 - (...)`);
//                              thresholdMetric over a histogram bucket selector -> latency, or over
//                              histogram_quantile(...) with Timeslices -> timeslice latency.
//   metricSource               type Prometheus or Loki (any case); other types are rejected.
//   counter queries            OpenSLO queries are plain PromQL over raw counters. A bare selector,
//                              `sum(sel)` or `sum by (l) (sel)` becomes a native selector with
//                              groupBy (so Burnrate's hourly rollups apply); anything else is
//                              rewritten so that each vector selector is `rate(sel[{{.window}}])`,
//                              and the labels its aggregations keep become the groupBy (the same
//                              for good/bad and total, and for raw queries; queryGrouping.ts).
//   objectives[0]              target (or targetPercent) -> objective; further objectives are
//                              ignored with a warning naming them.
//   timeWindow                 rolling d/w as is; rolling M/Q/Y -> 30/90/365 days per unit with a
//                              warning; calendar 1M -> calendar-month (UTC, warning otherwise);
//                              other calendar windows are rejected.
//   budgetingMethod            Occurrences -> event-based; Timeslices -> native timeslice.
//   metadata.labels            lists joined with ","; invalid label names dropped with a warning.
//   composite SLOs             objectives with their own indicator and compositeWeight -> a native
//                              composite of the SLOs of this file using those indicators
//                              (opensloComposite.ts).
//   alertPolicies              severities of the conditions decide which of page/ticket stays on;
//                              burn-rate thresholds and lookbacks that are not the multiwindow
//                              multi-burn-rate scheme's are reported: Burnrate applies the scheme.
//
// Files: opensloObjects.ts (objects and names), opensloSlo.ts (the SLO object), opensloSli.ts
// (indicators and queries), opensloAlerting.ts (alert policies). Export: opensloExport.ts.

import { SourceDoc } from '../spec/document';
import { MapReader, Problems } from '../spec/fieldReader';
import { Diagnostic } from '../spec/types';
import { ImportResult, validateConverted } from './sloth';
import { API_VERSION, join, Obj } from './opensloObjects';
import { convertSlo } from './opensloSlo';

const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KINDS = ['SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget', 'DataSource', 'Service'];

/** Imports every OpenSLO document of one file together (objects refer to each other by name). */
export function importOpenSLO(docs: SourceDoc[], file?: string): ImportResult {
  const problems = docs.map((d) => new Problems(d, file));
  const objects: Obj[] = [];
  docs.forEach((doc, di) => {
    const p = problems[di];
    const items: Array<[unknown, string]> = Array.isArray(doc.value)
      ? doc.value.map((v, i) => [v, `[${i}]`])
      : [[doc.value, '']];
    for (const [value, path] of items) {
      const r = new MapReader(value, path, p);
      if (!r.ok) {
        continue;
      }
      const apiVersion = r.string('apiVersion', { required: true });
      if (apiVersion !== undefined && apiVersion !== API_VERSION) {
        p.error(
          r.at('apiVersion'),
          apiVersion === 'openslo/v1alpha'
            ? 'OpenSLO v1alpha is not supported: Burnrate imports openslo/v1 (rewrite objectives[].ratioMetrics as spec.indicator.spec.ratioMetric and timeWindows as timeWindow)'
            : `unsupported apiVersion ${JSON.stringify(apiVersion)}: Burnrate imports "${API_VERSION}"`
        );
        continue;
      }
      const kind = r.string('kind', { required: true });
      if (kind === undefined) {
        continue;
      }
      if (!KINDS.includes(kind)) {
        p.error(r.at('kind'), `unknown OpenSLO kind ${JSON.stringify(kind)} (expected one of ${KINDS.join(', ')})`);
        continue;
      }
      const name = r.child('metadata', true).string('name', { required: true });
      if (name !== undefined) {
        checkRfc1123(name, join(path, 'metadata.name'), kind, p);
      }
      objects.push({ doc, p, path, value: r.obj, kind, name });
    }
  });
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.name === name);
  const results: ImportResult[] = [];
  const sloObjects = objects.filter((x) => x.kind === 'SLO');
  for (const o of sloObjects) {
    const converted = convertSlo(o, find, sloObjects);
    if (converted) {
      results.push(validateConverted(converted.value, o.doc, converted.map, file));
    }
  }
  const diagnostics: Diagnostic[] = [...problems.flatMap((p) => p.list), ...results.flatMap((r) => r.diagnostics)];
  if (
    objects.length > 0 &&
    !objects.some((o) => o.kind === 'SLO') &&
    !diagnostics.some((d) => d.severity === 'error')
  ) {
    const kinds = [...new Set(objects.map((o) => o.kind))].join(', ');
    diagnostics.push({
      severity: 'warning',
      file,
      line: docs[0]?.lineOf(''),
      message: `no kind SLO in this file: its ${kinds} objects are only read when an SLO in the same file refers to them`,
    });
  }
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { slos: failed ? [] : results.flatMap((r) => r.slos), diagnostics };
}

function checkRfc1123(name: string, path: string, kind: string, p: Problems): void {
  if (!RFC1123.test(name) || name.length > 253) {
    p.warn(
      path,
      `${kind} name ${JSON.stringify(name)} is not an RFC 1123 name (lowercase letters, digits, "-" and "."), which OpenSLO asks tools to expect`
    );
  }
}
