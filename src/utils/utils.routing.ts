import { PLUGIN_BASE_URL } from '../constants';

/** Prefixes a route with the base URL of the plugin. */
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

export function sloPath(service: string, name: string, edit = false): string {
  return prefixRoute(`slos/${encodeURIComponent(service)}/${encodeURIComponent(name)}${edit ? '/edit' : ''}`);
}

/** A Grafana Explore link (Grafana 10+ `panes` format) running `expr` on a data source. */
export function exploreUrl(ds: { uid: string; type: string }, expr: string, from = 'now-1h'): string {
  const panes = {
    a: {
      datasource: ds.uid,
      queries: [{ refId: 'A', expr, datasource: { type: ds.type, uid: ds.uid } }],
      range: { from, to: 'now' },
    },
  };
  return `/explore?schemaVersion=1&orgId=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

/** A link to one of the dashboards the plugin ships, with its variables set. */
export function dashboardUrl(uid: string, vars: Record<string, string | undefined>): string {
  const q = Object.entries(vars)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `var-${encodeURIComponent(k)}=${encodeURIComponent(v!)}`)
    .join('&');
  return `/d/${uid}${q ? `?${q}` : ''}`;
}
