// The secrets of the server's configuration: credentials for each upstream (basic auth or a bearer
// token, as a value or a file) and the API tokens it is given (admin, Grafana app). Each comes from
// an environment variable or the config file, the environment winning; every mistake is a
// ConfigError that names the variable or field, and never shows a secret.

import { accessSync, constants } from 'fs';
import { tokenWeakness } from './tokenStrength';
import { redact, Secret, secretValue, UpstreamAuth } from './upstreamAuth';

export class ConfigError extends Error {}

type Section = Record<string, any> | undefined;

function text(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/** A file the server will read: it must be readable now, so a typo fails at start. */
function readableFile(path: string, name: string): string {
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${name}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code})`}: ${path}`);
  }
  return path;
}

/**
 * One secret from a value or a file, each named for errors. The environment's pair wins over the
 * config file's as a whole, so a value in one place and a file in the other never mix.
 */
function secret(env: [string | undefined, string | undefined], file: [unknown, unknown], names: { env: [string, string]; file: [string, string] }): Secret | undefined {
  const fromEnv = text(env[0]) !== undefined || text(env[1]) !== undefined;
  const [value, path] = fromEnv ? [text(env[0]), text(env[1])] : [text(file[0]), text(file[1])];
  const [valueName, fileName] = fromEnv ? names.env : names.file;
  if (value !== undefined && path !== undefined) {
    throw new ConfigError(`give either ${valueName} or ${fileName}, not both`);
  }
  if (path !== undefined) {
    return { file: readableFile(path, fileName) };
  }
  return value !== undefined ? { value } : undefined;
}

/** A URL with its credentials (`http://user:password@host`) taken out. */
export function splitUrlCredentials(raw: string): { url: string; username?: string; password?: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { url: raw };
  }
  if (!u.username && !u.password) {
    return { url: raw };
  }
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), username, password };
}

/** Checks a URL the server contacts or shows; credentials are redacted from the error. */
export function httpUrl(value: unknown, name: string): string | undefined {
  const raw = text(value);
  if (raw === undefined) {
    return undefined;
  }
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new Error();
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name}: expected an http(s) URL, got ${JSON.stringify(redact(raw))}`);
  }
}

/**
 * An upstream's URL and credentials. Variables: `<prefix>_URL`, `<prefix>_USERNAME`,
 * `<prefix>_PASSWORD` or `<prefix>_PASSWORD_FILE`, `<prefix>_BEARER_TOKEN` or
 * `<prefix>_BEARER_TOKEN_FILE`; config file section: `url`, `basicAuth: {username, password,
 * passwordFile}`, `bearerToken`, `bearerTokenFile`. Credentials written into the URL are taken out
 * of it and used as basic auth (they would never be sent, and the URL is logged).
 */
export function upstream(env: NodeJS.ProcessEnv, prefix: string, section: Section, name: string): { url?: string; auth?: UpstreamAuth } {
  const raw = text(env[`${prefix}_URL`] ?? section?.url);
  if (raw === undefined) {
    return {};
  }
  const split = splitUrlCredentials(raw);
  const url = httpUrl(split.url, `${name} url`);
  const basic = section?.basicAuth ?? {};
  const e = (suffix: string) => `${prefix}_${suffix}`;
  const f = (field: string) => `${name}.${field}`;
  const username = text(env[e('USERNAME')] ?? basic.username);
  const password = secret([env[e('PASSWORD')], env[e('PASSWORD_FILE')]], [basic.password, basic.passwordFile], {
    env: [e('PASSWORD'), e('PASSWORD_FILE')],
    file: [f('basicAuth.password'), f('basicAuth.passwordFile')],
  });
  const token = secret([env[e('BEARER_TOKEN')], env[e('BEARER_TOKEN_FILE')]], [section?.bearerToken, section?.bearerTokenFile], {
    env: [e('BEARER_TOKEN'), e('BEARER_TOKEN_FILE')],
    file: [f('bearerToken'), f('bearerTokenFile')],
  });
  const inUrl = split.username !== undefined;
  const given = [inUrl && 'credentials in the URL', (username || password) && 'basic auth', token && 'a bearer token'].filter(Boolean);
  if (given.length > 1) {
    throw new ConfigError(`${name}: give one kind of credentials, got ${given.join(' and ')}`);
  }
  if (inUrl) {
    return { url, auth: { type: 'basic', username: split.username!, password: { value: split.password ?? '' } } };
  }
  if (password && !username) {
    throw new ConfigError(`${name}: a password needs a username (${e('USERNAME')} or ${f('basicAuth.username')})`);
  }
  if (username) {
    return { url, auth: { type: 'basic', username, password: password ?? { value: '' } } };
  }
  return { url, auth: token ? { type: 'bearer', token } : undefined };
}

/**
 * An API token the server is given (`<variable>` or `<variable>_FILE`; `<field>` or `<field>File`
 * in the config file), read now and checked for strength: a guessable admin token is an open door.
 */
export function apiToken(env: NodeJS.ProcessEnv, variable: string, file: Record<string, any>, field: string): string | undefined {
  const s = secret([env[variable], env[`${variable}_FILE`]], [file[field], file[`${field}File`]], {
    env: [variable, `${variable}_FILE`],
    file: [field, `${field}File`],
  });
  if (!s) {
    return undefined;
  }
  // Read once: API tokens are stored (hashed) at start.
  const value = secretValue(s);
  const where = 'file' in s ? `the file ${s.file}` : text(env[variable]) !== undefined ? variable : field;
  const weak = tokenWeakness(value);
  if (weak) {
    throw new ConfigError(`${where}: the token is too weak: ${weak}. Make one with \`openssl rand -hex 32\``);
  }
  return value;
}
