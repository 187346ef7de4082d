import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadConfig } from './config';
import { upstream } from './configSecrets';
import { authHeaders, redact } from './upstreamAuth';

const dir = mkdtempSync(join(tmpdir(), 'burnrate-config-secrets-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('upstream credentials', () => {
  it('credentials written into the URL are taken out of it and sent as basic auth (percent-decoded)', () => {
    const u = upstream({ BURNRATE_PROMETHEUS_URL: 'http://burn%40rate:p%3Ass%2Fw@prom:9090/' }, 'BURNRATE_PROMETHEUS', undefined, 'prometheus');
    expect(u.url).toBe('http://prom:9090');
    expect(u.auth).toEqual({ type: 'basic', username: 'burn@rate', password: { value: 'p:ss/w' } });
    expect(authHeaders(u.auth)).toEqual({ Authorization: `Basic ${Buffer.from('burn@rate:p:ss/w').toString('base64')}` });
  });

  it('basic auth and bearer tokens from variables or the config file, values or files; a file is read on every request', () => {
    const pw = file('pw', 'first\n');
    const env = { BURNRATE_PROMETHEUS_RULER_URL: 'http://mimir:8080', BURNRATE_PROMETHEUS_RULER_USERNAME: 'burnrate', BURNRATE_PROMETHEUS_RULER_PASSWORD_FILE: pw };
    const u = upstream(env, 'BURNRATE_PROMETHEUS_RULER', undefined, 'prometheus.ruler');
    expect(u.auth).toEqual({ type: 'basic', username: 'burnrate', password: { file: pw } });
    expect(authHeaders(u.auth).Authorization).toBe(`Basic ${Buffer.from('burnrate:first').toString('base64')}`);
    writeFileSync(pw, 'second');
    expect(authHeaders(u.auth).Authorization).toBe(`Basic ${Buffer.from('burnrate:second').toString('base64')}`);

    const token = file('token', ' tok-123 \n');
    const cfg = file('cfg.yaml', `prometheus:\n  url: http://prom:9090\n  bearerTokenFile: ${token}\nloki:\n  ruler:\n    url: http://loki:3100\n    basicAuth: {username: loki, password: lpw}\n`);
    const c = loadConfig({ BURNRATE_CONFIG: cfg });
    expect(authHeaders(c.prometheusAuth)).toEqual({ Authorization: 'Bearer tok-123' });
    expect(c.lokiRuler).toEqual({ url: 'http://loki:3100', tenant: undefined, auth: { type: 'basic', username: 'loki', password: { value: 'lpw' } } });
    // The environment wins over the file as a whole.
    expect(loadConfig({ BURNRATE_CONFIG: cfg, BURNRATE_PROMETHEUS_BEARER_TOKEN: 'from-env' }).prometheusAuth).toEqual({ type: 'bearer', token: { value: 'from-env' } });
  });

  it.each<[Record<string, string>, string]>([
    [{ BURNRATE_PROMETHEUS_URL: 'http://u:p@prom:9090', BURNRATE_PROMETHEUS_BEARER_TOKEN: 't' }, 'prometheus: give one kind of credentials, got credentials in the URL and a bearer token'],
    [{ BURNRATE_PROMETHEUS_URL: 'http://prom:9090', BURNRATE_PROMETHEUS_USERNAME: 'u', BURNRATE_PROMETHEUS_BEARER_TOKEN: 't' }, 'prometheus: give one kind of credentials, got basic auth and a bearer token'],
    [{ BURNRATE_PROMETHEUS_URL: 'http://prom:9090', BURNRATE_PROMETHEUS_PASSWORD: 'p' }, 'prometheus: a password needs a username (BURNRATE_PROMETHEUS_USERNAME or prometheus.basicAuth.username)'],
    [{ BURNRATE_PROMETHEUS_URL: 'http://prom:9090', BURNRATE_PROMETHEUS_PASSWORD: 'p', BURNRATE_PROMETHEUS_PASSWORD_FILE: '/etc/hosts' }, 'give either BURNRATE_PROMETHEUS_PASSWORD or BURNRATE_PROMETHEUS_PASSWORD_FILE, not both'],
    [{ BURNRATE_LOKI_RULER_URL: 'http://loki:3100', BURNRATE_LOKI_RULER_BEARER_TOKEN_FILE: '/no/such/token' }, 'BURNRATE_LOKI_RULER_BEARER_TOKEN_FILE: no such file: /no/such/token'],
    [{ BURNRATE_PROMETHEUS_URL: 'http://u:hunter2@prom:99999' }, 'prometheus url: expected an http(s) URL, got "http://<redacted>@prom:99999"'],
    [{ BURNRATE_PROMETHEUS_URL: 'ftp://u:hunter2@prom' }, 'prometheus url: expected an http(s) URL, got "ftp://prom/"'],
    [{ BURNRATE_GRAFANA_URL: 'https://admin:hunter2@grafana.example.com' }, 'grafana url: must not hold credentials (it is written into every alert)'],
  ])('%j: %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('redact', () => {
  it('removes URL credentials and every known secret', () => {
    expect(redact('fetch failed: http://burnrate:hunter2@prom:9090/api/v1/query')).toBe('fetch failed: http://<redacted>@prom:9090/api/v1/query');
    expect(redact('{"url":"https://a:b@x"}')).toBe('{"url":"https://<redacted>@x"}');
    expect(redact('invalid token tok-123 (Bearer tok-123)', ['tok-123'])).toBe('invalid token <redacted> (Bearer <redacted>)');
    expect(redact('mail me at someone@example.com')).toBe('mail me at someone@example.com');
  });
});
