// How the panel writes a state, a budget and a burn rate: the same in the table and the compact
// lines.

import { BadgeColor } from '@grafana/ui';
import type { ReleaseStateName } from '../../core/policy/releaseState';

export const STATE_LOOK: Record<
  ReleaseStateName,
  { color: BadgeColor; text: string; icon: 'check' | 'exclamation-triangle' | 'lock' | 'question-circle' | 'clock-nine' }
> = {
  freeze: { color: 'red', text: 'FREEZE', icon: 'lock' },
  caution: { color: 'orange', text: 'CAUTION', icon: 'exclamation-triangle' },
  ship: { color: 'green', text: 'SHIP', icon: 'check' },
  pending: { color: 'purple', text: 'PENDING', icon: 'clock-nine' },
  'no-data': { color: 'blue', text: 'NO STATE', icon: 'question-circle' },
  unknown: { color: 'darkgrey', text: 'UNKNOWN', icon: 'question-circle' },
};

export function percent(x: number | undefined): string {
  return x === undefined ? '–' : `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 2 : 1)}%`;
}

export function burnText(x: number | undefined): string {
  if (x === undefined) {
    return '–';
  }
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}x`;
}
