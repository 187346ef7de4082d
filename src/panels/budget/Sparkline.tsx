import React from 'react';

interface Props {
  points: Array<[number, number]>;
  /** The panel's time range, so every row's trend shares one time axis. */
  from: number;
  to: number;
  width: number;
  height: number;
  color: string;
  zeroColor: string;
  testId?: string;
}

/** Budget remaining over time as a small line; a dashed line marks zero when the budget went below it. */
export function Sparkline({ points, from, to, width, height, color, zeroColor, testId }: Props) {
  if (points.length < 2) {
    return null;
  }
  const t0 = Math.min(from, points[0][0]);
  const t1 = Math.max(to, points[points.length - 1][0]);
  const vs = points.map((p) => p[1]);
  const lo = Math.min(0, ...vs);
  const hi = Math.max(1, ...vs);
  const x = (t: number) => (t1 > t0 ? ((t - t0) / (t1 - t0)) * (width - 2) + 1 : 1);
  const y = (v: number) => (hi > lo ? height - 1 - ((v - lo) / (hi - lo)) * (height - 2) : height / 2);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} data-testid={testId} role="img" aria-label="budget remaining over the time range">
      {lo < 0 && (
        <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke={zeroColor} strokeDasharray="2 2" strokeWidth={1} />
      )}
      <path d={d} fill="none" stroke={color} strokeWidth={1.5} />
    </svg>
  );
}
