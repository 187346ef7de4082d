// Test helpers: a fake of the network boundary (Grafana's backendSrv) answering like the Burnrate
// server and Prometheus do, plus a data source list. Only the network is faked; the components,
// hooks, core validation and rule generation run for real.

import React from 'react';
import { Observable, of, throwError } from 'rxjs';
import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { BackendSrvRequest, config, FetchResponse, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { AppSettingsContext } from '../components/App/context';

export interface FakeCall {
  method: string;
  url: string;
  params?: Record<string, any>;
  data?: any;
  headers?: Record<string, string>;
}

export type Handler = (
  call: FakeCall
) => { status?: number; data?: unknown; headers?: Record<string, string> } | undefined;

export interface FakeBackend {
  calls: FakeCall[];
  on(
    method: string,
    url: string | RegExp,
    answer: Handler | { status?: number; data?: unknown; headers?: Record<string, string> }
  ): FakeBackend;
}

export function fakeBackend(): FakeBackend {
  const routes: Array<{ method: string; url: string | RegExp; answer: Handler }> = [];
  const calls: FakeCall[] = [];
  const fetch = (o: BackendSrvRequest): Observable<FetchResponse<any>> => {
    const call: FakeCall = {
      method: o.method ?? 'GET',
      url: o.url,
      params: o.params,
      data: o.data,
      headers: o.headers,
    };
    calls.push(call);
    // Last registered wins, so a test can override a default answer.
    const r = [...routes]
      .reverse()
      .find((x) => x.method === call.method && (typeof x.url === 'string' ? x.url === call.url : x.url.test(call.url)));
    const a = r?.answer(call) ?? {
      status: 404,
      data: { error: { status: 404, message: `no such endpoint: ${call.method} ${call.url}` } },
    };
    const status = a.status ?? 200;
    const headers = new Headers(a.headers ?? {});
    if (status >= 400) {
      return throwError(() => ({ status, data: a.data, statusText: 'error', config: o }));
    }
    return of({
      data: a.data,
      status,
      statusText: 'OK',
      ok: true,
      headers,
      url: o.url,
      type: 'basic',
      redirected: false,
      config: o,
    } as FetchResponse);
  };
  setBackendSrv({
    fetch,
    get: async (url: string, params?: any) =>
      await new Promise<any>((res, rej) => fetch({ url, params }).subscribe({ next: (v) => res(v.data), error: rej })),
  } as any);
  const fb: FakeBackend = {
    calls,
    on(method, url, answer) {
      routes.push({ method, url, answer: typeof answer === 'function' ? answer : () => answer });
      return fb;
    },
  };
  return fb;
}

export function fakeDataSources(
  list: Array<{ uid: string; name: string; type: string }> = [{ uid: 'prom', name: 'Prometheus', type: 'prometheus' }]
) {
  setDataSourceSrv({
    getList: (f: any = {}) => list.filter((d) => !f.type || d.type === f.type),
    getInstanceSettings: (ref: any) => list.find((d) => d.uid === (ref?.uid ?? ref)),
    get: async (ref: any) => list.find((d) => d.uid === (ref?.uid ?? ref)),
    reload: async () => undefined,
  } as any);
}

/** Renders an app page at `path` inside the app's routes, as Grafana mounts them. */
export function renderAt(path: string, element: React.ReactElement, routePath: string) {
  return render(
    <AppSettingsContext.Provider value={{ serverUrl: 'http://burnrate:8787', defaultPrometheusUid: 'prom' }}>
      <MemoryRouter initialEntries={[`/a/burnrate-burnrate-app/${path}`]}>
        <Routes>
          <Route path={`/a/burnrate-burnrate-app/${routePath}`} element={element} />
          <Route path="*" element={<div data-testid="navigated-elsewhere" />} />
        </Routes>
      </MemoryRouter>
    </AppSettingsContext.Provider>
  );
}

export const PROXY = '/api/plugin-proxy/burnrate-burnrate-app';

/** Server-shaped SLO list items. */
export function sloItem(o: Record<string, any>) {
  return {
    service: 'llm-gateway',
    name: 'chat-availability',
    version: 1,
    source: 'api',
    kind: 'ratio',
    objective: 0.995,
    window: '30d',
    labels: { team: 'genai' },
    groupBy: ['route'],
    sync: [{ target: 'prometheus', state: 'in-sync' }],
    createdAt: '2026-11-29T09:00:00.000Z',
    updatedAt: '2026-11-29T09:00:00.000Z',
    updatedBy: 'admin',
    ...o,
  };
}

/** The signed-in Grafana user's org role for this test (jest-setup.js starts each test as an Editor). */
export function signInAs(orgRole: 'Viewer' | 'Editor' | 'Admin') {
  (config as any).bootData.user.orgRole = orgRole;
}
