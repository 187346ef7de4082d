// A timeslice SLI in the form: the slice length, and what makes a slice good, either a latency
// quantile under a threshold or a good-event ratio above a target (docs/spec.md, timeslice).

import React from 'react';
import { SelectableValue } from '@grafana/data';
import { Field, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import { getPath } from '../../domain/spec';
import { testIds } from '../testIds';
import { fieldError } from './FieldMessages';
import { inputId, numberOrUnset } from './editorForm';

const SLICES: Array<SelectableValue<string>> = ['1m', '2m', '3m', '4m', '5m'].map((s) => ({ label: s, value: s }));
const BASE = 'sli.timeslice';

interface Props {
  spec: Record<string, any>;
  set: (path: string, value: unknown) => void;
  msgs: (path: string) => string[];
}

export function TimesliceFields({ spec, set, msgs }: Props) {
  const by: 'latency' | 'ratio' = getPath(spec, `${BASE}.ratio`) !== undefined ? 'ratio' : 'latency';
  const text = (path: string, label: string, placeholder: string, description?: string) => (
    <Field label={label} description={description} invalid={msgs(path).length > 0} error={fieldError(msgs(path))}>
      <Input
        id={inputId(path)}
        placeholder={placeholder}
        value={getPath(spec, path) ?? ''}
        onChange={(e) => set(path, e.currentTarget.value)}
      />
    </Field>
  );
  const number = (path: string, label: string, placeholder: string, suffix?: string, description?: string) => (
    <Field label={label} description={description} invalid={msgs(path).length > 0} error={fieldError(msgs(path))}>
      <Input
        id={inputId(path)}
        type="number"
        width={14}
        suffix={suffix}
        placeholder={placeholder}
        value={getPath(spec, path) ?? ''}
        onChange={(e) => set(path, numberOrUnset(e.currentTarget.value))}
      />
    </Field>
  );
  return (
    <div data-testid={testIds.editor.timeslice}>
      <Stack gap={2} wrap="wrap">
        <Field label="Slice" description="each slice is good or bad" invalid={msgs(`${BASE}.slice`).length > 0} error={fieldError(msgs(`${BASE}.slice`))}>
          <Select
            aria-label="Slice"
            width={12}
            options={SLICES}
            value={getPath(spec, `${BASE}.slice`) ?? '1m'}
            onChange={(v) => set(`${BASE}.slice`, v?.value)}
          />
        </Field>
        <Field label="A slice is good when">
          <RadioButtonGroup
            options={[
              { label: 'a latency quantile is under a threshold', value: 'latency' },
              { label: 'its good ratio is above a target', value: 'ratio' },
            ]}
            value={by}
            onChange={(v) =>
              set(
                BASE,
                v === 'ratio'
                  ? { slice: getPath(spec, `${BASE}.slice`) ?? '1m', ratio: { errors: '', total: '', target: 0.99 } }
                  : { slice: getPath(spec, `${BASE}.slice`) ?? '1m', latency: { metric: '', quantile: 0.95, threshold: 2 } }
              )
            }
          />
        </Field>
      </Stack>
      {by === 'latency' ? (
        <>
          {text(`${BASE}.latency.metric`, 'Histogram', 'gen_ai_server_time_to_first_token_seconds', 'The base name, without _bucket')}
          {text(`${BASE}.latency.matchers`, 'Label matchers', 'gen_ai_operation_name="chat"', 'Without braces')}
          <Stack gap={2} wrap="wrap">
            {number(`${BASE}.latency.quantile`, 'Quantile', '0.95', undefined, '0.95 is p95')}
            {number(`${BASE}.latency.threshold`, 'at or under', '2', 's', 'Any value: the quantile interpolates')}
          </Stack>
        </>
      ) : (
        <>
          {text(`${BASE}.ratio.errors`, 'Bad events', 'http_requests_total{code=~"5.."}')}
          {text(`${BASE}.ratio.total`, 'All events', 'http_requests_total')}
          {number(`${BASE}.ratio.target`, 'Good ratio at least', '0.99', undefined, 'A ratio: 0.99 is 99% of the slice\'s events good')}
        </>
      )}
      {/* Messages about the SLI as a whole (exactly one of latency and ratio, ...). */}
      {fieldError(msgs(BASE).filter((m) => !SHOWN_HERE.test(m)))}
    </div>
  );
}

/** Messages the fields above show beside themselves. */
const SHOWN_HERE = /^sli\.timeslice\.(slice|latency\.(metric|matchers|quantile|threshold)|ratio\.(errors|total|target)): /;
