// A stand-in for Grafana's frontend, enough to load a plugin the way Grafana does: the shared
// modules Grafana exposes to plugins (@grafana/*, React, react-router, rxjs, emotion) behind a
// small AMD loader, the @grafana/runtime singletons (backendSrv, dataSourceSrv, config), the
// Grafana dark theme, and the app root rendered at /a/<plugin id>/*. Requests go to the same
// origin; the test's Node server plays Grafana's backend (plugin proxy with the token added,
// data source proxy), so the browser never holds the token, as in Grafana.

import * as React from 'react';
import * as ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as JsxRuntime from 'react/jsx-runtime';
import * as ReactRouter from 'react-router';
import * as ReactRouterDom from 'react-router-dom';
import * as Rxjs from 'rxjs';
import * as EmotionCss from '@emotion/css';
import * as GrafanaData from '@grafana/data';
import * as GrafanaUi from '@grafana/ui';
import * as GrafanaRuntime from '@grafana/runtime';
import { BackendSrv, BackendSrvRequest, FetchResponse, DataSourceSrv } from '@grafana/runtime';
import { Observable, from, lastValueFrom } from 'rxjs';
// Not part of the public entry point in 12.4: Grafana sets it through its internal path.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore
import { setPluginPage } from 'grafana-runtime-plugin-page';

type Factory = (...deps: unknown[]) => unknown;

// ---- AMD loader (what SystemJS does for plugins in Grafana) ----
const shared: Record<string, unknown> = {
  react: React,
  'react/jsx-runtime': JsxRuntime,
  'react-dom': ReactDOM,
  'react-dom/client': ReactDOMClient,
  'react-router': ReactRouter,
  'react-router-dom': ReactRouterDom,
  rxjs: Rxjs,
  '@emotion/css': EmotionCss,
  '@grafana/data': GrafanaData,
  '@grafana/ui': GrafanaUi,
  '@grafana/runtime': GrafanaRuntime,
};
let pending: { deps: string[]; factory: Factory } | undefined;

function define(depsOrFactory: string[] | Factory, maybeFactory?: Factory) {
  const deps = Array.isArray(depsOrFactory) ? depsOrFactory : [];
  const factory = (Array.isArray(depsOrFactory) ? maybeFactory : depsOrFactory) as Factory;
  pending = { deps, factory };
}
(define as any).amd = {};

function loadModule(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => {
      const def = pending;
      pending = undefined;
      if (!def) {
        return reject(new Error(`${url} did not call define()`));
      }
      const exports: Record<string, unknown> = {};
      const module = { uri: new URL(url, window.location.href).href, exports };
      try {
        const args = def.deps.map((d) => {
          if (d === 'module') {
            return module;
          }
          if (d === 'exports') {
            return exports;
          }
          if (!(d in shared)) {
            throw new Error(`the plugin imports "${d}", which Grafana does not share`);
          }
          return shared[d];
        });
        const out = def.factory(...args);
        resolve(out ?? module.exports);
      } catch (e) {
        reject(e);
      }
    };
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  });
}

// ---- @grafana/runtime singletons ----
class FetchError extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly data: unknown,
    readonly config: BackendSrvRequest
  ) {
    super(`${status} ${statusText}`);
  }
}

function buildUrl(options: BackendSrvRequest): string {
  const u = new URL(options.url, window.location.origin);
  for (const [k, v] of Object.entries(options.params ?? {})) {
    if (v === undefined || v === null) {
      continue;
    }
    for (const item of Array.isArray(v) ? v : [v]) {
      u.searchParams.append(k, String(item));
    }
  }
  return u.pathname + u.search;
}

async function doFetch<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: BodyInit | undefined;
  if (options.data !== undefined) {
    if (typeof options.data === 'string') {
      body = options.data;
    } else {
      body = JSON.stringify(options.data);
      headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
    }
  }
  const res = await fetch(buildUrl(options), { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  let data: any = text;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  if (!res.ok) {
    throw new FetchError(res.status, res.statusText, data, options);
  }
  return {
    data,
    status: res.status,
    statusText: res.statusText,
    ok: true,
    headers: res.headers,
    url: res.url,
    type: 'basic',
    redirected: false,
    config: options,
  } as FetchResponse<T>;
}

const backendSrv = {
  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return from(doFetch<T>(options));
  },
  async request(options: BackendSrvRequest) {
    return (await lastValueFrom(backendSrv.fetch(options))).data;
  },
  async datasourceRequest(options: BackendSrvRequest) {
    return lastValueFrom(backendSrv.fetch(options));
  },
  get: (url: string, params?: any) => backendSrv.request({ url, params }),
  post: (url: string, data?: any) => backendSrv.request({ url, method: 'POST', data }),
  put: (url: string, data?: any) => backendSrv.request({ url, method: 'PUT', data }),
  patch: (url: string, data?: any) => backendSrv.request({ url, method: 'PATCH', data }),
  delete: (url: string, data?: any) => backendSrv.request({ url, method: 'DELETE', data }),
  resolveCancelerIfExists() {},
} as unknown as BackendSrv;

interface HostDataSource {
  uid: string;
  name: string;
  type: string;
}

