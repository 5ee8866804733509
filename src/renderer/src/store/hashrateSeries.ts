// Two-tier hashrate history for one miner: raw samples for the last minutes and one-minute means
// for the last day, both in ring buffers, so memory stays bounded however long the app runs.
import type { HashratePoint } from '../../../shared/model';
import { RingBuffer } from './ringBuffer';

export const MINUTE_MS = 60_000;
export const RAW_WINDOW_MS = 5 * MINUTE_MS;
/** 5 minutes at the fastest allowed stats interval (250 ms). */
export const RAW_CAPACITY = 1200;
/** 24 hours of one-minute points. */
export const MINUTE_CAPACITY = 24 * 60;

interface MinuteBucket {
  start: number;
  sum: number;
  count: number;
}

export class HashrateSeries {
  readonly raw = new RingBuffer<HashratePoint>(RAW_CAPACITY);
  readonly minutes = new RingBuffer<HashratePoint>(MINUTE_CAPACITY);
  private bucket: MinuteBucket | null = null;

  /** Appends one sample; samples not newer than the last one are ignored (returns false). */
  add(point: HashratePoint): boolean {
    if (!Number.isFinite(point.value) || !Number.isFinite(point.at)) return false;
    const last = this.raw.last();
    if (last && point.at <= last.at) return false;
    this.raw.push(point);
    const start = Math.floor(point.at / MINUTE_MS) * MINUTE_MS;
    if (this.bucket && this.bucket.start !== start) this.closeBucket();
    if (!this.bucket) this.bucket = { start, sum: 0, count: 0 };
    this.bucket.sum += point.value;
    this.bucket.count += 1;
    return true;
  }

  /** The mean of the minute still being filled, or null. */
  currentMinute(): HashratePoint | null {
    if (!this.bucket || this.bucket.count === 0) return null;
    return { at: this.bucket.start, value: this.bucket.sum / this.bucket.count };
  }

  /** Points at or after `from`: raw samples for short windows, minute means (plus the live minute) otherwise. */
  pointsSince(from: number, useRaw: boolean): HashratePoint[] {
    if (useRaw) return this.raw.slice(this.raw.lowerBound((p) => p.at >= from));
    const points = this.minutes.slice(this.minutes.lowerBound((p) => p.at >= from));
    const live = this.currentMinute();
    if (live && live.at >= from) points.push(live);
    return points;
  }

  /** Every point this series knows, oldest first, with raw samples preferred over minute means. */
  allPoints(): HashratePoint[] {
    const firstRaw = this.raw.at(0);
    const older = firstRaw
      ? this.minutes.slice(0).filter((p) => p.at + MINUTE_MS <= firstRaw.at)
      : this.minutes.slice(0);
    return [...older, ...this.raw.toArray()];
  }

  private closeBucket(): void {
    const b = this.bucket;
    this.bucket = null;
    if (!b || b.count === 0) return;
    const last = this.minutes.last();
    if (last && b.start <= last.at) return;
    this.minutes.push({ at: b.start, value: b.sum / b.count });
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
