// The JSON Schema of the native format (schema/burnrate-slo.v1.schema.json) must agree with the
// validator (validate.ts, through loadText): every shipped example passes both, and every invalid
// document below is rejected by both.

import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parseAllDocuments, stringify } from 'yaml';
import { loadText } from '../load';
import { formatDiagnostic } from './types';

const ROOT = path.resolve(__dirname, '../../..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/burnrate-slo.v1.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const validate = ajv.compile(schema);

function schemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

function loaderErrors(text: string): string[] {
  return loadText(text, 'test.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
}

function exampleFiles(): string[] {
  const docsDir = path.join(ROOT, 'docs/examples');
  const docs = fs.existsSync(docsDir)
    ? fs
        .readdirSync(docsDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => path.join('docs/examples', f))
    : [];
  return ['examples/llm-gateway.yaml', ...docs];
}

describe('JSON Schema of burnrate/v1', () => {
  it('is a valid draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it('ships the gateway example and at least three docs examples', () => {
    expect(exampleFiles().length).toBeGreaterThanOrEqual(4);
  });

  it('accepts its own examples', () => {
    for (const ex of schema.examples) {
      expect(schemaErrors(ex)).toEqual([]);
      expect(loaderErrors(stringify(ex))).toEqual([]);
    }
  });

  describe.each(exampleFiles())('%s', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');

    it('validates against the schema', () => {
      const docs = parseAllDocuments(text);
      const list = Array.isArray(docs) ? docs : [docs];
      expect(list.length).toBeGreaterThan(0);
      for (const doc of list) {
        expect(doc.errors).toEqual([]);
        expect(schemaErrors(doc.toJS())).toEqual([]);
      }
    });

    it('loads without errors or warnings', () => {
      const r = loadText(text, file);
      expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(r.slos.length).toBeGreaterThan(0);
    });
  });
});

type Doc = Record<string, any>;

/** A small valid document that each case below breaks in one place. */
function base(): Doc {
  return {
    version: 'burnrate/v1',
    service: 'checkout-api',
    labels: { team: 'payments' },
    slos: [
      {
        name: 'availability',
        description: 'Requests that do not fail on our side.',
        objective: 0.999,
        window: '30d',
        groupBy: ['route'],
        sli: {
          ratio: {
            errors: 'http_requests_total{job="api", code=~"5.."}',
            total: 'http_requests_total{job="api"}',
          },
        },
        exclude: [{ name: 'client closed request', label: 'code', values: ['499'] }],
        alerting: { minEvents: 10, runbookUrl: 'https://runbooks.example.com/api' },
        policy: { freeze: { burnRate: 2, window: 'period' }, caution: { burnRate: 1, window: '1d' } },
        evaluationInterval: '1m',
      },
    ],
  };
}

function variant(change: (doc: Doc, slo: Doc) => void): Doc {
  const doc = base();
  change(doc, doc.slos[0]);
  return doc;
}

const latency = (extra: Doc = {}) => ({
  latency: {
    metric: 'gen_ai_server_time_to_first_token_seconds',
    matchers: 'gen_ai_operation_name="chat"',
    threshold: 1,
    ...extra,
  },
});
const cost = {
  cost: { cost: 'llm_cost_usd_total', requests: 'gen_ai_client_operation_duration_seconds_count', target: 0.001 },
};
const raw = { raw: { errorRatio: '1 - avg_over_time(up{job="api"}[{{.window}}])' } };
const quality = {
  quality: {
    components: [
      { name: 'judge', good: 'llm_judge_verdicts_total{verdict="pass"}', total: 'llm_judge_verdicts_total' },
    ],
    agreement: { agreed: 'llm_judge_human_agreement_total{agree="true"}', reviewed: 'llm_judge_human_agreement_total' },
  },
};

