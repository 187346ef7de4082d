// Plays Grafana's backend for the browser test: serves the host page and bundle, the built plugin
// under /public/plugins/<id>/ (as Grafana does), and proxies
//   /api/plugin-proxy/<id>/<route>...  by the `routes` of dist/plugin.json, matched as Grafana 12
//                                      matches them (grafanaRoutes.ts; URL and headers templated
//                                      from jsonData/secureJsonData, method and role checked), so
//                                      the token is added here, never in the browser;
//   /api/datasources/proxy/uid/<uid>/... to the data source's URL;
//   /api/plugins/<id>/settings          kept in memory (the settings page saves there).

import { readFileSync, existsSync, statSync } from 'fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { extname, join, normalize } from 'path';
import { joinUrl, matchRoute, PluginRoute } from '../support/grafanaRoutes';

export interface HostConfig {
  distDir: string;
  hostBundleDir: string;
  pluginId: string;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
  /** uid -> base URL of the data source. */
  dataSources: Array<{ uid: string; name: string; type: string; url: string }>;
  /** Role of the signed-in user. */
  role: 'Viewer' | 'Editor' | 'Admin';
}

export interface HostServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown',
  '.map': 'application/json',
  '.css': 'text/css',
};

const ICONS = join(__dirname, '..', '..', 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');

const SPINNER =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2a10 10 0 1 0 10 10h-2a8 8 0 1 1-8-8z"/></svg>';

const ROLE_RANK = { Viewer: 1, Editor: 2, Admin: 3 } as const;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function template(text: string, c: HostConfig): string {
  return text
    .replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_, k) => String(c.jsonData[k] ?? ''))
    .replace(/\{\{\s*\.SecureJsonData\.(\w+)\s*\}\}/g, (_, k) => String(c.secureJsonData[k] ?? ''));
}

async function forward(req: IncomingMessage, res: ServerResponse, target: string, headers: Record<string, string>) {
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  const h: Record<string, string> = {};
  for (const k of ['content-type', 'if-match', 'accept']) {
    if (req.headers[k]) {
      h[k] = String(req.headers[k]);
    }
  }
  const r = await fetch(target, { method: req.method, headers: { ...h, ...headers }, body });
  const out: Record<string, string> = {};
  r.headers.forEach((v, k) => {
    if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) {
      out[k] = v;
    }
  });
  res.writeHead(r.status, out).end(Buffer.from(await r.arrayBuffer()));
}

export function hostPage(c: HostConfig): string {
  const boot = {
    pluginId: c.pluginId,
    jsonData: c.jsonData,
    secureJsonFields: Object.fromEntries(Object.keys(c.secureJsonData).map((k) => [k, true])),
    dataSources: c.dataSources.map(({ uid, name, type }) => ({ uid, name, type })),
  };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Grafana (test host)</title></head>
<body><div id="root"></div>
<script>window.__grafana_public_path__ = "/public/";</script>
<script src="/host/host.js"></script>
<script>window.__host.boot(${JSON.stringify(boot)}).catch(function (e) { window.__hostError = String(e && e.stack || e); document.getElementById('root').textContent = 'host error: ' + e; });</script>
</body></html>`;
}

/** A page that renders one nested panel plugin of the app (see renderPanel in host/entry.tsx). */
export function panelHostPage(c: HostConfig, panelPath: string): string {
  const boot = { module: `/public/plugins/${c.pluginId}/${panelPath}/module.js` };
  return `<!doctype html><html><head><meta charset="utf-8"><title>Grafana panel (test host)</title></head>
<body><div id="root"></div>
<script>window.__grafana_public_path__ = "/public/";</script>
<script src="/host/host.js"></script>
<script>window.__host.bootPanel(${JSON.stringify(boot)}).catch(function (e) { window.__hostError = String(e && e.stack || e); document.getElementById('root').textContent = 'host error: ' + e; });</script>
</body></html>`;
}

export async function startHost(c: HostConfig): Promise<HostServer> {
  const plugin = JSON.parse(readFileSync(join(c.distDir, 'plugin.json'), 'utf8'));
  const routes: PluginRoute[] = plugin.routes ?? [];
  const requests: string[] = [];
  const proxyPrefix = `/api/plugin-proxy/${c.pluginId}/`;
  const staticPrefix = `/public/plugins/${c.pluginId}/`;

  const serveFile = (res: ServerResponse, base: string, rel: string) => {
    const file = normalize(join(base, rel));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    (async () => {
      if (url.pathname.startsWith('/host/')) {
        return serveFile(res, c.hostBundleDir, url.pathname.slice('/host/'.length));
      }
      if (url.pathname === '/public/build/img/icons/unicons/spinner.svg') {
        // Grafana ships this one in its own public/img; @grafana/ui's icon set lacks it.
        return res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(SPINNER);
      }
      if (url.pathname.startsWith('/public/build/img/icons/')) {
        // Grafana's icons (its frontend serves them from public/build; @grafana/ui ships them).
        return serveFile(res, ICONS, decodeURIComponent(url.pathname.slice('/public/build/img/icons/'.length)));
      }
      if (url.pathname.startsWith(staticPrefix)) {
        return serveFile(res, c.distDir, decodeURIComponent(url.pathname.slice(staticPrefix.length)));
      }
      if (url.pathname.startsWith(proxyPrefix)) {
        const matched = matchRoute(routes, req.method ?? 'GET', url.pathname.slice(proxyPrefix.length));
        if (!matched) {
          return res
            .writeHead(404, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ message: 'plugin route not found' }));
        }
        const { route, rest } = matched;
        if (route.reqRole && ROLE_RANK[c.role] < ROLE_RANK[route.reqRole as keyof typeof ROLE_RANK]) {
          return res
            .writeHead(403, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ message: 'Permission denied' }));
        }
        const target = joinUrl(template(route.url, c), rest) + url.search;
        const headers = Object.fromEntries((route.headers ?? []).map((h) => [h.name, template(h.content, c)]));
        return forward(req, res, target, headers);
      }
      const ds = /^\/api\/datasources\/proxy\/uid\/([^/]+)(\/.*)$/.exec(url.pathname);
      if (ds) {
        const d = c.dataSources.find((x) => x.uid === decodeURIComponent(ds[1]));
        if (!d) {
          return res.writeHead(404).end('no such data source');
        }
        return forward(req, res, `${d.url}${ds[2]}${url.search}`, {});
      }
      if (url.pathname === `/api/plugins/${c.pluginId}/settings` && req.method === 'POST') {
        const body = JSON.parse((await readBody(req)).toString() || '{}');
        Object.assign(c.jsonData, body.jsonData ?? {});
        Object.assign(c.secureJsonData, body.secureJsonData ?? {});
        return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"message":"Plugin settings updated"}');
      }
      if (url.pathname.startsWith('/api/')) {
        return res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"not found"}');
      }
      if (url.pathname.startsWith('/__panel/')) {
        // /__panel/<path of the nested plugin in dist>, e.g. /__panel/panels/budget
        return res
          .writeHead(200, { 'Content-Type': 'text/html' })
          .end(panelHostPage(c, url.pathname.slice('/__panel/'.length).replace(/[^A-Za-z0-9_/-]/g, '')));
      }
      // Every other path is a page of the single-page app.
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(hostPage(c));
    })().catch((e) => {
      res
        .writeHead(502, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ message: String(e?.message ?? e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
