// A small HTTP layer over node:http: routes with path parameters and a required role, bodies
// read with a size limit, JSON errors everywhere, one log line and metrics per request.

import { IncomingMessage, ServerResponse } from 'http';
import { PARSE_LIMITS, valueTooDeep } from '../../core/spec/parseLimits';
import { allows, Principal, Role, TokenStore } from '../auth';
import { isDatabaseBusy } from '../storage/store';
import { Logger } from '../log';
import { ServerMetrics } from '../metrics';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }
}

export interface Ctx {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  principal: Principal;
  /** The body as text, at most maxBodyBytes. */
  text(): Promise<string>;
  /** The body parsed as JSON. */
  json(): Promise<unknown>;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** Sent as is (text/plain unless a content-type header is given). */
  raw?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Promise<Reply> | Reply;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  template: string;
  role: Role | 'public';
  handler: Handler;
}

const ANONYMOUS: Principal = { name: 'anonymous', role: 'viewer' };

export class Router {
  private routes: Route[] = [];

  constructor(
    private readonly tokens: TokenStore,
    private readonly log: Logger,
    private readonly metrics: ServerMetrics,
    private readonly maxBodyBytes: number
  ) {}

  add(method: string, template: string, role: Role | 'public', handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      '^' +
        template.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : '\\' + c)).replace(/\{(\w+)\}/g, (_, k) => {
          keys.push(k);
          return '([^/]+)';
        }) +
        '$'
    );
    this.routes.push({ method, pattern, keys, template, role, handler });
  }

  list(): Array<{ method: string; template: string; role: string }> {
    return this.routes.map((r) => ({ method: r.method, template: r.template, role: r.role }));
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let template = 'unmatched';
    let status = 500;
    let principal: Principal | undefined;
    try {
      const matches = this.routes.filter((r) => r.pattern.test(url.pathname));
      const route = matches.find((r) => r.method === method);
      if (!route) {
        if (matches.length > 0) {
          throw new HttpError(405, `${method} is not allowed on ${url.pathname}`, undefined, { Allow: matches.map((r) => r.method).join(', ') });
        }
        throw new HttpError(404, `no such endpoint: ${method} ${url.pathname}`);
      }
      template = route.template;
      if (route.role !== 'public') {
        principal = await this.tokens.authenticate(req.headers.authorization);
        if (!principal) {
          throw new HttpError(401, 'a bearer token is required (Authorization: Bearer <token>)', undefined, { 'WWW-Authenticate': 'Bearer' });
        }
        if (!allows(principal, route.role)) {
          throw new HttpError(403, `role ${principal.role} may not do this: it needs ${route.role}`);
        }
      }
      const m = route.pattern.exec(url.pathname)!;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]);
        } catch {
          throw new HttpError(400, `invalid percent-encoding in ${k}`);
        }
      });
      let bodyText: string | undefined;
      const text = async () => {
        if (bodyText === undefined) {
          bodyText = await readBody(req, this.maxBodyBytes);
        }
        return bodyText;
      };
      const ctx: Ctx = {
        method,
        path: url.pathname,
        params,
        query: url.searchParams,
        headers: req.headers,
        principal: principal ?? ANONYMOUS,
        text,
        json: async () => {
          const t = await text();
          let value: unknown;
          try {
            value = JSON.parse(t);
          } catch (e) {
            throw new HttpError(400, `the body is not valid JSON: ${(e as Error).message}`);
          }
          // JSON.parse itself does not recurse; what reads the value afterwards may.
          if (valueTooDeep(value)) {
            throw new HttpError(400, `the body nests deeper than ${PARSE_LIMITS.nesting} levels`);
          }
          return value;
        },
      };
      const reply = await route.handler(ctx);
      status = reply.status ?? 200;
      send(res, status, reply);
    } catch (e) {
      // The rest of an oversized or unread body is not drained: close the connection after.
      const close: Record<string, string> = req.complete ? {} : { Connection: 'close' };
      if (isDatabaseBusy(e)) {
        // Another server on the same database file held it past the busy timeout, or PostgreSQL
        // could not be reached or ended the transaction: nothing of this request was written (its
        // transaction never began or was rolled back).
        const why = /^SQLITE_/.test(String((e as { code?: unknown }).code)) ? 'the database is busy (another writer held it past the busy timeout)' : `the database could not take the request (${(e as Error).message})`;
        e = new HttpError(503, `${why}; nothing was changed: retry`, undefined, { 'Retry-After': '1' });
      }
      if (e instanceof HttpError) {
        status = e.status;
        send(res, status, { body: { error: { status, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } }, headers: { ...e.headers, ...close } });
      } else {
        status = 500;
        this.log.error('request failed', { method, path: url.pathname, error: (e as Error).stack ?? String(e) });
        send(res, 500, { body: { error: { status: 500, message: 'internal error' } }, headers: close });
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.requests.inc({ route: template, method, code: String(status) });
      this.metrics.requestDuration.observe({ route: template }, seconds);
      if (template !== '/metrics' && template !== '/healthz' && template !== '/readyz') {
        this.log.info('request', { method, path: url.pathname, status, ms: Math.round(seconds * 1000), user: principal?.name });
      }
    }
  }
}

function send(res: ServerResponse, status: number, reply: Reply): void {
  if (res.headersSent) {
    return;
  }
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload = '';
  if (reply.raw !== undefined) {
    payload = reply.raw;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  headers['X-Content-Type-Options'] = 'nosniff';
  res.writeHead(status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    return Promise.reject(new HttpError(413, `the body is ${declared} bytes; the limit is ${limit}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, `the body is over the limit of ${limit} bytes`));
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
