// A fixed-capacity ring of (time, value) points in two Float64Arrays: O(1) push and no object per sample,
// so 100 miners x 2 series x 5 minutes of 1 Hz points add nothing for a garbage collector to trace.
import type { HashratePoint } from '../model';

export class PointRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('PointRing capacity must be >= 1');
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(at: number, value: number): void {
    const end = (this.start + this.count) % this.capacity;
    this.times[end] = at;
    this.values[end] = value;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Time of the i-th oldest point (0 = oldest); NaN out of range. */
  timeAt(index: number): number {
    if (index < 0 || index >= this.count) return Number.NaN;
    return this.times[(this.start + index) % this.capacity]!;
  }

  at(index: number): HashratePoint | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const k = (this.start + index) % this.capacity;
    return { at: this.times[k]!, value: this.values[k]! };
  }

  last(): HashratePoint | undefined {
    return this.at(this.count - 1);
  }

  lastTime(): number {
    return this.count > 0 ? this.timeAt(this.count - 1) : Number.NEGATIVE_INFINITY;
  }

  /** Index of the first point at or after `from` (points are in time order). */
  indexFrom(from: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) >= from) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Points from index `from` (inclusive) to the newest, oldest first. */
  slice(from = 0): HashratePoint[] {
    const out: HashratePoint[] = [];
    for (let i = Math.max(0, from); i < this.count; i += 1) out.push(this.at(i)!);
    return out;
  }

  toArray(): HashratePoint[] {
    return this.slice(0);
  }

  /** Points whose time passes `keep`, scanning from the newest backwards until `stop` says so; oldest first. */
  tail(keep: (at: number) => boolean, stop: (at: number) => boolean = () => false): HashratePoint[] {
    const out: HashratePoint[] = [];
    for (let i = this.count - 1; i >= 0; i -= 1) {
      const k = (this.start + i) % this.capacity;
      const at = this.times[k]!;
      if (stop(at)) break;
      if (keep(at)) out.push({ at, value: this.values[k]! });
    }
    return out.reverse();
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }
}
