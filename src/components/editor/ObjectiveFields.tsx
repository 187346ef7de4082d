// Objective, window and evaluation interval, with the error budget in words.

import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Field, FieldSet, Input, Select, Stack, useStyles2 } from '@grafana/ui';
import { budgetInWords, getPath, sliKind } from '../../domain/spec';
import { testIds } from '../testIds';
import { fieldError } from './FieldMessages';
import { asPercent, EditorForm, numberOrUnset } from './editorForm';

const WINDOWS: Array<SelectableValue<string>> = ['7d', '14d', '28d', '30d', '90d', 'calendar-month'].map((w) => ({
  label: w,
  value: w,
}));

export function ObjectiveFields({ form, eventsPerDay }: { form: EditorForm; eventsPerDay?: number }) {
  const { spec, set, msgs, validation } = form;
  const s = useStyles2(getStyles);
  const objective = getPath(spec, 'objective');
  const percent = asPercent(objective);
  return (
    <FieldSet label="Objective">
      <Stack gap={2} wrap="wrap">
        {sliKind(spec) !== 'cost' && (
          <Field
            label="Objective"
            description={percent ? `${percent} of events good` : 'A ratio: 0.995 is 99.5%'}
            invalid={msgs('objective').length > 0}
            error={fieldError(msgs('objective'))}
          >
            <Input
              id="br-objective"
              data-testid={testIds.editor.objective}
              width={16}
              type="number"
              step="0.001"
              value={objective ?? ''}
              onChange={(e) => set('objective', numberOrUnset(e.currentTarget.value))}
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
            id="br-evaluation-interval"
            width={12}
            placeholder="1m"
            value={spec.evaluationInterval ?? ''}
            onChange={(e) => set('evaluationInterval', e.currentTarget.value)}
          />
        </Field>
      </Stack>
      {validation.slo && (
        <p className={s.words} data-testid={testIds.editor.budgetWords}>
          Error budget: {budgetInWords(validation.slo, eventsPerDay)}
        </p>
      )}
    </FieldSet>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  words: css({ fontSize: theme.typography.h5.fontSize, color: theme.colors.text.primary }),
});
