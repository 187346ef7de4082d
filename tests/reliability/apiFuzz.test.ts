// Property tests over every API body: malformed SLOs (POST/PUT /slos, /validate, /preview),
// malformed OpenSLO/Sloth/native files (/import), freezes and tokens. Each malformed input must get
// a 4xx with a message; no 5xx ever; nothing is stored (row counts of every table unchanged); no rule
// file appears; every rule file /preview returns passes promtool. The server runs in-process with a temp SQLite file and a rules directory (no
// Prometheus: delivery writes files only, so a stored SLO would show up as a file).

import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { loadText } from '../../src/core/load';
import { parseDuration } from '../../src/core/spec/duration';
import { validateSloText } from '../../src/core/spec/sloObject';
import { RunningServer, startServer } from '../../src/server/app';
import { sleep } from '../support/prometheusServer';
import { Api, ApiResponse, availabilitySlo, captureLog, CapturedLog, secret, serverConfig, SERVICE, tempDir } from '../server/helpers';
import { apply, HOSTILE_TEXTS, mutations, SLOW_TEXTS } from './mutate';
import { checkRulesDir, listDir, requirePromtool, sqliteRowCounts, Tally } from './support';

jest.setTimeout(240_000);

const RUNS = Number(process.env.RELIABILITY_API_RUNS ?? 400);
const ADMIN = secret();
const tally = new Tally('API bodies (in-process server, apiFuzz.test.ts)');
let server: RunningServer;
let logs: CapturedLog;
let admin: Api;
let rulesDir: string;
let baseline: { rows: Record<string, number>; files: string[] };
const timings: string[] = [];
const previewDir = tempDir('fuzz-preview');
let previews = 0;

// The SLO mutated for /slos, /validate and /preview: every optional part present so that each can
// be broken. Its name differs from the stored one, so a POST of a still-valid mutation is a create.
const SLO = availabilitySlo({
  name: 'fuzz-target',
  labels: { team: 'genai', tier: '1' },
  exclude: [{ name: 'provider', label: 'error_type', values: ['provider_error', 'a"b'] }],
  alerting: { minEvents: 5, runbookUrl: 'https://runbooks.example.com/x', page: { labels: { team: 'x' } }, annotations: { summary: 'hi {{ $labels.route }}' } },
});
const STORED = availabilitySlo();
const STORED_PATH = `/api/v1/slos/${SERVICE}/chat-availability`;

const SLOTH = readFileSync(join(__dirname, '../fixtures/anchors/sloth/kubernetes-apiserver.yml'), 'utf8');
const OPENSLO = [
  {
    apiVersion: 'openslo/v1',
    kind: 'SLI',
    metadata: { name: 'good-requests' },
    spec: {
      ratioMetric: {
        counter: true,
        bad: { metricSource: { type: 'Prometheus', spec: { query: 'http_requests_total{code=~"5.."}' } } },
        total: { metricSource: { type: 'Prometheus', spec: { query: 'http_requests_total' } } },
      },
    },
  },
  {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'checkout-availability', labels: { team: ['a'] } },
    spec: {
      service: 'checkout',
      indicatorRef: 'good-requests',
      timeWindow: [{ duration: '28d', isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ target: 0.999 }],
    },
  },
];

beforeAll(async () => {
  requirePromtool();
  rulesDir = tempDir('fuzz-rules');
  logs = captureLog();
  server = await startServer(
    serverConfig({ dbPath: join(tempDir('fuzz-db'), 'burnrate.db'), bootstrapAdminToken: ADMIN, prometheusRules: { mode: 'directory', dir: rulesDir }, maxBodyBytes: 1024 * 1024, logLevel: 'info' }),
    logs.log
  );
  admin = new Api(server.url, ADMIN);
  expect((await admin.post('/api/v1/slos', STORED)).status).toBe(201);
  await server.reconciler.run();
  baseline = { rows: sqliteRowCounts(server.storage), files: listDir(rulesDir) };
  expect(baseline.files).toEqual([`burnrate_${SERVICE}@chat-availability.rules.yaml`]);
  expect(baseline.rows.slos).toBe(1);
});

