// OpenAPI 3 description of the HTTP API, served at /api/openapi.json.

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const err = (description: string) => ({ description, content: json(ref('Error')) });
const sloPath = [
  { name: 'service', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
];
const sloBody = {
  required: true,
  description: 'One SLO in the native format (see docs/spec.md) plus its `service`, as JSON or YAML.',
  content: { ...json(ref('SloSpec')), 'application/yaml': { schema: ref('SloSpec') } },
};
const q = (name: string, description: string, schema: unknown = { type: 'string' }) => ({ name, in: 'query', description, schema });
/** Every time in the API: RFC 3339 in UTC with milliseconds. */
const time = (description: string) => ({ type: 'string', format: 'date-time', description, example: '2026-12-05T10:00:00.000Z' });

const auditList = { type: 'object', properties: { items: { type: 'array', items: ref('AuditEntry') } } };

export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Burnrate API',
      version: '1',
      description:
        'SLO definitions, rule delivery, status and the release gate. Every /api/v1 call needs `Authorization: Bearer <token>`; reads need the viewer role, writes editor, tokens admin. Errors are JSON: {"error": {"status", "message", "details"}}. Every time is an RFC 3339 string in UTC, such as 2026-12-05T10:00:00.000Z (the history route passes on Prometheus\'s own [unix seconds, "value"] samples).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: { status: { type: 'integer' }, message: { type: 'string' }, details: {} },
              required: ['status', 'message'],
            },
          },
        },
        SloSpec: {
          type: 'object',
          description: 'Native SLO fields (schema/burnrate-slo.v1.schema.json, items of `slos`) plus `service`.',
          required: ['service', 'name', 'sli'],
          properties: { service: { type: 'string' }, name: { type: 'string' }, objective: { type: 'number' }, sli: { type: 'object' } },
          additionalProperties: true,
        },
        Slo: {
          type: 'object',
          properties: {
            service: { type: 'string' },
            name: { type: 'string' },
            version: { type: 'integer', description: 'Also sent as the ETag; send it back in If-Match to update.' },
            source: { type: 'string', enum: ['api', 'git'] },
            kind: { type: 'string' },
            spec: ref('SloSpec'),
            sync: { type: 'array', items: { type: 'object', properties: { target: { type: 'string' }, state: { type: 'string', enum: ['pending', 'in-sync', 'failed'] }, reason: { type: 'string' }, version: { type: 'integer', description: 'the version of the SLO this state is about; a state about an earlier version is shown as pending' }, updatedAt: time('when this state last changed') } } },
            backfill: {
              type: 'object',
              description: "The fill of the SLO's hourly rollups and 5m rates from the raw history Prometheus holds (rules directory only; absent until its rules are first confirmed loaded)",
              properties: {
                state: { type: 'string', enum: ['queued', 'running', 'done', 'failed', 'unsupported'] },
                coveredHours: { type: 'integer', description: 'hours of the period with a rollup after the fill' },
                periodHours: { type: 'integer' },
                written: { type: 'integer', description: 'samples written by the last run (0 on a rerun)' },
                reason: { type: 'string', description: 'why it failed or is unsupported' },
              },
            },
            createdAt: time('when the SLO was created'),
            updatedAt: time('when it was last changed'),
            updatedBy: { type: 'string' },
          },
        },
        Status: {
          type: 'object',
          properties: {
            service: { type: 'string' },
            name: { type: 'string' },
            state: { type: 'string', enum: ['ship', 'caution', 'freeze', 'pending', 'no-data'] },
            release: ref('ReleaseState'),
            groups: { type: 'array', items: ref('GroupStatus') },
            alerts: { type: 'array', items: { type: 'object' }, description: 'absent when the firing alerts cannot be read' },
            alertsError: { type: 'string', description: 'why the firing alerts cannot be read (unknown, not none)' },
            evaluatedAt: time('when Prometheus was asked (a cached answer says how old it is)'),
          },
        },
        AuditEntry: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            at: time('when'),
            actor: { type: 'string' },
            action: { type: 'string', example: 'slo.update' },
            target: { type: 'string' },
            detail: { type: 'object', description: 'what changed; for a freeze or override, the action as this API shows it' },
          },
        },
        GitOps: {
          type: 'object',
          properties: {
            enabled: { type: 'boolean' },
            state: { type: 'string', enum: ['applied', 'rejected'] },
            checkedAt: time('when the folder was last read'),
            appliedAt: time('when the store last took it'),
            files: { type: 'integer' },
            slos: { type: 'integer' },
            problems: { type: 'array', items: { type: 'object', properties: { severity: { type: 'string', enum: ['error', 'warning'] }, file: { type: 'string' }, line: { type: 'integer' }, message: { type: 'string' } } } },
          },
        },
        Token: {
          type: 'object',
          properties: { id: { type: 'integer' }, name: { type: 'string' }, role: { type: 'string', enum: ['viewer', 'editor', 'admin'] }, createdAt: time('when it was made') },
        },
        GroupStatus: {
          type: 'object',
          properties: {
            group: { type: 'object', additionalProperties: { type: 'string' } },
            windows: { type: 'array', items: { type: 'object', properties: { window: { type: 'string' }, errorRatio: { type: 'number' }, burnRate: { type: 'number' } } } },
            budgetRemaining: { type: 'number', description: "share of the whole period's error budget left; below 0 when overspent" },
            coverage: { type: 'number', description: 'share of the period the windows cover (0 to 1)' },
            eventsInPeriod: { type: 'number' },
            budgetEvents: { type: 'number', description: "the whole period's error budget in events, at the traffic seen so far" },
            spentEvents: { type: 'number' },
            budgetRemainingEvents: { type: 'number' },
            state: { type: 'string', enum: ['ship', 'caution', 'freeze', 'pending', 'no-data'], description: "the policy's state alone; pending: rules loaded, period windows filling (no budget yet); show `release` instead" },
            release: ref('ReleaseState'),
            reasons: { type: 'array', items: { type: 'string' } },
            exhaustionSeconds: { type: 'number' },
            sampling: {
              type: 'object',
              description: 'quality SLOs: the sampled error ratio over 1d with its 95% Wilson interval, Kish effective samples, samples needed to tell it from the objective, and whether the judge is trusted',
              properties: {
                window: { type: 'string' },
                errorRatio: { type: 'number' },
                errorLower: { type: 'number' },
                errorUpper: { type: 'number' },
                effectiveSamples: { type: 'number' },
                neededSamples: { type: 'number' },
                insufficient: { type: 'boolean' },
                judgeUntrusted: { type: 'boolean' },
                judgeAgreement: { type: 'number' },
              },
            },
          },
        },
        Gate: {
          type: 'object',
          properties: {
            service: { type: 'string' },
            route: { type: 'string' },
            decision: {
              type: 'string',
              enum: ['ship', 'freeze', 'unknown'],
              description: 'unknown: cannot decide (a route no SLO knows, or an SLO without data under onNoData=unknown); the reasons say why',
            },
            reasons: { type: 'array', items: { type: 'string' } },
            warnings: { type: 'array', items: { type: 'string' } },
            slos: { type: 'array', items: { type: 'object' } },
            manual: { type: 'array', items: ref('Action') },
            onNoData: { type: 'string', enum: ['unknown', 'freeze', 'ship'], description: 'what an SLO without data was taken to say' },
            knownRoutes: { type: 'array', items: { type: 'string' }, description: 'the routes the SLOs grouped by route have data for' },
            release: ref('ReleaseState'),
          },
        },
        ReleaseState: {
          type: 'object',
          description:
            'The one release state the list, the status, the gate and the panel show: a manual freeze wins over an override, an override over the policy (docs/server.md, Release state). The gate\'s decision differs from it only by onNoData, or for a route no SLO knows.',
          required: ['state', 'reason', 'source', 'policy'],
          properties: {
            state: { type: 'string', enum: ['ship', 'caution', 'freeze', 'pending', 'no-data', 'unknown'], description: 'unknown: Prometheus cannot be read and no person decided' },
            reason: { type: 'string', description: 'in words, starting with the state: "freeze: manual, incident 42, until 16:00 UTC, set by the token named on-call"' },
            source: { type: 'string', enum: ['policy', 'manual-freeze', 'override'] },
            by: { type: 'string', description: 'the token that set the deciding freeze or override' },
            until: time('when the deciding freeze or override expires'),
            actionId: { type: 'integer' },
            policy: { type: 'string', enum: ['ship', 'caution', 'freeze', 'pending', 'no-data', 'unknown'], description: 'what the policy says on its own' },
            notApplied: { type: 'array', items: { type: 'string' }, description: 'freezes and overrides in force that did not decide (an override under a freeze)' },
          },
        },
        Action: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            kind: { type: 'string', enum: ['freeze', 'override'] },
            service: { type: 'string' },
            route: { type: 'string' },
            reason: { type: 'string' },
            expiresAt: time('when it stops applying'),
            createdBy: { type: 'string' },
            createdAt: time('when it was made'),
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'alive' } } } },
      '/readyz': { get: { summary: 'Readiness: database open and first rule sync done', security: [], responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
      '/metrics': { get: { summary: "The server's own Prometheus metrics", security: [], responses: { 200: { description: 'text exposition format' } } } },
      '/api/v1/slos': {
        get: {
          summary: 'List SLOs with their status (worst group first)',
          parameters: [q('service', 'exact service'), q('team', 'labels.team'), q('label', 'key=value on labels'), q('q', 'text in name, service or description'), q('limit', 'page size (≤1000)', { type: 'integer' }), q('offset', 'page start', { type: 'integer' }), q('status', 'false to skip Prometheus')],
          responses: { 200: { description: 'a page of SLOs; each has `release` (a ReleaseState, also when Prometheus is down) and `status` (numbers, with `release` per group); statusError says why status is missing' }, 401: err('no token') },
        },
        post: { summary: 'Create an SLO', requestBody: sloBody, responses: { 201: { description: 'created', content: json(ref('Slo')) }, 409: err('exists'), 422: err('invalid, with diagnostics') } },
      },
      '/api/v1/slos/{service}/{name}': {
        parameters: sloPath,
        get: { summary: 'Get an SLO (ETag = version)', responses: { 200: { description: 'the SLO', content: json(ref('Slo')) }, 404: err('no such SLO') } },
        put: {
          summary: 'Replace an SLO; If-Match with the version you edited is required',
          parameters: [{ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: sloBody,
          responses: { 200: { description: 'updated', content: json(ref('Slo')) }, 409: err('managed by git'), 412: err('stale version: nothing changed'), 422: err('invalid'), 428: err('If-Match missing') },
        },
        delete: { summary: 'Delete an SLO (its rules are removed)', responses: { 204: { description: 'deleted' }, 404: err('no such SLO'), 409: err('managed by git'), 412: err('stale version') } },
      },
      '/api/v1/slos/{service}/{name}/status': {
        parameters: sloPath,
        get: { summary: 'Error ratio and burn rate per window, budget left, policy state with reasons, forecast, alerts; per group. `release` (and per group) is the release state to show; `alerts` is absent and `alertsError` says why when the firing alerts cannot be read (unknown, not none)', responses: { 200: { description: 'status', content: json(ref('Status')) }, 503: err('Prometheus unavailable') } },
      },
      '/api/v1/slos/{service}/{name}/history': {
        parameters: [...sloPath, q('range', 'e.g. 7d (default: the period)'), q('step', 'e.g. 1h')],
        get: { summary: 'Budget remaining, burn rates and traffic over time', responses: { 200: { description: 'range series' }, 503: err('Prometheus unavailable') } },
      },
      '/api/v1/slos/{service}/{name}/rules': { parameters: sloPath, get: { summary: 'The generated rules of a stored SLO', responses: { 200: { description: 'rule files as text' } } } },
      '/api/v1/slos/{service}/{name}/audit': { parameters: sloPath, get: { summary: 'Changes to this SLO, and the freezes and overrides of its service (targets `service` and `service?route=...`)', responses: { 200: { description: 'audit entries, newest first', content: json(auditList) } } } },
      '/api/v1/audit': { get: { summary: 'Every change: SLOs, freezes, overrides, tokens', responses: { 200: { description: 'audit entries, newest first', content: json(auditList) } } } },
      '/api/v1/validate': { post: { summary: 'Dry run: validate one SLO, store nothing', requestBody: sloBody, responses: { 200: { description: 'valid' }, 422: { description: 'invalid, with diagnostics' } } } },
      '/api/v1/preview': { post: { summary: 'The rules an SLO would generate', requestBody: sloBody, responses: { 200: { description: 'rule files as text' }, 422: err('invalid') } } },
      '/api/v1/import': {
        post: {
          summary: 'Import a file (OpenSLO v1, Sloth prometheus/v1, Pyrra ServiceLevelObjective or native); all or nothing',
          parameters: [q('from', 'openslo, sloth, pyrra or burnrate')],
          requestBody: { required: true, content: { 'application/yaml': { schema: { type: 'string' } } } },
          responses: { 201: { description: 'created' }, 409: err('an SLO exists'), 422: err('invalid') },
        },
      },
      '/api/v1/export': {
        get: {
          summary: 'Export SLOs',
          parameters: [
            q('format', 'openslo or burnrate'),
            q('service', 'one service'),
            q('skipUnsupported', 'true: leave out the SLOs OpenSLO cannot express (cost, blended quality, native histograms, ...), named in comments at the top of the YAML', { type: 'boolean' }),
          ],
          responses: {
            200: { description: 'YAML; an OpenSLO export starts with a comment per SLO left out and per setting an exported SLO lost' },
            422: err('format=openslo: an SLO OpenSLO cannot express, named with why (details), and skipUnsupported is not true'),
          },
        },
      },
      '/api/v1/gate': {
        get: {
          summary: 'May this service (route) ship now?',
          parameters: [
            q('service', 'required'),
            q('route', 'optional: matches the route label of SLOs grouped by route; a route none of them has data for is "unknown"'),
            q('onNoData', 'what an SLO without data says: unknown (default: cannot decide), freeze or ship', { type: 'string', enum: ['unknown', 'freeze', 'ship'] }),
          ],
          responses: {
            200: { description: 'ship, freeze or unknown (cannot decide), with reasons and numbers', content: json(ref('Gate')) },
            400: err('no service, or onNoData not one of unknown, freeze, ship'),
            404: err('no SLO knows the service; details.knownServices lists the services that have SLOs'),
            503: err('Prometheus unavailable (and no manual freeze or override decides)'),
          },
        },
      },
      '/api/v1/gitops': {
        get: {
          summary: 'The GitOps folder (BURNRATE_GITOPS_DIR): applied, or rejected with why; a rejected folder changes nothing',
          responses: {
            200: { description: '{"enabled": false} without a folder; else its state, with the problems by file and line', content: json(ref('GitOps')) },
          },
        },
      },
      '/api/v1/freezes': {
        get: { summary: 'Manual freezes and overrides in force', parameters: [q('service', 'one service')], responses: { 200: { description: 'actions', content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Action') } } }) } } },
        post: {
          summary: 'Freeze releases, or override a policy freeze, with a reason and an expiry',
          requestBody: { required: true, content: json({ type: 'object', required: ['service', 'reason'], properties: { kind: { type: 'string', enum: ['freeze', 'override'] }, service: { type: 'string' }, route: { type: 'string' }, reason: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time', description: 'RFC 3339 with Z or an offset' }, duration: { type: 'string', example: '4h' } } }) },
          responses: { 201: { description: 'created', content: json(ref('Action')) }, 400: err('missing reason or expiry') },
        },
      },
      '/api/v1/freezes/{id}': { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], delete: { summary: 'Lift a freeze or override', responses: { 204: { description: 'lifted' } } } },
      '/api/v1/tokens': {
        get: { summary: 'Tokens (names and roles; secrets are never shown again)', responses: { 200: { description: 'tokens', content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Token') } } }) } } },
        post: { summary: 'Create a token (admin); the secret is in this answer only', responses: { 201: { description: 'created' } } },
      },
      '/api/v1/tokens/{name}': { parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }], delete: { summary: 'Revoke a token', responses: { 204: { description: 'revoked' } } } },
      '/api/v1/sync': {
        post: {
          summary: 'Deliver rules now (normally after each change and every 30s)',
          responses: { 200: { description: 'done', content: json({ type: 'object', properties: { lastRun: { type: 'object', properties: { at: time('when the pass ended'), ok: { type: 'boolean' } } } } }) } },
        },
      },
    },
  };
}
