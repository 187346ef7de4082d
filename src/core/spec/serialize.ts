// Slo objects back to native burnrate/v1 documents (for `burnrate import` and the API's export).
// Fields equal to their defaults are left out so that the output reads like hand-written YAML.

import { stringify } from 'yaml';
import { formatDuration } from './duration';
import { defaultAlerting, defaultPolicy, DEFAULT_EVALUATION_SECONDS, SPEC_VERSION } from './defaults';
import { AlertSeverityOptions, Labels, Slo, Sli } from './types';

function sliValue(sli: Sli): Record<string, unknown> {
  switch (sli.kind) {
    case 'ratio':
      return {
        ratio: {
          ...(sli.source === 'loki' ? { source: 'loki' } : {}),
          ...(sli.errors !== undefined ? { errors: sli.errors } : { good: sli.good }),
          total: sli.total,
        },
      };
    case 'raw':
      return { raw: { errorRatio: sli.errorRatio } };
    case 'latency':
      return {
        latency: {
          metric: sli.metric,
          ...(sli.matchers ? { matchers: sli.matchers } : {}),
          threshold: sli.threshold,
          ...(sli.native ? { native: true } : {}),
          ...(sli.buckets ? { buckets: sli.buckets } : {}),
        },
      };
    case 'timeslice':
      return {
        timeslice: {
          slice: formatDuration(sli.sliceSeconds),
          ...(sli.latency
            ? {
                latency: {
                  metric: sli.latency.metric,
                  ...(sli.latency.matchers ? { matchers: sli.latency.matchers } : {}),
                  quantile: sli.latency.quantile,
                  threshold: sli.latency.threshold,
                },
              }
            : {
                ratio: {
                  ...(sli.ratio!.errors !== undefined ? { errors: sli.ratio!.errors } : { good: sli.ratio!.good }),
                  total: sli.ratio!.total,
                  target: sli.ratio!.target,
                },
              }),
        },
      };
    case 'quality':
      return {
        quality: {
          ...(sli.source === 'loki' ? { source: 'loki' } : {}),
          components: sli.components.map((c) => ({ name: c.name, good: c.good, total: c.total, ...(c.weight !== 1 ? { weight: c.weight } : {}) })),
          ...(sli.agreement ? { agreement: sli.agreement } : {}),
        },
      };
    case 'composite':
      return { composite: { components: sli.components.map((c) => ({ slo: c.slo, ...(c.service !== undefined ? { service: c.service } : {}), ...(c.weight !== 1 ? { weight: c.weight } : {}) })) } };
    case 'cost':
      return { cost: { cost: sli.cost, requests: sli.requests, target: sli.target, ...(sli.currency !== 'USD' ? { currency: sli.currency } : {}) } };
  }
}

function nonEmpty(m: Labels): Labels | undefined {
  return Object.keys(m).length ? m : undefined;
}

function severityValue(opts: AlertSeverityOptions, base: AlertSeverityOptions): Record<string, unknown> | undefined {
  const labels = Object.fromEntries(Object.entries(opts.labels).filter(([k, v]) => base.labels[k] !== v));
  const out: Record<string, unknown> = {
    ...(opts.enabled !== base.enabled ? { disabled: !opts.enabled } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(Object.keys(opts.annotations).length ? { annotations: opts.annotations } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

export function sloValue(slo: Slo, fileLabels: Labels = {}): Record<string, unknown> {
  const base = defaultAlerting(slo.sli.kind);
  const a = slo.alerting;
  const alerting: Record<string, unknown> = {
    ...(a.name !== base.name ? { name: a.name } : {}),
    ...(nonEmpty(a.labels) ? { labels: a.labels } : {}),
    ...(nonEmpty(a.annotations) ? { annotations: a.annotations } : {}),
    ...(a.minEvents !== base.minEvents ? { minEvents: a.minEvents } : {}),
    ...(a.runbookUrl ? { runbookUrl: a.runbookUrl } : {}),
    ...(a.dashboardUrl ? { dashboardUrl: a.dashboardUrl } : {}),
    ...(a.sloUrl ? { sloUrl: a.sloUrl } : {}),
  };
  const page = severityValue(a.page, base.page);
  const ticket = severityValue(a.ticket, base.ticket);
  if (page) {
    alerting.page = page;
  }
  if (ticket) {
    alerting.ticket = ticket;
  }
  const d = defaultPolicy();
  const p = slo.policy;
  const freeze = {
    ...(p.freezeBudgetRemaining !== d.freezeBudgetRemaining ? { budgetRemaining: p.freezeBudgetRemaining } : {}),
    ...(p.freezeBurnRate !== d.freezeBurnRate ? { burnRate: p.freezeBurnRate } : {}),
    ...(p.freezeBurnWindow !== d.freezeBurnWindow ? { window: p.freezeBurnWindow } : {}),
  };
  const caution = {
    ...(p.cautionBurnRate !== d.cautionBurnRate ? { burnRate: p.cautionBurnRate } : {}),
    ...(p.cautionBurnWindow !== d.cautionBurnWindow ? { window: p.cautionBurnWindow } : {}),
  };
  const quality = {
    ...(p.qualityDecideOn !== d.qualityDecideOn ? { decideOn: p.qualityDecideOn } : {}),
    ...(p.untrustedJudge !== d.untrustedJudge ? { untrustedJudge: p.untrustedJudge } : {}),
  };
  const policy = {
    ...(Object.keys(freeze).length ? { freeze } : {}),
    ...(Object.keys(caution).length ? { caution } : {}),
    ...(Object.keys(quality).length ? { quality } : {}),
  };
  const ownLabels = Object.fromEntries(Object.entries(slo.labels).filter(([k, v]) => fileLabels[k] !== v));
  return {
    name: slo.name,
    ...(slo.description ? { description: slo.description } : {}),
    ...(slo.sli.kind !== 'cost' ? { objective: slo.objective } : {}),
    window: slo.window.type === 'calendar' ? 'calendar-month' : `${slo.window.days}d`,
    ...(nonEmpty(ownLabels) ? { labels: ownLabels } : {}),
    ...(slo.groupBy.length ? { groupBy: slo.groupBy } : {}),
    sli: sliValue(slo.sli),
    ...(slo.exclude.length
      ? { exclude: slo.exclude.map((x) => ({ name: x.name, label: x.label, ...(x.values ? { values: x.values } : { regex: x.regex }) })) }
      : {}),
    ...(Object.keys(alerting).length ? { alerting } : {}),
    ...(Object.keys(policy).length ? { policy } : {}),
    ...(slo.evaluationSeconds !== DEFAULT_EVALUATION_SECONDS ? { evaluationInterval: formatDuration(slo.evaluationSeconds) } : {}),
  };
}

/** One native document per service, as YAML text. */
export function toNativeYaml(slos: Slo[]): string {
  const services = [...new Set(slos.map((s) => s.service))];
  return services
    .map((service) => {
      const doc = { version: SPEC_VERSION, service, slos: slos.filter((s) => s.service === service).map((s) => sloValue(s)) };
      return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
    })
    .join('---\n');
}