describe('documents both the schema and the loader accept', () => {
  const cases: Array<[string, Doc]> = [
    ['the base document', base()],
    ['window 4d (shortest)', variant((_, s) => (s.window = '4d'))],
    ['window 400d (longest)', variant((_, s) => (s.window = '400d'))],
    ['window 4w', variant((_, s) => (s.window = '4w'))],
    ['window 57w', variant((_, s) => (s.window = '57w'))],
    ['window month', variant((_, s) => (s.window = 'month'))],
    ['window calendar-month', variant((_, s) => (s.window = 'calendar-month'))],
    ['evaluationInterval 10s', variant((_, s) => (s.evaluationInterval = '10s'))],
    ['evaluationInterval 300s', variant((_, s) => (s.evaluationInterval = '300s'))],
    ['evaluationInterval 4m30s', variant((_, s) => (s.evaluationInterval = '4m30s'))],
    ['evaluationInterval 5m', variant((_, s) => (s.evaluationInterval = '5m'))],
    [
      'good instead of errors',
      variant((_, s) => (s.sli.ratio = { good: 'http_requests_total{code!~"5.."}', total: 'http_requests_total' })),
    ],
    [
      '{{.window}} expressions without exclusions',
      variant((_, s) => {
        s.sli.ratio = {
          errors: 'sum(rate(x_total{code=~"5.."}[{{.window}}]))',
          total: 'sum(rate(x_total[{{ .window }}]))',
        };
        delete s.exclude;
      }),
    ],
    ['numeric exclusion values', variant((_, s) => (s.exclude[0].values = [499, 503]))],
    ['an exclusion regex', variant((_, s) => (s.exclude[0] = { name: 'throttled', label: 'code', regex: '429|503' }))],
    ['number and boolean label values', variant((d, s) => ((d.labels.tier = 1), (s.labels = { critical: true })))],
    ['latency at a GenAI bucket boundary', variant((_, s) => (s.sli = latency({ threshold: 0.25 })))],
    [
      'latency on a native histogram at any threshold',
      variant((_, s) => (s.sli = latency({ threshold: 0.3, native: true }))),
    ],
    ['latency at a given bucket', variant((_, s) => (s.sli = latency({ threshold: 0.3, buckets: [0.1, 0.3, 1] })))],
    [
      'latency on another histogram, unchecked',
      variant((_, s) => (s.sli = latency({ metric: 'http_request_duration_seconds', threshold: 0.3 }))),
    ],
    [
      'a timeslice ratio',
      variant((_, s) => {
        s.sli = {
          timeslice: { slice: '300s', ratio: { errors: 'x_total{code="500"}', total: 'x_total', target: 0.99 } },
        };
        delete s.evaluationInterval;
      }),
    ],
    ['quality with agreement', variant((_, s) => (s.sli = quality))],
    [
      'cost without objective, paging turned back on',
      variant((_, s) => ((s.sli = cost), delete s.objective, (s.alerting.page = { disabled: false }))),
    ],
    [
      'raw with minEvents 0 and no exclusions',
      variant((_, s) => ((s.sli = raw), delete s.exclude, (s.alerting.minEvents = 0))),
    ],
    ['policy budgetRemaining -10', variant((_, s) => (s.policy.freeze.budgetRemaining = -10))],
    ['alerting disabled', variant((_, s) => (s.alerting = { disabled: true }))],
  ];

  it.each(cases)('%s', (_, doc) => {
    expect(schemaErrors(doc)).toEqual([]);
    expect(loaderErrors(stringify(doc))).toEqual([]);
  });
});

