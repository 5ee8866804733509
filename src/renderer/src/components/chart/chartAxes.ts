// Axis, grid and tooltip settings of the hashrate chart: explicit time ticks on local clock boundaries
// (dates on the day view), hashrate ticks in one unit per axis (linear or log) or CPU %, and module-constant
// formatters, since recharts copies axis props into its store and re-renders when one is new.
import type { CartesianGridProps } from 'recharts';
import type { ChartRange } from '../../store/chartRange';
import { MINUTE_MS } from '../../store/hashrateSeries';

/** One x-axis label per minute (5 m), 10 minutes (1 h) or 4 hours (24 h), on local clock boundaries. */
export const TICK_STEP_MS: Record<ChartRange, number> = {
  '5m': MINUTE_MS,
  '1h': 10 * MINUTE_MS,
  '24h': 240 * MINUTE_MS,
};

/**
 * Explicit ticks: with a time scale recharts otherwise makes every row a candidate tick and measures
 * each label in the DOM to pick the ones that fit (a forced layout per row, on every 1 Hz update).
 */
export function timeTicks(from: number, to: number, step: number): number[] {
  const shift = -new Date(to).getTimezoneOffset() * MINUTE_MS;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + shift) / step) * step - shift; t <= to; t += step) ticks.push(t);
  return ticks;
}

const UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s'] as const;

export interface ValueAxis {
  /** [min, max] of the axis in H/s. */
  domain: [number, number];
  ticks: number[];
  /** The one unit every label of this axis uses. */
  unit: (typeof UNITS)[number] | '%';
  format: (hs: number) => string;
}

function unitFor(max: number): { unit: (typeof UNITS)[number]; divisor: number } {
  let unit = 0;
  let divisor = 1;
  while (max / divisor >= 1000 && unit < UNITS.length - 1) {
    divisor *= 1000;
    unit += 1;
  }
  return { unit: UNITS[unit] as (typeof UNITS)[number], divisor };
}

function decimalsFor(step: number): number {
  if (step >= 1) return 0;
  return Math.min(4, Math.ceil(-Math.log10(step) - 1e-9));
}

/** A linear axis from 0 to a "nice" maximum above `max`, with 4–6 ticks all in one unit. */
export function linearAxis(max: number): ValueAxis {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const { unit, divisor } = unitFor(top);
  const raw = top / divisor / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const count = Math.ceil(top / divisor / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => i * step * divisor);
  const digits = decimalsFor(step);
  return {
    domain: [0, count * step * divisor],
    ticks,
    unit,
    format: (hs) => `${(hs / divisor).toFixed(digits)} ${unit}`,
  };
}

/**
 * A linear axis for CPU use in % of the whole computer: from 0 to a nice step above `max` (at least 5 %,
 * so an idle miner's line does not fill the plot), labelled "25 %".
 */
export function percentAxis(max: number): ValueAxis {
  const top = Math.max(5, max > 0 && Number.isFinite(max) ? max : 0);
  const raw = top / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const count = Math.ceil(top / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => i * step);
  const digits = decimalsFor(step);
  return { domain: [0, count * step], ticks, unit: '%', format: (v) => `${v.toFixed(digits)} %` };
}

/** A log axis over whole decades around [min, max] (both > 0), labelled in the top decade's unit. */
export function logAxis(min: number, max: number): ValueAxis {
  const lo = 10 ** Math.floor(Math.log10(min > 0 && Number.isFinite(min) ? min : 1));
  let hi = 10 ** Math.ceil(Math.log10(max > 0 && Number.isFinite(max) ? max : 10));
  if (hi <= lo) hi = lo * 10;
  const { unit, divisor } = unitFor(hi);
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(t);
  return {
    domain: [lo, hi],
    ticks,
    unit,
    format: (hs) => {
      const v = hs / divisor;
      return `${v.toFixed(v >= 1 ? 0 : decimalsFor(v))} ${unit}`;
    },
  };
}

type GridLines = NonNullable<CartesianGridProps['verticalCoordinatesGenerator']>;

/**
 * Vertical grid lines at the explicit time ticks plus both edges. recharts' default generator measures
 * tick labels in the DOM, ~100 forced layouts when the chart mounts.
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
