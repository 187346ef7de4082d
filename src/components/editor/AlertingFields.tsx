// Alerting: minimum events, the page and ticket switches, the runbook, and the thresholds in words
// (they follow the switches). A cost SLO pages only when asked to.

import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Field, FieldSet, Input, Stack, Switch, useStyles2 } from '@grafana/ui';
import { alertSummary, getPath, sliKind } from '../../domain/spec';
import { testIds } from '../testIds';
import { fieldError } from './FieldMessages';
import { EditorForm, numberOrUnset } from './editorForm';

export function AlertingFields({ form }: { form: EditorForm }) {
  const { spec, set, msgs, validation } = form;
  const s = useStyles2(getStyles);
  const cost = sliKind(spec) === 'cost';
  return (
    <FieldSet label="Alerting">
      <Stack gap={2} wrap="wrap">
        <Field
          label="Minimum events"
          description="in the short window before an alert may fire"
          invalid={msgs('alerting.minEvents').length > 0}
          error={fieldError(msgs('alerting.minEvents'))}
        >
          <Input
            id="br-min-events"
            data-testid={testIds.editor.minEvents}
            width={12}
            type="number"
            value={getPath(spec, 'alerting.minEvents') ?? ''}
            onChange={(e) => set('alerting.minEvents', numberOrUnset(e.currentTarget.value))}
          />
        </Field>
        <Field label="Page (fast burn)" description={cost ? 'off by default for cost' : undefined}>
          <Switch
            id="br-alert-page"
            value={cost ? getPath(spec, 'alerting.page.disabled') === false : !getPath(spec, 'alerting.page.disabled')}
            onChange={(e) =>
              set('alerting.page', e.currentTarget.checked ? (cost ? { disabled: false } : undefined) : { disabled: true })
            }
          />
        </Field>
        <Field label="Ticket (slow burn)">
          <Switch
            id="br-alert-ticket"
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
          id="br-runbook-url"
          value={getPath(spec, 'alerting.runbookUrl') ?? ''}
          onChange={(e) => set('alerting.runbookUrl', e.currentTarget.value)}
        />
      </Field>
      {fieldError(msgs('alerting').filter((m) => m.startsWith('alerting')))}
      {validation.slo && (
        <ul className={s.muted}>
          {alertSummary(validation.slo).map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
    </FieldSet>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  muted: css({ color: theme.colors.text.secondary }),
});