describe('documents both the schema and the loader reject', () => {
  // [case, document (object or YAML text), substring of one of the loader's formatted errors]
  const cases: Array<[string, Doc | string, string]> = [
    [
      'unknown field (typo)',
      variant((_, s) => ((s.groupby = s.groupBy), delete s.groupBy)),
      'unknown field "groupby"; did you mean "groupBy"?',
    ],
    [
      'unknown top-level field',
      variant((d) => (d.servce = 'x')),
      'servce: unknown field "servce"; did you mean "service"?',
    ],
    [
      'objective written as a percentage',
      variant((_, s) => (s.objective = 99.9)),
      '99.9 is outside (0,1): objectives are ratios; did you mean 0.999?',
    ],
    [
      'objective 1',
      variant((_, s) => (s.objective = 1)),
      'slos[0].objective: 1 is out of range: expected between 0 and 1, exclusive',
    ],
    ['missing objective', variant((_, s) => delete s.objective), 'slos[0].objective: required field is missing'],
    ['missing sli', variant((_, s) => delete s.sli), 'slos[0].sli: required field is missing'],
    [
      'two SLI kinds',
      variant((_, s) => Object.assign(s.sli, latency())),
      'expected exactly one SLI kind, got ratio and latency',
    ],
    [
      'no SLI kind',
      variant((_, s) => (s.sli = {})),
      'expected exactly one SLI kind: ratio, latency, timeslice, quality, cost, raw',
    ],
    ['unknown SLI kind', variant((_, s) => (s.sli = { availability: {} })), 'unknown field "availability"'],
    ['wrong version', variant((d) => (d.version = 'burnrate/v2')), 'unsupported version "burnrate/v2": expected "burnrate/v1"'],
    ['missing service', variant((d) => delete d.service), 'service: required field is missing'],
    ['empty slos', variant((d) => (d.slos = [])), 'slos: must not be empty'],
    [
      'bad SLO name',
      variant((_, s) => (s.name = 'Chat Availability')),
      '"Chat Availability" is not valid: use letters, digits',
    ],
    ['SLO name ending in "-"', variant((_, s) => (s.name = 'availability-')), 'is not valid: use letters, digits'],
    ['bad window string', variant((_, s) => (s.window = '30 days')), '"30 days" is not a window'],
    ['window too short', variant((_, s) => (s.window = '3d')), '"3d" is too short'],
    ['window not whole days', variant((_, s) => (s.window = '1h')), '"1h" is not a whole number of days'],
    ['window too long', variant((_, s) => (s.window = '401d')), '"401d" is too long: at most 400d'],
    ['window 58w', variant((_, s) => (s.window = '58w')), '"58w" is too long'],
    [
      'evaluationInterval too short',
      variant((_, s) => (s.evaluationInterval = '5s')),
      '"5s" is not usable: expected a duration from 10s to 5m',
    ],
    ['evaluationInterval too long', variant((_, s) => (s.evaluationInterval = '6m')), '"6m" is not usable'],
    [
      'negative minEvents',
      variant((_, s) => (s.alerting.minEvents = -1)),
      'slos[0].alerting.minEvents: -1 is out of range: expected at least 0',
    ],
    ['fractional minEvents', variant((_, s) => (s.alerting.minEvents = 1.5)), 'expected a whole number, got 1.5'],
    [
      'unknown policy window',
      variant((_, s) => (s.policy.caution.window = '2d')),
      'unknown window "2d": expected one of 5m, 30m, 1h, 2h, 6h, 1d, 3d, period',
    ],
    [
      'policy budgetRemaining above 1',
      variant((_, s) => (s.policy.freeze.budgetRemaining = 2)),
      '2 is out of range: expected between -10 and 1',
    ],
    ['policy burnRate 0', variant((_, s) => (s.policy.freeze.burnRate = 0)), '0 is out of range: expected above 0'],
    [
      'unknown policy field',
      variant((_, s) => (s.policy.frozen = {})),
      'slos[0].policy.frozen: unknown field "frozen" (allowed: freeze, caution, quality)',
    ],
    [
      'bad label name in groupBy',
      variant((_, s) => (s.groupBy = ['http.route'])),
      '"http.route" is not a valid label name',
    ],
    ['groupBy "__"-label', variant((_, s) => (s.groupBy = ['__name__'])), '"__name__" is not a valid label name'],
    [
      'groupBy a reserved label',
      variant((_, s) => (s.groupBy = ['slo'])),
      'cannot group by "slo": Burnrate sets it itself',
    ],
    ['groupBy listed twice', variant((_, s) => (s.groupBy = ['route', 'route'])), '"route" is listed twice'],
    [
      'reserved label',
      variant((_, s) => (s.labels = { slo_service: 'x' })),
      '"slo_service" is set by Burnrate and cannot be given',
    ],
    ['bad label name', variant((d) => (d.labels = { 'team-name': 'x' })), '"team-name" is not a valid label name'],
    [
      'bad exclude: values and regex',
      variant((_, s) => (s.exclude[0].regex = '4..')),
      'give either "values" (exact label values) or "regex", not both and not neither',
    ],
    ['bad exclude: neither values nor regex', variant((_, s) => delete s.exclude[0].values), 'give either "values"'],
    [
      'bad exclude: empty values',
      variant((_, s) => (s.exclude[0].values = [])),
      'slos[0].exclude[0].values: must not be empty',
    ],
    [
      'bad exclude: label name',
      variant((_, s) => (s.exclude[0].label = 'status-code')),
      '"status-code" is not a valid label name',
    ],
    [
      'bad exclude: missing name',
      variant((_, s) => delete s.exclude[0].name),
      'slos[0].exclude[0].name: required field is missing',
    ],
    [
      'unknown source',
      variant((_, s) => (s.sli.ratio.source = 'mimir')),
      'unknown source "mimir": expected "prometheus" or "loki"',
    ],
    ['errors and good', variant((_, s) => (s.sli.ratio.good = 'x_total')), 'give either "errors" or "good", not both'],
    [
      'missing total',
      variant((_, s) => delete s.sli.ratio.total),
      'slos[0].sli.ratio.total: required field is missing',
    ],
    ['empty query', variant((_, s) => (s.sli.ratio.total = '  ')), 'slos[0].sli.ratio.total: must not be empty'],
    [
      'latency threshold off the GenAI buckets',
      variant((_, s) => (s.sli = latency({ threshold: 0.3 }))),
      '0.3 is not a bucket boundary of gen_ai_server_time_to_first_token_seconds',
    ],
    ['latency with empty buckets', variant((_, s) => (s.sli = latency({ buckets: [] }))), 'is not a bucket boundary'],
    [
      'latency threshold 0',
      variant((_, s) => (s.sli = latency({ threshold: 0 }))),
      '0 is out of range: expected above 0',
    ],
    [
      'latency metric with _bucket',
      variant((_, s) => (s.sli = latency({ metric: 'x_seconds_bucket' }))),
      'give the histogram\'s base name without "_bucket"',
    ],
    ['latency matchers on le', variant((_, s) => (s.sli = latency({ matchers: 'le="1"' }))), 'do not match on "le"'],
    [
      'latency native not a boolean',
      variant((_, s) => (s.sli = latency({ native: 'yes' }))),
      'expected true or false, got string "yes"',
    ],
    [
      'timeslice slice 90s',
      variant(
        (_, s) =>
          (s.sli = { timeslice: { slice: '90s', latency: { metric: 'x_seconds', quantile: 0.95, threshold: 2 } } })
      ),
      '"90s" is not a usable slice',
    ],
    [
      'timeslice with latency and ratio',
      variant(
        (_, s) =>
          (s.sli = {
            timeslice: {
              latency: { metric: 'x_seconds', quantile: 0.95, threshold: 2 },
              ratio: { total: 'x_total', errors: 'y_total', target: 0.9 },
            },
          })
      ),
      'expected exactly one of "latency"',
    ],
    [
      'timeslice quantile 1',
      variant((_, s) => (s.sli = { timeslice: { latency: { metric: 'x_seconds', quantile: 1, threshold: 2 } } })),
      'timeslice.latency.quantile: 1 is out of range',
    ],
    [
      'quality without components',
      variant((_, s) => (s.sli = { quality: { components: [] } })),
      'slos[0].sli.quality.components: must not be empty',
    ],
    [
      'quality weight 0',
      variant((_, s) => (s.sli = { quality: { components: [{ ...quality.quality.components[0], weight: 0 }] } })),
      'components[0].weight: 0 is out of range: expected above 0',
    ],
    [
      'agreement minimum 1',
      variant(
        (_, s) => (s.sli = { quality: { ...quality.quality, agreement: { ...quality.quality.agreement, minimum: 1 } } })
      ),
      'agreement.minimum: 1 is out of range',
    ],
    ['cost with an objective', variant((_, s) => (s.sli = cost)), 'cost SLOs have no objective'],
    [
      'cost currency lower case',
      variant((_, s) => ((s.sli = { cost: { ...cost.cost, currency: 'usd' } }), delete s.objective)),
      '"usd" is not valid: a three-letter currency code',
    ],
    [
      'cost without target',
      variant((_, s) => ((s.sli = { cost: { ...cost.cost, target: undefined } }), delete s.objective)),
      'sli.cost.target: required field is missing',
    ],
    [
      'raw without {{.window}}',
      variant((_, s) => ((s.sli = { raw: { errorRatio: 'x_errors' } }), delete s.exclude)),
      'expected an expression with a {{.window}} placeholder',
    ],
    [
      'raw with minEvents',
      variant((_, s) => ((s.sli = raw), delete s.exclude, (s.alerting.minEvents = 5))),
      'raw SLIs have no event counts',
    ],
    ['raw with exclusions', variant((_, s) => (s.sli = raw)), 'exclusions need selector queries'],
    [
      'bad alert name',
      variant((_, s) => (s.alerting.name = 'error-budget-burn')),
      'an alert name is [a-zA-Z_][a-zA-Z0-9_]*',
    ],
    ['unknown severity field', variant((_, s) => (s.alerting.page = { enabled: false })), 'unknown field "enabled"'],
    [
      'alerting labels not a mapping',
      variant((_, s) => (s.alerting.labels = ['team'])),
      'slos[0].alerting.labels: expected a mapping, got a list',
    ],
    ['sli not a mapping', variant((_, s) => (s.sli = 'ratio')), 'slos[0].sli: expected a mapping, got string "ratio"'],
  ];

  it('has at least 12 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases)('%s', (_, doc, message) => {
    const text = typeof doc === 'string' ? doc : stringify(doc);
    const value = typeof doc === 'string' ? parseAllDocuments(text)[0]?.toJS() : JSON.parse(JSON.stringify(doc));
    expect(schemaErrors(value)).not.toEqual([]);
    const errors = loaderErrors(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain(message);
  });

  it('reports file, line, severity and field path', () => {
    const text = stringify(variant((_, s) => (s.objective = 99.9)));
    const line = text.split('\n').findIndex((l) => l.includes('objective:')) + 1;
    expect(loaderErrors(text)).toContain(
      `test.yaml:${line}: error: slos[0].objective: 99.9 is outside (0,1): objectives are ratios; did you mean 0.999?`
    );
  });
});

