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
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Button,
  Card,
  Field,
  FieldSet,
  Input,
  LinkButton,
  LoadingPlaceholder,
  MultiSelect,
  Select,
  Stack,
  Switch,
  Tab,
  TabsBar,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import { ApiError, api } from '../api/client';
import { DataSourceRef } from '../api/datasource';
import { useAppSettings } from '../components/App/context';
import { SliFields } from '../components/editor/SliFields';
import { fieldError } from '../components/editor/FieldMessages';
import { SliPreview } from '../components/editor/SliPreview';
import { testIds } from '../components/testIds';
import {
  alertSummary,
  budgetInWords,
  compact,
  getPath,
  messagesFor,
  renderRules,
  setPath,
  sliKind,
  unplacedMessages,
  validateSpec,
} from '../domain/spec';
import { SpecValue, TEMPLATES, templateSpec } from '../domain/templates';
import { useDataSources, useLabelNames, useSliPreview } from '../hooks/useDataSource';
import { useSlo } from '../hooks/useBurnrate';
import { prefixRoute, sloPath } from '../utils/utils.routing';
import { ROUTES } from '../constants';

const WINDOWS: Array<SelectableValue<string>> = ['7d', '14d', '28d', '30d', '90d', 'calendar-month'].map((w) => ({
  label: w,
  value: w,
}));
const POLICY_WINDOWS: Array<SelectableValue<string>> = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', 'period'].map(
  (w) => ({ label: w, value: w })
);

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

