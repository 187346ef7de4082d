import React from 'react';
import { render, screen, fireEvent, waitFor } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import AppConfig, { AppConfigProps, validServerUrl } from './AppConfig';
import { testIds } from '../testIds';
import { fakeBackend, fakeDataSources, PROXY } from '../../utils/testing';

function props(jsonData: Record<string, unknown> = {}, secureJsonFields: Record<string, boolean> = {}): AppConfigProps {
  return {
    plugin: {
      meta: {
        id: 'burnrate-burnrate-app',
        name: 'Burnrate',
        type: PluginType.app,
        enabled: true,
        jsonData,
        secureJsonFields,
      },
    },
    query: {},
  } as unknown as AppConfigProps;
}

describe('Settings page', () => {
  beforeEach(() => fakeDataSources());

  it('shows the server URL, the token as a secret, and the data source defaults', async () => {
    fakeBackend();
    render(<AppConfig {...props({ serverUrl: 'http://burnrate:8787' }, { apiToken: true })} />);
    expect(await screen.findByTestId(testIds.appConfig.serverUrl, {}, { timeout: 10000 })).toHaveValue(
      'http://burnrate:8787'
    );
    // A configured token is never shown, only marked as configured.
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');
    expect(screen.getByTestId(testIds.appConfig.prometheus)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.submit)).not.toBeDisabled();
  });

  it('cannot save without a valid URL and a token', async () => {
    fakeBackend();
    render(<AppConfig {...props()} />);
    const url = await screen.findByTestId(testIds.appConfig.serverUrl, {}, { timeout: 10000 });
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    fireEvent.change(url, { target: { value: 'burnrate:8787' } });
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
    fireEvent.change(url, { target: { value: 'http://burnrate:8787' } });
    fireEvent.change(screen.getByTestId(testIds.appConfig.apiToken), { target: { value: 'brt_secret' } });
    expect(screen.getByTestId(testIds.appConfig.submit)).not.toBeDisabled();
    expect(validServerUrl('ftp://x')).toBe(false);
  });

  it('tests the connection through the plugin proxy route', async () => {
    const backend = fakeBackend()
      .on('GET', `${PROXY}/healthz`, { data: { status: 'ok' } })
      .on('GET', `${PROXY}/api/v1/slos`, { data: { items: [], total: 3, limit: 1, offset: 0 } });
    render(<AppConfig {...props({ serverUrl: 'http://burnrate:8787' }, { apiToken: true })} />);
    fireEvent.click(await screen.findByTestId(testIds.appConfig.testConnection, {}, { timeout: 10000 }));
    await waitFor(
      () =>
        expect(screen.getByTestId(testIds.appConfig.testResult)).toHaveTextContent(
          'the server holds 3 SLOs and accepts the token'
        ),
      { timeout: 10000 }
    );
    expect(backend.calls.find((c) => c.url === `${PROXY}/api/v1/slos`)?.params).toEqual({ limit: 1, status: 'false' });
    // The browser never sends a token: the proxy route adds it.
    expect(backend.calls.every((c) => !c.headers?.Authorization)).toBe(true);
  });

  it('says when the server refuses the token', async () => {
    fakeBackend()
      .on('GET', `${PROXY}/healthz`, { data: { status: 'ok' } })
      .on('GET', `${PROXY}/api/v1/slos`, {
        status: 401,
        data: { error: { status: 401, message: 'a bearer token is required (Authorization: Bearer <token>)' } },
      });
    render(<AppConfig {...props({ serverUrl: 'http://burnrate:8787' }, { apiToken: true })} />);
    fireEvent.click(await screen.findByTestId(testIds.appConfig.testConnection, {}, { timeout: 10000 }));
    await waitFor(
      () => expect(screen.getByTestId(testIds.appConfig.testResult)).toHaveTextContent('refuses the token (401)'),
      { timeout: 10000 }
    );
  });
});
