// A local stand-in for the Mimir, Cortex and Loki ruler HTTP APIs that enforces their documented
// contract (../shared/reference/ruler-apis.md) strictly, with fault injection. It is not a real
// ruler: nothing is evaluated. Stored groups are re-serialised on GET the way a ruler does (its own
// key order and string style), so clients cannot compare bytes.
//
//   POST   {base}/{namespace}          one rule group as YAML, Content-Type: application/yaml -> 202
//   GET    {base}                      {namespace: [groups]} for the tenant
//   GET    {base}/{namespace}          {namespace: [groups]}, or 404 when it holds no group
//   GET    {base}/{namespace}/{group}  the group, or 404
//   DELETE {base}/{namespace}/{group}  -> 202 (404 when missing)
//   DELETE {base}/{namespace}          -> 202
// Every request needs X-Scope-OrgID (401 "no org id" otherwise, as Mimir answers), and, when
// `authorization` is set, that Authorization header (401 otherwise, as a ruler behind an
// authenticating gateway answers; with `echoAuthorization` the 401 repeats what it was sent, as
// some gateways do).

import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo, Socket } from 'net';
import { parse, stringify } from 'yaml';

export type RulerApi = 'mimir' | 'cortex' | 'loki';

export const RULER_BASE: Record<RulerApi, string> = {
  mimir: '/prometheus/config/v1/rules',
  cortex: '/api/v1/rules',
  loki: '/loki/api/v1/rules',
};

export interface LoggedRequest {
  method: string;
  path: string;
  tenant?: string;
  contentType?: string;
  authorization?: string;
  body: string;
  status: number;
}

interface Fault {
  method: string;
  status: number;
  times: number;
  body: string;
}

const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

export class RulerStandIn {
  url = '';
  readonly requests: LoggedRequest[] = [];
  /** tenant -> namespace -> group name -> group */
  readonly data = new Map<string, Map<string, Map<string, any>>>();
  /** When set, requests are accepted and never answered. */
  hang = false;
  /** When set, the Authorization header every request must carry. */
  authorization?: string;
  echoAuthorization = false;
  private faults: Fault[] = [];
  private server?: Server;
  private sockets = new Set<Socket>();

  constructor(readonly api: RulerApi) {}

