// The SLI part of the editor: kind, queries, histogram metric and bucket, quality components,
// cost. Pickers read the chosen Prometheus data source (metric names, real `le` values).

import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Alert, Button, Field, Input, RadioButtonGroup, Select, Stack, Switch, useStyles2 } from '@grafana/ui';
import { DataSourceRef } from '../../api/datasource';
import { useBuckets, useMetricNames } from '../../hooks/useDataSource';
import { getPath, messagesFor, setPath, sliKind, Validation } from '../../domain/spec';
import { SpecValue } from '../../domain/templates';
import { inputId } from './editorForm';
import { fieldError } from './FieldMessages';
import { TimesliceFields } from './TimesliceFields';
import { testIds } from '../testIds';

export const SLI_KINDS: Array<SelectableValue<string>> = [
  { label: 'Ratio', value: 'ratio', description: 'bad (or good) events over total events' },
  { label: 'Latency', value: 'latency', description: 'share of requests under a histogram bucket' },
  { label: 'Quality', value: 'quality', description: 'sampled judge verdicts, thumbs, checks' },
  { label: 'Cost', value: 'cost', description: 'cost per request under a target (soft)' },
  { label: 'Timeslice', value: 'timeslice', description: 'good 1- to 5-minute slices' },
  { label: 'Raw', value: 'raw', description: 'a ready-made error ratio expression' },
  { label: 'Composite', value: 'composite', description: 'weighted events of other SLOs (edit in YAML)' },
];

const KIND_DEFAULTS: Record<string, unknown> = {
  ratio: { errors: '', total: '' },
  latency: { metric: '', threshold: 1 },
  quality: { components: [{ name: 'judge', good: '', total: '' }] },
  cost: { cost: '', requests: '', target: 0.001 },
  timeslice: { slice: '1m', latency: { metric: '', quantile: 0.95, threshold: 2 } },
  raw: { errorRatio: '' },
  composite: { components: [{ slo: '' }, { slo: '' }] },
};

interface Props {
  spec: SpecValue;
  onChange: (spec: SpecValue) => void;
  validation: Validation;
  ds?: DataSourceRef;
}

/** Field paths this component shows messages for (the rest go to the problem list). */
export const SLI_PATHS = ['sli'];

