// Multiwindow, multi-burn-rate alerts. Each condition compares the burn rate (error ratio /
// budget) over a long and a short window with the scheme's factor, so the alert's value is the
// long-window burn rate and its annotations can say "burning at 16.2x".

import { formatDuration } from '../spec/duration';
import { formatNumber } from '../spec/numbers';
import { Slo } from '../spec/types';
import { AlertWindow, alertWindows, Severity } from './burnRateWindows';
import { errorBudget, ratioSeries } from './seriesNames';
import { sloSelector, T5 } from './sliSignals';
import { AlertingRule } from './types';

/**
 * `events in the last <w> >= n`, from the 5m event rate recorded once per evaluation: the sum of
 * those rates times the evaluation interval. (An average times <w> would divide by the samples that
 * exist, so a route that appeared five minutes ago would count its few requests as a full window.)
 */
function minEventsGuard(slo: Slo, shortSeconds: number): string {
  const sel = sloSelector(slo);
  const n = slo.alerting.minEvents;
  if (shortSeconds === 300) {
    return `${T5}${sel} * 300 >= ${n}`;
  }
  return `sum_over_time(${T5}${sel}[${formatDuration(shortSeconds)}]) * ${slo.evaluationSeconds} >= ${n}`;
}

function condition(slo: Slo, w: AlertWindow): string {
  const sel = sloSelector(slo);
  const budget = formatNumber(errorBudget(slo));
  const factor = formatNumber(w.factor);
  const lines = [
    `${ratioSeries(slo, w.longSeconds)}${sel} / ${budget} > ${factor}`,
    `and`,
    `${ratioSeries(slo, w.shortSeconds)}${sel} / ${budget} > ${factor}`,
  ];
  if (slo.alerting.minEvents > 0) {
    lines.push('and', minEventsGuard(slo, w.shortSeconds));
  }
  return `(\n  ${lines.join('\n  ')}\n)`;
}

function describeWindows(windows: AlertWindow[]): string {
  return windows
    .map((w) => `${formatNumber(w.factor)}x over ${formatDuration(w.longSeconds)} and ${formatDuration(w.shortSeconds)}`)
    .join(', or ');
}

/** Alert template text that asks Prometheus for this group's budget left when the alert fires. */
function budgetLeftTemplate(slo: Slo): string {
  const labels = ['slo', 'slo_service', ...slo.groupBy];
  const matchers = labels.map((l) => `${l}=%q`).join(',');
  const args = labels.map((l) => `$labels.${l}`).join(' ');
  return `{{ with printf "slo:period_error_budget_remaining:ratio{${matchers}}" ${args} | query }}{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}`;
}

function groupText(slo: Slo): string {
  return slo.groupBy.map((l) => ` ${l}={{ $labels.${l} }}`).join('');
}

export function alertRules(slo: Slo): AlertingRule[] {
  const a = slo.alerting;
  const windows = alertWindows(slo.window);
  const out: AlertingRule[] = [];
  for (const severity of ['page', 'ticket'] as Severity[]) {
    const opts = a[severity];
    if (!opts.enabled) {
      continue;
    }
    const ws = windows.filter((w) => w.severity === severity);
    const annotations: Record<string, string> = {
      summary: `{{ $labels.slo_service }}/{{ $labels.slo }}${groupText(slo)} is burning its error budget too fast`,
      description:
        `Burn rate {{ printf "%.2f" $value }}x over the long window (alerting at ${describeWindows(ws)}). ` +
        `Error budget left this ${slo.window.type === 'calendar' ? 'month' : 'period'}: ${budgetLeftTemplate(slo)}.`,
    };
    if (a.runbookUrl) {
      annotations.runbook_url = a.runbookUrl;
    }
    if (a.dashboardUrl) {
      annotations.dashboard_url = a.dashboardUrl;
    }
    if (a.sloUrl) {
      annotations.slo_url = a.sloUrl;
    }
    out.push({
      alert: a.name,
      expr: ws.map((w) => condition(slo, w)).join('\nor\n'),
      // slo and slo_service keep each SLO's alert rules apart (promtool flags equal name+labels).
      labels: { ...a.labels, ...opts.labels, slo: slo.name, slo_service: slo.service },
      annotations: { ...annotations, ...a.annotations, ...opts.annotations },
    });
  }
  if (slo.sli.kind === 'quality' && slo.sli.agreement) {
    const sel = sloSelector(slo);
    out.push({
      alert: 'JudgeAgreementLow',
      expr: `slo:judge_agreement:ratio_rate1d${sel} < ${formatNumber(slo.sli.agreement.minimum)}`,
      for: '1h',
      labels: { ...a.labels, severity: 'ticket', slo: slo.name, slo_service: slo.service },
      annotations: {
        summary: `{{ $labels.slo_service }}/{{ $labels.slo }}${groupText(slo)}: the judge agrees with human reviewers on {{ $value | humanizePercentage }} of samples over 1d`,
        description: `Agreement below ${formatNumber(slo.sli.agreement.minimum * 100)}%: the quality SLI can no longer be trusted as it stands; recalibrate the judge.`,
      },
    });
  }
  return out;
}
