// The chart's selectable time ranges and how coarse each one is drawn, so every range stays
// within a few hundred rows whatever the stats interval. 7 d and 30 d come from the lasting history.
import { MINUTE_MS } from './hashrateSeries';

export const CHART_RANGES = ['5m', '1h', '24h', '7d', '30d'] as const;
export type ChartRange = (typeof CHART_RANGES)[number];

const DAY_MS = 24 * 60 * MINUTE_MS;

export const RANGE_MS: Record<ChartRange, number> = {
  '5m': 5 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
};

/** Row resolution: 1 s raw rows (≤ 300), minute rows (60), five-minute rows (288), 30 and 120 minutes (336, 360). */
export const RANGE_RESOLUTION_MS: Record<ChartRange, number> = {
  '5m': 1000,
  '1h': MINUTE_MS,
  '24h': 5 * MINUTE_MS,
  '7d': 30 * MINUTE_MS,
  '30d': 120 * MINUTE_MS,
};

export const RANGE_LABEL: Record<ChartRange, string> = {
  '5m': '5 m',
  '1h': '1 h',
  '24h': '24 h',
  '7d': '7 d',
  '30d': '30 d',
};

/**
 * Ranges read from the lasting history on disk: the main process answers them in buckets of this width
 * (10 minutes for 7 d, 30 minutes for 30 d), with gaps where a miner did not run.
 */
export const LONG_RANGE_STEP_MS: Partial<Record<ChartRange, number>> = {
  '7d': 10 * MINUTE_MS,
  '30d': 30 * MINUTE_MS,
};

export function isLongRange(range: ChartRange): boolean {
  return LONG_RANGE_STEP_MS[range] !== undefined;
}
