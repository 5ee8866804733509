// The dashboard chart: one line per miner over 5 m / 1 h / 24 h. Rows are rebuilt from the bounded
// series only when the chart version, the range or the miner set changes; no animation.
import { memo, useEffect, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import { formatClock } from '../format/time';
import { CHART_RANGES, RANGE_LABEL, RANGE_MS } from '../store/chartRange';
import { buildChartRows, lineKey } from '../store/chartRows';
import { useChartStore } from '../store/chartStore';
import { useMinersStore } from '../store/minersStore';
import { useUiStore } from '../store/uiStore';
import {
  AXIS_TIME,
  axisHashrate,
  TICK_STEP_MS,
  timeTicks,
  TOOLTIP_STYLE,
  tooltipLabel,
  tooltipValue,
  verticalGridLines,
} from './chartAxes';
import { ChartLegend, type LegendEntry } from './ChartLegend';

const COLORS = ['#2f81f7', '#e5534b', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#f0883e'];
const CHART_STYLE = { width: '100%', height: 236 };

function RangeButtons() {
  const range = useUiStore((s) => s.chartRange);
  const setRange = useUiStore((s) => s.setChartRange);
  return (
    <div className="button-group" role="group" aria-label="Chart range">
      {CHART_RANGES.map((r) => (
        <button
          key={r}
          type="button"
          className="btn btn-small"
          aria-pressed={r === range}
          data-testid={`range-${r}`}
          onClick={() => setRange(r)}
        >
          {RANGE_LABEL[r]}
        </button>
      ))}
    </div>
  );
}

/**
 * Builds the axis clock format in a task of its own once the dashboard is up, while the chart still
 * waits for its history: the first Intl.DateTimeFormat of a fresh renderer loads ICU data (15–30 ms),
 * which would otherwise land on the chart's first render.
 */
function usePreparedClockFormat(): void {
  useEffect(() => {
    const timer = setTimeout(() => formatClock(Date.now()), 0);
    return () => clearTimeout(timer);
  }, []);
}

export const HashrateChart = memo(function HashrateChart() {
  const version = useChartStore((s) => s.version);
  const series = useChartStore((s) => s.series);
  const range = useUiStore((s) => s.chartRange);
  const ids = useMinersStore((s) => s.order);
  const names = useMinersStore(useShallow((s) => s.order.map((id) => s.byId[id]?.name ?? id)));
  usePreparedClockFormat();
  // `version` is the change signal for the mutable series; it is read so the memo depends on it.
  const { rows, from, ticks } = useMemo(() => {
    const now = Date.now();
    const start = now - RANGE_MS[range];
    return {
      rows: version >= 0 ? buildChartRows(series, ids, range, now) : [],
      from: start,
      ticks: timeTicks(start, now, TICK_STEP_MS[range]),
    };
  }, [version, series, ids, range]);
  const legend = useMemo<LegendEntry[]>(
    () => ids.map((id, i) => ({ key: id, name: names[i] ?? id, color: COLORS[i % COLORS.length]! })),
    [ids, names],
  );
  return (
    <section className="card chart-card" aria-labelledby="chart-title">
      <header className="card-header">
        <h2 id="chart-title">Hashrate</h2>
        <RangeButtons />
      </header>
      <figure
        className="chart"
        data-testid="hashrate-chart"
        data-points={rows.length}
        aria-label={`Hashrate per miner over the last ${RANGE_LABEL[range]}`}
      >
        {rows.length === 0 ? (
          <p className="muted chart-empty">No hashrate data yet.</p>
        ) : (
          <>
            <LineChart responsive data={rows} style={CHART_STYLE}>
              <CartesianGrid
                strokeDasharray="3 3"
                stroke="var(--border)"
                verticalCoordinatesGenerator={verticalGridLines}
              />
              <XAxis
                dataKey="at"
                type="number"
                scale="time"
                domain={[from, 'dataMax']}
                ticks={ticks}
                tickFormatter={AXIS_TIME[range]}
                stroke="var(--muted)"
              />
              <YAxis tickFormatter={axisHashrate} width={90} stroke="var(--muted)" />
              <Tooltip formatter={tooltipValue} labelFormatter={tooltipLabel} contentStyle={TOOLTIP_STYLE} />
              {legend.map((entry) => (
                <Line
                  key={entry.key}
                  type="monotone"
                  dataKey={lineKey(entry.key)}
                  name={entry.name}
                  stroke={entry.color}
                  dot={false}
                  strokeWidth={2}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
            <ChartLegend entries={legend} />
          </>
        )}
      </figure>
    </section>
  );
});
