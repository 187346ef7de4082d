import { compactBurnWindow, panelLayout } from './layout';

describe('panel layout', () => {
  it('is compact in a 6x4 cell and a table in a 24x10 one', () => {
    expect(panelLayout(440, 110)).toBe('compact');
    expect(panelLayout(1780, 330)).toBe('table');
    // Wide but short (a 24x4 strip), or tall but narrow (a 4x12 column): compact.
    expect(panelLayout(1780, 110)).toBe('compact');
    expect(panelLayout(300, 600)).toBe('compact');
    expect(panelLayout(600, 180)).toBe('table');
  });

  it('shows the 1h burn rate when the panel has it, else the first window', () => {
    expect(compactBurnWindow(['5m', '1h', '6h', 'period'])).toBe('1h');
    expect(compactBurnWindow(['6h', 'period'])).toBe('6h');
  });
});
