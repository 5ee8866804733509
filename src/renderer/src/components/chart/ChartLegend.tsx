// The chart legend as plain HTML under the SVG: one toggle button per miner (hide or show its line),
// in the miner's own colour. recharts' <Legend> would measure itself and re-render the chart twice.
import { memo } from 'react';
import { useUiStore } from '../../store/uiStore';

export interface LegendEntry {
  key: string;
  name: string;
  color: string;
  hidden: boolean;
}

export const ChartLegend = memo(function ChartLegend({ entries }: { entries: readonly LegendEntry[] }) {
  const toggle = useUiStore((s) => s.toggleLine);
  return (
    <ul className="chart-legend" aria-label="Lines (press to hide or show)" data-testid="chart-legend">
      {entries.map((e) => (
        <li key={e.key}>
          <button
            type="button"
            className="legend-toggle"
            aria-pressed={!e.hidden}
            data-testid={`legend-${e.key}`}
            onClick={() => toggle(e.key)}
          >
            <svg
              className="chart-legend-icon"
              viewBox="0 0 32 32"
              aria-hidden="true"
              style={{ color: e.color }}
            >
              <path d="M0 16h10.7M21.3 16H32" />
              <circle cx="16" cy="16" r="5.3" />
            </svg>
            {e.name}
          </button>
        </li>
      ))}
    </ul>
  );
});
