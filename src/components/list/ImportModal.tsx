// Import SLOs from the list page: paste or upload a file in Burnrate, OpenSLO, Sloth or Pyrra
// format, see what it would create (read with the server's own loader, ../../domain/importPreview),
// then import all of it or nothing.

import React, { useMemo, useState } from 'react';
import { Alert, Button, FileUpload, Modal, Stack, TextArea } from '@grafana/ui';
import { api, ApiError } from '../../api/client';
import { formatDiagnostic } from '../../core/spec/types';
import { previewImport } from '../../domain/importPreview';
import { ApiErrorAlert } from '../common/ApiErrorAlert';
import { testIds } from '../testIds';

const FORMAT_NAMES: Record<string, string> = { burnrate: 'Burnrate', openslo: 'OpenSLO v1', sloth: 'Sloth', pyrra: 'Pyrra' };

interface Props {
  isOpen: boolean;
  onDismiss: () => void;
  /** SLOs were created: the list asks again. */
  onImported: (created: string[]) => void;
}

export function ImportModal({ isOpen, onDismiss, onImported }: Props) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const preview = useMemo(() => previewImport(text), [text]);
  const errors = preview.problems.filter((d) => d.severity === 'error');
  const ready = preview.format !== undefined && preview.slos.length > 0 && errors.length === 0;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.importSlos(text, preview.format!);
      setText('');
      onImported(r.created);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Import SLOs" isOpen={isOpen} onDismiss={onDismiss}>
      <p>Burnrate, OpenSLO v1, Sloth or Pyrra YAML: every SLO of the text is imported, or none.</p>
      <Stack direction="column" gap={1}>
        <FileUpload accept=".yaml,.yml,.json" onFileUpload={(e) => e.currentTarget.files?.[0]?.text().then(setText)}>
          Upload a file
        </FileUpload>
        <TextArea
          aria-label="SLO definitions"
          data-testid={testIds.list.importText}
          rows={14}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          placeholder="version: burnrate/v1"
        />
        <div data-testid={testIds.list.importPreview}>
          {preview.slos.length > 0 && (
            <p>
              {preview.slos.length} SLO{preview.slos.length === 1 ? '' : 's'}
              {preview.format ? ` in ${FORMAT_NAMES[preview.format]} format` : ''}: {preview.slos.join(', ')}
            </p>
          )}
          {preview.problems.length > 0 && (
            <Alert severity={errors.length ? 'error' : 'warning'} title={errors.length ? 'Nothing can be imported yet' : 'Warnings'}>
              <ul>
                {preview.problems.map((d, i) => (
                  <li key={i}>{formatDiagnostic(d)}</li>
                ))}
              </ul>
            </Alert>
          )}
        </div>
        {error && <ApiErrorAlert title="Not imported" error={error} />}
      </Stack>
      <Modal.ButtonRow>
        <Button variant="secondary" onClick={onDismiss}>
          Cancel
        </Button>
        <Button data-testid={testIds.list.importSubmit} disabled={!ready || busy} icon={busy ? 'spinner' : 'upload'} onClick={submit}>
          Import {preview.slos.length > 0 ? preview.slos.length : ''}
        </Button>
      </Modal.ButtonRow>
    </Modal>
  );
}
