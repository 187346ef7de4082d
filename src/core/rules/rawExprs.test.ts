import { stringify } from 'yaml';
import { loadText } from '../load';
import { sloRuleGroups } from './ruleGroups';
import { withRawInputs } from './rawExprs';
import { RecordingRule } from './types';

describe('withRawInputs', () => {
  it('gives the bad-events 5m rate its zero from the raw total again, for a backfill from raw data', () => {
    const doc = {
      version: 'burnrate/v1',
      service: 'gw',
      slos: [{ name: 'chat', objective: 0.99, window: '30d', groupBy: ['route'], sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } } }],
    };
    const slo = loadText(stringify(doc), 'gw.yaml').slos[0];
    const main = sloRuleGroups(slo).prometheus.find((g) => g.name === 'burnrate:gw:chat')!;
    const live = main.rules.slice(0, 2) as RecordingRule[];
    expect(live.map((r) => r.record)).toEqual(['slo:sli_events:rate5m', 'slo:sli_error_events:rate5m']);
    expect(live[1].expr).toBe('(sum by (route) (rate(req_total{code=~"5.."}[5m])) or 0 * sum by (route) (slo:sli_events:rate5m{slo="chat", slo_service="gw"}))');
    const raw = withRawInputs(live);
    expect(raw[0]).toEqual(live[0]);
    expect(raw[1].expr).toBe('(sum by (route) (rate(req_total{code=~"5.."}[5m])) or 0 * sum by (route) ((sum by (route) (rate(req_total[5m])))))');
  });

  it('leaves ranges over recorded series alone', () => {
    const rules: RecordingRule[] = [
      { record: 'a:b', expr: 'sum(x)' },
      { record: 'c', expr: 'a:b{s="1"} + sum_over_time(a:b{s="1"}[5m]) + a:bc{s="1"}' },
    ];
    expect(withRawInputs(rules)[1].expr).toBe('(sum(x)) + sum_over_time(a:b{s="1"}[5m]) + a:bc{s="1"}');
  });
});
