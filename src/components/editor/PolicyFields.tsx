// The release policy: when to freeze and when to caution. Cost SLOs never freeze, so they show only
// the caution fields.

import React from 'react';
import { SelectableValue } from '@grafana/data';
import { Field, FieldSet, Input, Select, Stack } from '@grafana/ui';
import { getPath, sliKind } from '../../domain/spec';
import { fieldError } from './FieldMessages';
import { asPercent, EditorForm, numberOrUnset } from './editorForm';

const POLICY_WINDOWS: Array<SelectableValue<string>> = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', 'period'].map(
  (w) => ({ label: w, value: w })
);

export function PolicyFields({ form }: { form: EditorForm }) {
  const { spec, set, msgs } = form;
  const number = (path: string, label: string, placeholder: string, id: string, description?: string) => (
    <Field label={label} description={description} invalid={msgs(path).length > 0} error={fieldError(msgs(path))}>
      <Input
        id={id}
        width={10}
        type="number"
        placeholder={placeholder}
        value={getPath(spec, path) ?? ''}
        onChange={(e) => set(path, numberOrUnset(e.currentTarget.value))}
      />
    </Field>
  );
  const window = (path: string, label: string, fallback: string) => (
    <Field label="over">
      <Select
        aria-label={label}
        width={14}
        options={POLICY_WINDOWS}
        value={getPath(spec, path) ?? fallback}
        onChange={(v) => set(path, v?.value)}
      />
    </Field>
  );
  const budgetLeft = getPath(spec, 'policy.freeze.budgetRemaining');
  const cost = sliKind(spec) === 'cost';
  return (
    <FieldSet label="Release policy">
      {cost && <p>Cost SLOs never freeze releases; caution still applies.</p>}
      <Stack gap={2} wrap="wrap">
        {!cost && (
          <>
            {number(
              'policy.freeze.budgetRemaining',
              'Freeze when budget left is at or below',
              '0',
              'br-freeze-budget',
              `a ratio: ${asPercent(typeof budgetLeft === 'number' ? budgetLeft : 0)} of the budget`
            )}
            {number('policy.freeze.burnRate', 'or burning above (x)', '2', 'br-freeze-burn')}
            {window('policy.freeze.window', 'Freeze window', 'period')}
          </>
        )}
        {number('policy.caution.burnRate', 'Caution when burning above (x)', '1', 'br-caution-burn')}
        {window('policy.caution.window', 'Caution window', '1d')}
      </Stack>
    </FieldSet>
  );
}
