// Settings: the Burnrate server's URL, its API token (kept in secureJsonData: Grafana adds it to
// proxied requests, the browser never reads it back), default data sources, and a connection test
// through the plugin proxy route.

import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Select, Stack, useStyles2 } from '@grafana/ui';
import { api } from '../../api/client';
import { listDataSources } from '../../api/datasource';
import { AppSettings } from '../../constants';
import { testIds } from '../testIds';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

function safeList(type: 'prometheus' | 'loki') {
  try {
    return listDataSources(type).map((d) => ({ label: d.name, value: d.uid }));
  } catch {
    return [];
  }
}

export function validServerUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [serverUrl, setServerUrl] = useState(jsonData?.serverUrl ?? '');
  const [prom, setProm] = useState(jsonData?.defaultPrometheusUid);
  const [loki, setLoki] = useState(jsonData?.defaultLokiUid);
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(secureJsonFields?.apiToken));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [test, setTest] = useState<{ ok: boolean; message: string } | 'running'>();

  const urlOk = validServerUrl(serverUrl.trim());
  const canSave = urlOk && (tokenSet || token.length > 0);

  const onSave = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!canSave) {
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      await updatePlugin(plugin.meta.id, {
        enabled,
        pinned,
        jsonData: { serverUrl: serverUrl.trim().replace(/\/$/, ''), defaultPrometheusUid: prom, defaultLokiUid: loki },
        // Only sent when typed: the stored token cannot be read back, and stays as is otherwise.
        secureJsonData: tokenSet ? undefined : { apiToken: token },
      });
      // Grafana reads plugin settings at load: reload so the proxy routes use the new ones.
      window.location.reload();
    } catch (err: any) {
      setSaveError(err?.data?.message ?? err?.message ?? 'saving failed');
    } finally {
      setSaving(false);
    }
  };

  const onTest = async () => {
    setTest('running');
    setTest(await api.testConnection());
  };

  return (
    <form onSubmit={onSave} data-testid={testIds.appConfig.container}>
      <FieldSet label="Burnrate server">
        <Field
          label="Server URL"
          description="Where Grafana reaches the Burnrate server, e.g. http://burnrate:8787 (Grafana's server calls it, not the browser)"
          invalid={serverUrl.length > 0 && !urlOk}
          error="An http(s) URL"
        >
          <Input
            width={60}
            id="config-server-url"
            data-testid={testIds.appConfig.serverUrl}
            value={serverUrl}
            placeholder="http://burnrate:8787"
            onChange={(e) => setServerUrl(e.currentTarget.value)}
          />
        </Field>
        <Field
          label="API token"
          description="A Burnrate token (editor role to create SLOs): burnrate token create --name grafana --role editor"
        >
          <SecretInput
            width={60}
            id="config-api-token"
            data-testid={testIds.appConfig.apiToken}
            value={token}
            isConfigured={tokenSet}
            placeholder="Token"
            onChange={(e) => setToken(e.currentTarget.value.trim())}
            onReset={() => {
              setToken('');
              setTokenSet(false);
            }}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Default data sources">
        <Field label="Prometheus" description="Preselected in the editor and used for Explore links">
          <div data-testid={testIds.appConfig.prometheus}>
            <Select
              aria-label="Default Prometheus"
              width={40}
              isClearable
              options={safeList('prometheus')}
              value={prom ?? null}
              onChange={(v) => setProm(v?.value)}
            />
          </div>
        </Field>
        <Field label="Loki">
          <div data-testid={testIds.appConfig.loki}>
            <Select
              aria-label="Default Loki"
              width={40}
              isClearable
              options={safeList('loki')}
              value={loki ?? null}
              onChange={(v) => setLoki(v?.value)}
            />
          </div>
        </Field>
      </FieldSet>
      {saveError && <Alert title="Not saved">{saveError}</Alert>}
      <Stack gap={1}>
        <Button type="submit" data-testid={testIds.appConfig.submit} disabled={!canSave || saving}>
          Save settings
        </Button>
        <Button
          type="button"
          variant="secondary"
          data-testid={testIds.appConfig.testConnection}
          onClick={onTest}
          disabled={test === 'running'}
        >
          Test connection
        </Button>
      </Stack>
      <p className={s.hint}>The test uses the saved settings: save first.</p>
      {test && test !== 'running' && (
        <div data-testid={testIds.appConfig.testResult}>
          <Alert severity={test.ok ? 'success' : 'error'} title={test.ok ? 'Connected' : 'Connection failed'}>
            {test.message}
          </Alert>
        </div>
      )}
    </form>
  );
};

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  hint: css({ color: theme.colors.text.secondary, marginTop: theme.spacing(1) }),
});

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta>) =>
  lastValueFrom(getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data }));
