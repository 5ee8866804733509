// Two-tier hashrate history (the reference semantics): every sample of the last 5 minutes, plus
// 1-minute averages for 24 hours. Both tiers are rings, so a sample costs O(1) and memory is bounded.
import type { HashratePoint } from '../../../shared/model';
import { PointRing } from './point-ring';

export interface HistoryOptions {
  rawWindowMs?: number;
  /** Smallest expected sample interval; sizes the raw ring so 5 minutes always fit. */
  minSampleIntervalMs?: number;
  minuteRetentionMs?: number;
}

const MINUTE = 60_000;

export class HashrateHistory {
  readonly rawWindowMs: number;
  private readonly raw: PointRing;
  private readonly minutes: PointRing;
  private bucketStart = -1;
  private bucketSum = 0;
  private bucketCount = 0;
  private lastAt = -Infinity;

  constructor(options: HistoryOptions = {}) {
    this.rawWindowMs = options.rawWindowMs ?? 5 * MINUTE;
    const minInterval = options.minSampleIntervalMs ?? 250;
    this.raw = new PointRing(Math.ceil(this.rawWindowMs / minInterval) + 1);
    this.minutes = new PointRing(Math.ceil((options.minuteRetentionMs ?? 24 * 60 * MINUTE) / MINUTE));
  }

  /** Adds one sample; samples out of time order are dropped (a clock step must not corrupt the tiers). */
  add(at: number, value: number): void {
    if (!Number.isFinite(value) || value < 0 || at < this.lastAt) return;
    this.lastAt = at;
    this.raw.push(at, value);
    const bucket = Math.floor(at / MINUTE) * MINUTE;
    if (bucket !== this.bucketStart) {
      this.flushBucket();
      this.bucketStart = bucket;
    }
    this.bucketSum += value;
    this.bucketCount++;
  }

  private flushBucket(): void {
    if (this.bucketCount > 0) {
      this.minutes.push(this.bucketStart, this.bucketSum / this.bucketCount);
    }
    this.bucketSum = 0;
    this.bucketCount = 0;
  }

  /**
   * Points in [from, to]: raw samples where the raw tier still covers the time (the last 5 minutes
   * before `now`), 1-minute averages for minutes that began before that. Oldest first.
   */
  query(from: number, to: number, now: number): HashratePoint[] {
    const rawStart = now - this.rawWindowMs;
    const older = this.minutes.tail(
      (at) => at >= from && at <= to && at < rawStart,
      (at) => at + MINUTE < from,
    );
    const recent = this.raw.tail(
      (at) => at >= from && at <= to && at >= rawStart,
      (at) => at < Math.max(from, rawStart),
    );
    return older.concat(recent);
  }

  /** Completed minute averages only (the current minute is still filling). */
  minutePoints(): HashratePoint[] {
    return this.minutes.toArray();
  }

  get rawSize(): number {
    return this.raw.size;
  }

  get minuteSize(): number {
    return this.minutes.size;
  }
}
