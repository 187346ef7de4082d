import { loadText } from '../load';
import { importSloth } from './sloth';
import { parseDocuments } from '../spec/document';

function sloth(body: string) {
  return loadText(`version: "prometheus/v1"\nservice: "svc"\n${body}`, 'sloth.yml');
}

const EVENTS = `    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
`;

describe('Sloth prometheus/v1 import', () => {
  it('maps objective percentages without float noise, labels, description and alerting', () => {
    const r = sloth(`labels:
  team: a
slos:
  - name: avail
    objective: 99.95
    description: d
    labels:
      tier: "1"
${EVENTS}    alerting:
      name: SvcErrors
      labels: {category: availability}
      annotations: {summary: s}
      page_alert:
        labels: {severity: critical}
        annotations: {runbook: r}
      ticket_alert:
        disable: true
`);
    expect(r.diagnostics).toEqual([]);
    expect(r.slos[0]).toMatchObject({
      name: 'avail',
      service: 'svc',
      description: 'd',
      objective: 0.9995,
      window: { type: 'rolling', days: 30 },
      labels: { team: 'a', tier: '1' },
      groupBy: [],
      sli: { kind: 'ratio', errors: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))' },
      alerting: {
        name: 'SvcErrors',
        labels: { category: 'availability' },
        annotations: { summary: 's' },
        page: { enabled: true, labels: { severity: 'critical' }, annotations: { runbook: 'r' } },
        ticket: { enabled: false },
      },
      origin: { file: 'sloth.yml', line: 6 },
    });
  });

  it.each([
    [99.9, 0.999],
    [99.99, 0.9999],
    [95, 0.95],
    [99.5, 0.995],
  ])('objective %p%% is %p', (pct, ratio) => {
    const r = sloth(`slos:\n  - name: a\n    objective: ${pct}\n${EVENTS}`);
    expect(r.slos[0].objective).toBe(ratio);
  });

  it('rejects SLI plugins, saying why and what to do instead', () => {
    const r = sloth(`slos:
  - name: a
    objective: 99
    sli:
      plugin:
        id: sloth-common/kubernetes/apiserver/availability
        options: {filter: x}
`);
    expect(r.slos).toEqual([]);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        file: 'sloth.yml',
        line: 7,
        path: 'slos[0].sli.plugin',
        message:
          'SLI plugins (here "sloth-common/kubernetes/apiserver/availability") are Go code that Burnrate cannot run: rewrite the SLI as events (error_query and total_query) or raw (error_ratio_query)',
      },
    ]);
  });

  it('reports unknown fields with a hint, at the Sloth path and line', () => {
    const r = sloth(`slos:\n  - name: a\n    objetive: 99\n${EVENTS}`);
    expect(r.slos).toEqual([]);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        line: 5,
        path: 'slos[0].objetive',
        message: expect.stringContaining('unknown field "objetive"; did you mean "objective"?'),
      })
    );
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ line: 4, path: 'slos[0].objective', message: 'required field is missing' })
    );
  });

  it('reports problems found by the native validator at the Sloth field', () => {
    const r = sloth(`slos:
  - name: a
    objective: 99
    sli:
      events:
        error_query: sum(rate(x[{{.window}}])
        total_query: sum(rate(x[{{.window}}]))
    alerting:
      page_alert:
        labels:
          slo: x
`);
    expect(r.slos).toEqual([]);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 8,
        path: 'slos[0].sli.events.error_query',
        message: expect.stringContaining('invalid PromQL'),
      }),
      expect.objectContaining({
        severity: 'error',
        line: 13,
        path: 'slos[0].alerting.page_alert.labels.slo',
        message: expect.stringContaining('"slo" is set by Burnrate'),
      }),
    ]);
  });

  it('needs {{.window}} in Sloth queries and an objective below 100', () => {
    const r = sloth(`slos:
  - name: a
    objective: 100
    sli:
      raw:
        error_ratio_query: 1 - avg(up)
`);
    expect(r.diagnostics.map((d) => [d.line, d.path, d.message])).toEqual([
      [5, 'slos[0].objective', expect.stringContaining('100% leaves no error budget')],
      [8, 'slos[0].sli.raw.error_ratio_query', expect.stringContaining('must use the {{.window}} placeholder')],
    ]);
  });

  it('rejects SLO plugins and other spec versions', () => {
    const r = loadText(
      `version: prometheus/v1\nservice: s\nslo_plugins:\n  chain: []\nslos:\n  - name: a\n    objective: 99\n${EVENTS}`,
      'f.yml'
    );
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        line: 3,
        path: 'slo_plugins',
        message: expect.stringContaining('Go code that Burnrate cannot run'),
      }),
    ]);
    const doc = parseDocuments(`version: prometheus/v2\nservice: s\nslos:\n  - name: a\n    objective: 99\n${EVENTS}`)
      .docs[0];
    expect(importSloth(doc).diagnostics).toEqual([
      expect.objectContaining({ path: 'version', message: expect.stringContaining('unsupported Sloth spec version') }),
    ]);
  });

  describe('queries that aggregate by labels', () => {
    const events = (error: string, total: string) =>
      sloth(`slos:
  - name: avail
    objective: 99
    sli:
      events:
        error_query: ${error}
        total_query: ${total}
`);

    it('keep their labels as the groupBy: one budget, freeze and alerts per route', () => {
      const r = events(
        'sum by (route) (rate(http_requests_total{code=~"5.."}[{{.window}}]))',
        'sum(rate(http_requests_total[{{.window}}])) by (route)'
      );
      expect(r.diagnostics).toEqual([]);
      expect(r.slos[0]).toMatchObject({ name: 'avail', groupBy: ['route'] });
    });

    it('must keep the same labels: an error naming the SLO, the file and both label lists', () => {
      const r = events(
        'sum by (route) (rate(http_requests_total{code=~"5.."}[{{.window}}]))',
        'sum by (route, method) (rate(http_requests_total[{{.window}}]))'
      );
      expect(r.slos).toEqual([]);
      expect(r.diagnostics).toEqual([
        {
          severity: 'error',
          file: 'sloth.yml',
          line: 9,
          path: 'slos[0].sli.events.total_query',
          message:
            'SLO "avail": error_query aggregates by (route) but total_query by (route, method); both must keep the same labels, which become the SLO\'s groupBy (one budget, freeze and alerts per group)',
        },
      ]);
    });

    it('reject `without`, whose remaining labels the query does not name', () => {
      const r = events(
        'sum without (code) (rate(http_requests_total{code=~"5.."}[{{.window}}]))',
        'sum without (code) (rate(http_requests_total[{{.window}}]))'
      );
      expect(r.slos).toEqual([]);
      expect(r.diagnostics.map((d) => [d.severity, d.line, d.path, d.message])).toEqual([
        ['error', 8, 'slos[0].sli.events.error_query', expect.stringContaining('which keeps every label but (code)')],
        ['error', 9, 'slos[0].sli.events.total_query', expect.stringContaining('which keeps every label but (code)')],
      ]);
    });

    it('warn when the labels cannot be read, and sum into one SLO', () => {
      const r = events(
        'rate(http_requests_total{code=~"5.."}[{{.window}}])',
        'sum(rate(http_requests_total[{{.window}}]))'
      );
      expect(r.slos[0].groupBy).toEqual([]);
      expect(r.diagnostics).toEqual([
        expect.objectContaining({
          severity: 'warning',
          line: 8,
          message: expect.stringContaining('Burnrate cannot tell which labels error_query keeps'),
        }),
      ]);
    });

    it('are checked as group-by labels, at the query', () => {
      const r = events('sum by (le) (rate(h_bucket[{{.window}}]))', 'sum by (le) (rate(h_bucket[{{.window}}]))');
      expect(r.slos).toEqual([]);
      expect(r.diagnostics).toEqual([
        expect.objectContaining({ severity: 'error', line: 8, path: 'slos[0].sli.events.error_query' }),
      ]);
    });

    it('group a raw SLI too', () => {
      const r = sloth(`slos:
  - name: wifi
    objective: 95
    sli:
      raw:
        error_ratio_query: 1 - (sum by (ap) (rate(ok[{{.window}}])) / sum by (ap) (rate(all[{{.window}}])))
`);
      expect(r.diagnostics).toEqual([]);
      expect(r.slos[0]).toMatchObject({ groupBy: ['ap'], sli: { kind: 'raw' } });
    });
  });
});
