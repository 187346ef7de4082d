// Create and edit an SLO: template, data source, SLI with pickers from the data source, group-by,
// objective and window with the budget in words, alerting and policy, a live SLI preview on real
// data, the generated rules (read-only), and validation messages beside each field. The same core
// code as the server validates and generates, so what is shown here is what the server stores.

import React, { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { stringify as toYaml } from 'yaml';
import { parseDocuments } from '../core/spec/document';
import { formatDiagnostic } from '../core/spec/types';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Button,
  Field,
  FieldSet,
  LinkButton,
  LoadingPlaceholder,
  MultiSelect,
  Stack,
  Tab,
  TabsBar,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import { ApiError, api } from '../api/client';
import { DataSourceRef } from '../api/datasource';
import { useAppSettings } from '../components/App/context';
import { AlertingFields } from '../components/editor/AlertingFields';
import { EditorForm } from '../components/editor/editorForm';
import { fieldError } from '../components/editor/FieldMessages';
import { ObjectiveFields } from '../components/editor/ObjectiveFields';
import { PolicyFields } from '../components/editor/PolicyFields';
import { SaveProblems } from '../components/editor/SaveProblems';
import { SliFields } from '../components/editor/SliFields';
import { SliPreview } from '../components/editor/SliPreview';
import { TemplatePicker } from '../components/editor/TemplatePicker';
import { WhatFields } from '../components/editor/WhatFields';
import { testIds } from '../components/testIds';
import {
  compact,
  diagnosticPath,
  messagesFor,
  renderRules,
  setPath,
  sliKind,
  unplacedMessages,
  validateSpec,
} from '../domain/spec';
import { SpecValue, templateSpec } from '../domain/templates';
import { changedPaths, visibleValidation } from '../domain/touched';
import { useDataSources, useLabelNames, useSliPreview } from '../hooks/useDataSource';
import { useSlo } from '../hooks/useBurnrate';
import { editorPageNav } from '../utils/pageNav';
import { prefixRoute, sloPath } from '../utils/utils.routing';
import { ROUTES } from '../constants';

/** Paths the form shows beside a field; any other message goes to the problem list. */
const SHOWN = [
  'service',
  'name',
  'description',
  'objective',
  'window',
  'groupBy',
  'sli',
  'alerting',
  'policy',
  'evaluationInterval',
];

/** What the group-by picker lists labels of: the SLI's first metric name (Prometheus) or its
 * first stream selector (Loki). */
function labelSource(spec: SpecValue): string | undefined {
  const kind = sliKind(spec);
  const sli = spec.sli?.[kind] ?? {};
  if (kind === 'latency') {
    return sli.metric ? `${sli.metric}_count` : undefined;
  }
  const q: string | undefined = sli.total ?? sli.requests ?? sli.components?.[0]?.total;
  const m = q ? (sli.source === 'loki' ? /^\s*(\{[^}]*\})/ : /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/).exec(q) : null;
  return m ? m[1] : undefined;
}

