import { alertSummary, budgetInWords, compact, messagesFor, renderRules, setPath, validateSpec } from './spec';
import { templateSpec, TEMPLATES } from './templates';
import { KNOWN_BUCKETS } from '../core/spec/defaults';

describe('editor model', () => {
  it('every template but blank is valid once it has a service', () => {
    for (const t of TEMPLATES.filter((x) => x.id !== 'blank')) {
      const v = validateSpec(templateSpec(t.id, 'llm-gateway'));
      expect({ id: t.id, errors: v.diagnostics.filter((d) => d.severity === 'error') }).toEqual({
        id: t.id,
        errors: [],
      });
      expect(renderRules(v.slo!).prometheus).toContain('slo:period_error_budget_remaining:ratio');
    }
  });

  it('puts the validator messages on the field paths the form shows', () => {
    let spec = templateSpec('otel-ttft', 'llm-gateway');
    spec = setPath(spec, 'objective', 99.5);
    spec = setPath(spec, 'sli.latency.threshold', 0.3);
    const v = validateSpec(spec);
    expect(messagesFor(v, 'objective').join()).toContain('did you mean 0.995');
    expect(messagesFor(v, 'sli.latency.threshold').join()).toMatch(/use 0.25 or 0.5/);
    expect(messagesFor(v, 'name')).toEqual([]);
  });

  it('every latency template reads a histogram of known buckets, at a boundary', () => {
    const latency = TEMPLATES.filter((t) => t.spec.sli.latency);
    expect(latency.length).toBeGreaterThanOrEqual(9);
    for (const t of latency) {
      const { metric, threshold } = t.spec.sli.latency;
      if (metric === 'litellm_llm_api_time_to_first_token_metric') {
        continue; // its buckets are not checked against a source: the editor reads them from the data source
      }
      expect({ id: t.id, known: KNOWN_BUCKETS[metric]?.includes(threshold) }).toEqual({ id: t.id, known: true });
    }
  });

  it.each([
    ['otel-tpot', 0.06, 'OpenTelemetry GenAI buckets', 'use 0.05 or 0.075'],
    ['otel-ttfc', 2, 'OpenTelemetry GenAI buckets', 'use 1.28 or 2.56'],
    ['vllm-itl', 0.12, 'vLLM buckets', 'use 0.1 or 0.15'],
    ['vllm-e2e', 12, 'vLLM buckets', 'use 10 or 15'],
    ['litellm-response-time', 2.2, 'LiteLLM buckets', 'use 2 or 2.5'],
  ])('%s: threshold %s is off the buckets, and the message names their source and the neighbours', (id, threshold, source, near) => {
    const v = validateSpec(setPath(templateSpec(id, 'svc'), 'sli.latency.threshold', threshold));
    const msg = messagesFor(v, 'sli.latency.threshold').join();
    expect(msg).toContain(`${threshold} is not a bucket boundary`);
    expect(msg).toContain(source);
    expect(msg).toContain(near);
  });

  it('maps list items of the form to the validator paths', () => {
    const spec = setPath(templateSpec('judge-quality', 'svc'), 'sli.quality.components.0.total', 'rate(x[5m]');
    expect(messagesFor(validateSpec(spec), 'sli.quality.components.0.total').length).toBeGreaterThan(0);
  });

  it('drops blank optional fields', () => {
    expect(compact({ a: '', b: ' x', c: { d: '  ', e: [1] } })).toEqual({ b: ' x', c: { e: [1] } });
  });

  it("states the budget in events at today's traffic", () => {
    const slo = validateSpec(templateSpec('otel-availability', 'svc')).slo!;
    // 0.5% of 10,000 a day over 30 days.
    expect(budgetInWords(slo, 10000)).toBe(
      "At today's traffic, 50 of 10,000 requests a day may fail (0.5%): 1,500 failed requests per 30 days."
    );
    expect(budgetInWords(slo, undefined)).toContain('no traffic seen yet');
    const ttft = validateSpec(templateSpec('otel-ttft', 'svc')).slo!;
    // 5% of 2,000 a day is 100, 3,000 over 30 days.
    expect(budgetInWords(ttft, 2000)).toBe(
      "At today's traffic, 100 of 2,000 requests a day may be slow (5%): 3,000 slow requests per 30 days."
    );
    const cost = validateSpec(templateSpec('otel-cost', 'svc')).slo!;
    expect(budgetInWords(cost, 1)).toContain('0.002 USD');
  });

  it('says which alert severities are off, following the switches', () => {
    const on = validateSpec(templateSpec('otel-availability', 'svc')).slo!;
    expect(alertSummary(on)).toEqual([
      'page: burn rate above 14.4x over 1h (spends 2% of the budget)',
      'page: burn rate above 6x over 6h (spends 5% of the budget)',
      'ticket: burn rate above 3x over 1d (spends 10% of the budget)',
      'ticket: burn rate above 1x over 3d (spends 10% of the budget)',
    ]);
    const noPage = validateSpec({ ...templateSpec('otel-availability', 'svc'), alerting: { page: { disabled: true } } }).slo!;
    expect(alertSummary(noPage)).toEqual([
      'page: off (no page alert is generated)',
      'ticket: burn rate above 3x over 1d (spends 10% of the budget)',
      'ticket: burn rate above 1x over 3d (spends 10% of the budget)',
    ]);
  });
});
