// Why the SLO was not saved, above the Save button: every problem (those no field shows, a YAML
// text that does not parse, or all of them once a save was tried), an edit conflict, or the
// server's refusal.

import React from 'react';
import { Alert, LinkButton } from '@grafana/ui';
import { ApiError } from '../../api/client';
import { Diagnostic } from '../../core/spec/types';
import { ApiErrorAlert } from '../common/ApiErrorAlert';
import { testIds } from '../testIds';

interface Props {
  problems: Diagnostic[];
  yamlError?: string;
  saveError?: ApiError;
  version?: number;
  latestHref: string;
}

export function SaveProblems({ problems, yamlError, saveError, version, latestHref }: Props) {
  return (
    <>
      {(problems.length > 0 || yamlError) && (
        <Alert severity="error" title="Fix these before saving" data-testid={testIds.editor.problems}>
          <ul>
            {yamlError && <li>YAML: {yamlError}</li>}
            {problems.map((d, i) => (
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
            <LinkButton variant="secondary" href={latestHref}>
              See the latest version
            </LinkButton>
          </div>
        </Alert>
      )}
      {saveError && !saveError.conflict && <ApiErrorAlert title="Not saved" error={saveError} testId={testIds.editor.saveError} />}
    </>
  );
}
