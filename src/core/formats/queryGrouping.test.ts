import { importedGroupBy, resultGrouping } from './queryGrouping';

describe('resultGrouping: the labels a query result keeps', () => {
  it.each([
    ['sum(rate(x[{{.window}}]))', []],
    ['sum by (route) (rate(x[{{.window}}]))', ['route']],
    ['sum(rate(x[{{.window}}])) by (route, model)', ['route', 'model']],
    ['max by (route) (x)', ['route']],
    ['count by (route) (x)', ['route']],
    ['quantile by (route) (0.9, x)', ['route']],
    ['(sum by (route) (rate(x[5m])))', ['route']],
    ['-sum by (route) (rate(x[5m]))', ['route']],
    ['sum by (route) (rate(a[5m])) - sum by (route) (rate(b[5m]))', ['route']],
    ['sum by (route, code) (rate(a[5m])) / ignoring (code) sum by (route, code) (rate(b[5m]))', ['route']],
    ['sum by (route, code) (rate(a[5m])) / on (route) sum by (route, code) (rate(b[5m]))', ['route']],
    ['sum by (route) (rate(a[5m])) and sum by (route) (rate(b[5m])) > 0', ['route']],
    ['sum(rate(a[5m])) or vector(0)', []],
    ['1 - sum by (route) (rate(a[5m])) / sum by (route) (rate(b[5m]))', ['route']],
    ['clamp_min(sum by (route) (rate(a[5m])), 0)', ['route']],
    ['2 * sum by (route) (rate(a[5m]))', ['route']],
    ['histogram_quantile(0.9, sum by (le, route) (rate(h_bucket[5m])))', ['route']],
  ])('%s keeps %p', (q, labels) => {
    expect(resultGrouping(q)).toEqual({ kind: 'by', labels });
  });

  it('reads a number as a scalar', () => {
    expect(resultGrouping('1')).toEqual({ kind: 'scalar' });
  });

  it('reports `without` with its labels: what it keeps is not in the query', () => {
    expect(resultGrouping('sum without (code) (rate(x[{{.window}}]))')).toEqual({
      kind: 'without',
      labels: ['code'],
      at: 'sum without (code) (rate(x[5m]))',
    });
    expect(resultGrouping('1 - sum by (route) (rate(a[5m])) / sum without (code) (rate(b[5m]))')).toMatchObject({
      kind: 'without',
      labels: ['code'],
    });
  });

  it.each([
    ['rate(x[5m])', 'it is not aggregated'],
    ['x', 'it is not aggregated'],
    ['topk(3, sum by (route) (rate(x[5m])))', 'topk keeps or adds labels'],
    ['label_replace(sum by (route) (x), "r", "$1", "route", "(.*)")', 'label_replace() depend'],
    ['sum by (route) (rate(a[5m])) / on (route) group_left (model) sum by (route, model) (rate(b[5m]))', 'group_left'],
    ['sum by (route) (rate(a[5m])) / sum(rate(b[5m]))', 'keep different labels, (route) and ()'],
  ])('cannot read %s (%s)', (q, reason) => {
    expect(resultGrouping(q)).toMatchObject({ kind: 'unknown', reason: expect.stringContaining(reason) });
  });
});

describe('importedGroupBy', () => {
  const q = (error: string, total: string) => [
    { field: 'error_query', query: error },
    { field: 'total_query', query: total },
  ];

  it('takes the labels both queries keep, in the order of the first', () => {
    expect(
      importedGroupBy('a', q('sum by (route, model) (rate(e[5m]))', 'sum by (model, route) (rate(t[5m]))'))
    ).toEqual({
      groupBy: ['route', 'model'],
      problems: [],
    });
  });

  it('is an error at the second query when the two keep different labels, naming the SLO and both lists', () => {
    expect(importedGroupBy('avail', q('sum by (route) (rate(e[5m]))', 'sum by (route, method) (rate(t[5m]))'))).toEqual(
      {
        groupBy: ['route'],
        problems: [
          {
            index: 1,
            severity: 'error',
            message:
              'SLO "avail": error_query aggregates by (route) but total_query by (route, method); both must keep the same labels, which become the SLO\'s groupBy (one budget, freeze and alerts per group)',
          },
        ],
      }
    );
  });

  it('is an error for `without`, and a warning for a shape it cannot read', () => {
    const r = importedGroupBy('avail', q('sum without (code) (rate(e[5m]))', 'rate(t[5m])'));
    expect(r.groupBy).toEqual([]);
    expect(r.problems).toEqual([
      {
        index: 0,
        severity: 'error',
        message:
          'SLO "avail": error_query aggregates "sum without (code) (rate(e[5m]))", which keeps every label but (code); Burnrate cannot tell from the query which labels those are, and each group needs its own budget. Aggregate by the labels the SLO is per instead, e.g. sum by (route) (...)',
      },
      {
        index: 1,
        severity: 'warning',
        message:
          'SLO "avail": Burnrate cannot tell which labels total_query keeps ("rate(t[5m])": it is not aggregated, so its result keeps every label of the series), so it sums the result into one SLO; to get one SLO per label value, aggregate with sum by (label, ...)',
      },
    ]);
  });

  it('leaves syntax errors to the validator', () => {
    expect(importedGroupBy('a', q('sum(rate(e[5m])', 'sum(rate(t[5m]))'))).toEqual({ groupBy: [], problems: [] });
  });
});
