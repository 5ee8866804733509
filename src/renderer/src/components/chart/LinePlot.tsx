// One recharts plot of hashrate lines laid on a shared time grid (null cells are breaks, so gaps stay
// gaps), with explicit time and value ticks in one unit, event markers and a tooltip. Used for the
// shared chart and for each small multiple. Props that recharts copies into its store are kept stable.
import { memo, useCallback, useMemo, useRef } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
  type XAxisTickContentProps,
} from 'recharts';
import type { HistoryEvent, HistoryEventKind } from '../../../../shared/contract';
import { formatHashrate } from '../../format/hashrate';
import { formatClock, formatDateTime, formatDay } from '../../format/time';
import type { ChartRange } from '../../store/chartRange';
import { lineKey, type ChartRow } from '../../store/chartRows';
import { linearAxis, logAxis, TICK_STEP_MS, timeTicks, verticalGridLines, type ValueAxis } from './chartAxes';

export interface PlotSeries {
  id: string;
  name: string;
  color: string;
}

export interface PlotEvent {
  id: string;
  color: string;
  event: HistoryEvent;
}

export const MARKER_GLYPHS: Record<HistoryEventKind, string> = {
  start: '▶',
  resume: '▶',
  stop: '■',
  crash: '✕',
  pause: '‖',
  restart: '↻',
  throttle: '%',
  watchdog: '!',
};

interface Props {
  rows: readonly ChartRow[];
  series: readonly PlotSeries[];
  events: readonly PlotEvent[];
  from: number;
  to: number;
  range: ChartRange;
  scale: 'linear' | 'log';
  height: number;
  compact?: boolean;
}

const MARGIN = { top: 18, right: 12, bottom: 4, left: 4 };
const MARGIN_COMPACT = { top: 14, right: 12, bottom: 0, left: 0 };
const TOOLTIP_WRAPPER = { outline: 'none' };
const axisClock = (ms: number): string => formatClock(ms, false);

/** Keeps the previous array while the new one has the same numbers (recharts re-renders on new props). */
function useStableNumbers(next: number[]): number[] {
  const ref = useRef(next);
  const prev = ref.current;
  if (prev.length !== next.length || prev.some((v, i) => v !== next[i])) ref.current = next;
  return ref.current;
}

/** The day view's tick: the time, and the date under it. */
function DayTick({ x, y, payload, fill }: XAxisTickContentProps) {
  const value = Number(payload.value);
  const left = Number(x);
  return (
    <text x={left} y={Number(y) + 12} textAnchor="middle" fill={fill} className="chart-tick">
      <tspan x={left}>{formatClock(value, false)}</tspan>
      <tspan x={left} dy={14}>
        {formatDay(value)}
      </tspan>
    </text>
  );
}

/** Date and time, then each line that has a value at that moment (a module constant for recharts). */
function ChartTooltip({ active, label, payload }: TooltipContentProps) {
  if (!active || typeof label !== 'number') return null;
  const entries = (payload ?? []).filter((p) => typeof p.value === 'number');
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-time">{formatDateTime(label)}</p>
      {entries.length === 0 ? (
        <p className="muted">Not mining</p>
      ) : (
        entries.map((p) => (
          <p key={String(p.dataKey)}>
            <span className="chart-tooltip-swatch" style={{ background: p.color }} aria-hidden="true" />
            {p.name}: {formatHashrate(p.value as number)}
          </p>
        ))
      )}
    </div>
  );
}

function valueAxisOf(
  rows: readonly ChartRow[],
  series: readonly PlotSeries[],
  scale: 'linear' | 'log',
): ValueAxis {
  let max = 0;
  let minPositive = Number.POSITIVE_INFINITY;
  const keys = series.map((s) => lineKey(s.id));
  for (const row of rows) {
    for (const k of keys) {
      const v = row[k];
      if (typeof v !== 'number') continue;
      if (v > max) max = v;
      if (v > 0 && v < minPositive) minPositive = v;
    }
  }
  return scale === 'log' ? logAxis(minPositive, max) : linearAxis(max);
}

export const LinePlot = memo(function LinePlot(props: Props) {
  const { rows, series, events, from, to, range, scale, height, compact = false } = props;
  const axis = useMemo(() => valueAxisOf(rows, series, scale), [rows, series, scale]);
  const yTicks = useStableNumbers(axis.ticks);
  const yDomain = useStableNumbers(axis.domain);
  const xTicks = useStableNumbers(timeTicks(from, to, TICK_STEP_MS[range]));
  // The formatter changes only with the axis unit and tick precision, not every second.
  const formatKey = `${axis.unit}:${axis.format(yTicks[1] ?? 0)}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- formatKey captures what the formatter depends on
  const yFormat = useCallback(axis.format, [formatKey]);
  const lines = useMemo(
    () =>
      series.map((s) => (
        <Line
          key={s.id}
          dataKey={lineKey(s.id)}
          name={s.name}
          type="linear"
          stroke={s.color}
          dot={false}
          activeDot={false}
          strokeWidth={compact ? 1.5 : 2}
          isAnimationActive={false}
          connectNulls={false}
          className={`chart-line chart-line-${s.id}`}
        />
      )),
    [series, compact],
  );
  // Markers change only when an event happens: the same elements are reused on every other update.
  const markerKey = events.map((e) => `${e.id}:${e.event.kind}:${e.event.at}:${e.color}`).join('|');
  const markers = useMemo(
    () =>
      events.map(({ id, color, event }) => (
        <ReferenceLine
          key={`${id}:${event.kind}:${event.at}`}
          x={event.at}
          stroke={color}
          strokeDasharray="2 3"
          ifOverflow="discard"
          className={`chart-marker chart-marker-${event.kind}`}
          label={{ value: MARKER_GLYPHS[event.kind], position: 'top', fill: color, fontSize: 12 }}
        />
      )),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- markerKey is the content of `events`
    [markerKey],
  );
  const xDomain = useStableNumbers([from, to]);
  return (
    <LineChart
      responsive
      data={rows as ChartRow[]}
      style={{ width: '100%', height }}
      margin={compact ? MARGIN_COMPACT : MARGIN}
    >
      <CartesianGrid
        strokeDasharray="3 3"
        stroke="var(--border)"
        verticalCoordinatesGenerator={verticalGridLines}
      />
      <XAxis
        dataKey="at"
        type="number"
        scale="time"
        domain={xDomain as [number, number]}
        allowDataOverflow
        ticks={xTicks}
        tickFormatter={axisClock}
        tick={range === '24h' && !compact ? DayTick : true}
        height={range === '24h' && !compact ? 40 : 24}
        stroke="var(--muted)"
      />
      <YAxis
        type="number"
        scale={scale}
        domain={yDomain as [number, number]}
        allowDataOverflow
        ticks={yTicks}
        tickFormatter={yFormat}
        width={compact ? 72 : 84}
        stroke="var(--muted)"
      />
      <Tooltip content={ChartTooltip} isAnimationActive={false} wrapperStyle={TOOLTIP_WRAPPER} />
      {lines}
      {markers}
    </LineChart>
  );
});
