import React from 'react';
import { Badge, BadgeColor } from '@grafana/ui';
import type { PolicyState } from '../../api/types';

const LOOK: Record<
  PolicyState,
  { color: BadgeColor; text: string; icon: 'check' | 'exclamation-triangle' | 'lock' | 'question-circle' }
> = {
  ship: { color: 'green', text: 'ship', icon: 'check' },
  caution: { color: 'orange', text: 'caution', icon: 'exclamation-triangle' },
  freeze: { color: 'red', text: 'freeze', icon: 'lock' },
  'no-data': { color: 'blue', text: 'no data', icon: 'question-circle' },
};

/** Release state of an SLO or route: ship, caution, freeze or no data. */
export function StateBadge({ state, testId }: { state?: PolicyState; testId?: string }) {
  const look = LOOK[state ?? 'no-data'] ?? LOOK['no-data'];
  return <Badge color={look.color} text={look.text} icon={look.icon} data-testid={testId} />;
}

/** Worst first: freeze, caution, ship, no data. */
export const STATE_ORDER: Record<PolicyState, number> = { freeze: 0, caution: 1, ship: 2, 'no-data': 3 };
