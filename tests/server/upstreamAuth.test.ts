// Credentials for Prometheus and the rulers (issue 15, item 5), configured the way users configure
// them (environment variables and a config file, through loadConfig). Prometheus is real (2.42,
// basic auth from `--web.config.file`, a bcrypt hash): every endpoint refuses a request without the
// password, so rules loaded, confirmed and queried prove each call carried it. The Mimir and Loki
// rulers are the local stand-in (rulerStandIn.ts) behind a bearer token and basic auth.
//
// Before: credentials written in the URL were never sent (fetch refuses such a URL) and the error,
// which quotes the URL, reached viewers in `sync[].reason` and 503 bodies, and the start-up log
// printed the URL; there was no other way to give credentials.

import { writeFileSync } from 'fs';
import { join } from 'path';
import { RunningServer, startServer } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { PrometheusProcess, startPrometheus, stopAllPrometheus, waitFor } from '../support/prometheusServer';
import { Api, availabilitySlo, captureLog, CapturedLog, secret, SERVICE, tempDir } from './helpers';
import { RulerStandIn } from './rulerStandIn';

jest.setTimeout(120_000);

const USER = 'burnrate';
// ':', '@', '/', '#' and a non-ASCII letter: each must be percent-encoded in a URL.
const PASSWORD = 'pr0m:p@ss/wörd#7';
// bcrypt (cost 5) of PASSWORD, made once with Python's crypt.crypt(PASSWORD, mksalt(METHOD_BLOWFISH, rounds=32)).
const BCRYPT = '$2b$05$rilgjNgBnv6D.dzpsyTgre/pR.p6TV2DuigXomO6KTfFxayYRYt0O';
const ADMIN = secret();

/** Every form a credential could be shown in. */
function forms(secretText: string, user = USER): string[] {
  return [secretText, encodeURIComponent(secretText), Buffer.from(`${user}:${secretText}`).toString('base64')];
}

let prom: PrometheusProcess;
const servers: RunningServer[] = [];

beforeAll(async () => {
  prom = await startPrometheus({ rulesDir: tempDir('auth-rules'), basicAuth: { username: USER, password: PASSWORD, bcrypt: BCRYPT } });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await stopAllPrometheus();
});

/** A server configured by `env` (and the config file it may name), as `burnrate serve` is. */
async function serve(env: Record<string, string>, log: CapturedLog = captureLog()): Promise<{ server: RunningServer; api: Api; log: CapturedLog }> {
  const config = loadConfig({
    BURNRATE_HOST: '127.0.0.1',
    BURNRATE_PORT: '0',
    BURNRATE_DB: join(tempDir('auth-db'), 'burnrate.db'),
    BURNRATE_ADMIN_TOKEN: ADMIN,
    BURNRATE_STATUS_CACHE_MS: '0',
    BURNRATE_RECONCILE_INTERVAL_MS: '600000',
    BURNRATE_LOG_LEVEL: 'debug',
    ...env,
  });
  const server = await startServer(config, log.log);
  servers.push(server);
  return { server, api: new Api(server.url, ADMIN), log };
}

async function syncOf(api: Api, name: string, target: string) {
  const r = await api.get(`/api/v1/slos/${SERVICE}/${name}`);
  return (r.body.sync as Array<{ target: string; state: string; reason?: string }>).find((s) => s.target === target);
}

function expectNone(texts: string[], secrets: string[]): void {
  for (const t of texts) {
    for (const s of secrets) {
      expect({ text: t.slice(0, 300), leaks: t.includes(s) }).toEqual({ text: t.slice(0, 300), leaks: false });
    }
  }
}

describe('Prometheus behind basic auth (a real Prometheus 2.42)', () => {
  it('credentials in BURNRATE_PROMETHEUS_URL are sent as basic auth: rules reloaded and confirmed, status and gate answered; the password is in no log line and no answer', async () => {
    const rulesDir = tempDir('auth-rules-url');
    const promWithRules = await startPrometheus({ rulesDir, basicAuth: { username: USER, password: PASSWORD, bcrypt: BCRYPT } });
    const url = `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${promWithRules.port}`;
    const { api, log } = await serve({ BURNRATE_PROMETHEUS_URL: url, BURNRATE_RULES_DIR: rulesDir });
    const answers: string[] = [];
    const keep = <T extends { body: unknown }>(r: T) => (answers.push(JSON.stringify(r.body)), r);

    const status = keep(await api.get(`/api/v1/slos/${SERVICE}/chat-availability/status`));
    expect(status.status).toBe(404); // no such SLO yet: Prometheus is not asked
    expect(keep(await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    // Before: 503 "... unreachable: Request cannot be constructed from a URL that includes credentials: http://burnrate:pr0m%3Ap%40ss..."
    const answered = keep(await api.get(`/api/v1/slos/${SERVICE}/chat-availability/status`));
    expect({ status: answered.status, error: answered.body.error }).toEqual({ status: 200, error: undefined });
    expect(keep(await api.get(`/api/v1/gate?service=${SERVICE}`)).status).toBe(200);
    // Delivered: the file written, POST /-/reload and GET /api/v1/rules each authenticated.
    await waitFor('the SLO in-sync on Prometheus', async () => (await syncOf(api, 'chat-availability', 'prometheus'))?.state === 'in-sync', 60_000);
    const groups = (await promWithRules.ruleGroups()).map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining([`burnrate:${SERVICE}:chat-availability`]));
    keep(await api.get(`/api/v1/slos/${SERVICE}/chat-availability`));

    const started = log.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'burnrate server listening');
    expect(started.prometheus).toBe(`http://127.0.0.1:${promWithRules.port}`);
    expectNone([...log.lines, ...answers], forms(PASSWORD));
    await promWithRules.stop();
  });

  it('a password file is read on every request: a wrong password answers 503 naming the 401, without the password; the right one answers again', async () => {
    const file = join(tempDir('auth-pw'), 'prometheus-password');
    writeFileSync(file, `${PASSWORD}\n`);
    const { api, log } = await serve({ BURNRATE_PROMETHEUS_URL: prom.url, BURNRATE_PROMETHEUS_USERNAME: USER, BURNRATE_PROMETHEUS_PASSWORD_FILE: file });
    expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    const path = `/api/v1/slos/${SERVICE}/chat-availability/status`;
    expect((await api.get(path)).status).toBe(200);

    const wrong = 'not-the-password-7f3e9a1c';
    writeFileSync(file, wrong);
    const refused = await api.get(path);
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toBe('Prometheus is unavailable: Prometheus answered 401 with a body that is not JSON');
    expectNone([JSON.stringify(refused.body), ...log.lines], [...forms(wrong), ...forms(PASSWORD)]);

    writeFileSync(file, PASSWORD);
    expect((await api.get(path)).status).toBe(200);
  });

  it('without credentials the server is refused (the check above is not vacuous)', async () => {
    const { api } = await serve({ BURNRATE_PROMETHEUS_URL: prom.url });
    expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    const r = await api.get(`/api/v1/slos/${SERVICE}/chat-availability/status`);
    expect(r.status).toBe(503);
    expect(r.body.error.message).toContain('401');
  });
});

