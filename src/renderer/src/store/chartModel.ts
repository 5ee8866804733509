// How each range is drawn: its source (raw samples or minute means), bucket width for at most one value
// per two pixels, and the gap beyond which a line breaks; and building one decimated line from a series.
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
  /** 1: a bucket is one sample; 2: a bucket is its minimum and maximum. */
  slots: 1 | 2;
  gapMs: number;
}

/** Plot pixels per drawn value: at most one value per two pixels per line. */
const PX_PER_VALUE = 2;

/**
 * How `range` is drawn on a plot `plotWidth` px wide: the data's own resolution when it fits (5 m of
 * samples, 1 h of minutes), else min/max buckets sized so each line has at most one value per two pixels.
 */
export function rangeSpec(range: ChartRange, plotWidth: number, statsIntervalMs: number): RangeSpec {
  const source = range === '5m' ? 'raw' : 'minutes';
  const resolution = source === 'raw' ? Math.max(250, statsIntervalMs) : MINUTE_MS;
  const values = Math.max(100, Math.floor(plotWidth / PX_PER_VALUE));
  // A missed sample or two is a slow API, not a stop; a stop is also marked by its event.
  const gapMs = source === 'raw' ? Math.max(5000, 3 * resolution) : 2.5 * MINUTE_MS;
  if (RANGE_MS[range] / resolution <= values) return { range, source, bucketMs: resolution, slots: 1, gapMs };
  const bucketMs = Math.ceil(RANGE_MS[range] / (values / 2) / resolution) * resolution;
  return { range, source, bucketMs, slots: 2, gapMs };
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