export function SliFields({ spec, onChange, validation, ds }: Props) {
  const s = useStyles2(getStyles);
  const kind = sliKind(spec);
  const prom = ds?.type === 'prometheus' ? ds.uid : undefined;
  const metrics = useMetricNames(prom);
  const base = `sli.${kind}`;
  const set = (path: string, v: unknown) => onChange(setPath(spec, path, v));
  const msgs = (p: string) => messagesFor(validation, p);
  const text = (path: string, label: string, testId: string, placeholder?: string, description?: string) => (
    <Field label={label} description={description} invalid={msgs(path).length > 0} error={fieldError(msgs(path))}>
      <Input
        id={inputId(path)}
        data-testid={testId}
        value={getPath(spec, path) ?? ''}
        placeholder={placeholder}
        onChange={(e) => set(path, e.currentTarget.value)}
      />
    </Field>
  );
  const metricOptions = useMemo(() => (metrics.value ?? []).map((m) => ({ label: m, value: m })), [metrics.value]);
  const histogramOptions = useMemo(
    () =>
      (metrics.value ?? [])
        .filter((m) => m.endsWith('_bucket'))
        .map((m) => m.slice(0, -'_bucket'.length))
        .map((m) => ({ label: m, value: m })),
    [metrics.value]
  );

  const kindPicker = (
    <Field label="SLI kind" invalid={msgs('sli').length > 0 && !msgs('sli').some((m) => m.includes(':'))}>
      <RadioButtonGroup
        data-testid={testIds.editor.kind}
        options={SLI_KINDS}
        value={kind}
        onChange={(k) => onChange({ ...spec, sli: { [k]: KIND_DEFAULTS[k] } })}
      />
    </Field>
  );

  const metricHelper = (fill: (metric: string) => void) =>
    prom ? (
      <Field
        label="Pick a metric from the data source"
        description={
          metrics.error ? `cannot list metrics: ${metrics.error.message}` : `${metricOptions.length} metrics`
        }
      >
        <Select
          data-testid={testIds.editor.metric}
          aria-label="Metric"
          placeholder="Search metrics..."
          options={metricOptions}
          isLoading={metrics.loading}
          onChange={(v) => v?.value && fill(v.value)}
          value={null}
        />
      </Field>
    ) : null;

  switch (kind) {
    case 'ratio': {
      const useGood = getPath(spec, `${base}.good`) !== undefined && getPath(spec, `${base}.errors`) === undefined;
      return (
        <>
          {kindPicker}
          {metricHelper((m) =>
            onChange(setPath(setPath(spec, `${base}.total`, m), `${base}.${useGood ? 'good' : 'errors'}`, `${m}{}`))
          )}
          <Field label="Count">
            <RadioButtonGroup
              options={[
                { label: 'Bad events', value: 'errors' },
                { label: 'Good events', value: 'good' },
              ]}
              value={useGood ? 'good' : 'errors'}
              onChange={(v) => {
                const ratio = { ...(getPath(spec, base) ?? {}) };
                const q = ratio.errors ?? ratio.good ?? '';
                delete ratio.errors;
                delete ratio.good;
                onChange(setPath(spec, base, { ...ratio, [v]: q }));
              }}
            />
          </Field>
          {useGood
            ? text(
                `${base}.good`,
                'Good events',
                testIds.editor.good,
                'http_requests_total{code!~"5.."}',
                'A counter selector, or an expression with {{.window}}'
              )
            : text(
                `${base}.errors`,
                'Bad events',
                testIds.editor.errors,
                'http_requests_total{code=~"5.."}',
                'A counter selector, or an expression with {{.window}}'
              )}
          {text(`${base}.total`, 'All events', testIds.editor.total, 'http_requests_total')}
          {ds?.type === 'loki' && (
            <Alert
              severity="info"
              title="Loki: write log queries (stream selector and pipeline); Burnrate counts matching lines per minute."
            />
          )}
        </>
      );
    }
    case 'latency':
      return (
        <LatencyFields
          {...{ spec, onChange, validation, ds }}
          kindPicker={kindPicker}
          histogramOptions={histogramOptions}
          loading={metrics.loading}
        />
      );
    case 'quality': {
      const comps: any[] = getPath(spec, `${base}.components`) ?? [];
      return (
        <>
          {kindPicker}
          {comps.map((c, i) => (
            // The selectors get the whole width: a judge's or a check's selector is long, and a
            // narrow input showed only its start.
            <div key={i} className={s.component}>
              <Stack gap={1} alignItems="flex-end" wrap="wrap">
                {text(`${base}.components.${i}.name`, `Component ${i + 1} name`, `${testIds.editor.good}-name-${i}`, 'judge')}
                <Field label="Weight">
                  <Input
                    id={inputId(`${base}.components.${i}.weight`)}
                    type="number"
                    width={10}
                    value={c.weight ?? 1}
                    onChange={(e) => set(`${base}.components.${i}.weight`, Number(e.currentTarget.value))}
                  />
                </Field>
                {comps.length > 1 && (
                  <div className={s.remove}>
                    <Button
                      variant="secondary"
                      icon="trash-alt"
                      aria-label={`Remove component ${i + 1}`}
                      onClick={() =>
                        set(
                          `${base}.components`,
                          comps.filter((_, j) => j !== i)
                        )
                      }
                    />
                  </div>
                )}
              </Stack>
              {text(`${base}.components.${i}.good`, 'Good samples', `${testIds.editor.good}-${i}`, 'llm_judge_verdicts_total{verdict="pass"}')}
              {text(`${base}.components.${i}.total`, 'All samples', `${testIds.editor.total}-${i}`, 'llm_judge_verdicts_total')}
            </div>
          ))}
          <Button
            variant="secondary"
            icon="plus"
            onClick={() =>
              set(`${base}.components`, [...comps, { name: `component${comps.length + 1}`, good: '', total: '' }])
            }
          >
            Add component
          </Button>
          {fieldError(msgs(`${base}.components`).filter((m) => !/\d+\]?\./.test(m)))}
        </>
      );
    }
    case 'cost':
      return (
        <>
          {kindPicker}
          {metricHelper((m) => set(`${base}.cost`, m))}
          {text(`${base}.cost`, 'Money spent (counter)', `${testIds.editor.errors}-cost`, 'llm_cost_usd_total')}
          {text(
            `${base}.requests`,
            'Requests (counter)',
            testIds.editor.total,
            'gen_ai_client_operation_duration_seconds_count'
          )}
          <Stack gap={2}>
            <Field
              label="Target cost per request"
              invalid={msgs(`${base}.target`).length > 0}
              error={fieldError(msgs(`${base}.target`))}
            >
              <Input
                id={inputId(`${base}.target`)}
                type="number"
                width={16}
                suffix={getPath(spec, `${base}.currency`) || 'USD'}
                value={getPath(spec, `${base}.target`) ?? ''}
                onChange={(e) => set(`${base}.target`, Number(e.currentTarget.value))}
              />
            </Field>
            {text(`${base}.currency`, 'Currency', `${testIds.editor.total}-currency`, 'USD')}
          </Stack>
        </>
      );
    default:
      return (
        <>
          {kindPicker}
          {kind === 'raw' &&
            text(
              `${base}.errorRatio`,
              'Error ratio expression',
              testIds.editor.errors,
              '1 - avg_over_time(up{job="api"}[{{.window}}])'
            )}
          {kind === 'timeslice' && <TimesliceFields spec={spec} set={set} msgs={msgs} />}
          {kind === 'composite' && (
            <Alert severity="info" title="Composite SLIs are edited in the YAML tab: list the component SLOs and their weights">
              {fieldError(msgs(base))}
            </Alert>
          )}
        </>
      );
  }
}

