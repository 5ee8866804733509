// Two-tier history of one value over time, used by the engine (hashrate, measured CPU) and the renderer
// (chart lines): every sample of the last minutes plus 1-minute means for a day, both in bounded rings.
import type { HashratePoint } from '../model';
import { PointRing } from './point-ring';

export const MINUTE_MS = 60_000;

export interface TwoTierOptions {
  /** How far back raw samples are served (query); older minutes come from the minute tier. */
  rawWindowMs?: number;
  /** Smallest expected sample interval; sizes the raw ring so the raw window always fits. */
  minSampleIntervalMs?: number;
  /** Explicit raw ring size (overrides the window-based size). */
  rawCapacity?: number;
  /** How many minute means are kept (default: 24 hours). */
  minuteCapacity?: number;
}

export class TwoTierSeries {
  readonly rawWindowMs: number;
  readonly raw: PointRing;
  readonly minutes: PointRing;
  private bucketStart = -1;
  private bucketSum = 0;
  private bucketCount = 0;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(options: TwoTierOptions = {}) {
    this.rawWindowMs = options.rawWindowMs ?? 5 * MINUTE_MS;
    const minInterval = options.minSampleIntervalMs ?? 250;
    this.raw = new PointRing(options.rawCapacity ?? Math.ceil(this.rawWindowMs / minInterval) + 1);
    this.minutes = new PointRing(options.minuteCapacity ?? 24 * 60);
  }

  /**
   * Adds one sample; returns false when it was dropped: a value that is no rate (non-finite, negative) or a
   * time not after the last sample (a clock step or a duplicate must not corrupt the tiers).
   */
  add(at: number, value: number): boolean;
  add(point: HashratePoint): boolean;
  add(pointOrAt: HashratePoint | number, maybeValue?: number): boolean {
    const at = typeof pointOrAt === 'number' ? pointOrAt : pointOrAt.at;
    const value = typeof pointOrAt === 'number' ? (maybeValue ?? Number.NaN) : pointOrAt.value;
    if (!Number.isFinite(value) || !Number.isFinite(at) || value < 0 || at <= this.lastAt) return false;
    this.lastAt = at;
    this.raw.push(at, value);
    const bucket = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    if (bucket !== this.bucketStart) {
      this.closeBucket();
      this.bucketStart = bucket;
    }
    this.bucketSum += value;
    this.bucketCount += 1;
    return true;
  }

  /** The mean of the minute still being filled, or null. */
  currentMinute(): HashratePoint | null {
    if (this.bucketCount === 0) return null;
    return { at: this.bucketStart, value: this.bucketSum / this.bucketCount };
  }

  /**
   * Points in [from, to]: raw samples where the raw tier still covers the time (the raw window before
   * `now`), 1-minute means for minutes that began before that. Oldest first.
   */
  query(from: number, to: number, now: number): HashratePoint[] {
    const rawStart = now - this.rawWindowMs;
    const older = this.minutes.tail(
      (at) => at >= from && at <= to && at < rawStart,
      (at) => at + MINUTE_MS < from,
    );
    const recent = this.raw.tail(
      (at) => at >= from && at <= to && at >= rawStart,
      (at) => at < Math.max(from, rawStart),
    );
    return older.concat(recent);
  }

  /** Points at or after `from`: raw samples for short windows, minute means (plus the live minute) otherwise. */
  pointsSince(from: number, useRaw: boolean): HashratePoint[] {
    if (useRaw) return this.raw.slice(this.raw.indexFrom(from));
    const points = this.minutes.slice(this.minutes.indexFrom(from));
    const live = this.currentMinute();
    if (live && live.at >= from) points.push(live);
    return points;
  }

  /** Every point this series knows, oldest first, with raw samples preferred over minute means. */
  allPoints(): HashratePoint[] {
    const firstRaw = this.raw.length > 0 ? this.raw.timeAt(0) : null;
    const older =
      firstRaw === null ? this.minutes.toArray() : this.minutes.tail((at) => at + MINUTE_MS <= firstRaw);
    return [...older, ...this.raw.toArray()];
  }

  /** Completed minute means only (the current minute is still filling). */
  minutePoints(): HashratePoint[] {
    return this.minutes.toArray();
  }

  /** Time of the oldest point either tier still holds (null when empty). */
  oldestAt(): number | null {
    const candidates = [this.minutes.timeAt(0), this.raw.timeAt(0)].filter((t) => !Number.isNaN(t));
    return candidates.length > 0 ? Math.min(...candidates) : null;
  }

  get rawSize(): number {
    return this.raw.length;
  }

  get minuteSize(): number {
    return this.minutes.length;
  }

  private closeBucket(): void {
    if (this.bucketCount > 0 && this.bucketStart > this.minutes.lastTime()) {
      this.minutes.push(this.bucketStart, this.bucketSum / this.bucketCount);
    }
    this.bucketSum = 0;
    this.bucketCount = 0;
  }
}
