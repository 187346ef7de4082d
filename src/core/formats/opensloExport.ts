// OpenSLO v1 export.
//
// One kind SLO per Burnrate SLO, with an inline indicator:
//   ratio (Prometheus selectors)  ratioMetric counter: true, good|bad and total as the raw counter
//                                 expression: the selector with exclusions as matchers, wrapped in
//                                 `sum by (<groupBy>) (...)` (or `sum(...)`).
//   ratio ({{.window}} queries)   the same when every placeholder is `rate(<selector>[{{.window}}])`
//                                 (the rate is taken off again); otherwise not exported.
//   ratio (Loki)                  ratioMetric with metricSource type Loki and the log queries, each
//                                 exclusion a label filter `| label !~ "regex"` at the end; the
//                                 group-by labels go into the annotation burnrate.dev/group-by.
//   raw                           ratioMetric raw, rawType failure, the query at a 5m window.
//   latency (classic histogram)   ratioMetric counter: true, good = `<m>_bucket{..., le="<t>"}`,
//                                 total = `<m>_count{...}`. Native histograms are skipped.
//   timeslice                     budgetingMethod Timeslices: ratio -> ratioMetric with
//                                 timeSliceTarget; latency -> thresholdMetric over
//                                 histogram_quantile with op lte and value = threshold.
//   quality                       a single-component quality SLI exports as its good/total
//                                 ratioMetric with the annotation `burnrate.dev/note`; a blend of
//                                 several weighted components has no OpenSLO form and is skipped.
//   cost                          skipped: cost per request is not a ratio of good events.
//   composite                     an OpenSLO composite: one objective per component, with the
//                                 component's inline indicator, compositeWeight = its weight, and
//                                 the composite's target; skipped when a component is not exported.
// What is not exported is named per SLO (ExportResult.skipped); so are the Burnrate-only settings
// an exported SLO loses (alerting, release policy, evaluation interval, judge agreement: .partial).

import { parser as promParser } from '@prometheus-io/lezer-promql';
import { stringify } from 'yaml';
import { sloValue } from '../spec/serialize';
import { Diagnostic, Slo } from '../spec/types';
import { formatDuration } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { isWindowTemplate, renderWindow, selector } from '../promql/queries';
import { quote, regexOneOf } from '../promql/escape';
import { API_VERSION, GROUP_BY_ANNOTATION } from './opensloObjects';
import { childList, firstParseError, matcherList, text } from './promqlRewrite';

/** An SLO, and what OpenSLO cannot express of it. */
export interface NotExported {
  slo: Slo;
  reason: string;
}

export interface ExportResult {
  text: string;
  /** How many SLOs the text holds. */
  exported: number;
  /** SLOs that OpenSLO cannot express: they are not in the text. */
  skipped: NotExported[];
  /** Exported SLOs whose Burnrate-only settings OpenSLO has no place for. */
  partial: NotExported[];
}

/** The Burnrate-only settings of an SLO that differ from their defaults, which OpenSLO cannot hold. */
function lostSettings(slo: Slo): string[] {
  const native = sloValue(slo);
  const lost = (['alerting', 'policy', 'evaluationInterval'] as const).filter((k) => k in native);
  return slo.sli.kind === 'quality' && slo.sli.agreement ? [...lost, 'quality.agreement'] : lost;
}

const EXPORT_NOTE = 'burnrate.dev/note';

function counterExpr(slo: Slo, q: string): string | undefined {
  let sel = q;
  if (isWindowTemplate(q)) {
    const un = unrate(q);
    if (un === undefined) {
      return undefined;
    }
    return un;
  }
  if (slo.exclude.length) {
    const parts = matcherList(q);
    if (!parts) {
      return undefined;
    }
    const extra = slo.exclude.map((x) => `${x.label}!~${quote(x.values ? regexOneOf(x.values) : x.regex!)}`);
    sel = parts.metric
      ? selector(parts.metric, ...parts.matchers, ...extra)
      : `{${[...parts.matchers, ...extra].join(', ')}}`;
  }
  return slo.groupBy.length ? `sum by (${slo.groupBy.join(', ')}) (${sel})` : `sum(${sel})`;
}

/** `sum(rate(x[{{.window}}]))` -> `sum(x)`; undefined when a placeholder is used any other way. */
export function unrate(q: string): string | undefined {
  const probe = renderWindow(q, '59m59s');
  if (firstParseError(probe)) {
    return undefined;
  }
  const spans: Array<{ from: number; to: number; sel: string }> = [];
  promParser.parse(probe).iterate({
    enter(ref) {
      const n = ref.node;
      if (n.name === 'FunctionCall' && n.getChild('FunctionIdentifier')?.getChild('Rate')) {
        const args = childList(n.getChild('FunctionCallBody')!);
        const ms = args.length === 1 && args[0].name === 'MatrixSelector' ? args[0] : undefined;
        const d = ms?.getChild('DurationExpr');
        const vs = ms?.getChild('VectorSelector');
        if (ms && d && vs && text(probe, d) === '59m59s') {
          spans.push({ from: n.from, to: n.to, sel: text(probe, vs) });
          return false;
        }
      }
      return undefined;
    },
  });
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += probe.slice(pos, s.from) + s.sel;
    pos = s.to;
  }
  out += probe.slice(pos);
  if (out.includes('59m59s')) {
    return undefined;
  }
  return out;
}