function LatencyFields({
  spec,
  onChange,
  validation,
  ds,
  kindPicker,
  histogramOptions,
  loading,
}: Props & { kindPicker: React.ReactNode; histogramOptions: Array<SelectableValue<string>>; loading: boolean }) {
  const base = 'sli.latency';
  const metric: string = getPath(spec, `${base}.metric`) ?? '';
  const native = Boolean(getPath(spec, `${base}.native`));
  const prom = ds?.type === 'prometheus' ? ds.uid : undefined;
  const buckets = useBuckets(native ? undefined : prom, metric || undefined);
  const threshold = getPath(spec, `${base}.threshold`);
  const set = (path: string, v: unknown) => onChange(setPath(spec, path, v));
  const msgs = (p: string) => messagesFor(validation, p);
  const bucketOptions = (buckets.value ?? []).map((b) => ({ label: String(b), value: b }));
  const options =
    histogramOptions.some((o) => o.value === metric) || !metric
      ? histogramOptions
      : [{ label: metric, value: metric }, ...histogramOptions];
  return (
    <>
      {kindPicker}
      <Field
        label="Histogram"
        description="The histogram's base name, without _bucket"
        invalid={msgs(`${base}.metric`).length > 0}
        error={fieldError(msgs(`${base}.metric`))}
      >
        <Select
          data-testid={testIds.editor.metric}
          aria-label="Histogram"
          options={options}
          isLoading={loading}
          allowCustomValue
          value={metric || null}
          onChange={(v) =>
            onChange(setPath(setPath(spec, `${base}.metric`, v?.value ?? ''), `${base}.buckets`, undefined))
          }
        />
      </Field>
      <Field
        label="Label matchers"
        description='Without braces, e.g. gen_ai_operation_name="chat"'
        invalid={msgs(`${base}.matchers`).length > 0}
        error={fieldError(msgs(`${base}.matchers`))}
      >
        <Input
          id={inputId(`${base}.matchers`)}
          data-testid={testIds.editor.matchers}
          value={getPath(spec, `${base}.matchers`) ?? ''}
          onChange={(e) => set(`${base}.matchers`, e.currentTarget.value)}
        />
      </Field>
      <Field label="Native histogram">
        <Switch value={native} onChange={(e) => set(`${base}.native`, e.currentTarget.checked || undefined)} />
      </Field>
      <Field
        label="Threshold (good at or under)"
        htmlFor={inputId(`${base}.threshold`)}
        description={
          native
            ? 'Any value works for a native histogram'
            : buckets.value?.length
              ? `Real bucket boundaries of ${metric}: ${buckets.value.join(', ')}`
              : buckets.loading
                ? 'Reading the bucket boundaries...'
                : 'No buckets found in the data source for this histogram'
        }
        invalid={msgs(`${base}.threshold`).length > 0}
        error={fieldError(msgs(`${base}.threshold`))}
      >
        <div data-testid={testIds.editor.threshold}>
          {bucketOptions.length > 0 && !native ? (
            <Select
              data-testid={testIds.editor.buckets}
              aria-label="Threshold bucket"
              width={20}
              options={bucketOptions}
              value={typeof threshold === 'number' ? threshold : null}
              onChange={(v) =>
                onChange(setPath(setPath(spec, `${base}.threshold`, v?.value), `${base}.buckets`, buckets.value))
              }
            />
          ) : (
            <Input
              id={inputId(`${base}.threshold`)}
              type="number"
              width={20}
              suffix="s"
              value={threshold ?? ''}
              onChange={(e) => set(`${base}.threshold`, Number(e.currentTarget.value))}
            />
          )}
        </div>
      </Field>
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  component: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(1, 1.5, 0),
    marginBottom: theme.spacing(1),
  }),
  // Level with the inputs beside it, above their Fields' bottom margin.
  remove: css({ marginBottom: theme.spacing(2) }),
});
