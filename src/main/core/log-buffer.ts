// Per-instance log of miner output: bounded line count, bounded line length, ANSI kept, timestamped.
// Sequence numbers let a UI that reconnects ask only for the lines it has not seen.
import type { LogLine } from '../../shared/model';
import { Ring } from './util/ring';

export interface LogBufferOptions {
  maxLines?: number;
  maxLineLength?: number;
  now?: () => number;
}

export class LogBuffer {
  private readonly ring: Ring<LogLine>;
  private readonly maxLineLength: number;
  private readonly now: () => number;
  private seq = 0;

  constructor(options: LogBufferOptions = {}) {
    this.ring = new Ring(options.maxLines ?? 1000);
    this.maxLineLength = options.maxLineLength ?? 2000;
    this.now = options.now ?? Date.now;
  }

  push(stream: LogLine['stream'], text: string, generation: number): LogLine {
    const clipped = text.length > this.maxLineLength ? `${text.slice(0, this.maxLineLength)}…` : text;
    const line: LogLine = { seq: ++this.seq, at: this.now(), stream, text: clipped, generation };
    this.ring.push(line);
    return line;
  }

  /** Lines with seq > afterSeq, oldest first, at most `limit` (the newest ones). */
  since(afterSeq = 0, limit = Infinity): LogLine[] {
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

  get size(): number {
    return this.ring.size;
  }
}