describe('duration fields: the schema and the loader agree on every plain form', () => {
  const accepts = (doc: Doc) => [schemaErrors(doc).length === 0, loaderErrors(stringify(doc)).length === 0];
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('window: 0d-402d and 0w-59w', () => {
    const forms = [
      ...range(403).map((n) => `${n}d`),
      ...range(60).map((n) => `${n}w`),
      '04d',
      '030d',
      '24h',
      '96h',
      '1y',
      '30D',
    ];
    const disagree = forms.filter((w) => {
      const [schemaOk, loaderOk] = accepts(variant((_, s) => (s.window = w)));
      return schemaOk !== loaderOk;
    });
    // The loader also reads combined forms such as "96h" (4 days): the schema asks for days or weeks.
    expect(disagree).toEqual(['96h']);
  });

  it('evaluationInterval: 0s-310s, 0m-6m, 1m0s-5m1s', () => {
    const forms = [...range(311).map((n) => `${n}s`), ...range(7).map((n) => `${n}m`)];
    for (const m of [1, 2, 3, 4, 5]) {
      forms.push(...range(62).map((n) => `${m}m${n}s`));
    }
    const disagree = forms.filter((e) => {
      const [schemaOk, loaderOk] = accepts(variant((_, s) => (s.evaluationInterval = e)));
      return schemaOk !== loaderOk;
    });
    // "1m60s" and the like are valid sums that the schema does not spell out.
    expect(disagree).toEqual(['1m60s', '1m61s', '2m60s', '2m61s', '3m60s', '3m61s', '4m60s']);
  });

  it('timeslice slice: 0s-310s and 0m-6m', () => {
    const forms = [...range(311).map((n) => `${n}s`), ...range(7).map((n) => `${n}m`), '1m0s', '5m00s'];
    const disagree = forms.filter((slice) => {
      const [schemaOk, loaderOk] = accepts(
        variant((_, s) => {
          s.sli = { timeslice: { slice, latency: { metric: 'x_seconds', quantile: 0.95, threshold: 2 } } };
          s.evaluationInterval = '1m';
          delete s.exclude;
        })
      );
      return schemaOk !== loaderOk;
    });
    expect(disagree).toEqual([]);
  });
});

describe('docs/spec.md', () => {
  const text = fs.readFileSync(path.join(ROOT, 'docs/spec.md'), 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has a full example and SLI snippets', () => {
    expect(blocks.filter((b) => b.startsWith('version:')).length).toBeGreaterThanOrEqual(1);
    expect(blocks.filter((b) => b.startsWith('sli:')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b, i) => [i, b] as [number, string]))('yaml block %i validates in both', (_, block) => {
    const value = parseAllDocuments(block)[0]?.toJS() ?? {};
    let doc: Doc;
    if (block.startsWith('version:')) {
      doc = value;
    } else if (block.startsWith('#')) {
      return; // the editor comment
    } else {
      doc = variant((_d, s) => {
        Object.assign(s, value);
        if (s.sli.cost) {
          delete s.objective;
        }
        if (s.sli.raw) {
          // Raw SLIs take neither exclusions nor a minimum-events guard.
          delete s.exclude;
          delete s.alerting.minEvents;
        }
      });
    }
    expect(schemaErrors(doc)).toEqual([]);
    expect(loaderErrors(stringify(doc))).toEqual([]);
  });
});
