// Axis, grid and tooltip settings of the hashrate chart, chosen so recharts measures only the few
// tick labels in the DOM and never sees a changed prop it would copy into its store and render for.
import type { CartesianGridProps } from 'recharts';
import { formatHashrate } from '../format/hashrate';
import { formatClock } from '../format/time';
import type { ChartRange } from '../store/chartRange';
import { MINUTE_MS } from '../store/hashrateSeries';

/**
 * Formatters and styles are module constants: recharts copies axis props into its internal store and
 * dispatches an update (one more chart render) whenever one of them is a new function or object.
 */
export const AXIS_TIME: Record<ChartRange, (ms: number) => string> = {
  '5m': (ms) => formatClock(ms, true),
  '1h': (ms) => formatClock(ms, false),
  '24h': (ms) => formatClock(ms, false),
};
export const axisHashrate = (v: number): string => formatHashrate(v);
export const tooltipValue = (value: unknown): string =>
  typeof value === 'number' ? formatHashrate(value) : '—';
export const tooltipLabel = (v: unknown): string => (typeof v === 'number' ? formatClock(v) : '');
export const TOOLTIP_STYLE = { background: 'var(--surface)', border: '1px solid var(--border)' };

/** One x-axis label per minute (5 m), 10 minutes (1 h) or 4 hours (24 h), on local clock boundaries. */
export const TICK_STEP_MS: Record<ChartRange, number> = {
  '5m': MINUTE_MS,
  '1h': 10 * MINUTE_MS,
  '24h': 240 * MINUTE_MS,
};

/**
 * Explicit ticks: with a time scale recharts otherwise makes every row a candidate tick and measures
 * each label in the DOM to pick the ones that fit (a forced layout per row, on every 1 Hz update).
 * Measuring these few labels is cheap (recharts caches sizes by text) and keeps the edge labels inside.
 */
export function timeTicks(from: number, to: number, step: number): number[] {
  const shift = -new Date(to).getTimezoneOffset() * MINUTE_MS;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + shift) / step) * step - shift; t <= to; t += step) ticks.push(t);
  return ticks;
}

type GridLines = NonNullable<CartesianGridProps['verticalCoordinatesGenerator']>;

/**
 * Vertical grid lines at the explicit time ticks plus both edges. recharts' default generator measures
 * tick labels in the DOM, and on the chart's first pass (before the XAxis has registered) it does so
 * for an implicit category axis with one label per row: ~100 forced layouts when the chart mounts.
 */
export const verticalGridLines: GridLines = ({ xAxis, offset }) => {
  const left = offset.left ?? 0;
  const lines = [left, left + (offset.width ?? 0)];
  const scale = xAxis?.type === 'number' ? xAxis.scale : undefined;
  if (!scale) return lines;
  for (const t of xAxis?.ticks ?? []) {
    const x = scale.map(t);
    if (x !== undefined && Number.isFinite(x)) lines.push(x);
  }
  return lines;
};
