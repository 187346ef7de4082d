// The only way the server makes HTTP requests: to origins it was configured with, with a timeout,
// with retries (for idempotent calls) on network errors and 5xx answers, and with the upstream's
// credentials (`auth`), which are then removed from every error message and error body it returns.

import { credentials, Credentials, redact, SecretFileError, UpstreamAuth } from './upstreamAuth';

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string
  ) {
    super(message);
  }
}

export interface UpstreamOptions {
  allowedOrigins: string[];
  timeoutMs: number;
  retries: number;
}

export type UpstreamInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Blob;
  retry?: boolean;
  timeoutMs?: number;
  /** The credentials of the upstream this request goes to (plain data: it crosses to the worker). */
  auth?: UpstreamAuth;
};

export interface UpstreamResponse {
  status: number;
  body: string;
  headers: Headers;
}

export class Upstream {
  constructor(private readonly opts: UpstreamOptions) {}

  /** For the worker thread, which makes the same requests (offThread/tasks.ts). */
  get options(): UpstreamOptions {
    return this.opts;
  }

  async request(
    url: string,
    init: UpstreamInit = {}
  ): Promise<UpstreamResponse> {
    const origin = new URL(url).origin;
    if (!this.opts.allowedOrigins.includes(origin)) {
      throw new UpstreamError(`refusing to contact ${origin}: not a configured data source`);
    }
    let creds: Credentials;
    try {
      creds = credentials(init.auth);
    } catch (e) {
      if (e instanceof SecretFileError) {
        throw new UpstreamError(`no credentials for ${origin}: ${e.message}`);
      }
      throw e;
    }
    const clean = (text: string) => redact(text, creds.secrets);
    const attempts = init.retry === false ? 1 : 1 + this.opts.retries;
    let last: UpstreamError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
      const ctrl = new AbortController();
      const timeoutMs = init.timeoutMs ?? this.opts.timeoutMs;
      const timer = setTimeout(() => ctrl.abort(), timeoutMs);
      try {
        const res = await fetch(url, {
          method: init.method ?? 'GET',
          headers: { ...init.headers, ...creds.headers },
          body: init.body,
          signal: ctrl.signal,
          redirect: 'manual',
        });
        // An error answer may echo the request's credentials back (some proxies do): it is shown
        // in sync states and 503 bodies, so it is redacted. A success is data, left as it came.
        const text = await res.text();
        const body = res.status >= 400 ? clean(text) : text;
        if (res.status >= 500) {
          last = new UpstreamError(`${origin} answered ${res.status}: ${body.slice(0, 300)}`, res.status, body);
          continue;
        }
        return { status: res.status, body, headers: res.headers };
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        last = new UpstreamError(
          err.name === 'AbortError' ? `${origin} did not answer within ${timeoutMs} ms` : `${origin} unreachable: ${clean(err.cause?.code ?? err.message)}`
        );
      } finally {
        clearTimeout(timer);
      }
    }
    throw last!;
  }
}
