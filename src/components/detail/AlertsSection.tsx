// The SLO's firing (and pending) alerts. When Prometheus cannot say which alerts fire, the section
// says "unknown" and why: an empty list would read as "none firing".

import React from 'react';
import { Alert, Badge, FieldSet, useStyles2 } from '@grafana/ui';
import { groupText } from '../../utils/format';
import { getTableStyles } from '../common/tableStyles';
import { testIds } from '../testIds';

type AlertRow = { labels: Record<string, string>; state: string };

export function AlertsSection({
  alerts,
  unknown,
  loading,
  groupBy,
}: {
  alerts?: AlertRow[];
  /** Why the alerts cannot be read, when they cannot. */
  unknown?: string;
  loading: boolean;
  groupBy: string[];
}) {
  const t = useStyles2(getTableStyles);
  const firing = (alerts ?? []).filter(
    (a) => a.state === 'firing' || a.labels.alertstate === 'firing' || a.labels.alertstate === 'pending'
  );
  return (
    <FieldSet label="Alerts" className={t.section}>
      <div data-testid={testIds.detail.alerts}>
        {unknown ? (
          <Alert severity="warning" title="Firing alerts unknown">
            {unknown}
          </Alert>
        ) : loading ? (
          <p className={t.muted}>Loading...</p>
        ) : firing.length === 0 ? (
          <p className={t.muted}>No alert of this SLO is firing.</p>
        ) : (
          <table className={t.table}>
            <tbody>
              {firing.map((a, i) => (
                <tr key={i}>
                  <td>
                    <Badge color={a.labels.severity === 'page' ? 'red' : 'orange'} text={a.labels.severity ?? 'alert'} />
                  </td>
                  <td>{a.labels.alertname}</td>
                  <td>{groupText(Object.fromEntries(groupBy.map((l) => [l, a.labels[l] ?? ''])))}</td>
                  <td>{a.labels.alertstate ?? a.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </FieldSet>
  );
}
