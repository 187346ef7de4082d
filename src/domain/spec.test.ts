import { budgetInWords, compact, messagesFor, renderRules, setPath, validateSpec } from './spec';
import { templateSpec, TEMPLATES } from './templates';

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
      "1,500 failed requests per 30 days at today's traffic (10,000 a day; 0.5% may fail)."
    );
    expect(budgetInWords(slo, undefined)).toContain('no traffic seen yet');
    const ttft = validateSpec(templateSpec('otel-ttft', 'svc')).slo!;
    expect(budgetInWords(ttft, 2000)).toMatch(/^3,000 slow requests per 30 days/);
    const cost = validateSpec(templateSpec('otel-cost', 'svc')).slo!;
    expect(budgetInWords(cost, 1)).toContain('0.002 USD');
  });
});