function dataSourceSrv(list: HostDataSource[]): DataSourceSrv {
  const settings = list.map(
    (d) =>
      ({
        ...d,
        id: list.indexOf(d) + 1,
        meta: { id: d.type, name: d.type, type: 'datasource', info: { logos: { small: '', large: '' } } },
        access: 'proxy',
        jsonData: {},
        readOnly: false,
        isDefault: list.indexOf(d) === 0,
      }) as unknown as GrafanaData.DataSourceInstanceSettings
  );
  const find = (ref: any) =>
    settings.find((s) => s.uid === (typeof ref === 'string' ? ref : ref?.uid) || s.name === ref);
  return {
    getList: (filters: any = {}) => settings.filter((s) => !filters.type || s.type === filters.type),
    getInstanceSettings: (ref: any) => find(ref),
    get: async (ref: any) => {
      const s = find(ref);
      if (!s) {
        throw new Error(`no data source ${JSON.stringify(ref)}`);
      }
      return s as any;
    },
    reload: async () => undefined,
    registerRuntimeDataSource: () => undefined,
  } as unknown as DataSourceSrv;
}

// ---- Boot ----
export interface HostOptions {
  pluginId: string;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
  dataSources: HostDataSource[];
}

const { ThemeContext, createTheme, AppPlugin } = GrafanaData;

function LinkInterceptor() {
  // Grafana routes same-origin link clicks through its router instead of reloading the page.
  const navigate = ReactRouterDom.useNavigate();
  React.useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement).closest?.('a');
      const href = a?.getAttribute('href');
      if (
        !a ||
        !href ||
        !href.startsWith('/') ||
        a.target === '_blank' ||
        e.defaultPrevented ||
        e.metaKey ||
        e.ctrlKey
      ) {
        return;
      }
      if (href.startsWith('/a/') || href.startsWith('/plugins/')) {
        e.preventDefault();
        navigate(href);
      }
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [navigate]);
  return null;
}

async function boot(o: HostOptions) {
  // ?theme=light renders in Grafana's light theme (the screenshots of both themes).
  const theme = createTheme({ colors: { mode: new URLSearchParams(window.location.search).get('theme') === 'light' ? 'light' : 'dark' } });
  (GrafanaRuntime.config as any).theme2 = theme;
  (GrafanaRuntime.config as any).theme = theme.v1;
  (GrafanaRuntime.config as any).bootData = {
    ...(GrafanaRuntime.config as any).bootData,
    // ?orgRole=Viewer signs in as a viewer (the app hides its write actions from one).
    user: { orgRole: new URLSearchParams(window.location.search).get('orgRole') ?? 'Editor', isSignedIn: true },
    settings: {},
  };
  GrafanaRuntime.setBackendSrv(backendSrv);
  GrafanaRuntime.setDataSourceSrv(dataSourceSrv(o.dataSources));
  // Grafana's page chrome: title bar with the page's actions above the content.
  // Grafana titles a page with its pageNav and draws the breadcrumbs from its parentItem chain.
  setPluginPage(({ children, actions, pageNav }: any) => {
    const crumbs: Array<{ text: string; url?: string }> = [];
    for (let n = pageNav; n; n = n.parentItem) {
      crumbs.unshift(n);
    }
    return (
      <div>
        <nav data-testid="host-breadcrumbs" style={{ fontSize: 12, marginBottom: 4 }}>
          {['Burnrate', ...crumbs.map((c) => c.text)].join(' › ')}
        </nav>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <h1 style={{ margin: 0 }} data-testid="host-page-title">
            {pageNav?.text ?? 'Burnrate'}
          </h1>
          <div>{actions}</div>
        </div>
        {children}
      </div>
    );
  });

  const exports = await loadModule(`/public/plugins/${o.pluginId}/module.js`);
  const plugin = exports.plugin as GrafanaData.AppPlugin;
  if (!(plugin instanceof AppPlugin) && !(plugin as any)?.root) {
    throw new Error('module.js does not export an app plugin');
  }
  const meta = {
    id: o.pluginId,
    name: 'Burnrate',
    type: 'app',
    enabled: true,
    pinned: true,
    jsonData: o.jsonData,
    secureJsonFields: o.secureJsonFields,
    info: {},
    module: `/public/plugins/${o.pluginId}/module.js`,
    baseUrl: `/public/plugins/${o.pluginId}`,
  } as unknown as GrafanaData.AppPluginMeta;
  plugin.init(meta);
  plugin.meta = meta;
  const Root = plugin.root!;
  const Config = plugin.configPages?.[0]?.body as React.ComponentType<any> | undefined;
  const { GlobalStyles } = GrafanaUi as any;
  const el = document.getElementById('root')!;
  ReactDOMClient.createRoot(el).render(
    <ThemeContext.Provider value={theme}>
      {GlobalStyles && <GlobalStyles />}
      <ReactRouterDom.BrowserRouter>
        <LinkInterceptor />
        <div style={{ padding: 24 }}>
          <ReactRouterDom.Routes>
            <ReactRouterDom.Route
              path={`/a/${o.pluginId}/*`}
              element={
                <Root meta={meta} basename={`/a/${o.pluginId}`} onNavChanged={() => undefined} query={{}} path="" />
              }
            />
            {Config && (
              <ReactRouterDom.Route path={`/plugins/${o.pluginId}`} element={<Config plugin={plugin} query={{}} />} />
            )}
          </ReactRouterDom.Routes>
        </div>
      </ReactRouterDom.BrowserRouter>
    </ThemeContext.Provider>
  );
  (window as any).__hostReady = true;
}

