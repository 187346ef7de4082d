// The detail page's release section: the policy in words, the manual freezes and overrides of the
// service (revoked after a confirmation), and the form for a new one. A viewer sees why they
// cannot freeze instead of a form the proxy would refuse.

import React, { useState } from 'react';
import { Badge, Button, ConfirmModal, FieldSet, useStyles2 } from '@grafana/ui';
import { api } from '../../api/client';
import type { ManualAction } from '../../api/types';
import type { Slo } from '../../core/spec/types';
import { dateTime, percent } from '../../utils/format';
import { WriteAccess } from '../../utils/writeAccess';
import { getTableStyles } from '../common/tableStyles';
import { testIds } from '../testIds';
import { FreezeForm } from './FreezeForm';

interface Props {
  service: string;
  model?: Slo;
  freezes: ManualAction[];
  routes: string[];
  access: WriteAccess;
  /** A freeze or override was created or revoked: the release state changes at once. */
  onChanged: () => void;
}

export function ReleaseSection({ service, model, freezes, routes, access, onChanged }: Props) {
  const t = useStyles2(getTableStyles);
  const [revoking, setRevoking] = useState<ManualAction>();
  const policy = model?.policy;
  return (
    <FieldSet label="Release policy, freezes and overrides" className={t.section}>
      <div data-testid={testIds.detail.policy}>
        {policy && (
          <p>
            {model?.sli.kind === 'cost'
              ? 'Cost SLOs never freeze releases. '
              : `Freeze when the budget left is at or below ${percent(policy.freezeBudgetRemaining, 0)} or the burn rate over ${policy.freezeBurnWindow} is above ${policy.freezeBurnRate}x. `}
            Caution when the burn rate over {policy.cautionBurnWindow} is above {policy.cautionBurnRate}x.
          </p>
        )}
      </div>
      <div data-testid={testIds.detail.freezes}>
        {freezes.length === 0 ? (
          <p className={t.muted}>No manual freeze or override for {service}.</p>
        ) : (
          <table className={t.table}>
            <thead>
              <tr>
                <th>Kind</th>
                <th>Route</th>
                <th>Reason</th>
                <th>By</th>
                <th>Expires</th>
                {access.canWrite && <th />}
              </tr>
            </thead>
            <tbody>
              {freezes.map((f) => (
                <tr key={f.id}>
                  <td>
                    <Badge color={f.kind === 'freeze' ? 'red' : 'purple'} text={f.kind} />
                  </td>
                  <td>{f.route ?? 'all routes'}</td>
                  <td>{f.reason}</td>
                  <td>{f.createdBy}</td>
                  <td>{dateTime(f.expiresAt)}</td>
                  {access.canWrite && (
                    <td>
                      <Button
                        size="sm"
                        variant="secondary"
                        data-testid={testIds.detail.revoke(f.id)}
                        onClick={() => setRevoking(f)}
                      >
                        Revoke
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {access.canWrite ? (
        <FreezeForm service={service} routes={routes} onDone={onChanged} />
      ) : (
        <p className={t.muted} data-testid={testIds.detail.readOnly}>
          {access.why}
        </p>
      )}
      <ConfirmModal
        isOpen={revoking !== undefined}
        title={`Revoke this ${revoking?.kind ?? 'freeze'}?`}
        body={
          revoking
            ? `${revoking.kind} of ${service}${revoking.route ? ` on ${revoking.route}` : ''}: "${revoking.reason}", set by ${revoking.createdBy}. The release state is recomputed at once; the audit trail keeps both.`
            : ''
        }
        confirmText="Revoke"
        onConfirm={() => {
          const f = revoking!;
          setRevoking(undefined);
          api.revokeFreeze(f.id, 'revoked in Grafana').then(onChanged, onChanged);
        }}
        onDismiss={() => setRevoking(undefined)}
      />
    </FieldSet>
  );
}
