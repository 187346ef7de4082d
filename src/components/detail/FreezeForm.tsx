// A manual freeze (stop shipping) or override (ship despite the policy) for a service or one
// route: a reason and an expiry are required, and both land in the server's audit log.

import React, { useState } from 'react';
import { Alert, Button, Field, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import { api, ApiError } from '../../api/client';
import { testIds } from '../testIds';

const DURATIONS = ['1h', '4h', '1d', '3d', '7d'].map((d) => ({ label: d, value: d }));

interface Props {
  service: string;
  routes: string[];
  onDone: () => void;
}

export function FreezeForm({ service, routes, onDone }: Props) {
  const [kind, setKind] = useState<'freeze' | 'override'>('freeze');
  const [route, setRoute] = useState<string>();
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState('4h');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.createFreeze({ kind, service, route, reason: reason.trim(), duration });
      setReason('');
      onDone();
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid={testIds.detail.freezeForm}>
      <Stack gap={2} wrap="wrap" alignItems="flex-end">
        <Field label="Action">
          <RadioButtonGroup
            options={[
              { label: 'Freeze', value: 'freeze', description: 'stop releases, whatever the budget' },
              { label: 'Override', value: 'override', description: 'allow releases despite the policy' },
            ]}
            value={kind}
            onChange={setKind}
          />
        </Field>
        <Field label="Route">
          <Select
            aria-label="Route"
            width={24}
            isClearable
            placeholder="All routes"
            options={routes.map((r) => ({ label: r, value: r }))}
            value={route ?? null}
            onChange={(v) => setRoute(v?.value)}
          />
        </Field>
        <Field label="For">
          <Select
            aria-label="Duration"
            width={12}
            options={DURATIONS}
            value={duration}
            onChange={(v) => v?.value && setDuration(v.value)}
          />
        </Field>
        <Field label="Reason" description="Shown to CI and in the audit log">
          <Input
            data-testid={testIds.detail.freezeReason}
            width={40}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            placeholder="incident 42: provider outage"
          />
        </Field>
        <Field label="">
          <Button
            data-testid={testIds.detail.freezeSubmit}
            variant={kind === 'freeze' ? 'destructive' : 'primary'}
            disabled={reason.trim().length < 3 || busy}
            onClick={submit}
          >
            {kind === 'freeze' ? 'Freeze releases' : 'Override the policy'}
          </Button>
        </Field>
      </Stack>
      {error && <Alert title="Not saved">{error}</Alert>}
    </div>
  );
}
