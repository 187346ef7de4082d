// How the panel writes a state, a budget and a burn rate: the same in the table and the compact
// lines.

import { BadgeColor, IconName } from '@grafana/ui';
import { STATE_LOOK as APP_LOOK } from '../../components/common/StateBadge';
import type { ReleaseStateName } from '../../core/policy/releaseState';

/** The app's colors, icons and words, in capitals to stand out in a dashboard cell. */
export const STATE_LOOK = Object.fromEntries(
  Object.entries(APP_LOOK).map(([state, look]) => [state, { ...look, text: look.text.toUpperCase() }])
) as Record<ReleaseStateName, { color: BadgeColor; text: string; icon: IconName }>;

export function percent(x: number | undefined): string {
  return x === undefined ? '–' : `${(x * 100).toFixed(Math.abs(x) < 0.1 ? 2 : 1)}%`;
}

export function burnText(x: number | undefined): string {
  if (x === undefined) {
    return '–';
  }
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}x`;
}
