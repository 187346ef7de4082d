// Says where a new SLO's budget stands while the server fills its history from Prometheus, and
// why the budget covers less than the period when it could not.
import React from 'react';
import { Alert } from '@grafana/ui';
import { BackfillState } from '../../api/types';
import { testIds } from '../testIds';

const dayCount = (hours: number) => Number((hours / 24).toFixed(hours < 240 ? 1 : 0));
const days = (hours: number) => `${dayCount(hours)} days`;

export function backfillText(
  b: BackfillState
): { severity: 'info' | 'warning'; title: string; body?: string } | undefined {
  switch (b.state) {
    case 'queued':
    case 'running':
      return {
        severity: 'info',
        title: 'Filling the history from Prometheus',
        body: 'The budget covers the whole period once the fill is done and the budget rules next run (about 2 minutes).',
      };
    case 'failed':
      return {
        severity: 'warning',
        title: 'Could not fill the history from Prometheus',
        body: `${b.reason ?? 'unknown error'}. The server tries again in a few minutes; until then the budget covers the time since the SLO was created.`,
      };
    case 'unsupported':
      return { severity: 'info', title: 'The budget covers the time since the SLO was created', body: b.reason };
    case 'done':
      // Short of the period only where Prometheus holds less: say so, it explains the coverage.
      return b.coveredHours !== undefined && b.periodHours !== undefined && b.coveredHours < b.periodHours - 1
        ? {
            severity: 'info',
            title: `The budget covers ${dayCount(b.coveredHours)} of ${days(b.periodHours)}: Prometheus holds ${days(b.coveredHours)} of this SLI's history`,
          }
        : undefined;
  }
}

export function BackfillNotice({ backfill }: { backfill?: BackfillState }) {
  const text = backfill && backfillText(backfill);
  if (!text) {
    return null;
  }
  return (
    <div data-testid={testIds.detail.backfill}>
      <Alert severity={text.severity} title={text.title}>
        {text.body}
      </Alert>
    </div>
  );
}
