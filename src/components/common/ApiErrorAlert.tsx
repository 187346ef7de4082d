import React from 'react';
import { Alert } from '@grafana/ui';
import { ApiError } from '../../api/client';

/** The server's refusal: its message and each diagnostic with the field it is about. */
export function ApiErrorAlert({ title, error, testId }: { title: string; error: ApiError; testId?: string }) {
  return (
    <Alert severity="error" title={title} data-testid={testId}>
      {error.message}
      {error.diagnostics.length > 0 && (
        <ul>
          {error.diagnostics.map((d, i) => (
            <li key={i}>{`${d.path ? d.path + ': ' : ''}${d.message}`}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