// ---- Panel boot: a nested panel plugin rendered the way a dashboard renders it ----
export interface PanelHostOptions {
  /** URL of the panel's module.js, e.g. /public/plugins/<app id>/panels/budget/module.js */
  module: string;
}

export interface PanelRender {
  title: string;
  /** Query results as Grafana's backend sends them (DataFrameJSON: schema + data), with refIds. */
  frames: any[];
  options?: Record<string, unknown>;
  errors?: Array<{ refId?: string; message: string }>;
  width: number;
  height: number;
  from: number;
  to: number;
}

let panelPlugin: GrafanaData.PanelPlugin | undefined;
let panelRoot: ReactDOMClient.Root | undefined;

async function bootPanel(o: PanelHostOptions) {
  // ?theme=light renders in Grafana's light theme (the screenshots of both themes).
  const theme = createTheme({ colors: { mode: new URLSearchParams(window.location.search).get('theme') === 'light' ? 'light' : 'dark' } });
  (GrafanaRuntime.config as any).theme2 = theme;
  (GrafanaRuntime.config as any).theme = theme.v1;
  const exports = await loadModule(o.module);
  const plugin = exports.plugin as GrafanaData.PanelPlugin;
  if (!(plugin instanceof GrafanaData.PanelPlugin)) {
    throw new Error(`${o.module} does not export a panel plugin`);
  }
  panelPlugin = plugin;
  panelRoot = ReactDOMClient.createRoot(document.getElementById('root')!);
  (window as any).__hostReady = true;
}

/**
 * The defaults of the panel's options editor. Grafana reads them from its options builder, which
 * needs Grafana's registry of standard editors; here a recording builder collects them instead.
 */
function panelDefaults(plugin: GrafanaData.PanelPlugin): Record<string, unknown> {
  const out: Record<string, any> = {};
  const builder: any = new Proxy(
    {},
    {
      get: () => (cfg: { path?: string; defaultValue?: unknown }) => {
        if (cfg?.path && cfg.defaultValue !== undefined) {
          const parts = cfg.path.split('.');
          let o = out;
          for (const p of parts.slice(0, -1)) {
            o = o[p] = o[p] ?? {};
          }
          o[parts[parts.length - 1]] = cfg.defaultValue;
        }
        return builder;
      },
    }
  );
  plugin.getPanelOptionsSupplier()(builder, { data: [] });
  return out;
}

/** Renders the panel like Grafana's panel chrome: frames from JSON, default options merged, the time range. */
function renderPanel(r: PanelRender) {
  const plugin = panelPlugin!;
  const theme = (GrafanaRuntime.config as any).theme2 as GrafanaData.GrafanaTheme2;
  const series = r.frames.map((f) => GrafanaData.dataFrameFromJSON(f));
  const timeRange = {
    from: GrafanaData.dateTime(r.from),
    to: GrafanaData.dateTime(r.to),
    raw: { from: GrafanaData.dateTime(r.from), to: GrafanaData.dateTime(r.to) },
  };
  const data: GrafanaData.PanelData = {
    state: r.errors?.length ? GrafanaData.LoadingState.Error : GrafanaData.LoadingState.Done,
    series,
    errors: r.errors,
    timeRange,
  };
  const Panel = plugin.panel as React.ComponentType<any>;
  const options = { ...panelDefaults(plugin), ...(r.options ?? {}) };
  const { GlobalStyles } = GrafanaUi as any;
  panelRoot!.render(
    <ThemeContext.Provider value={theme}>
      {GlobalStyles && <GlobalStyles />}
      <div style={{ padding: 16 }}>
        <section
          data-testid="host-panel"
          style={{
            width: r.width + 16,
            background: theme.colors.background.primary,
            border: `1px solid ${theme.colors.border.weak}`,
            borderRadius: theme.shape.radius.default,
          }}
        >
          <header style={{ padding: '6px 8px', fontWeight: 500 }}>{r.title}</header>
          <div style={{ padding: '0 8px 8px' }}>
            <Panel
              id={1}
              data={data}
              timeRange={timeRange}
              timeZone="utc"
              options={options}
              fieldConfig={{ defaults: {}, overrides: [] }}
              transparent={false}
              width={r.width}
              height={r.height}
              renderCounter={0}
              title={r.title}
              eventBus={new GrafanaData.EventBusSrv()}
              onOptionsChange={() => undefined}
              onFieldConfigChange={() => undefined}
              replaceVariables={(s: string) => s}
              onChangeTimeRange={() => undefined}
            />
          </div>
        </section>
      </div>
    </ThemeContext.Provider>
  );
}

(window as any).define = define;
(window as any).__host = { boot, bootPanel, renderPanel };
