// Invalid definitions: each exits 1 with a message that says what and where, and writes nothing.

import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../src/cli/main';

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** A valid SLO entry; cases replace parts of it. */
const SLO = `  - name: chat
    objective: 0.99
    sli:
      ratio:
        errors: http_requests_total{code=~"5.."}
        total: http_requests_total
`;
const doc = (slos: string, head = 'version: burnrate/v1\nservice: gw\n') => `${head}slos:\n${slos}`;
const withSli = (sli: string, extra = '') => doc(`  - name: chat\n    objective: 0.99\n${extra}    sli:\n${sli}`);

// [case, file text, expected message substring, expected line (where known)]
const CASES: Array<[string, string, string, number?]> = [
  ['not YAML', 'version: burnrate/v1\nslos: [\n', 'not valid YAML/JSON', undefined],
  ['empty file', '', 'holds no document'],
  ['unknown document kind', 'foo: bar\n', 'unknown document: expected a Burnrate definition'],
  ['wrong version', doc(SLO, 'version: burnrate/v9\nservice: gw\n'), 'unsupported version "burnrate/v9"', 1],
  ['missing service', doc(SLO, 'version: burnrate/v1\n'), 'service: required field is missing'],
  ['bad service name', doc(SLO, 'version: burnrate/v1\nservice: "my service"\n'), 'service: "my service" is not valid', 2],
  ['unknown top-level field (typo)', 'version: burnrate/v1\nservice: gw\nlabel: {a: b}\nslos:\n' + SLO, 'unknown field "label"; did you mean "labels"?', 3],
  ['slos empty', 'version: burnrate/v1\nservice: gw\nslos: []\n', 'slos: must not be empty', 3],
  ['slos not a list', 'version: burnrate/v1\nservice: gw\nslos: {a: 1}\n', 'slos: expected a list', 3],
  ['unknown SLO field (typo)', doc(SLO.replace('objective:', 'objetive:')), 'unknown field "objetive"; did you mean "objective"?', 5],
  ['missing name', doc(SLO.replace('  - name: chat\n    objective', '  - objective')), 'slos[0].name: required field is missing'],
  ['bad SLO name', doc(SLO.replace('name: chat', 'name: "chat/v2"')), 'slos[0].name: "chat/v2" is not valid', 4],
  ['duplicate SLO name', doc(SLO + SLO), 'duplicate SLO name "chat"', 10],
  ['objective as percent', doc(SLO.replace('0.99', '99.9')), 'did you mean 0.999?', 5],
  ['objective of 1', doc(SLO.replace('0.99', '1')), 'out of range: expected between 0 and 1, exclusive', 5],
  ['objective of 0', doc(SLO.replace('0.99', '0')), 'out of range: expected between 0 and 1, exclusive', 5],
  ['objective not a number', doc(SLO.replace('0.99', 'high')), 'objective: expected a number, got string "high"', 5],
  ['missing objective', doc(SLO.replace('    objective: 0.99\n', '')), 'objective: required field is missing'],
  ['window not a duration', doc(SLO.replace('    sli:', '    window: monthly\n    sli:')), '"monthly" is not a window', 6],
  ['window too short for the scheme', doc(SLO.replace('    sli:', '    window: 3d\n    sli:')), 'longer than their longest window (3d)', 6],
  ['window in hours', doc(SLO.replace('    sli:', '    window: 36h\n    sli:')), 'not a whole number of days', 6],
  ['window too long', doc(SLO.replace('    sli:', '    window: 500d\n    sli:')), 'too long: at most 400d', 6],
  ['missing sli', doc('  - name: chat\n    objective: 0.99\n'), 'slos[0].sli: required field is missing', 4],
  ['two SLI kinds', withSli('      ratio: {errors: a, total: b}\n      raw: {errorRatio: "x[{{.window}}]"}\n'), 'expected exactly one SLI kind, got ratio and raw', 6],
  ['unknown SLI kind', withSli('      availability: {errors: a, total: b}\n'), 'unknown field "availability"', 7],
  ['errors and good', withSli('      ratio: {errors: a, good: b, total: c}\n'), 'give either "errors" or "good", not both', 7],
  ['neither errors nor good', withSli('      ratio: {total: c}\n'), 'one of "errors" (bad events) or "good" is required', 7],
  ['missing total', withSli('      ratio: {errors: a}\n'), 'sli.ratio.total: required field is missing'],
  ['PromQL syntax error', withSli('      ratio: {errors: "http_requests_total{code=~\\"5..\\"", total: b}\n'), 'invalid PromQL: ', 7],
  ['PromQL expression without {{.window}}', withSli('      ratio: {errors: "sum(rate(a[5m]))", total: b}\n'), 'expected a counter selector', 7],
  ['selector and template mixed', withSli('      ratio: {errors: "sum(rate(a[{{.window}}]))", total: b}\n'), 'must both be selectors or both {{.window}} expressions', 7],
  ['LogQL syntax error', withSli('      ratio: {source: loki, errors: "{app=\\"gw\\"", total: "{app=\\"gw\\"}"}\n'), 'invalid LogQL', 7],
  ['LogQL metric query instead of a log query', withSli('      ratio: {source: loki, errors: "rate({app=\\"gw\\"}[5m])", total: "{app=\\"gw\\"}"}\n'), 'expected a log query', 7],
  ['unknown source', withSli('      ratio: {source: mimir, errors: a, total: b}\n'), 'unknown source "mimir"', 7],
  ['latency threshold not a bucket boundary', withSli('      latency: {metric: gen_ai_client_operation_duration_seconds, threshold: 2}\n'), '2 is not a bucket boundary of gen_ai_client_operation_duration_seconds', 7],
  ['latency threshold not in given buckets', withSli('      latency: {metric: ttft_seconds, threshold: 0.3, buckets: [0.1, 0.25, 0.5]}\n'), 'use 0.25 or 0.5', 7],
  ['latency metric with _bucket suffix', withSli('      latency: {metric: ttft_seconds_bucket, threshold: 1}\n'), 'without "_bucket"', 7],
  ['latency matchers on le', withSli('      latency: {metric: ttft_seconds, matchers: \'le="1"\', threshold: 1}\n'), 'do not match on "le"', 7],
  ['latency negative threshold', withSli('      latency: {metric: ttft_seconds, threshold: -1}\n'), 'threshold: -1 is out of range', 7],
  ['timeslice quantile of 95', withSli('      timeslice: {latency: {metric: ttft_seconds, quantile: 95, threshold: 2}}\n'), 'quantile: 95 is out of range', 7],
  ['timeslice slice of 30s', withSli('      timeslice: {slice: 30s, latency: {metric: ttft_seconds, quantile: 0.95, threshold: 2}}\n'), '"30s" is not a usable slice', 7],
  ['quality without components', withSli('      quality: {components: []}\n'), 'components: must not be empty', 7],
  ['quality zero weight', withSli('      quality: {components: [{name: judge, good: a, total: b, weight: 0}]}\n'), 'weight: 0 is out of range: expected above 0', 7],
  ['cost with an objective', withSli('      cost: {cost: spend_total, requests: req_total, target: 0.01}\n'), 'cost SLOs have no objective', 5],
  ['groupBy reserved label', doc(SLO.replace('    sli:', '    groupBy: [slo]\n    sli:')), 'cannot group by "slo"', 6],
  ['groupBy invalid label name', doc(SLO.replace('    sli:', '    groupBy: [my-route]\n    sli:')), '"my-route" is not a valid label name', 6],
  ['label both fixed and grouped by', doc(SLO.replace('    sli:', '    labels: {route: x}\n    groupBy: [route]\n    sli:')), '"route" is both a group-by label and a fixed label', 7],
  ['labels reserved key', doc(SLO.replace('    sli:', '    labels: {slo_service: x}\n    sli:')), '"slo_service" is set by Burnrate', 6],
  ['exclusion without values', doc(SLO.replace('    sli:', '    exclude: [{name: upstream, label: error_type}]\n    sli:')), 'give either "values" (exact label values) or "regex"', 6],
  ['exclusion on a {{.window}} query', withSli('      ratio: {errors: "sum(rate(a{c=\\"5\\"}[{{.window}}]))", total: "sum(rate(a[{{.window}}]))"}\n', '    exclude: [{name: up, label: e, values: [x]}]\n'), 'exclusions need selector queries', 6],
  ['alert annotation with an open template action', doc(SLO + '    alerting: {annotations: {summary: "{{ .Broken "}}\n'), 'template action opened at column 1 is never closed', 10],
  ['negative minEvents', doc(SLO + '    alerting: {minEvents: -5}\n'), 'minEvents: -5 is out of range', 10],
  ['alert name with spaces', doc(SLO + '    alerting: {name: "High burn"}\n'), 'an alert name is [a-zA-Z_][a-zA-Z0-9_]*', 10],
  ['unknown policy window', doc(SLO + '    policy: {freeze: {window: 2d}}\n'), 'unknown window "2d"', 10],
  ['evaluation interval too long', doc(SLO + '    evaluationInterval: 10m\n'), 'expected a duration from 10s to 5m', 10],
  // Nesting past 64 levels: these aborted the process before the parser bounded it (crash.test.ts).
  ["nesting after a quote in a comment", "# don't\n" + '['.repeat(20000), 'not a definition: nested deeper than 64 levels', 2],
  ['nesting with wide spacing', '-    '.repeat(8000) + 'x', 'not a definition: nested deeper than 64 levels', 1],
];

describe('invalid definitions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-invalid-'));

  it('has a table of at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  // Rows padded to four cells: jest would pass its done callback as a missing fourth argument.
  const rows = CASES.map(([name, text, message, line]) => [name, text, message, line ?? null] as const);

  it.each(rows)('%s: exits 1 with the reason and writes nothing', (name, text, message, line) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, text);
    const out = join(dir, `${name.replace(/\W+/g, '-')}.rules.yaml`);
    const r = run(['generate', file, '-o', out]);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toBe('');
    // Every message names the file, and the line where it is known.
    const errorLine = r.stderr.split('\n').find((l) => l.includes(message))!;
    expect(errorLine.startsWith(file)).toBe(true);
    if (line !== null) {
      expect(errorLine).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:`));
    }
    // validate agrees with generate.
    expect(run(['validate', file]).code).toBe(1);
  });

  it('the valid base case passes, so the cases above fail for their own reason', () => {
    const file = join(dir, 'valid.yaml');
    writeFileSync(file, doc(SLO));
    expect(run(['validate', file])).toMatchObject({ code: 0, stdout: 'ok: 1 SLO in 1 file\n' });
  });
});
