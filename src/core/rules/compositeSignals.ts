// Signals of a composite SLO, built from the signals its components already record (never from
// their raw series): per group of the composite's group-by,
//   bad   = sum over components of weight x the component's bad events
//   total = sum over components of weight x the component's total events
// for the 5m rates (read as they are, every evaluation) and the hourly increases (the latest
// hourly value of each component, read once an hour). A component without data for a group adds
// nothing to it: its terms are absent from the `or` and the others still count.

import { formatNumber } from '../spec/numbers';
import { Slo } from '../spec/types';
import { quote } from '../promql/escape';
import { E1H, E5, Signals, sloLabels, sumBy, T1H, T5 } from './sliSignals';
import { RecordingRule } from './types';

function components(slo: Slo) {
  if (slo.sli.kind !== 'composite') {
    throw new Error('not a composite SLO');
  }
  return slo.sli.components.map((c) => ({ ...c, service: c.service ?? slo.service }));
}

/** `sum by (g) (s{slo="a", ...} or s{slo="b", ...} * 2)`, each series read through `read`. */
export function weightedSum(slo: Slo, series: string, read: (sel: string) => string = (s) => s): string {
  const terms = components(slo).map((c) => {
    const term = read(`${series}{slo=${quote(c.slo)}, slo_service=${quote(c.service)}}`);
    return c.weight === 1 ? term : `${term} * ${formatNumber(c.weight)}`;
  });
  return sumBy(slo, terms.join('\nor\n'));
}

function rec(slo: Slo, name: string, expr: string): RecordingRule {
  return { record: name, expr, labels: sloLabels(slo) };
}

export function compositeSignals(slo: Slo): Signals {
  // Each component's hourly rollup is written once an hour by its own group, at its own offset:
  // the latest value within the hour is the hour it last closed.
  const latestHour = (sel: string) => `last_over_time(${sel}[1h])`;
  return {
    sli: [rec(slo, E5, weightedSum(slo, E5)), rec(slo, T5, weightedSum(slo, T5))],
    rollup: [rec(slo, E1H, weightedSum(slo, E1H, latestHour)), rec(slo, T1H, weightedSum(slo, T1H, latestHour))],
  };
}

/** The editor's preview of a composite over a window: from the components' hourly rollups. */
export function compositePreview(slo: Slo, window: string): { errorRatio: string; events: string } {
  const over = (sel: string) => `sum_over_time(${sel}[${window}])`;
  const total = weightedSum(slo, T1H, over);
  return { errorRatio: `${weightedSum(slo, E1H, over)} / (${total} > 0)`, events: total };
}
