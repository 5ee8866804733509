// Two-tier hashrate history for one miner (the shared series: raw samples for the last minutes and
// one-minute means for the last day), and merging fetched history into it.
import type { HashratePoint } from '../../../shared/model';
import { MINUTE_MS, TwoTierSeries } from '../../../shared/buffers/two-tier-series';

export { MINUTE_MS };
export const RAW_WINDOW_MS = 5 * MINUTE_MS;
/** 5 minutes at the fastest allowed stats interval (250 ms). */
export const RAW_CAPACITY = 1200;
/** 24 hours of one-minute points. */
export const MINUTE_CAPACITY = 24 * 60;

/** The chart's two tiers: the shared series sized for 5 minutes at 250 ms and a day of minutes. */
export class HashrateSeries extends TwoTierSeries {
  constructor() {
    super({ rawWindowMs: RAW_WINDOW_MS, rawCapacity: RAW_CAPACITY, minuteCapacity: MINUTE_CAPACITY });
  }
}

/** A new series holding `existing`'s points merged with `history` (deduplicated by time, sorted). */
export function mergeHistory(
  existing: HashrateSeries | undefined,
  history: readonly HashratePoint[],
): HashrateSeries {
  const byTime = new Map<number, HashratePoint>();
  for (const p of history) byTime.set(p.at, p);
  // Live samples win over history for the same instant: they are what the user already saw.
  if (existing) for (const p of existing.allPoints()) byTime.set(p.at, p);
  const merged = new HashrateSeries();
  for (const p of [...byTime.values()].sort((a, b) => a.at - b.at)) merged.add(p);
  return merged;
}