export function SloEditor() {
  const { service: pService, name: pName } = useParams();
  const editing = Boolean(pService && pName);
  const existing = useSlo(pService, pName);
  const settings = useAppSettings();
  const navigate = useNavigate();
  const s = useStyles2(getStyles);
  const promSources = useDataSources('prometheus');
  const lokiSources = useDataSources('loki');
  const sources = useMemo(() => [...promSources, ...lokiSources], [promSources, lokiSources]);

  const [spec, setSpec] = useState<SpecValue>(() => templateSpec('blank', ''));
  const [template, setTemplate] = useState<string>();
  const [version, setVersion] = useState<number>();
  const [dsUid, setDsUid] = useState<string | undefined>(settings.defaultPrometheusUid);
  const [tab, setTab] = useState<'form' | 'yaml'>('form');
  const [yamlText, setYamlText] = useState('');
  const [yamlError, setYamlError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiError>();

  // Load the stored definition once per version (state set during render, React's pattern for
  // state derived from a prop).
  const [loadedVersion, setLoadedVersion] = useState<number>();
  if (existing.value?.spec && loadedVersion !== existing.value.version) {
    setLoadedVersion(existing.value.version);
    setSpec(existing.value.spec);
    setVersion(existing.value.version);
  }

  const source = spec.sli?.[sliKind(spec)]?.source;
  const ds: DataSourceRef | undefined = useMemo(() => {
    if (source === 'loki') {
      return (
        lokiSources.find((d) => d.uid === dsUid) ??
        lokiSources.find((d) => d.uid === settings.defaultLokiUid) ??
        lokiSources[0]
      );
    }
    return promSources.find((d) => d.uid === dsUid) ?? promSources[0];
  }, [source, dsUid, promSources, lokiSources, settings.defaultLokiUid]);

  const validation = useMemo(() => validateSpec(spec), [spec]);
  const rules = useMemo(() => {
    try {
      return validation.slo ? renderRules(validation.slo) : undefined;
    } catch (e) {
      return { prometheus: `# cannot generate: ${(e as Error).message}` };
    }
  }, [validation.slo]);
  const preview = useSliPreview(validation.slo, ds);
  const labels = useLabelNames(ds, labelSource(spec));

  // Messages appear beside a field once the user changed it, and everywhere once a save was tried.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);
  const visible = visibleValidation(validation, touched, attempted);
  const change = (next: SpecValue) => {
    const paths = changedPaths(spec, next);
    if (paths.length > 0) {
      setTouched((t) => new Set([...t, ...paths]));
    }
    setSpec(next);
  };
  const form: EditorForm = {
    spec,
    set: (path, v) => {
      setTouched((t) => new Set([...t, diagnosticPath(path)]));
      setSpec((cur) => setPath(cur, path, v));
    },
    msgs: (p) => messagesFor(visible, p),
    validation: visible,
  };
  // Above the Save button: the problems no field shows, or every problem once a save was tried
  // (the field may be a screen away) and on the YAML tab (no field shows any).
  const problems = (attempted || tab === 'yaml' ? validation.diagnostics : unplacedMessages(visible, SHOWN)).filter(
    (d) => d.severity === 'error'
  );

  const chooseTemplate = (id: string) => {
    setTemplate(id);
    const next = templateSpec(id, spec.service ?? '');
    setSpec(next);
    setTouched(new Set());
    setAttempted(false);
    setYamlText(toYaml(compact(next)));
  };

  const chooseSource = (uid: string) => {
    setDsUid(uid);
    const picked = sources.find((d) => d.uid === uid);
    const kind = sliKind(spec);
    if (picked && (kind === 'ratio' || kind === 'quality')) {
      form.set(`sli.${kind}.source`, picked.type === 'loki' ? 'loki' : undefined);
    }
  };

  const onYaml = (text: string) => {
    setYamlText(text);
    // The server's bounded parser: a pasted text nested too deep gets an error, not a stuck tab.
    const parsed = parseDocuments(text);
    const v = parsed.docs.length === 1 ? parsed.docs[0].value : undefined;
    if (parsed.diagnostics.length > 0) {
      setYamlError(parsed.diagnostics.map(formatDiagnostic).join('\n'));
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      change(v as SpecValue);
      setYamlError(undefined);
    } else {
      setYamlError('expected one SLO as a mapping');
    }
  };

  const save = async () => {
    // A YAML text that does not parse is not the SLO shown: saving the last valid one would
    // store something the user no longer sees.
    if (yamlError || !validation.slo) {
      setAttempted(true);
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    const body = compact(spec) as Record<string, unknown>;
    try {
      const saved = editing ? await api.updateSlo(pService!, pName!, body, version!) : await api.createSlo(body);
      navigate(sloPath(saved.service, saved.name));
    } catch (e) {
      setSaveError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setSaving(false);
    }
  };

  if (editing && existing.loading && !existing.value) {
    return (
      <PluginPage>
        <LoadingPlaceholder text="Loading the SLO..." />
      </PluginPage>
    );
  }
  if (editing && existing.error) {
    return (
      <PluginPage>
        <Alert severity="error" title="Cannot load the SLO">
          {existing.error.message}
        </Alert>
      </PluginPage>
    );
  }
  const readOnly = existing.value?.source === 'git';

  return (
    <PluginPage pageNav={editorPageNav(pService, pName)}>
      <div data-testid={testIds.editor.container} className={s.layout}>
        <div className={s.form}>
          {readOnly && (
            <Alert severity="info" title="This SLO comes from git">
              It is read from {existing.value?.sourcePath ?? 'the GitOps directory'} and cannot be changed here: change
              the file instead.
            </Alert>
          )}
          {!editing && <TemplatePicker chosen={template} onChoose={chooseTemplate} />}

          <TabsBar>
            <Tab label="Form" active={tab === 'form'} onChangeTab={() => setTab('form')} />
            <Tab
              label="YAML"
              active={tab === 'yaml'}
              onChangeTab={() => {
                setYamlText(toYaml(compact(spec)));
                setYamlError(undefined);
                setTab('yaml');
              }}
            />
          </TabsBar>

          {tab === 'yaml' ? (
            <Field label="The SLO as the API stores it" invalid={Boolean(yamlError)} error={yamlError}>
              <TextArea
                id="br-yaml"
                data-testid={testIds.editor.yaml}
                rows={28}
                className={s.mono}
                value={yamlText}
                onChange={(e) => onYaml(e.currentTarget.value)}
              />
            </Field>
          ) : (
            <>
              <WhatFields form={form} editing={editing} sources={sources} ds={ds} onSource={chooseSource} />
              <FieldSet label="SLI">
                <SliFields spec={spec} onChange={change} validation={visible} ds={ds} />
                <Field
                  label="Group by"
                  description={
                    labels.value ? `Labels of ${labelSource(spec)}` : 'One SLO per value: per route, per model'
                  }
                  invalid={form.msgs('groupBy').length > 0}
                  error={fieldError(form.msgs('groupBy'))}
                >
                  <div data-testid={testIds.editor.groupBy}>
                    <MultiSelect
                      aria-label="Group by"
                      allowCustomValue
                      options={(labels.value ?? []).map((l) => ({ label: l, value: l }))}
                      value={(spec.groupBy ?? []) as string[]}
                      onChange={(v) =>
                        form.set(
                          'groupBy',
                          v.map((x) => x.value)
                        )
                      }
                    />
                  </div>
                </Field>
              </FieldSet>
              <ObjectiveFields form={form} eventsPerDay={preview.value?.eventsPerDay} />
              <AlertingFields form={form} />
              <PolicyFields form={form} />
            </>
          )}

          <SaveProblems
            problems={problems}
            yamlError={yamlError}
            saveError={saveError}
            version={version}
            latestHref={editing ? sloPath(pService!, pName!) : ''}
          />
          <Stack gap={1}>
            <Button
              data-testid={testIds.editor.save}
              onClick={save}
              disabled={saving || readOnly}
              icon={saving ? 'spinner' : 'save'}
            >
              {editing ? 'Save changes' : 'Create SLO'}
            </Button>
            <LinkButton variant="secondary" href={editing ? sloPath(pService!, pName!) : prefixRoute(ROUTES.List)}>
              Cancel
            </LinkButton>
          </Stack>
        </div>

        <div className={s.side}>
          <SliPreview slo={validation.slo} ds={ds} preview={preview} />
          <FieldSet label="Generated rules (read-only)">
            <pre className={s.rules} data-testid={testIds.editor.rules}>
              {rules
                ? rules.prometheus + (rules.loki ? `\n# Loki ruler\n${rules.loki}` : '')
                : 'The rules appear once the SLO is valid.'}
            </pre>
          </FieldSet>
        </div>
      </div>
    </PluginPage>
  );
}

export default SloEditor;

const getStyles = (theme: GrafanaTheme2) => ({
  layout: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)',
    gap: theme.spacing(3),
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: '1fr' },
  }),
  form: css({ minWidth: 0 }),
  side: css({ minWidth: 0 }),
  mono: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  rules: css({ maxHeight: 520, overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize }),
});
