// The dashboard chart: one line per miner over 5 m / 1 h / 24 h. Rows are rebuilt from the bounded
// series only when the chart version, the range or the miner set changes; no animation.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import { formatHashrate } from '../format/hashrate';
import { formatClock } from '../format/time';
import { CHART_RANGES, RANGE_LABEL, RANGE_MS, type ChartRange } from '../store/chartRange';
import { buildChartRows, lineKey } from '../store/chartRows';
import { useChartStore } from '../store/chartStore';
import { MINUTE_MS } from '../store/hashrateSeries';
import { useMinersStore } from '../store/minersStore';
import { useUiStore } from '../store/uiStore';

const COLORS = ['#2f81f7', '#e5534b', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#f0883e'];

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

const axisTime = (range: ChartRange) => (ms: number) => formatClock(ms, range === '5m');

/** One x-axis label per minute (5 m), 10 minutes (1 h) or 4 hours (24 h), on local clock boundaries. */
const TICK_STEP_MS: Record<ChartRange, number> = {
  '5m': MINUTE_MS,
  '1h': 10 * MINUTE_MS,
  '24h': 240 * MINUTE_MS,
};

/**
 * Explicit ticks: with a time scale recharts otherwise makes every row a candidate tick and measures
 * each label in the DOM to pick the ones that fit (a forced layout per row, on every 1 Hz update).
 */
function timeTicks(from: number, to: number, step: number): number[] {
  const shift = -new Date(to).getTimezoneOffset() * MINUTE_MS;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + shift) / step) * step - shift; t <= to; t += step) ticks.push(t);
  return ticks;
}

const tooltipValue = (value: unknown): string => (typeof value === 'number' ? formatHashrate(value) : '—');

export const HashrateChart = memo(function HashrateChart() {
  const version = useChartStore((s) => s.version);
  const series = useChartStore((s) => s.series);
  const range = useUiStore((s) => s.chartRange);
  const ids = useMinersStore((s) => s.order);
  const names = useMinersStore(useShallow((s) => s.order.map((id) => s.byId[id]?.name ?? id)));
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
          <LineChart responsive data={rows} style={{ width: '100%', height: 260 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
            <XAxis
              dataKey="at"
              type="number"
              scale="time"
              domain={[from, 'dataMax']}
              ticks={ticks}
              tickFormatter={axisTime(range)}
              stroke="var(--muted)"
            />
            <YAxis tickFormatter={(v: number) => formatHashrate(v)} width={90} stroke="var(--muted)" />
            <Tooltip
              formatter={tooltipValue}
              labelFormatter={(v) => (typeof v === 'number' ? formatClock(v) : '')}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }}
            />
            <Legend />
            {ids.map((id, i) => (
              <Line
                key={id}
                type="monotone"
                dataKey={lineKey(id)}
                name={names[i] ?? id}
                stroke={COLORS[i % COLORS.length]}
                dot={false}
                strokeWidth={2}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        )}
      </figure>
    </section>
  );
});