afterAll(async () => {
  await server?.close();
  tally.print([`- total malformed inputs sent: ${tally.total((k) => !k.startsWith('('))}`, ...timings]);
});

/** A 4xx with a message, then nothing stored and no new rule file. */
function expectRejected(r: ApiResponse, what: string): void {
  if (r.status < 400 || r.status >= 500) {
    throw new Error(`${what}: expected a 4xx, got ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
  }
  const message = r.body?.error?.message ?? r.body?.diagnostics?.find((d: any) => d.severity === 'error')?.message;
  if (typeof message !== 'string' || message.trim().length < 5) {
    throw new Error(`${what}: the ${r.status} answer carries no message: ${JSON.stringify(r.body).slice(0, 400)}`);
  }
  expectNothingStored(what);
}

function expectNothingStored(what: string): void {
  const rows = sqliteRowCounts(server.storage);
  if (JSON.stringify(rows) !== JSON.stringify(baseline.rows)) {
    throw new Error(`${what}: rows changed ${JSON.stringify(baseline.rows)} -> ${JSON.stringify(rows)}`);
  }
  const files = listDir(rulesDir);
  if (JSON.stringify(files) !== JSON.stringify(baseline.files)) {
    throw new Error(`${what}: rules directory changed: ${files.join(', ')}`);
  }
}

const send = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
  admin.call(method, path, body, { 'Content-Type': 'application/yaml', ...headers });

const seeds = { slos: 101, put: 102, validate: 103, preview: 104, import: 105, freeze: 106, token: 107, ifmatch: 108, paths: 109 };
const opts = (seed: number, numRuns = RUNS) => ({ numRuns, seed, endOnFailure: true });

describe('SLO bodies', () => {
  it('POST /api/v1/slos: every malformed SLO gets 4xx with a message; nothing is stored', async () => {
    await fc.assert(
      fc.asyncProperty(mutations(SLO), async (m) => {
        const text = apply(SLO, m);
        if (validateSloText(text).slo) {
          tally.add('(valid after mutation, not sent to writes)');
          return;
        }
        expectRejected(await send('POST', '/api/v1/slos', text), `POST ${m.kind} ${text.slice(0, 200)}`);
        tally.add(`POST /api/v1/slos (${m.kind})`);
      }),
      opts(seeds.slos)
    );
  });

  it('PUT /api/v1/slos/{service}/{name}: malformed bodies get 4xx; the stored SLO stays at version 1', async () => {
    await fc.assert(
      fc.asyncProperty(mutations(STORED), async (m) => {
        const text = apply(STORED, m);
        if (validateSloText(text).slo) {
          tally.add('(valid after mutation, not sent to writes)');
          return;
        }
        expectRejected(await send('PUT', STORED_PATH, text, { 'If-Match': '"1"' }), `PUT ${m.kind} ${text.slice(0, 200)}`);
        tally.add(`PUT /api/v1/slos/{service}/{name} (${m.kind})`);
      }),
      opts(seeds.put)
    );
    expect((await admin.get(STORED_PATH)).body.version).toBe(1);
  });

  it('PUT with any If-Match other than the current version, or to any other path: 4xx, nothing changes', async () => {
    const body = JSON.stringify(STORED);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 20 }).filter((h) => /^[\x20-\x7e]*$/.test(h)), async (h) => {
        const m = /^(?:W\/)?"?(\d+)"?$/.exec(h.trim());
        if (m && Number(m[1]) === 1) {
          return;
        }
        expectRejected(await send('PUT', STORED_PATH, body, { 'If-Match': h }), `If-Match ${JSON.stringify(h)}`);
        tally.add('PUT with a wrong If-Match');
      }),
      opts(seeds.ifmatch, Math.ceil(RUNS / 4))
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (svc, name) => {
        if (svc === SERVICE && name === 'chat-availability') {
          return;
        }
        const path = `/api/v1/slos/${encodeURIComponent(svc)}/${encodeURIComponent(name)}`;
        expectRejected(await send('PUT', path, body, { 'If-Match': '"1"' }), `PUT ${path}`);
        tally.add('PUT to another (possibly hostile) path');
      }),
      opts(seeds.paths, Math.ceil(RUNS / 4))
    );
  });

  it('POST /api/v1/validate: malformed SLOs get 422 with diagnostics; valid ones 200; nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(mutations(SLO), async (m) => {
        const text = apply(SLO, m);
        const r = await send('POST', '/api/v1/validate', text);
        if (validateSloText(text).slo) {
          expect(r.status).toBe(200);
          expectNothingStored('validate (valid)');
          tally.add('(valid after mutation, /validate answered 200)');
          return;
        }
        expect(r.body?.valid).toBe(false);
        expectRejected(r, `validate ${text.slice(0, 200)}`);
        tally.add(`POST /api/v1/validate (${m.kind})`);
      }),
      opts(seeds.validate)
    );
  });

  it('POST /api/v1/preview: malformed SLOs get 422 with a message; nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(mutations(SLO), async (m) => {
        const text = apply(SLO, m);
        if (validateSloText(text).slo) {
          const r = await send('POST', '/api/v1/preview', text);
          expect(r.status).toBe(200);
          tally.add('(valid after mutation, /preview answered 200)');
          writeFileSync(join(previewDir, `preview-${previews++}.yaml`), r.body.prometheus);
          return;
        }
        expectRejected(await send('POST', '/api/v1/preview', text), `preview ${text.slice(0, 200)}`);
        tally.add(`POST /api/v1/preview (${m.kind})`);
      }),
      opts(seeds.preview)
    );
  });

  // Found by the adversarial review: each was stored (201) and made Prometheus reject the rule file.
  const PROMETHEUS_REJECTS: Array<[string, Record<string, unknown>]> = [
    ['{{ nosuchfunc }} in an annotation', { alerting: { annotations: { summary: '{{ nosuchfunc }}' } } }],
    ['an unclosed {{ if }}', { alerting: { annotations: { summary: '{{ if $labels.route }}x' } } }],
    ['a runbookUrl template left open', { alerting: { runbookUrl: 'https://runbooks/{{ $labels.route' } }],
    ['an annotation named summa-y', { alerting: { annotations: { 'summa-y': 'x' } } }],
    ['code=~"(5" in a query', { sli: { ratio: { errors: 'req_total{code=~"(5"}', total: 'req_total' } } }],
    ['a matcher on __name__ beside the metric name', { sli: { ratio: { errors: 'req_total{__name__="x"}', total: 'req_total' } } }],
    ['an exclusion regex with (?=', { exclude: [{ name: 'x', label: 'error_type', regex: '(?=provider)' }] }],
    ['an exclusion regex with a backreference', { exclude: [{ name: 'x', label: 'error_type', regex: '(a)\\1' }] }],
    ['an exclusion regex with (?<n>', { exclude: [{ name: 'x', label: 'error_type', regex: '(?<n>a)' }] }],
  ];
  it.each(PROMETHEUS_REJECTS)('%s: POST /slos and /preview answer 422, nothing stored', async (_, override) => {
    const body = JSON.stringify({ ...SLO, name: 'prom-rejects', ...override });
    expectRejected(await send('POST', '/api/v1/slos', body), 'POST');
    expectRejected(await send('POST', '/api/v1/preview', body), 'preview');
    tally.add('bodies Prometheus would reject (POST and /preview)', 2);
  });

  // /preview shows the rules the server would deliver: it must never show a file Prometheus rejects.
  it('every rule file /preview returned for a still-valid mutation passes promtool check rules', () => {
    const r = checkRulesDir(previewDir);
    expect(r.files.length).toBe(previews);
    expect(previews).toBeGreaterThan(50);
    if (!r.ok) {
      throw new Error(r.output.split(/\n\n/).filter((b) => !b.includes('SUCCESS')).join('\n\n').slice(0, 3000));
    }
    tally.add('(rule files /preview returned, checked by promtool)', previews);
  });

  it.each(['/api/v1/slos', '/api/v1/validate', '/api/v1/preview', `PUT ${STORED_PATH}`, '/api/v1/import?from=burnrate'])(
    'hostile texts (deep nesting, alias bombs, odd encodings) to %s: 4xx with a message',
    async (target) => {
      for (const [name, text] of HOSTILE_TEXTS) {
        const [method, path] = target.startsWith('PUT ') ? ['PUT', target.slice(4)] : ['POST', target];
        expectRejected(await send(method, path, text, { 'If-Match': '"1"' }), `${target}: ${name}`);
        tally.add('hostile texts (resource attacks, odd encodings)');
      }
    }
  );

  it.each(['/api/v1/validate', '/api/v1/import?from=burnrate'])('large texts that cost the parser CPU, to %s: 4xx (time reported)', async (path) => {
    for (const [name, text] of SLOW_TEXTS) {
      const r = await send('POST', path, text);
      expectRejected(r, `${path}: ${name}`);
      tally.add('hostile texts (resource attacks, odd encodings)');
      timings.push(`- ${path} with ${name}: ${r.status} in ${Math.round(r.ms)} ms (the event loop is blocked meanwhile)`);
    }
  });
});

describe('import', () => {
  const importable = (text: string) => loadText(text, 'body').slos.length > 0;
  it.each([
    ['sloth', SLOTH, 'sloth'],
    ['openslo', OPENSLO, 'openslo'],
  ] as const)('POST /api/v1/import?from=%s: malformed files get 4xx with a message; nothing stored', async (from, doc) => {
    const base = typeof doc === 'string' ? (require('yaml').parse(doc) as unknown) : doc;
    await fc.assert(
      fc.asyncProperty(mutations(base), async (m) => {
        const text = apply(base, m);
        if (importable(text)) {
          tally.add('(valid after mutation, not sent to writes)');
          return;
        }
        expectRejected(await send('POST', `/api/v1/import?from=${from}`, text), `import ${from} ${m.kind} ${text.slice(0, 200)}`);
        tally.add(`POST /api/v1/import?from=${from} (${m.kind})`);
      }),
      opts(seeds.import + (from === 'sloth' ? 0 : 50))
    );
  });

  it('any other from= gets 400, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 20 }), async (from) => {
        if (['openslo', 'sloth', 'pyrra', 'burnrate'].includes(from)) {
          return;
        }
        expectRejected(await send('POST', `/api/v1/import?from=${encodeURIComponent(from)}`, SLOTH), `from=${from}`);
        tally.add('POST /api/v1/import with an unknown from=');
      }),
      opts(seeds.import + 99, Math.ceil(RUNS / 6))
    );
  });
});

describe('freezes and tokens', () => {
  const future = new Date(Date.now() + 3600_000).toISOString();
  const FREEZE = { kind: 'freeze', service: SERVICE, route: '/chat', reason: 'incident 42', duration: '4h' };
  const notDuration = fc.string({ maxLength: 8 }).filter((s) => !parseDuration(s));
  const nonString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
  // One field broken in a way the API must refuse.
  const brokenFreeze = fc.oneof(
    // (kind: null reads as "absent", i.e. the default freeze: not broken.)
    fc.record({ kind: fc.oneof(fc.string().filter((k) => k !== 'freeze' && k !== 'override'), nonString) }),
    fc.record({ service: fc.oneof(fc.constant(''), nonString, fc.constant(null)) }),
    fc.record({ reason: fc.oneof(fc.string({ maxLength: 2 }), fc.constantFrom('   ', ' \n a '), nonString, fc.constant(null)) }),
    fc.record({ route: fc.oneof(nonString, fc.constant(null)) }),
    fc.record({ duration: fc.oneof(notDuration, nonString, fc.constantFrom('91d', '2160h1m', '0s', '-4h', '13w')) }),
    fc.record({
      duration: fc.constant(undefined),
      expiresAt: fc.oneof(
        fc.string({ maxLength: 30 }).filter((s) => !(Date.parse(s) > Date.now())),
        fc.date({ max: new Date() }).map((d) => d.toISOString()),
        fc.date({ min: new Date(Date.now() + 91 * 86400_000), max: new Date(8.64e15) }).map((d) => d.toISOString()),
        fc.integer().map(String)
      ),
    }),
    fc.record({ duration: fc.constant(undefined) })
  );
  it('POST /api/v1/freezes: a body with one field broken, or not an object, gets 400 with a message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 8, arbitrary: brokenFreeze.map((b) => JSON.stringify({ ...FREEZE, ...b })) },
          // JSON null has its own test below.
          { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer()), fc.boolean()).map((v) => JSON.stringify(v)) },
          { weight: 1, arbitrary: fc.string({ maxLength: 100 }).filter((t) => { try { JSON.parse(t); return false; } catch { return true; } }) }
        ),
        async (body) => {
          expectRejected(await send('POST', '/api/v1/freezes', body, { 'Content-Type': 'application/json' }), `freeze ${body.slice(0, 200)}`);
          tally.add('POST /api/v1/freezes');
        }
      ),
      opts(seeds.freeze)
    );
    // The generator does reach valid ground: the unbroken body is accepted (and then revoked).
    const ok = await admin.post('/api/v1/freezes', { ...FREEZE, expiresAt: future });
    expect(ok.status).toBe(201);
    expect((await admin.del(`/api/v1/freezes/${ok.body.id}`)).status).toBe(204);
    baseline.rows = sqliteRowCounts(server.storage);
  });

  const badName = fc.oneof(fc.string({ maxLength: 80 }).filter((n) => !/^[a-zA-Z0-9._-]{1,64}$/.test(n)), nonString, fc.constant(null), fc.constant('admin'));
  const badRole = fc.oneof(fc.string().filter((r) => !['viewer', 'editor', 'admin'].includes(r)), nonString, fc.constant(null), fc.constantFrom('Admin', 'root', 'ADMIN', ' admin'));
  it('POST /api/v1/tokens: a bad name or role, an existing name, or a non-object body gets 4xx; no token is made', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ name: badName, role: fc.constantFrom('viewer', 'editor', 'admin') }) },
          { weight: 4, arbitrary: fc.record({ name: fc.stringMatching(/^[a-z0-9._-]{1,20}$/), role: badRole }) },
          { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer()), fc.boolean()) }
        ),
        async (b) => {
          expectRejected(await send('POST', '/api/v1/tokens', JSON.stringify(b), { 'Content-Type': 'application/json' }), `token ${JSON.stringify(b)}`);
          tally.add('POST /api/v1/tokens');
        }
      ),
      opts(seeds.token, Math.ceil(RUNS / 2))
    );
  });

  // A JSON body of `null` once reached `b.kind` / `b.name` and answered 500.
  it.each(['/api/v1/freezes', '/api/v1/tokens'])('%s with the JSON body null gets 400, not 500', async (path) => {
    expectRejected(await send('POST', path, 'null', { 'Content-Type': 'application/json' }), `${path} null`);
  });
});

describe('afterwards', () => {
  it('no request failed with 5xx, the server still answers, nothing was stored, no rule file appeared', async () => {
    await sleep(500); // a delivery pass would have run by now (debounce 200 ms)
    await server.reconciler.run();
    expect((await admin.get('/healthz')).status).toBe(200);
    const failed = logs.lines.filter((l) => /"status":5\d\d/.test(l) && !/\/api\/v1\/(freezes|tokens)"/.test(l));
    expect(failed).toEqual([]);
    expectNothingStored('afterwards');
    const requests = logs.lines.filter((l) => l.includes('"msg":"request"')).length;
    tally.add('(requests logged by the server)', requests);
  });
});
