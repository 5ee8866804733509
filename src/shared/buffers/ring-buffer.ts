// A fixed-capacity ring buffer shared by the engine and the renderer: O(1) append that overwrites the
// oldest item once full, so a 1 Hz stream of log lines or samples never copies a growing array.

export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** The same as `length` (the engine's older name for it). */
  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Item by age: 0 is the oldest kept item. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** First index whose item satisfies `pred`, assuming items are ordered so pred is monotonic. */
  lowerBound(pred: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pred(this.at(mid) as T)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Copies items from `from` (inclusive) to the end, oldest first. */
  slice(from = 0): T[] {
    const out: T[] = [];
    for (let i = Math.max(0, from); i < this.count; i += 1) out.push(this.at(i) as T);
    return out;
  }

  toArray(): T[] {
    return this.slice(0);
  }

  /** Items for which `keep` is true, scanning from the newest backwards until `stop` says so; oldest first. */
  tail(keep: (item: T) => boolean, stop: (item: T) => boolean = () => false): T[] {
    const out: T[] = [];
    for (let i = this.count - 1; i >= 0; i -= 1) {
      const item = this.at(i) as T;
      if (stop(item)) break;
      if (keep(item)) out.push(item);
    }
    return out.reverse();
  }
}
