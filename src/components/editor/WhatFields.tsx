// What the SLO is about: service, name, description and the data source its SLI reads.

import React from 'react';
import { Field, FieldSet, Input, Select, Stack } from '@grafana/ui';
import { DataSourceRef } from '../../api/datasource';
import { testIds } from '../testIds';
import { fieldError } from './FieldMessages';
import { EditorForm } from './editorForm';

interface Props {
  form: EditorForm;
  /** Service and name identify a stored SLO: they cannot change once it exists. */
  editing: boolean;
  sources: DataSourceRef[];
  ds?: DataSourceRef;
  onSource: (uid: string) => void;
}

export function WhatFields({ form, editing, sources, ds, onSource }: Props) {
  const { spec, set, msgs } = form;
  return (
    <FieldSet label="What">
      <Stack gap={2} wrap="wrap">
        <Field label="Service" invalid={msgs('service').length > 0} error={fieldError(msgs('service'))}>
          <Input
            id="br-service"
            data-testid={testIds.editor.service}
            width={30}
            disabled={editing}
            value={spec.service ?? ''}
            onChange={(e) => set('service', e.currentTarget.value)}
          />
        </Field>
        <Field label="Name" invalid={msgs('name').length > 0} error={fieldError(msgs('name'))}>
          <Input
            id="br-name"
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
          id="br-description"
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
            onChange={(v) => v?.value && onSource(v.value)}
            placeholder={sources.length ? 'Pick a data source' : 'No Prometheus or Loki data source'}
          />
        </div>
      </Field>
    </FieldSet>
  );
}
