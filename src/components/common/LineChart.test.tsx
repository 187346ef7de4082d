import React from 'react';
import { render, screen } from '@testing-library/react';
import { LineChart } from './LineChart';

describe('LineChart', () => {
  it('draws a line per series, and a dot for a series with one point so far', () => {
    render(
      <LineChart
        testId="chart"
        format={(v) => `${v}x`}
        series={[
          { name: 'route=/chat', points: [[1764403200000, 9.5]] },
          { name: 'route=/summarize', points: [[1764403200000, 0], [1764403260000, 0.2]] },
        ]}
      />
    );
    const svg = screen.getByTestId('chart').querySelector('svg')!;
    expect(svg.querySelectorAll('circle')).toHaveLength(1);
    expect(svg.querySelectorAll('polyline')).toHaveLength(1);
    expect(svg.querySelector('polyline')!.getAttribute('points')!.split(' ')).toHaveLength(2);
  });
});
