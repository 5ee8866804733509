// The chart's selectable time ranges and how coarse each one is drawn, so every range stays
// within a few hundred rows whatever the stats interval.
import { MINUTE_MS } from './hashrateSeries';

export const CHART_RANGES = ['5m', '1h', '24h'] as const;
export type ChartRange = (typeof CHART_RANGES)[number];

export const RANGE_MS: Record<ChartRange, number> = {
  '5m': 5 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '24h': 24 * 60 * MINUTE_MS,
};

/** Row resolution: 1 s raw rows (≤ 300), minute rows (60), five-minute rows (288). */
export const RANGE_RESOLUTION_MS: Record<ChartRange, number> = {
  '5m': 1000,
  '1h': MINUTE_MS,
  '24h': 5 * MINUTE_MS,
};

export const RANGE_LABEL: Record<ChartRange, string> = { '5m': '5 m', '1h': '1 h', '24h': '24 h' };
