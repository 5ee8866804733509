// One chart line, decimated once and then appended to: min/max per time bucket (about one point per
// pixel, spikes and dips kept), with explicit breaks where the miner did not run, so gaps stay gaps.

/** A drawn point; `v: null` is a break the line must not be drawn across. */
export interface ChartPoint {
  at: number;
  v: number | null;
}

interface Member {
  at: number;
  v: number;
}

/** Where two consecutive points may not be joined: the caller's gap rule and its break marks. */
export interface LineOptions {
  /** Width of one bucket; each bucket draws at most two points (its minimum and maximum). */
  bucketMs: number;
  /** Consecutive points further apart than this are not joined. */
  gapMs: number;
  /**
   * Time resolution of the points (1 for raw samples, a minute for minute means): a break inside a
   * minute separates that minute from the one before, since the minute's point is stamped at its start.
   */
  pointResolutionMs: number;
}

export class DecimatedLine {
  /** Points of closed buckets (and break markers), oldest first. */
  private closed: ChartPoint[] = [];
  /** Index of the first closed point still worth keeping (older ones are dropped lazily). */
  private head = 0;
  private bucketStart = Number.NaN;
  private members: Member[] = [];
  private lastAt = Number.NEGATIVE_INFINITY;
  private breakAfter = Number.POSITIVE_INFINITY;

  constructor(readonly options: LineOptions) {}

  /** Time of the newest point held, or -Infinity. */
  get newest(): number {
    return this.lastAt;
  }

  /**
   * Adds a sample, or replaces the newest one when `at` equals it (a minute mean still being filled).
   * Older samples are ignored: history is merged before the line is built, never into it.
   */
  put(at: number, v: number): void {
    if (!Number.isFinite(at) || !Number.isFinite(v)) return;
    if (at === this.lastAt) {
      const last = this.members[this.members.length - 1];
      if (last && last.at === at) last.v = v;
      return;
    }
    if (at < this.lastAt) return;
    const broken = at - this.lastAt > this.options.gapMs || this.breakAfter <= at;
    const bucket = Math.floor(at / this.options.bucketMs) * this.options.bucketMs;
    if (broken || bucket !== this.bucketStart) this.closeBucket();
    if (broken && Number.isFinite(this.lastAt)) this.closed.push({ at: this.lastAt + 1, v: null });
    this.breakAfter = Number.POSITIVE_INFINITY;
    this.bucketStart = bucket;
    this.members.push({ at, v });
    this.lastAt = at;
  }

  /**
   * The miner stopped, crashed or started a new process at `at`: the next point at or after it is not
   * joined to the one before. An event older than the newest point (it arrived late) breaks the next join.
   */
  markBreak(at: number): void {
    const res = this.options.pointResolutionMs;
    const t = Math.max(Math.floor(at / res) * res, this.lastAt);
    this.breakAfter = Math.min(this.breakAfter, t);
  }

  /** The points to draw from `from` on: a new array (recharts compares data by identity). */
  points(from: number): ChartPoint[] {
    this.dropBefore(from);
    const out = this.closed.slice(this.head);
    while (out.length > 0 && (out[0] as ChartPoint).v === null) out.shift();
    for (const p of emitBucket(this.members)) if (p.at >= from) out.push(p);
    return out;
  }

  private closeBucket(): void {
    if (this.members.length === 0) return;
    for (const p of emitBucket(this.members)) this.closed.push(p);
    this.members = [];
  }

  private dropBefore(from: number): void {
    while (this.head < this.closed.length && (this.closed[this.head] as ChartPoint).at < from) this.head += 1;
    // Compact now and then, so a line streaming for days does not keep every bucket it ever drew.
    if (this.head > 512 && this.head * 2 > this.closed.length) {
      this.closed = this.closed.slice(this.head);
      this.head = 0;
    }
  }
}

/** A bucket's points: its one sample, or its minimum and maximum in time order. */
function emitBucket(members: readonly Member[]): ChartPoint[] {
  const first = members[0];
  if (!first) return [];
  let min = first;
  let max = first;
  for (const m of members) {
    if (m.v < min.v) min = m;
    if (m.v > max.v) max = m;
  }
  if (min === max || min.v === max.v) return [{ at: first.at, v: first.v }];
  return min.at < max.at
    ? [
        { at: min.at, v: min.v },
        { at: max.at, v: max.v },
      ]
    : [
        { at: max.at, v: max.v },
        { at: min.at, v: min.v },
      ];
}
