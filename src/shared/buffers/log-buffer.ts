// One miner's log as a bounded, sequence-ordered buffer, shared by both ends: the engine appends output
// lines (numbering and clipping them), a UI appends and merges what it received without doubling lines.
import type { LogLine } from '../model';
import { RingBuffer } from './ring-buffer';

export const MAX_LOG_LINES = 1000;

export interface LogBufferOptions {
  maxLines?: number;
  maxLineLength?: number;
  now?: () => number;
}

export class LogBuffer {
  private ring: RingBuffer<LogLine>;
  readonly capacity: number;
  private readonly maxLineLength: number;
  private readonly now: () => number;
  private seq = 0;

  /** A capacity, or options (the engine's: line length cap and clock). */
  constructor(options: number | LogBufferOptions = {}) {
    const o = typeof options === 'number' ? { maxLines: options } : options;
    this.capacity = o.maxLines ?? MAX_LOG_LINES;
    this.maxLineLength = o.maxLineLength ?? 2000;
    this.now = o.now ?? Date.now;
    this.ring = new RingBuffer<LogLine>(this.capacity);
  }

  get length(): number {
    return this.ring.length;
  }

  get size(): number {
    return this.ring.length;
  }

  /** Sequence number of the newest line held, or -1 when empty. */
  get lastSeq(): number {
    return this.ring.last()?.seq ?? -1;
  }

  /** The producer's side: numbers, stamps and clips a new line. */
  push(stream: LogLine['stream'], text: string, generation: number): LogLine {
    const clipped = text.length > this.maxLineLength ? `${text.slice(0, this.maxLineLength)}…` : text;
    const line: LogLine = { seq: ++this.seq, at: this.now(), stream, text: clipped, generation };
    this.ring.push(line);
    return line;
  }

  /** The consumer's side: appends received lines newer than the last one held; returns how many were added. */
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

  /** Lines with seq > afterSeq, oldest first, at most `limit` (the newest ones). */
  since(afterSeq = 0, limit = Number.POSITIVE_INFINITY): LogLine[] {
    const lines = this.ring.tail(
      () => true,
      (l) => l.seq <= afterSeq,
    );
    return lines.length > limit ? lines.slice(lines.length - limit) : lines;
  }

  /** The last n lines as plain text, for error reasons ("exited with code 2: no valid configuration"). */
  lastText(n: number, generation?: number): string[] {
    return this.ring
      .tail((l) => generation === undefined || l.generation === generation)
      .slice(-n)
      .map((l) => l.text);
  }

  /** The miner's own last words (stdout/stderr), never our notes about it ("started ...", console echoes). */
  lastMinerText(n: number, generation?: number): string[] {
    return this.ring
      .tail((l) => l.stream !== 'system' && (generation === undefined || l.generation === generation))
      .slice(-n)
      .map((l) => l.text);
  }

  toArray(): LogLine[] {
    return this.ring.toArray();
  }
}
