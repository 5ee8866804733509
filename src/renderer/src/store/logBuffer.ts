// One miner's console backlog: a ring of at most 1,000 lines, deduplicated by sequence number so
// the fetched backlog and live `log` events can overlap without doubling lines.
import type { LogLine } from '../../../shared/model';
import { RingBuffer } from './ringBuffer';

export const MAX_LOG_LINES = 1000;

export class LogBuffer {
  private ring: RingBuffer<LogLine>;

  constructor(readonly capacity = MAX_LOG_LINES) {
    this.ring = new RingBuffer<LogLine>(capacity);
  }

  get length(): number {
    return this.ring.length;
  }

  /** Sequence number of the newest line held, or -1 when empty. */
  get lastSeq(): number {
    return this.ring.last()?.seq ?? -1;
  }

  /** Appends lines newer than the last one held; returns how many were added. */
  append(lines: readonly LogLine[]): number {
    let added = 0;
    for (const line of lines) {
      if (line.seq <= this.lastSeq) continue;
      this.ring.push(line);
      added += 1;
    }
    return added;
  }

  /** Merges a fetched backlog that may hold older lines than the buffer; returns true if anything changed. */
  merge(lines: readonly LogLine[]): boolean {
    const first = this.ring.at(0);
    if (!lines.some((l) => !first || l.seq < first.seq || l.seq > this.lastSeq)) return false;
    const bySeq = new Map<number, LogLine>();
    for (const l of lines) bySeq.set(l.seq, l);
    for (const l of this.ring.toArray()) bySeq.set(l.seq, l);
    const sorted = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    this.ring = new RingBuffer<LogLine>(this.capacity);
    for (const l of sorted.slice(-this.capacity)) this.ring.push(l);
    return true;
  }

  toArray(): LogLine[] {
    return this.ring.toArray();
  }
}
