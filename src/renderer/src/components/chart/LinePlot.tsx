// One recharts plot of hashrate lines laid on a shared time grid (null cells are breaks, so gaps stay
// gaps), with explicit time and value ticks in one unit, event markers and a tooltip. Used for the
// shared chart and for each small multiple. Props that recharts copies into its store are kept stable.
import { memo, useCallback, useMemo, useRef } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
  type XAxisTickContentProps,
} from 'recharts';
import type { HistoryEvent, HistoryEventKind } from '../../../../shared/contract';
import { formatHashrate } from '../../format/hashrate';
import { formatPercent } from '../../format/usage';
import { formatClock, formatDateTime, formatDay } from '../../format/time';
import type { ChartRange } from '../../store/chartRange';
import { lineKey, type ChartRow } from '../../store/chartRows';
import { linearAxis, logAxis, percentAxis, TICK_STEP_MS, timeTicks, verticalGridLines } from './chartAxes';

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
  /** The largest value and smallest positive value in `rows` (the grid knows them; no second scan). */
  max: number;
  minPositive: number;
  series: readonly PlotSeries[];
  events: readonly PlotEvent[];
  from: number;
  to: number;
  range: ChartRange;
  scale: 'linear' | 'log';
  /** What the values are: H/s, or CPU in % of the whole computer (always a linear axis). */
  unit?: 'hashrate' | 'percent';
  height: number;
  /** The plot's width when the caller measured it (no extra measuring pass); else it fills its box. */
  width?: number;
  compact?: boolean;
}

export const MARGIN = { top: 18, right: 12, bottom: 4, left: 4 };
export const MARGIN_COMPACT = { top: 14, right: 12, bottom: 0, left: 0 };
export const Y_AXIS_WIDTH = 84;
export const Y_AXIS_WIDTH_COMPACT = 72;
/** Height of the time axis under the plot (the day view's ticks have a second line for the date). */
export const xAxisHeight = (range: ChartRange, compact: boolean): number =>
  range === '24h' && !compact ? 40 : 24;
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

/**
 * Event markers drawn over the plot in HTML: a dashed line and a glyph at the event's time, in the
 * miner's colour, with the event as a tooltip. Positioned from the same fixed margins and domain the
 * plot uses; as recharts elements each marker would take part in every chart update and measure its
 * label in the DOM.
 */
const Markers = memo(MarkersImpl, (a, b) => {
  // Re-render only when what is drawn changes: the markers themselves, or the window they sit in.
  const keyOf = (p: MarkersProps) =>
    p.events.map((e) => `${e.id}:${e.event.kind}:${e.event.at}:${e.color}`).join('|');
  return (
    a.from === b.from &&
    a.to === b.to &&
    a.height === b.height &&
    a.range === b.range &&
    keyOf(a) === keyOf(b)
  );
});

interface MarkersProps {
  events: readonly PlotEvent[];
  from: number;
  to: number;
  range: ChartRange;
  compact: boolean;
  height: number;
}

function MarkersImpl(props: MarkersProps) {
  const { events, from, to, range, compact, height } = props;
  const margin = compact ? MARGIN_COMPACT : MARGIN;
  const left = margin.left + (compact ? Y_AXIS_WIDTH_COMPACT : Y_AXIS_WIDTH);
  const plotHeight = height - margin.top - margin.bottom - xAxisHeight(range, compact);
  const span = to - from;
  if (span <= 0 || events.length === 0) return null;
  return (
    <div
      className="chart-markers"
      style={{ left, right: margin.right, top: margin.top, height: plotHeight }}
      aria-hidden="true"
    >
      {events.map(({ id, color, event }) => {
        const share = (event.at - from) / span;
        if (share < 0 || share > 1) return null;
        return (
          <span
            key={`${id}:${event.kind}:${event.at}`}
            className={`chart-marker chart-marker-${event.kind}`}
            style={{ left: `${share * 100}%`, color }}
            title={event.text}
          >
            <span className="chart-marker-glyph">{MARKER_GLYPHS[event.kind]}</span>
          </span>
        );
      })}
    </div>
  );
}

/** Date and time, then each line that has a value at that moment (module constants for recharts). */
const HashrateTooltip = (props: TooltipContentProps) => ChartTooltip(props, formatHashrate);
const PercentTooltip = (props: TooltipContentProps) =>
  ChartTooltip(props, (v) => `${formatPercent(v)} of this computer`);

function ChartTooltip({ active, label, payload }: TooltipContentProps, format: (v: number) => string) {
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
            {p.name}: {format(p.value as number)}
          </p>
        ))
      )}
    </div>
  );
}

export const LinePlot = memo(function LinePlot(props: Props) {
  const {
    rows,
    max,
    minPositive,
    series,
    events,
    from,
    to,
    range,
    scale,
    unit = 'hashrate',
    height,
    width,
    compact = false,
  } = props;
  const margin = compact ? MARGIN_COMPACT : MARGIN;
  const axis = useMemo(
    () =>
      unit === 'percent' ? percentAxis(max) : scale === 'log' ? logAxis(minPositive, max) : linearAxis(max),
    [max, minPositive, scale, unit],
  );
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
  const xDomain = useStableNumbers([from, to]);
  // A new object here would be a changed prop on every update: kept until the size changes.
  const size = useMemo(
    () => (width === undefined ? { responsive: true, style: { width: '100%', height } } : { width, height }),
    [width, height],
  );
  return (
    <div className="plot" style={{ height }}>
      <LineChart {...size} data={rows as ChartRow[]} margin={margin}>
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
          height={xAxisHeight(range, compact)}
          stroke="var(--muted)"
        />
        <YAxis
          type="number"
          scale={unit === 'percent' ? 'linear' : scale}
          domain={yDomain as [number, number]}
          allowDataOverflow
          ticks={yTicks}
          tickFormatter={yFormat}
          width={compact ? Y_AXIS_WIDTH_COMPACT : Y_AXIS_WIDTH}
          stroke="var(--muted)"
        />
        <Tooltip
          content={unit === 'percent' ? PercentTooltip : HashrateTooltip}
          isAnimationActive={false}
          wrapperStyle={TOOLTIP_WRAPPER}
        />
        {lines}
      </LineChart>
      <Markers events={events} from={from} to={to} range={range} compact={compact} height={height} />
    </div>
  );
});
