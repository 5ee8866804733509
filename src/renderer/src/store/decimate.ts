// One chart line, decimated once and then appended to: each time bucket keeps its minimum and maximum
// (in time order, so spikes and dips survive) and whether the line is broken before it (a gap in time,
// or a stop, crash or new start), so gaps stay gaps when the lines are laid on the chart's grid.

/** One bucket of a line: its first-in-time extreme `a`, its second `b` (equal with one sample). */
export interface Bucket {
  start: number;
  a: number;
  b: number;
  /** The line must not be joined from the previous bucket to this one. */
  breakBefore: boolean;
}

interface Member {
  at: number;
  v: number;
}

export interface LineOptions {
  /** Width of one bucket: about two pixels of plot per value slot. */
  bucketMs: number;
  /** Consecutive samples further apart than this are not joined. */
  gapMs: number;
  /**
   * Time resolution of the samples (1 for raw samples, a minute for minute means): a break inside a
   * minute separates that minute from the one before, since the minute's point is stamped at its start.
   */
  pointResolutionMs: number;
}

export class DecimatedLine {
  /** Closed buckets, oldest first; `head` skips those that slid out of the range. */
  private closed: Bucket[] = [];
  private head = 0;
  private open: Bucket | null = null;
  private members: Member[] = [];
  private lastAt = Number.NEGATIVE_INFINITY;
  private breakAfter = Number.POSITIVE_INFINITY;
  /** Changes whenever what the line draws changes (a cheap identity for memoising rows). */
  revision = 0;

  constructor(readonly options: LineOptions) {}

  /**
   * Adds a sample, or replaces the newest one when `at` equals it (a minute mean still being filled).
   * Older samples are ignored: history is merged before the line is built, never into it.
   */
  put(at: number, v: number): void {
    if (!Number.isFinite(at) || !Number.isFinite(v)) return;
    if (at === this.lastAt) {
      const last = this.members[this.members.length - 1];
      if (last && last.at === at && last.v !== v) {
        last.v = v;
        this.refreshOpen();
      }
      return;
    }
    if (at < this.lastAt) return;
    const broken =
      Number.isFinite(this.lastAt) && (at - this.lastAt > this.options.gapMs || this.breakAfter <= at);
    const start = Math.floor(at / this.options.bucketMs) * this.options.bucketMs;
    if (!this.open || broken || start !== this.open.start) {
      this.closeOpen();
      // A break inside one bucket still separates: the part after it starts a bucket of its own time.
      const bucketStart = this.lastBucketStart() === start ? at : start;
      this.open = { start: bucketStart, a: v, b: v, breakBefore: broken };
      this.members = [];
    }
    this.breakAfter = Number.POSITIVE_INFINITY;
    this.members.push({ at, v });
    this.lastAt = at;
    this.refreshOpen();
  }

  /**
   * The miner stopped, crashed or started a new process at `at`: the next sample at or after it is not
   * joined to the one before. An event older than the newest sample (it arrived late) breaks the next join.
   */
  markBreak(at: number): void {
    const res = this.options.pointResolutionMs;
    const t = Math.max(Math.floor(at / res) * res, this.lastAt);
    this.breakAfter = Math.min(this.breakAfter, t);
  }

  /** The buckets starting at or after `from`, oldest first (the open one last); a shared view, not a copy. */
  bucketsFrom(from: number): readonly Bucket[] {
    while (this.head < this.closed.length && (this.closed[this.head] as Bucket).start < from) this.head += 1;
    // Compact now and then, so a line streaming for days does not keep every bucket it ever drew.
    if (this.head > 512 && this.head * 2 > this.closed.length) {
      this.closed = this.closed.slice(this.head);
      this.head = 0;
    }
    const out = this.closed.slice(this.head);
    if (this.open && this.open.start >= from) out.push(this.open);
    return out;
  }

  private lastBucketStart(): number | null {
    return this.open?.start ?? this.closed[this.closed.length - 1]?.start ?? null;
  }

  private closeOpen(): void {
    if (this.open) this.closed.push(this.open);
    this.open = null;
  }

  private refreshOpen(): void {
    const open = this.open;
    const first = this.members[0];
    if (!open || !first) return;
    let min = first;
    let max = first;
    for (const m of this.members) {
      if (m.v < min.v) min = m;
      if (m.v > max.v) max = m;
    }
    const [a, b] = min.at <= max.at ? [min.v, max.v] : [max.v, min.v];
    // A new object: rows built from the old one keep what they drew.
    this.open = { ...open, a, b };
    this.revision += 1;
  }
}