  get base(): string {
    return RULER_BASE[this.api];
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next `times` requests with this method answer `status`. */
  failNext(method: string, status: number, times: number, body = `injected ${status}`): void {
    this.faults.push({ method, status, times, body });
  }

  clearFaults(): void {
    this.faults = [];
  }

  namespace(tenant: string, ns: string): Map<string, any> {
    let t = this.data.get(tenant);
    if (!t) {
      this.data.set(tenant, (t = new Map()));
    }
    let n = t.get(ns);
    if (!n) {
      t.set(ns, (n = new Map()));
    }
    return n;
  }

  groupNames(tenant: string, ns: string): string[] {
    return [...(this.data.get(tenant)?.get(ns)?.keys() ?? [])].sort();
  }

  /** The ruler "loses" a group (e.g. its storage was restored from an old backup). */
  lose(tenant: string, ns: string, group: string): void {
    this.data.get(tenant)?.get(ns)?.delete(group);
  }

  count(method: string): number {
    return this.requests.filter((r) => r.method === method).length;
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://x');
    const tenant = req.headers['x-scope-orgid'] as string | undefined;
    const entry: LoggedRequest = { method, path: url.pathname, tenant, contentType: req.headers['content-type'], authorization: req.headers.authorization, body, status: 0 };
    this.requests.push(entry);
    if (this.hang) {
      return; // never answered
    }
    const send = (status: number, text = '', type = 'text/plain') => {
      entry.status = status;
      res.writeHead(status, { 'Content-Type': type }).end(text);
    };
    const fault = this.faults.find((f) => f.method === method && f.times > 0);
    if (fault) {
      fault.times--;
      return send(fault.status, fault.body);
    }
    if (this.authorization !== undefined && req.headers.authorization !== this.authorization) {
      return send(401, this.echoAuthorization ? `unauthorized: ${req.headers.authorization ?? 'no credentials'} is not accepted` : 'unauthorized');
    }
    if (!tenant) {
      return send(401, 'no org id');
    }
    if (!url.pathname.startsWith(this.base)) {
      return send(404, '404 page not found');
    }
    const parts = url.pathname
      .slice(this.base.length)
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    if (parts.length > 2) {
      return send(404, '404 page not found');
    }
    const [ns, group] = parts;
    const tenantData = this.data.get(tenant) ?? new Map<string, Map<string, any>>();
    const yaml = (v: unknown) => send(200, stringify(v), 'application/yaml');

    if (method === 'GET') {
      if (!ns) {
        const all: Record<string, any[]> = {};
        for (const [n, groups] of tenantData) {
          if (groups.size) {
            all[n] = [...groups.values()];
          }
        }
        return Object.keys(all).length ? yaml(all) : send(404, 'no rule groups found');
      }
      const groups = tenantData.get(ns);
      if (!groups || groups.size === 0) {
        return send(404, 'no rule groups found');
      }
      if (group) {
        return groups.has(group) ? yaml(groups.get(group)) : send(404, 'group does not exist');
      }
      return yaml({ [ns]: [...groups.values()] });
    }
    if (method === 'POST') {
      if (!ns || group) {
        return send(405, 'method not allowed');
      }
      const ct = String(req.headers['content-type'] ?? '').split(';')[0].trim();
      if (ct !== 'application/yaml') {
        return send(400, `unsupported content type ${JSON.stringify(ct)}: rule groups are posted as application/yaml`);
      }
      const problem = this.checkGroup(body);
      if (typeof problem === 'string') {
        return send(400, problem);
      }
      this.namespace(tenant, ns).set(problem.name, problem);
      return send(202, '{"status":"success","data":null,"errorType":"","error":""}', 'application/json');
    }
    if (method === 'DELETE') {
      if (!ns) {
        return send(405, 'method not allowed');
      }
      if (!group) {
        tenantData.delete(ns);
        return send(202);
      }
      const groups = tenantData.get(ns);
      if (!groups?.has(group)) {
        return send(404, 'group does not exist');
      }
      groups.delete(group);
      return send(202);
    }
    return send(405, 'method not allowed');
  }

  /** The group when the body is exactly one valid rule group, else the ruler's complaint. */
  private checkGroup(body: string): any | string {
    let doc: any;
    try {
      doc = parse(body);
    } catch (e) {
      return `invalid YAML: ${(e as Error).message}`;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      return 'the body must be one rule group (a map with name, interval, rules)';
    }
    if ('groups' in doc) {
      return 'the body must be one rule group, not a rule file with "groups"';
    }
    const extra = Object.keys(doc).filter((k) => !['name', 'interval', 'rules'].includes(k));
    if (extra.length) {
      return `field ${extra[0]} not found in type rulefmt.RuleGroup`;
    }
    if (typeof doc.name !== 'string' || doc.name === '') {
      return 'invalid rules config: rule group name must not be empty';
    }
    if (doc.interval !== undefined && !DURATION.test(String(doc.interval))) {
      return `invalid interval ${JSON.stringify(doc.interval)}`;
    }
    if (!Array.isArray(doc.rules) || doc.rules.length === 0) {
      return `invalid rules config: rule group ${doc.name} has no rules`;
    }
    for (const [i, r] of doc.rules.entries()) {
      const kinds = ['record', 'alert'].filter((k) => typeof r?.[k] === 'string' && r[k] !== '');
      if (kinds.length !== 1) {
        return `group ${doc.name}, rule ${i + 1}: one of 'record' or 'alert' must be set`;
      }
      if (typeof r.expr !== 'string' || r.expr.trim() === '') {
        return `group ${doc.name}, rule ${i + 1}: field 'expr' must be set in rule`;
      }
      const bad = Object.keys(r).filter((k) => !['record', 'alert', 'expr', 'for', 'labels', 'annotations', 'keep_firing_for'].includes(k));
      if (bad.length) {
        return `group ${doc.name}, rule ${i + 1}: field ${bad[0]} not found in type rulefmt.Rule`;
      }
      if (r.record !== undefined && r.annotations !== undefined) {
        return `group ${doc.name}, rule ${i + 1}: invalid field 'annotations' in recording rule`;
      }
    }
    // Stored the way a ruler returns it: its own field order (rules: alert/record, expr, for,
    // labels, annotations) and a trailing newline on multi-line expressions.
    return {
      name: doc.name,
      ...(doc.interval !== undefined ? { interval: doc.interval } : {}),
      rules: doc.rules.map((r: any) => ({
        ...(r.alert !== undefined ? { alert: r.alert } : { record: r.record }),
        expr: r.expr.includes('\n') ? `${r.expr}\n` : r.expr,
        ...(r.for !== undefined ? { for: r.for } : {}),
        ...(r.labels !== undefined ? { labels: r.labels } : {}),
        ...(r.annotations !== undefined ? { annotations: r.annotations } : {}),
      })),
    };
  }
}