describe('rulers behind a bearer token (Mimir) and basic auth (Loki), from a config file', () => {
  const TENANT = 'team-a';
  const lokiSlo = {
    service: SERVICE,
    name: 'judge-verdicts',
    objective: 0.95,
    window: '7d',
    groupBy: ['route'],
    sli: { ratio: { source: 'loki', errors: '{app="llm-gateway", stream="judge"} | json | verdict="fail"', total: '{app="llm-gateway", stream="judge"} | json' } },
  };
  let mimir: RulerStandIn;
  let loki: RulerStandIn;

  beforeAll(async () => {
    mimir = await new RulerStandIn('mimir').start();
    loki = await new RulerStandIn('loki').start();
  });

  afterAll(async () => {
    await mimir.close();
    await loki.close();
  });

  it('every call carries the credentials; a ruler that stops accepting them fails the SLO with a reason that does not quote them; a rotated token file is used without a restart', async () => {
    const dir = tempDir('auth-ruler');
    const token = `mimir-${secret()}`;
    const lokiPassword = `loki-${secret()}`;
    const tokenFile = join(dir, 'mimir-token');
    const passwordFile = join(dir, 'loki-password');
    writeFileSync(tokenFile, `${token}\n`);
    writeFileSync(passwordFile, lokiPassword);
    mimir.authorization = `Bearer ${token}`;
    loki.authorization = `Basic ${Buffer.from(`loki:${lokiPassword}`).toString('base64')}`;
    const config = join(dir, 'burnrate.yaml');
    writeFileSync(
      config,
      [
        'prometheus:',
        '  ruler:',
        `    url: ${mimir.url}`,
        '    api: mimir',
        `    tenant: ${TENANT}`,
        `    bearerTokenFile: ${tokenFile}`,
        'loki:',
        '  ruler:',
        `    url: ${loki.url}`,
        `    tenant: ${TENANT}`,
        `    basicAuth: {username: loki, passwordFile: ${passwordFile}}`,
        '',
      ].join('\n')
    );
    const { api, log } = await serve({ BURNRATE_CONFIG: config });
    expect((await api.post('/api/v1/slos', availabilitySlo())).status).toBe(201);
    expect((await api.post('/api/v1/slos', lokiSlo)).status).toBe(201);
    await waitFor('both SLOs in-sync on their rulers', async () => {
      const a = await syncOf(api, 'chat-availability', 'prometheus');
      const b = await syncOf(api, 'judge-verdicts', 'loki');
      return a?.state === 'in-sync' && b?.state === 'in-sync';
    });
    expect(mimir.groupNames(TENANT, 'burnrate').length).toBeGreaterThan(0);
    expect(loki.groupNames(TENANT, 'burnrate').length).toBeGreaterThan(0);
    // Lists, pushes (and deletes, had there been any): every one authenticated.
    for (const stand of [mimir, loki]) {
      expect(stand.requests.length).toBeGreaterThan(1);
      expect(stand.requests.filter((r) => r.authorization !== stand.authorization)).toEqual([]);
    }

    // The gateway now wants another token, and quotes the one it got in its 401.
    const rotated = `mimir-${secret()}`;
    mimir.authorization = `Bearer ${rotated}`;
    mimir.echoAuthorization = true;
    expect((await api.post('/api/v1/sync')).status).toBeLessThan(300);
    const failed = await waitFor('the SLO failed on the Mimir ruler', async () => {
      const s = await syncOf(api, 'chat-availability', 'prometheus');
      return s?.state === 'failed' && s;
    });
    expect(failed.reason).toBe('mimir ruler refused access: ruler answered 401 listing rules: unauthorized: Bearer <redacted> is not accepted');
    const shown = JSON.stringify((await api.get(`/api/v1/slos/${SERVICE}/chat-availability`)).body);
    expectNone([shown, ...log.lines], [token, rotated, lokiPassword]);

    writeFileSync(tokenFile, rotated);
    expect((await api.post('/api/v1/sync')).status).toBeLessThan(300);
    await waitFor('in-sync again with the rotated token', async () => (await syncOf(api, 'chat-availability', 'prometheus'))?.state === 'in-sync');
  });
});
