import { loadText } from '../../src/core/load';
import { generateRules } from '../../src/core/rules/generate';
import { renderRuleFile } from '../../src/core/rules/render';
test('x', () => {
  const r = loadText(`version: burnrate/v1
service: api
slos:
  - name: avail
    objective: 0.999
    window: 30d
    groupBy: [route]
    sli:
      ratio:
        errors: http_requests_total{code=~"5.."}
        total: http_requests_total
`);
  console.log(JSON.stringify(r.diagnostics));
  console.log(renderRuleFile(generateRules(r.slos).prometheus));
});
