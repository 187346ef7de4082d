// Which layout fits the panel's cell. A 6x4 cell of a dashboard (about 440 x 110 px inside) cannot
// hold the table's six columns: it gets one line per SLO and route with the state, the budget and
// one burn rate. From about 600 x 180 px on, the full table.

import { BurnWindow } from './types';

export const COMPACT_BELOW = { width: 600, height: 180 };

export function panelLayout(width: number, height: number): 'compact' | 'table' {
  return width < COMPACT_BELOW.width || height < COMPACT_BELOW.height ? 'compact' : 'table';
}

/** The burn rate a compact line shows: the 1h window when the panel shows it (what pages), else the
 * first one chosen. */
export function compactBurnWindow(windows: BurnWindow[]): BurnWindow {
  return windows.includes('1h') ? '1h' : windows[0];
}
