// A small SVG line chart themed like Grafana (used for the budget burndown). Plain SVG keeps the
// app independent of Grafana's panel runtime and light to load.

import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

export interface LineSeries {
  name: string;
  points: Array<[number, number]>;
}

interface Props {
  series: LineSeries[];
  height?: number;
  /** Horizontal reference line (e.g. 0 for a spent budget). */
  reference?: number;
  format: (v: number) => string;
  testId?: string;
}

export function LineChart({ series, height = 180, reference, format, testId }: Props) {
  const theme = useTheme2();
  const s = useStyles2(getStyles);
  const width = 800;
  const pad = { l: 56, r: 12, t: 10, b: 22 };
  const all = series.flatMap((x) => x.points);
  if (all.length === 0) {
    return (
      <div className={s.empty} data-testid={testId}>
        No data yet: the recorded series appear once Prometheus has evaluated the SLO&apos;s rules.
      </div>
    );
  }
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).concat(reference !== undefined ? [reference] : []);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (width - pad.l - pad.r);
  const sy = (y: number) => pad.t + (1 - (y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const colors = theme.visualization.palette;
  return (
    <div data-testid={testId}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className={s.svg}
        role="img"
        aria-label={series.map((x) => x.name).join(', ')}
      >
        {[y0, (y0 + y1) / 2, y1].map((y) => (
          <g key={y}>
            <line x1={pad.l} x2={width - pad.r} y1={sy(y)} y2={sy(y)} stroke={theme.colors.border.weak} />
            <text x={pad.l - 6} y={sy(y) + 4} textAnchor="end" fill={theme.colors.text.secondary} fontSize="11">
              {format(y)}
            </text>
          </g>
        ))}
        {reference !== undefined && (
          <line
            x1={pad.l}
            x2={width - pad.r}
            y1={sy(reference)}
            y2={sy(reference)}
            stroke={theme.colors.error.main}
            strokeDasharray="4 4"
          />
        )}
        {(x1 - x0 > 0 ? [x0, x1] : [x0]).map((x, i) => (
          <text
            key={i}
            x={sx(x)}
            y={height - 6}
            textAnchor={i ? 'end' : 'start'}
            fill={theme.colors.text.secondary}
            fontSize="11"
          >
            {/* Points are epoch milliseconds, as the server's history API returns them. */}
            {new Date(x).toISOString().slice(5, 16).replace('T', ' ')}
          </text>
        ))}
        {series.map((ser, i) => {
          const color = theme.visualization.getColorByName(colors[i % colors.length]);
          // A series with one point so far (a new SLO) is a dot: a one-point line draws nothing.
          return ser.points.length === 1 ? (
            <circle key={ser.name} cx={sx(ser.points[0][0])} cy={sy(ser.points[0][1])} r={4} fill={color} />
          ) : (
            <polyline
              key={ser.name}
              fill="none"
              stroke={color}
              strokeWidth={2}
              points={ser.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}
            />
          );
        })}
      </svg>
      <div className={s.legend}>
        {series.map((ser, i) => (
          <span key={ser.name} className={s.legendItem}>
            <span
              className={s.swatch}
              style={{ background: theme.visualization.getColorByName(colors[i % colors.length]) }}
            />
            {ser.name}
          </span>
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ width: '100%', height: 'auto', display: 'block' }),
  empty: css({ color: theme.colors.text.secondary, padding: theme.spacing(2) }),
  legend: css({
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  legendItem: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({ width: 12, height: 3, display: 'inline-block' }),
});
