import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Badge, BadgeColor, IconName, useStyles2 } from '@grafana/ui';
import type { PolicyState, ReleaseState, ReleaseStateName } from '../../api/types';

/** How a release state looks, in the app and (upper-cased) in the budget panel. */
export const STATE_LOOK: Record<ReleaseStateName, { color: BadgeColor; text: string; icon: IconName }> = {
  ship: { color: 'green', text: 'ship', icon: 'check' },
  caution: { color: 'orange', text: 'caution', icon: 'exclamation-triangle' },
  freeze: { color: 'red', text: 'freeze', icon: 'lock' },
  pending: { color: 'purple', text: 'pending', icon: 'clock-nine' },
  'no-data': { color: 'blue', text: 'no data', icon: 'question-circle' },
  unknown: { color: 'darkgrey', text: 'unknown', icon: 'question-circle' },
};

/** Release state of an SLO or route: ship, caution, freeze, pending, no data or unknown. */
export function StateBadge({ state, testId, tooltip }: { state?: ReleaseStateName; testId?: string; tooltip?: string }) {
  const look = STATE_LOOK[state ?? 'no-data'] ?? STATE_LOOK['no-data'];
  return <Badge color={look.color} text={look.text} icon={look.icon} data-testid={testId} tooltip={tooltip} />;
}

/**
 * The release state with its reason in words, as the server merged it (a manual freeze, an
 * override or the policy). Before the server sent `release`, the policy's state alone.
 */
export function ReleaseView({
  release,
  fallback,
  testId,
  reasonTestId,
}: {
  release?: ReleaseState;
  fallback?: PolicyState;
  testId?: string;
  reasonTestId?: string;
}) {
  const s = useStyles2(getStyles);
  const state = release?.state ?? fallback;
  const manual = release && release.source !== 'policy';
  return (
    <div>
      <StateBadge state={state} testId={testId} />
      {manual && <span className={s.source}>{release.source === 'manual-freeze' ? ' manual' : ' override'}</span>}
      {release && (
        <div className={s.reason} data-testid={reasonTestId}>
          {release.reason}
          {(release.notApplied ?? []).map((n) => (
            <div key={n}>not applied: {n}</div>
          ))}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  reason: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize, maxWidth: 420 }),
  source: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});

/** Worst first: freeze, caution, pending (burning, budget not there yet), unknown, ship, no data. */
export const STATE_ORDER: Record<ReleaseStateName, number> = { freeze: 0, caution: 1, pending: 2, unknown: 3, ship: 4, 'no-data': 5 };