function metricSource(source: string, query: string) {
  return { metricSource: { type: source === 'loki' ? 'Loki' : 'Prometheus', spec: { query } } };
}

/** A log query without the excluded events: the label filters the Loki ruler rules add. */
function lokiQuery(slo: Slo, q: string): string {
  return [q, ...slo.exclude.map((x) => `| ${x.label} !~ ${quote(x.values ? regexOneOf(x.values) : x.regex!)}`)].join(' ');
}

/** OpenSLO documents for the SLOs, with the SLOs that could not be exported, and why. */
export function exportOpenSLODocuments(slos: Slo[]): ExportResult {
  const skipped: NotExported[] = [];
  const partial: NotExported[] = [];
  const docs: unknown[] = [];
  // Composites go last: their objectives carry the indicators their components were exported with.
  const indicators = new Map<string, Record<string, unknown>>();
  const ordered = [...slos.filter((s) => s.sli.kind !== 'composite'), ...slos.filter((s) => s.sli.kind === 'composite')];
  for (const slo of ordered) {
    const skip = (reason: string) => skipped.push({ slo, reason });
    const sli = slo.sli;
    if (sli.kind === 'composite') {
      const c = compositeDocument(slo, indicators);
      if (typeof c === 'string') {
        skip(c);
      } else {
        docs.push(c);
        const lost = lostSettings(slo);
        if (lost.length) {
          partial.push({ slo, reason: `exported without ${lost.join(', ')}: OpenSLO has no place for Burnrate's alerting, release policy, evaluation interval or judge agreement` });
        }
      }
      continue;
    }
    let indicator: Record<string, unknown> | undefined;
    let method = 'Occurrences';
    let objectiveExtra: Record<string, unknown> = {};
    const annotations: Record<string, string> = {};
    const ratioOf = (
      source: string,
      good: string | undefined,
      errors: string | undefined,
      total: string
    ): Record<string, unknown> | undefined => {
      if (source === 'loki') {
        if (slo.groupBy.length) {
          annotations[GROUP_BY_ANNOTATION] = slo.groupBy.join(',');
        }
        return {
          ratioMetric: {
            counter: true,
            ...(good !== undefined ? { good: metricSource('loki', lokiQuery(slo, good)) } : { bad: metricSource('loki', lokiQuery(slo, errors!)) }),
            total: metricSource('loki', lokiQuery(slo, total)),
          },
        };
      }
      const g = good !== undefined ? counterExpr(slo, good) : undefined;
      const b = errors !== undefined ? counterExpr(slo, errors) : undefined;
      const t = counterExpr(slo, total);
      if ((g === undefined && b === undefined) || t === undefined) {
        return undefined;
      }
      return {
        ratioMetric: {
          counter: true,
          ...(g !== undefined ? { good: metricSource('prometheus', g) } : { bad: metricSource('prometheus', b!) }),
          total: metricSource('prometheus', t),
        },
      };
    };
    const templateWhy =
      'its {{.window}} queries are not plain rate(<selector>[{{.window}}]) over counters, so they have no OpenSLO counter form';
    switch (sli.kind) {
      case 'ratio':
        indicator = ratioOf(sli.source, sli.good, sli.errors, sli.total);
        if (!indicator) {
          skip(templateWhy);
        }
        break;
      case 'raw':
        indicator = {
          ratioMetric: {
            counter: false,
            rawType: 'failure',
            raw: metricSource('prometheus', renderWindow(sli.errorRatio, '5m')),
          },
        };
        break;
      case 'latency': {
        if (sli.native) {
          skip('native histograms have no bucket counter to give OpenSLO as good events');
          break;
        }
        const le = `le=${quote(formatNumber(sli.threshold))}`;
        const m = sli.matchers ? [sli.matchers] : [];
        indicator = ratioOf(
          'prometheus',
          selector(`${sli.metric}_bucket`, ...m, le),
          undefined,
          selector(`${sli.metric}_count`, ...m)
        );
        break;
      }
      case 'timeslice':
        method = 'Timeslices';
        if (sli.ratio) {
          indicator = ratioOf('prometheus', sli.ratio.good, sli.ratio.errors, sli.ratio.total);
          objectiveExtra = { timeSliceTarget: sli.ratio.target, timeSliceWindow: formatDuration(sli.sliceSeconds) };
          if (!indicator) {
            skip(templateWhy);
          }
        } else if (sli.latency) {
          const l = sli.latency;
          const by = ['le', ...slo.groupBy].join(', ');
          const excluded = slo.exclude.map((x) => `${x.label}!~${quote(x.values ? regexOneOf(x.values) : x.regex!)}`);
          const q = `histogram_quantile(${formatNumber(l.quantile)}, sum by (${by}) (rate(${selector(`${l.metric}_bucket`, l.matchers, ...excluded)}[${formatDuration(sli.sliceSeconds)}])))`;
          indicator = { thresholdMetric: metricSource('prometheus', q) };
          objectiveExtra = { op: 'lte', value: l.threshold, timeSliceWindow: formatDuration(sli.sliceSeconds) };
        }
        break;
      case 'quality':
        if (sli.components.length !== 1) {
          skip(
            'a weighted blend of several quality components has no OpenSLO form (export each component as its own SLO)'
          );
          break;
        }
        indicator = ratioOf(sli.source, sli.components[0].good, undefined, sli.components[0].total);
        annotations[EXPORT_NOTE] = `Burnrate quality SLI (sampled component "${sli.components[0].name}")`;
        if (!indicator) {
          skip(templateWhy);
        }
        break;
      case 'cost':
        skip('cost per request is a soft SLO on an average, not a ratio of good events');
        break;
    }
    if (!indicator) {
      continue;
    }
    const lost = lostSettings(slo);
    if (lost.length) {
      partial.push({ slo, reason: `exported without ${lost.join(', ')}: OpenSLO has no place for Burnrate's alerting, release policy, evaluation interval or judge agreement` });
    }
    const inline = { metadata: { name: `${slo.name}-sli` }, spec: indicator };
    if (method === 'Occurrences') {
      indicators.set(`${slo.service}/${slo.name}`, inline);
    }
    docs.push({
      apiVersion: API_VERSION,
      kind: 'SLO',
      metadata: sloMetadata(slo, annotations),
      spec: {
        ...(slo.description ? { description: slo.description } : {}),
        service: slo.service,
        indicator: inline,
        timeWindow: [timeWindow(slo)],
        budgetingMethod: method,
        objectives: [{ target: slo.objective, ...objectiveExtra }],
      },
    });
  }
  const text = docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return { text, exported: docs.length, skipped, partial };
}

