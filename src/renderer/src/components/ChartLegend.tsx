// The hashrate chart's legend as plain HTML under the SVG. recharts' <Legend> measures itself after
// each render and feeds its size back into the chart layout: two more full chart renders on mount.
import { memo } from 'react';

export interface LegendEntry {
  key: string;
  name: string;
  color: string;
}

export const ChartLegend = memo(function ChartLegend({ entries }: { entries: readonly LegendEntry[] }) {
  return (
    <ul className="chart-legend" aria-label="Lines" data-testid="chart-legend">
      {entries.map((e) => (
        <li key={e.key} style={{ color: e.color }}>
          {/* The line-with-a-ring icon recharts draws for a line series. */}
          <svg className="chart-legend-icon" viewBox="0 0 32 32" aria-hidden="true">
            <path d="M0 16h10.7M21.3 16H32" />
            <circle cx="16" cy="16" r="5.3" />
          </svg>
          {e.name}
        </li>
      ))}
    </ul>
  );
});
