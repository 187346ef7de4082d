import { loadText } from '../load';
import { decideGate } from './gate';
import { intervalText, insufficientText } from './sampling';
import { groupStatuses, Sample } from './status';

const spec = `version: burnrate/v1
service: chat
slos:
  - name: answers
    objective: 0.92
    groupBy: [route]
    sli:
      quality:
        components:
          - {name: judge, good: 'judge_total{verdict="pass"}', total: judge_total}
        agreement: {agreed: 'reviews_total{agreed="true"}', reviewed: reviews_total, minimum: 0.8}
    policy:
      freeze: {burnRate: 1, window: 3d}
`;
const [slo] = loadText(spec).slos;

function series(route: string, values: Record<string, number>): Sample[] {
  return Object.entries(values).map(([name, value]) => ({ metric: { __name__: name, slo: 'answers', slo_service: 'chat', route }, value }));
}

// 2,140 samples, 126 failed: 5.89% failing, Wilson 4.96% to 6.98% (by hand: centre
// (0.05888 + 1.9208/2140) / (1 + 3.8416/2140) = 0.05974, half-width 0.01007).
const healthy = {
  'slo:sli_error:ratio_rate1d': 126 / 2140,
  'slo:sli_error_lower:ratio_rate1d': 0.04962,
  'slo:sli_error_upper:ratio_rate1d': 0.06978,
  'slo:sli_samples:effective1d': 2140,
  'slo:sli_samples:needed1d': 3.8416 * 0.0736 / (126 / 2140 - 0.08) ** 2,
  'slo:sli_samples_insufficient:bool': 0,
  'slo:judge_untrusted:bool': 0,
  'slo:judge_agreement:ratio_rate1d': 0.95,
  'slo:release_freeze:bool': 0,
  'slo:release_caution:bool': 0,
  'slo:period_error_budget_remaining:ratio': 0.3,
};

describe('quality sampling in status and gate', () => {
  it('reads "94.1% pass, 93.0-95.0%, n = 2,140 over 1d"', () => {
    const [g] = groupStatuses(slo, series('/chat', healthy));
    expect(g.sampling).toMatchObject({ effectiveSamples: 2140, insufficient: false, judgeUntrusted: false });
    expect(intervalText(g.sampling!)).toBe('94.1% pass, 93.0-95.0%, n = 2,140 over 1d');
  });

  it('38 samples at 94%: "not enough samples: 38 in the last day, about 710 needed to tell 92% from 94%"', () => {
    const [g] = groupStatuses(
      slo,
      series('/chat', { ...healthy, 'slo:sli_error:ratio_rate1d': 0.06, 'slo:sli_samples:effective1d': 38, 'slo:sli_samples:needed1d': 706.85, 'slo:sli_samples_insufficient:bool': 1 })
    );
    expect(insufficientText(slo.objective, g.sampling!)).toBe('not enough samples: 38 in the last day, about 710 needed to tell 92% from 94%');
    const d = decideGate({ service: 'chat', route: '/chat', slos: [{ slo, groups: [g] }], actions: [], now: 0 });
    expect(d.decision).toBe('ship');
    expect(d.warnings).toContain('answers{route=/chat}: not enough samples: 38 in the last day, about 710 needed to tell 92% from 94%');
  });

  it('judge at 70%: "judge not trusted", and a freeze held to caution says why', () => {
    const [g] = groupStatuses(
      slo,
      series('/chat', {
        ...healthy,
        'slo:sli_error:ratio_rate3d': 0.11,
        'slo:judge_untrusted:bool': 1,
        'slo:judge_agreement:ratio_rate1d': 0.7,
        'slo:release_caution:bool': 1,
      })
    );
    expect(g.state).toBe('caution');
    expect(g.reasons[0]).toMatch(/^the estimate says freeze, but the judge is not trusted/);
    const d = decideGate({ service: 'chat', route: '/chat', slos: [{ slo, groups: [g] }], actions: [], now: 0 });
    expect(d.decision).toBe('ship');
    expect(d.warnings).toContain('answers{route=/chat}: judge not trusted: agrees with human reviewers 70% of the time over 1d (minimum 80%)');
    expect(d.slos[0].sampling).toBe('94.1% pass, 93.0-95.0%, n = 2,140 over 1d');
  });

  it('40 samples at 89%: caution, because the interval reaches below the threshold', () => {
    const [g] = groupStatuses(slo, series('/chat', { ...healthy, 'slo:sli_error:ratio_rate3d': 0.11, 'slo:release_caution:bool': 1 }));
    expect(g.reasons[0]).toBe('the estimate says freeze (burn 1.38x over 3d), but its 95% interval reaches below the threshold: caution until the samples tell');
  });
});
