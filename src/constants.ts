import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** Grafana's plugin proxy: routes declared in plugin.json add the server URL and token. */
export const PROXY_BASE = `/api/plugin-proxy/${pluginJson.id}`;

/** Paths inside the app root (react-router v6, relative to PLUGIN_BASE_URL). */
export const ROUTES = {
  List: 'slos',
  New: 'slos/new',
  Detail: 'slos/:service/:name',
  Edit: 'slos/:service/:name/edit',
} as const;

/** Dashboards shipped with the plugin (dashboards/*.json), by uid. */
export const DASHBOARDS = {
  overview: 'burnrate-slo-overview',
  detail: 'burnrate-slo-detail',
  llmService: 'burnrate-llm-service',
} as const;

/** Settings kept in the plugin's jsonData (the token is in secureJsonData, never read back). */
export interface AppSettings {
  serverUrl?: string;
  defaultPrometheusUid?: string;
  defaultLokiUid?: string;
}