function sloMetadata(slo: Slo, annotations: Record<string, string>): Record<string, unknown> {
  const labels = Object.fromEntries(Object.entries(slo.labels).map(([k, v]) => [k, [v]]));
  return {
    name: slo.name,
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}

function timeWindow(slo: Slo): Record<string, unknown> {
  return slo.window.type === 'calendar'
    ? { duration: '1M', isRolling: false, calendar: { startTime: '2020-01-01 00:00:00', timeZone: 'UTC' } }
    : { duration: `${slo.window.days}d`, isRolling: true };
}

/**
 * A composite as an OpenSLO composite SLO: one objective per component, each with the component's
 * own inline indicator (as exported with the component), the composite's target and the
 * component's weight as compositeWeight; the group-by labels in the burnrate.dev/group-by
 * annotation. A string: why it cannot be exported.
 */
function compositeDocument(slo: Slo, indicators: Map<string, Record<string, unknown>>): Record<string, unknown> | string {
  if (slo.sli.kind !== 'composite') {
    throw new Error('not a composite');
  }
  const objectives: unknown[] = [];
  for (const c of slo.sli.components) {
    const id = `${c.service ?? slo.service}/${c.slo}`;
    const indicator = indicators.get(id);
    if (!indicator) {
      return `its component ${id} is not exported with it as an event-counting (Occurrences) SLO, and OpenSLO composites carry their components' indicators`;
    }
    objectives.push({ displayName: id, target: slo.objective, compositeWeight: c.weight, indicator });
  }
  return {
    apiVersion: API_VERSION,
    kind: 'SLO',
    metadata: sloMetadata(slo, slo.groupBy.length ? { [GROUP_BY_ANNOTATION]: slo.groupBy.join(',') } : {}),
    spec: {
      ...(slo.description ? { description: slo.description } : {}),
      service: slo.service,
      timeWindow: [timeWindow(slo)],
      budgetingMethod: 'Occurrences',
      objectives,
    },
  };
}

/**
 * What an export left out, at each SLO's definition: an SLO that was not exported is an error,
 * or a warning when the caller asked to skip such SLOs; settings an exported SLO lost, a warning.
 */
export function exportDiagnostics(r: ExportResult, skipUnsupported: boolean): Diagnostic[] {
  const at = ({ slo, reason }: NotExported, severity: Diagnostic['severity'], what: string): Diagnostic => ({
    severity,
    file: slo.origin?.file,
    line: slo.origin?.line,
    message: `${slo.service}/${slo.name}: ${what}${reason}`,
  });
  return [
    ...r.skipped.map((x) => at(x, skipUnsupported ? 'warning' : 'error', 'not exported: OpenSLO cannot express it: ')),
    ...r.partial.map((x) => at(x, 'warning', '')),
  ];
}
