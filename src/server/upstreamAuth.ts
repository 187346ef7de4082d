// Credentials for an upstream (Prometheus, a Mimir/Cortex or Loki ruler): HTTP basic auth or a
// bearer token, each given as a value or as a file. A file is read on every request, so a rotated
// secret (a Kubernetes Secret, a Docker secret) is used without a restart. Credentials never go
// into a URL, and `redact` takes them out of any text an upstream sends back.

import { readFileSync } from 'fs';

/** A secret given directly, or the file that holds it (read on every use, surrounding whitespace
 * trimmed as Prometheus does for its own credential files). */
export type Secret = { value: string } | { file: string };

export type UpstreamAuth = { type: 'basic'; username: string; password: Secret } | { type: 'bearer'; token: Secret };

export class SecretFileError extends Error {}

export function secretValue(s: Secret): string {
  if ('value' in s) {
    return s.value;
  }
  try {
    return readFileSync(s.file, 'utf8').trim();
  } catch (e) {
    throw new SecretFileError(`cannot read the secret file ${s.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A request's credentials: its headers, and the strings that must never be shown. */
export interface Credentials {
  headers: Record<string, string>;
  secrets: string[];
}

export function credentials(auth: UpstreamAuth | undefined): Credentials {
  if (!auth) {
    return { headers: {}, secrets: [] };
  }
  if (auth.type === 'basic') {
    const password = secretValue(auth.password);
    const encoded = Buffer.from(`${auth.username}:${password}`, 'utf8').toString('base64');
    return { headers: { Authorization: `Basic ${encoded}` }, secrets: [password, encoded] };
  }
  const token = secretValue(auth.token);
  return { headers: { Authorization: `Bearer ${token}` }, secrets: [token] };
}

/**
 * The headers that authenticate a request to an upstream configured with `auth` (none without).
 * Any client of an upstream applies them: through `Upstream.request(url, { auth })`, or spread
 * into the headers of its own fetch.
 */
export function authHeaders(auth: UpstreamAuth | undefined): Record<string, string> {
  return credentials(auth).headers;
}

/** `scheme://user:password@` in any text: the credentials part of a URL. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/** `text` without URL credentials and without any of `secrets`. */
export function redact(text: string, secrets: string[] = []): string {
  let out = text.replace(URL_CREDENTIALS, '$1<redacted>@');
  for (const s of secrets) {
    if (s !== '') {
      out = out.split(s).join('<redacted>');
    }
  }
  return out;
}
