// How each range is drawn: its source (raw samples or minute means), bucket width for about one point
// per pixel, and the gap beyond which a line breaks; and building one decimated line from a series.
import type { HistoryEvent } from '../../../shared/contract';
import { BREAK_KINDS } from './chartEvents';
import { RANGE_MS, type ChartRange } from './chartRange';
import { DecimatedLine } from './decimate';
import { MINUTE_MS, type HashrateSeries } from './hashrateSeries';

export interface RangeSpec {
  range: ChartRange;
  /** Raw samples (one per stats interval) or one-minute means. */
  source: 'raw' | 'minutes';
  bucketMs: number;
  gapMs: number;
}

/** Fewer buckets than this would make a short range blocky; more would not fit any screen. */
const MIN_BUCKETS = 100;
const MAX_BUCKETS = 1000;

/**
 * A spec for `range` on a plot `plotWidth` px wide: min/max buckets of two pixels (so at most about one
 * point per pixel per line), never narrower than the data's own resolution.
 */
export function rangeSpec(range: ChartRange, plotWidth: number, statsIntervalMs: number): RangeSpec {
  const source = range === '5m' ? 'raw' : 'minutes';
  const resolution = source === 'raw' ? Math.max(250, statsIntervalMs) : MINUTE_MS;
  const buckets = Math.min(MAX_BUCKETS, Math.max(MIN_BUCKETS, Math.floor(plotWidth / 2)));
  const bucketMs = Math.max(1, Math.ceil(RANGE_MS[range] / buckets / resolution)) * resolution;
  // A missed sample or two is a slow API, not a stop; a stop is also marked by its event.
  const gapMs = source === 'raw' ? Math.max(5000, 3 * resolution) : 2.5 * MINUTE_MS;
  return { range, source, bucketMs, gapMs };
}

/** Builds one line from a series' points in [from, now] and the events that break it. */
export function buildLine(
  series: HashrateSeries | undefined,
  events: readonly HistoryEvent[],
  spec: RangeSpec,
  from: number,
): DecimatedLine {
  const line = new DecimatedLine({
    bucketMs: spec.bucketMs,
    gapMs: spec.gapMs,
    pointResolutionMs: spec.source === 'raw' ? 1 : MINUTE_MS,
  });
  const points = series?.pointsSince(from, spec.source === 'raw') ?? [];
  const breaks = events.filter((e) => BREAK_KINDS.has(e.kind) && e.at >= from);
  let b = 0;
  for (const p of points) {
    while (b < breaks.length && (breaks[b] as HistoryEvent).at < p.at) {
      line.markBreak((breaks[b] as HistoryEvent).at);
      b += 1;
    }
    line.put(p.at, p.value);
  }
  for (; b < breaks.length; b += 1) line.markBreak((breaks[b] as HistoryEvent).at);
  return line;
}

/** The sample a live line takes after `series` got a new one: that sample, or the minute it updates. */
export function liveSample(series: HashrateSeries, spec: RangeSpec): { at: number; value: number } | null {
  if (spec.source === 'raw') return series.raw.last() ?? null;
  return series.currentMinute();
}
