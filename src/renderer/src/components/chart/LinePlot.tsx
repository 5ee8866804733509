// One recharts plot of decimated hashrate lines: each line carries its own points (null = a break, so
// gaps stay gaps), explicit time and value ticks in one unit, event markers and a tooltip that reads the
// nearest point of every line. Used for the shared chart and for each small multiple.
import { memo, useCallback, useMemo, useRef } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type XAxisTickContentProps,
} from 'recharts';
import type { HistoryEvent, HistoryEventKind } from '../../../../shared/contract';
import { formatHashrate } from '../../format/hashrate';
import { formatClock, formatDateTime, formatDay } from '../../format/time';
import type { ChartRange } from '../../store/chartRange';
import type { ChartPoint } from '../../store/decimate';
import { linearAxis, logAxis, TICK_STEP_MS, timeTicks, verticalGridLines, type ValueAxis } from './chartAxes';

export interface PlotLine {
  id: string;
  name: string;
  color: string;
  points: ChartPoint[];
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
  lines: readonly PlotLine[];
  events: readonly PlotEvent[];
  from: number;
  to: number;
  range: ChartRange;
  scale: 'linear' | 'log';
  height: number;
  /** Points further apart than this are not the same moment for the tooltip. */
  toleranceMs: number;
  compact?: boolean;
}

const HOVER_SLOTS = 240;
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

/** The value of `points` nearest to `at` within `tolerance`, or null (a break or nothing close). */
export function valueAt(points: readonly ChartPoint[], at: number, tolerance: number): number | null {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as ChartPoint).at < at) lo = mid + 1;
    else hi = mid;
  }
  let best: ChartPoint | null = null;
  for (const p of [points[lo - 1], points[lo]]) {
    if (
      p &&
      p.v !== null &&
      Math.abs(p.at - at) <= tolerance &&
      (!best || Math.abs(p.at - at) < Math.abs(best.at - at))
    )
      best = p;
  }
  return best?.v ?? null;
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

function valueAxisOf(lines: readonly PlotLine[], scale: 'linear' | 'log'): ValueAxis {
  let max = 0;
  let minPositive = Number.POSITIVE_INFINITY;
  for (const l of lines) {
    for (const p of l.points) {
      if (p.v === null) continue;
      if (p.v > max) max = p.v;
      if (p.v > 0 && p.v < minPositive) minPositive = p.v;
    }
  }
  return scale === 'log' ? logAxis(minPositive, max) : linearAxis(max);
}

export const LinePlot = memo(function LinePlot(props: Props) {
  const { lines, events, from, to, range, scale, height, toleranceMs, compact = false } = props;
  const axis = useMemo(() => valueAxisOf(lines, scale), [lines, scale]);
  const yTicks = useStableNumbers(axis.ticks);
  const yDomain = useStableNumbers(axis.domain);
  const xTicks = useStableNumbers(timeTicks(from, to, TICK_STEP_MS[range]));
  const unit = axis.unit;
  // The formatter changes only with the axis unit and tick precision, not every second.
  const formatKey = `${unit}:${axis.format(yTicks[1] ?? 0)}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- formatKey captures what the formatter depends on
  const yFormat = useCallback(axis.format, [formatKey]);
  // Log scales cannot draw 0 H/s: such points become breaks.
  const drawn = useMemo(
    () =>
      scale === 'log'
        ? lines.map((l) => ({
            ...l,
            points: l.points.map((p) => (p.v !== null && p.v <= 0 ? { at: p.at, v: null } : p)),
          }))
        : lines,
    [lines, scale],
  );
  // The tooltip snaps to these slots; each line's value is then looked up by time.
  const slotStart = Math.floor(from / 1000) * 1000;
  const hoverRows = useMemo(() => {
    const step = Math.max(1000, Math.round((to - slotStart) / HOVER_SLOTS));
    const rows: { at: number }[] = [];
    for (let t = slotStart; t <= to; t += step) rows.push({ at: t });
    return rows;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- new slots every 10 s are enough for hovering
  }, [slotStart - (slotStart % 10_000), range]);
  const linesRef = useRef(drawn);
  linesRef.current = drawn;
  const tooltip = useCallback(
    ({ active, label }: { active?: boolean; label?: unknown }) => {
      if (!active || typeof label !== 'number') return null;
      const rows = linesRef.current
        .map((l) => ({ l, v: valueAt(l.points, label, toleranceMs) }))
        .filter((r) => r.v !== null);
      return (
        <div className="chart-tooltip">
          <p className="chart-tooltip-time">{formatDateTime(label)}</p>
          {rows.length === 0 ? (
            <p className="muted">Not mining</p>
          ) : (
            rows.map(({ l, v }) => (
              <p key={l.id}>
                <span className="chart-tooltip-swatch" style={{ background: l.color }} aria-hidden="true" />
                {l.name}: {formatHashrate(v)}
              </p>
            ))
          )}
        </div>
      );
    },
    [toleranceMs],
  );
  return (
    <LineChart
      responsive
      data={hoverRows}
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
        domain={[from, to]}
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
      <Tooltip content={tooltip} isAnimationActive={false} wrapperStyle={TOOLTIP_WRAPPER} />
      {drawn.map((l) => (
        <Line
          key={l.id}
          data={l.points}
          dataKey="v"
          name={l.name}
          type="linear"
          stroke={l.color}
          dot={false}
          activeDot={false}
          strokeWidth={compact ? 1.5 : 2}
          isAnimationActive={false}
          connectNulls={false}
          className={`chart-line chart-line-${l.id}`}
        />
      ))}
      {events.map(({ id, color, event }) => (
        <ReferenceLine
          key={`${id}:${event.kind}:${event.at}`}
          x={event.at}
          stroke={color}
          strokeDasharray="2 3"
          ifOverflow="discard"
          className={`chart-marker chart-marker-${event.kind}`}
          label={{ value: MARKER_GLYPHS[event.kind], position: 'top', fill: color, fontSize: 12 }}
        />
      ))}
    </LineChart>
  );
});
