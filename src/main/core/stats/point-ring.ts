// A fixed-capacity ring of (time, value) points in two Float64Arrays: O(1) push and no object per sample,
// so 100 miners x 2 series x 5 minutes of 1 Hz points add nothing for the garbage collector to trace.
import type { HashratePoint } from '../../../shared/model';

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

  get size(): number {
    return this.count;
  }

  push(at: number, value: number): void {
    const end = (this.start + this.count) % this.capacity;
    this.times[end] = at;
    this.values[end] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  toArray(): HashratePoint[] {
    return this.tail(() => true);
  }

  /** Points whose time passes `keep`, scanning from the newest backwards until `stop` says so; oldest first. */
  tail(keep: (at: number) => boolean, stop: (at: number) => boolean = () => false): HashratePoint[] {
    const out: HashratePoint[] = [];
    for (let i = this.count - 1; i >= 0; i--) {
      const k = (this.start + i) % this.capacity;
      const at = this.times[k]!;
      if (stop(at)) break;
      if (keep(at)) out.push({ at, value: this.values[k]! });
    }
    return out.reverse();
  }
}