/** The base metric of the SLI, for label pickers: the first selector's metric name. */
function baseMetric(spec: SpecValue): string | undefined {
  const kind = sliKind(spec);
  const sli = spec.sli?.[kind] ?? {};
  if (kind === 'latency') {
    return sli.metric ? `${sli.metric}_count` : undefined;
  }
  const q: string | undefined = sli.total ?? sli.requests ?? sli.components?.[0]?.total;
  const m = q ? /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(q) : null;
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
  const labels = useLabelNames(ds?.type === 'prometheus' ? ds.uid : undefined, baseMetric(spec));

  const set = (path: string, v: unknown) => setSpec((cur) => setPath(cur, path, v));
  const msgs = (p: string) => messagesFor(validation, p);
  const unplaced = unplacedMessages(validation, SHOWN).filter((d) => d.severity === 'error');

  const chooseTemplate = (id: string) => {
    setTemplate(id);
    const next = templateSpec(id, spec.service ?? '');
    setSpec(next);
    setYamlText(toYaml(compact(next)));
  };

  const chooseSource = (uid: string) => {
    setDsUid(uid);
    const picked = sources.find((d) => d.uid === uid);
    const kind = sliKind(spec);
    if (picked && (kind === 'ratio' || kind === 'quality')) {
      set(`sli.${kind}.source`, picked.type === 'loki' ? 'loki' : undefined);
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
      setSpec(v as SpecValue);
      setYamlError(undefined);
    } else {
      setYamlError('expected one SLO as a mapping');
    }
  };

  const save = async () => {
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
  const objective = getPath(spec, 'objective');
  const kind = sliKind(spec);

  return (
    <PluginPage>
      <div data-testid={testIds.editor.container} className={s.layout}>
        <div className={s.form}>
          {readOnly && (
            <Alert severity="info" title="This SLO comes from git">
              It is read from {existing.value?.sourcePath ?? 'the GitOps directory'} and cannot be changed here: change
              the file instead.
            </Alert>
          )}
          {!editing && (
            <FieldSet label="Start from">
              <div className={s.templates}>
                {TEMPLATES.map((t) => (
                  <Card
                    key={t.id}
                    isSelected={template === t.id}
                    onClick={() => chooseTemplate(t.id)}
                    data-testid={testIds.editor.template(t.id)}
                    className={s.card}
                  >
                    <Card.Heading>{t.title}</Card.Heading>
                    <Card.Description>{t.description}</Card.Description>
                  </Card>
                ))}
              </div>
            </FieldSet>
          )}

          <TabsBar>
            <Tab label="Form" active={tab === 'form'} onChangeTab={() => setTab('form')} />
            <Tab
              label="YAML"
              active={tab === 'yaml'}
              onChangeTab={() => {
                setYamlText(toYaml(compact(spec)));
                setTab('yaml');
              }}
            />
          </TabsBar>

          {tab === 'yaml' ? (
            <Field label="The SLO as the API stores it" invalid={Boolean(yamlError)} error={yamlError}>
              <TextArea
                data-testid={testIds.editor.yaml}
                rows={28}
                className={s.mono}
                value={yamlText}
                onChange={(e) => onYaml(e.currentTarget.value)}
              />
            </Field>
          ) : (
            <>
              <FieldSet label="What">
                <Stack gap={2} wrap="wrap">
                  <Field label="Service" invalid={msgs('service').length > 0} error={fieldError(msgs('service'))}>
                    <Input
                      data-testid={testIds.editor.service}
                      width={30}
                      disabled={editing}
                      value={spec.service ?? ''}
                      onChange={(e) => set('service', e.currentTarget.value)}
                    />
                  </Field>
                  <Field label="Name" invalid={msgs('name').length > 0} error={fieldError(msgs('name'))}>
                    <Input
                      data-testid={testIds.editor.name}
                      width={30}
                      disabled={editing}
                      value={spec.name ?? ''}
                      onChange={(e) => set('name', e.currentTarget.value)}
                    />
                  </Field>
                </Stack>
                <Field label="Description">
                  <Input
                    data-testid={testIds.editor.description}
                    value={spec.description ?? ''}
                    onChange={(e) => set('description', e.currentTarget.value)}
                  />
                </Field>
                <Field
                  label="Data source"
                  description="Where the SLI's metrics (or logs) are; also used for the pickers and the preview"
                >
                  <div data-testid={testIds.editor.datasource}>
                    <Select
                      aria-label="Data source"
                      width={40}
                      options={sources.map((d) => ({ label: `${d.name} (${d.type})`, value: d.uid }))}
                      value={ds?.uid ?? null}
                      onChange={(v) => v?.value && chooseSource(v.value)}
                      placeholder={sources.length ? 'Pick a data source' : 'No Prometheus or Loki data source'}
                    />
                  </div>
                </Field>
              </FieldSet>

              <FieldSet label="SLI">
                <SliFields spec={spec} onChange={setSpec} validation={validation} ds={ds} />
                <Field
                  label="Group by"
                  description={
                    labels.value ? `Labels of ${baseMetric(spec)}` : 'One SLO per value: per route, per model'
                  }
                  invalid={msgs('groupBy').length > 0}
                  error={fieldError(msgs('groupBy'))}
                >
                  <div data-testid={testIds.editor.groupBy}>
                    <MultiSelect
                      aria-label="Group by"
                      allowCustomValue
                      options={(labels.value ?? []).map((l) => ({ label: l, value: l }))}
                      value={(spec.groupBy ?? []) as string[]}
                      onChange={(v) =>
                        set(
                          'groupBy',
                          v.map((x) => x.value)
                        )
                      }
                    />
                  </div>
                </Field>
              </FieldSet>

              <FieldSet label="Objective">
                <Stack gap={2} wrap="wrap">
                  {kind !== 'cost' && (
                    <Field
                      label="Objective"
                      description={
                        typeof objective === 'number' && objective > 0 && objective < 1
                          ? `${Number((objective * 100).toPrecision(6))}% of events good`
                          : 'A ratio: 0.995 is 99.5%'
                      }
                      invalid={msgs('objective').length > 0}
                      error={fieldError(msgs('objective'))}
                    >
                      <Input
                        data-testid={testIds.editor.objective}
                        width={16}
                        type="number"
                        step="0.001"
                        value={objective ?? ''}
                        onChange={(e) =>
                          set('objective', e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))
                        }
                      />
                    </Field>
                  )}
                  <Field label="Window" invalid={msgs('window').length > 0} error={fieldError(msgs('window'))}>
                    <div data-testid={testIds.editor.window}>
                      <Select
                        aria-label="Window"
                        width={20}
                        allowCustomValue
                        options={WINDOWS}
                        value={spec.window ?? '30d'}
                        onChange={(v) => set('window', v?.value)}
                      />
                    </div>
                  </Field>
                  <Field
                    label="Evaluation interval"
                    description="How often the SLI and alerts are evaluated (10s to 5m)"
                    invalid={msgs('evaluationInterval').length > 0}
                    error={fieldError(msgs('evaluationInterval'))}
                  >
                    <Input
                      width={12}
                      placeholder="1m"
                      value={spec.evaluationInterval ?? ''}
                      onChange={(e) => set('evaluationInterval', e.currentTarget.value)}
                    />
                  </Field>
                </Stack>
                {validation.slo && (
                  <p className={s.words} data-testid={testIds.editor.budgetWords}>
                    Error budget: {budgetInWords(validation.slo, preview.value?.eventsPerDay)}
                  </p>
                )}
              </FieldSet>

              <FieldSet label="Alerting">
                <Stack gap={2} wrap="wrap">
                  <Field
                    label="Minimum events"
                    description="in the short window before an alert may fire"
                    invalid={msgs('alerting.minEvents').length > 0}
                    error={fieldError(msgs('alerting.minEvents'))}
                  >
                    <Input
                      data-testid={testIds.editor.minEvents}
                      width={12}
                      type="number"
                      value={getPath(spec, 'alerting.minEvents') ?? ''}
                      onChange={(e) =>
                        set(
                          'alerting.minEvents',
                          e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value)
                        )
                      }
                    />
                  </Field>
                  <Field label="Page (fast burn)">
                    <Switch
                      value={!getPath(spec, 'alerting.page.disabled') && kind !== 'cost'}
                      onChange={(e) =>
                        set(
                          'alerting.page',
                          e.currentTarget.checked
                            ? kind === 'cost'
                              ? { disabled: false }
                              : undefined
                            : { disabled: true }
                        )
                      }
                    />
                  </Field>
                  <Field label="Ticket (slow burn)">
                    <Switch
                      value={!getPath(spec, 'alerting.ticket.disabled')}
                      onChange={(e) => set('alerting.ticket', e.currentTarget.checked ? undefined : { disabled: true })}
                    />
                  </Field>
                </Stack>
                <Field
                  label="Runbook URL"
                  invalid={msgs('alerting.runbookUrl').length > 0}
                  error={fieldError(msgs('alerting.runbookUrl'))}
                >
                  <Input
                    value={getPath(spec, 'alerting.runbookUrl') ?? ''}
                    onChange={(e) => set('alerting.runbookUrl', e.currentTarget.value)}
                  />
                </Field>
                {fieldError(messagesFor(validation, 'alerting').filter((m) => m.startsWith('alerting')))}
                {validation.slo && (
                  <ul className={s.muted}>
                    {alertSummary(validation.slo).map((l) => (
                      <li key={l}>{l}</li>
                    ))}
                  </ul>
                )}
              </FieldSet>

              <FieldSet label="Release policy">
                <Stack gap={2} wrap="wrap">
                  <Field
                    label="Freeze when budget left is at or below"
                    invalid={msgs('policy.freeze.budgetRemaining').length > 0}
                    error={fieldError(msgs('policy.freeze.budgetRemaining'))}
                  >
                    <Input
                      width={10}
                      type="number"
                      placeholder="0"
                      value={getPath(spec, 'policy.freeze.budgetRemaining') ?? ''}
                      onChange={(e) =>
                        set(
                          'policy.freeze.budgetRemaining',
                          e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value)
                        )
                      }
                    />
                  </Field>
                  <Field
                    label="or burning above (x)"
                    invalid={msgs('policy.freeze.burnRate').length > 0}
                    error={fieldError(msgs('policy.freeze.burnRate'))}
                  >
                    <Input
                      width={10}
                      type="number"
                      placeholder="2"
                      value={getPath(spec, 'policy.freeze.burnRate') ?? ''}
                      onChange={(e) =>
                        set(
                          'policy.freeze.burnRate',
                          e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value)
                        )
                      }
                    />
                  </Field>
                  <Field label="over">
                    <Select
                      aria-label="Freeze window"
                      width={14}
                      options={POLICY_WINDOWS}
                      value={getPath(spec, 'policy.freeze.window') ?? 'period'}
                      onChange={(v) => set('policy.freeze.window', v?.value)}
                    />
                  </Field>
                  <Field
                    label="Caution when burning above (x)"
                    invalid={msgs('policy.caution.burnRate').length > 0}
                    error={fieldError(msgs('policy.caution.burnRate'))}
                  >
                    <Input
                      width={10}
                      type="number"
                      placeholder="1"
                      value={getPath(spec, 'policy.caution.burnRate') ?? ''}
                      onChange={(e) =>
                        set(
                          'policy.caution.burnRate',
                          e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value)
                        )
                      }
                    />
                  </Field>
                  <Field label="over">
                    <Select
                      aria-label="Caution window"
                      width={14}
                      options={POLICY_WINDOWS}
                      value={getPath(spec, 'policy.caution.window') ?? '1d'}
                      onChange={(v) => set('policy.caution.window', v?.value)}
                    />
                  </Field>
                </Stack>
                {kind === 'cost' && <p className={s.muted}>Cost SLOs never freeze releases; caution still applies.</p>}
              </FieldSet>
            </>
          )}

          {unplaced.length > 0 && (
            <Alert severity="error" title="Fix these before saving" data-testid={testIds.editor.problems}>
              <ul>
                {unplaced.map((d, i) => (
                  <li key={i}>
                    {d.path ? `${d.path}: ` : ''}
                    {d.message}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {saveError?.conflict && (
            <Alert severity="warning" title="Someone else changed this SLO" data-testid={testIds.editor.conflict}>
              Your changes were not saved: the SLO was changed since you opened it (version {version}). Open it again to
              see the latest version, then make your change there.
              <div>
                <LinkButton variant="secondary" href={sloPath(pService!, pName!)}>
                  See the latest version
                </LinkButton>
              </div>
            </Alert>
          )}
          {saveError && !saveError.conflict && (
            <Alert severity="error" title="Not saved" data-testid={testIds.editor.saveError}>
              {saveError.message}
              {saveError.diagnostics.length > 0 && (
                <ul>
                  {saveError.diagnostics.map((d, i) => (
                    <li key={i}>{`${d.path ? d.path + ': ' : ''}${d.message}`}</li>
                  ))}
                </ul>
              )}
            </Alert>
          )}
          <Stack gap={1}>
            <Button
              data-testid={testIds.editor.save}
              onClick={save}
              disabled={!validation.slo || saving || readOnly}
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
  templates: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
    gap: theme.spacing(1),
  }),
  card: css({ marginBottom: 0, height: '100%', overflowWrap: 'anywhere' }),
  mono: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  words: css({ fontSize: theme.typography.h5.fontSize, color: theme.colors.text.primary }),
  muted: css({ color: theme.colors.text.secondary }),
  rules: css({ maxHeight: 520, overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize }),
});
