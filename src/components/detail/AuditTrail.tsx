// The SLO's audit trail: its own changes, and the freezes and overrides of its service, which
// decide its release state too (the server returns both for an SLO).

import React from 'react';
import { FieldSet, useStyles2 } from '@grafana/ui';
import type { AuditEntry } from '../../api/types';
import { untilText } from '../../core/policy/releaseState';
import { dateTime } from '../../utils/format';
import { getTableStyles } from '../common/tableStyles';
import { testIds } from '../testIds';

/** One line per entry; freezes and overrides in the words the release state uses. */
export function summarize(action: string, detail: Record<string, unknown>, now = Date.now()): string {
  // Entries written before the API's times were RFC 3339 hold epoch ms.
  const expires = typeof detail.expiresAt === 'string' ? Date.parse(detail.expiresAt) : detail.expiresAt;
  if (/^(freeze|override)\.create$/.test(action) && typeof expires === 'number' && Number.isFinite(expires)) {
    const route = typeof detail.route === 'string' ? ` on route ${detail.route}` : '';
    return `${String(detail.kind ?? action.split('.')[0])}${route}: ${String(detail.reason)}, until ${untilText(expires, now)}`;
  }
  if (/^(freeze|override)\.revoke$/.test(action)) {
    return `revoked #${String(detail.id)}${detail.reason ? `: ${String(detail.reason)}` : ''}`;
  }
  const changes = detail.changes;
  if (changes && typeof changes === 'object') {
    const fields = Object.keys(changes);
    return `${detail.version !== undefined ? `version ${detail.version}: ` : ''}${fields.length ? fields.join(', ') : 'no field'} changed`;
  }
  const text = JSON.stringify(detail);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export function AuditTrail({ entries }: { entries: AuditEntry[] }) {
  const t = useStyles2(getTableStyles);
  return (
    <FieldSet label="Audit trail" className={t.section}>
      <table className={t.table} data-testid={testIds.detail.audit}>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((a) => (
            <tr key={a.id}>
              <td>{dateTime(a.at)}</td>
              <td>{a.actor}</td>
              <td>{a.action}</td>
              <td className={t.muted}>{a.detail ? summarize(a.action, a.detail) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </FieldSet>
  );
}
