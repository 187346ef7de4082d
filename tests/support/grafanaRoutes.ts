// How Grafana 12 picks an app plugin's proxy route (pkg/api/pluginproxy, HandleRequest): the first
// route of plugin.json, in order, whose method is empty, "*" or the request's, and whose path
// matches the proxied path (what follows /api/plugin-proxy/<id>/). A path matches exactly
// (leading and trailing slashes aside, segments compared percent-decoded), or, when it ends in
// "/*", matches every path below it, which is then appended to the route's URL. A route found but
// not allowed to the user answers 403; no later route is tried.

export interface PluginRoute {
  path: string;
  method?: string;
  reqRole?: string;
  reqAction?: string;
  url: string;
  headers?: Array<{ name: string; content: string }>;
}

const rawSegments = (p: string) => p.replace(/^\/+|\/+$/g, '').split('/');

const decoded = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The route Grafana uses for `method` and `proxyPath`, and the path it appends to the route's URL. */
export function matchRoute(routes: PluginRoute[], method: string, proxyPath: string): { route: PluginRoute; rest: string } | undefined {
  const raw = rawSegments(proxyPath);
  const want = raw.map(decoded);
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== method) {
      continue;
    }
    const pattern = rawSegments(route.path);
    if (pattern[pattern.length - 1] === '*') {
      const prefix = pattern.slice(0, -1);
      if (want.length > prefix.length && prefix.every((s, i) => s === want[i])) {
        // As sent on: the rest keeps its encoding.
        return { route, rest: raw.slice(prefix.length).join('/') };
      }
    } else if (pattern.length === want.length && pattern.every((s, i) => s === want[i])) {
      return { route, rest: '' };
    }
  }
  return undefined;
}

/** The URL Grafana sends the request to: the route's URL joined with the rest (util.JoinURLFragments). */
export function joinUrl(base: string, rest: string): string {
  if (rest === '') {
    return base;
  }
  return `${base.replace(/\/$/, '')}/${rest.replace(/^\//, '')}`;
}
