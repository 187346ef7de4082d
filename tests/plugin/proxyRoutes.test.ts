// The app's proxy routes (plugin.json) as Grafana 12 picks them (tests/support/grafanaRoutes.ts):
// which route, so which Grafana role and which Burnrate URL, each call of the app gets, and that
// token minting is for Grafana Admins only. No Grafana runs here: the matching rules are Grafana's
// own (pkg/api/pluginproxy and pkg/web/tree.go), restated.

import { readFileSync } from 'fs';
import { join } from 'path';
import { joinUrl, matchRoute, PluginRoute } from '../support/grafanaRoutes';

const plugin = JSON.parse(readFileSync(join(__dirname, '../../plugin.json'), 'utf8'));
const routes: PluginRoute[] = plugin.routes;
const SERVER = 'http://burnrate:8787';

function resolve(method: string, path: string) {
  const m = matchRoute(routes, method, path);
  if (!m) {
    return { role: 'none (404)', url: undefined, token: false };
  }
  return {
    role: m.route.reqRole,
    url: joinUrl(m.route.url.replace('{{ .JsonData.serverUrl }}', SERVER), m.rest),
    token: (m.route.headers ?? []).some((h) => h.name === 'Authorization' && h.content.includes('.SecureJsonData.apiToken')),
  };
}

// Every call src/api/client.ts makes, and the other endpoints a Grafana user may reach.
const CALLS: Array<[string, string, string]> = [
  ['GET', 'api/v1/slos', 'Viewer'],
  ['GET', 'api/v1/slos/llm-gateway/chat-availability', 'Viewer'],
  ['GET', 'api/v1/slos/llm-gateway/chat-availability/status', 'Viewer'],
  ['GET', 'api/v1/slos/llm-gateway/chat-availability/history', 'Viewer'],
  ['GET', 'api/v1/slos/llm-gateway/chat-availability/audit', 'Viewer'],
  ['GET', 'api/v1/freezes', 'Viewer'],
  ['GET', 'api/v1/gate', 'Viewer'],
  ['POST', 'api/v1/validate', 'Viewer'],
  ['POST', 'api/v1/preview', 'Viewer'],
  ['POST', 'api/v1/slos', 'Editor'],
  ['PUT', 'api/v1/slos/llm-gateway/chat-availability', 'Editor'],
  ['DELETE', 'api/v1/slos/llm-gateway/chat-availability', 'Editor'],
  ['POST', 'api/v1/freezes', 'Editor'],
  ['DELETE', 'api/v1/freezes/3', 'Editor'],
  ['POST', 'api/v1/import', 'Editor'],
];

// Before issue 15 the routes were plain "api": Grafana 12 matches a path without "*" exactly, so
// every call of the app answered 404 "plugin route match not found" in a real Grafana.
test.each(CALLS)('%s %s reaches the same path on the server, for a Grafana %s and up, with the app token', (method, path, role) => {
  expect(resolve(method, path)).toEqual({ role, url: `${SERVER}/${path}`, token: true });
});

test('GET healthz reaches the server without the token', () => {
  expect(resolve('GET', 'healthz')).toEqual({ role: 'Viewer', url: `${SERVER}/healthz`, token: false });
});

// Before: POST api/v1/tokens matched the Editor route "api" (where Grafana matched it at all), and
// the app held the admin token, so any Grafana Editor could mint a Burnrate admin token.
test.each(['GET', 'POST', 'PUT', 'DELETE'])('%s on api/v1/tokens, api/v1/tokens/ and api/v1/tokens/<name> needs a Grafana Admin', (method) => {
  for (const path of ['api/v1/tokens', 'api/v1/tokens/', 'api/v1/tokens/ci', 'api/v1/%74okens/ci']) {
    expect({ path, role: resolve(method, path).role }).toEqual({ path, role: 'Admin' });
  }
});

// Grafana does not clean the proxied path: an empty segment slips past the Admin routes to the
// Editor one, which forwards it as /api/v1/tokens. So the routes are the second guard; the first is
// that the app's token has the editor role, which the server refuses token minting
// (tests/server/tokens.test.ts).
test('api//v1/tokens reaches an Editor route: the editor role of the app token is what stops it', () => {
  expect(resolve('POST', 'api//v1/tokens')).toEqual({ role: 'Editor', url: `${SERVER}/api/v1/tokens`, token: true });
});

test('no route reaches the server outside /api and /healthz', () => {
  for (const r of routes) {
    const url = new URL(r.url.replace('{{ .JsonData.serverUrl }}', SERVER));
    expect(url.origin).toBe(SERVER);
    expect(url.pathname === '/healthz' || url.pathname === '/api' || url.pathname.startsWith('/api/')).toBe(true);
  }
  expect(resolve('GET', 'metrics').role).toBe('none (404)');
});
