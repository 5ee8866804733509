// The log fan-out: every line of a miner (its output and our own notes) goes into its bounded buffer at
// once and out to live viewers in batches, one `log` event per miner per flush, on the injected clock.
import type { LogBatch } from '../../../shared/contract';
import type { LogLine } from '../../../shared/model';
import type { LogBuffer } from '../../../shared/buffers/log-buffer';
import type { Clock, TimerHandle } from '../util/clock';

export interface LogFanoutOptions {
  clock: Clock;
  /** How long lines gather before a batch goes out (one event per miner per flush). */
  flushMs: number;
  emit: (batch: LogBatch) => void;
  /** A flooding miner must not grow a batch beyond what its buffer keeps anyway. */
  maxPending?: number;
}

export class LogFanout {
  private readonly pending = new Map<string, LogLine[]>();
  private timer: TimerHandle | null = null;
  private readonly maxPending: number;

  constructor(private readonly opts: LogFanoutOptions) {
    this.maxPending = opts.maxPending ?? 1000;
  }

  /** Appends a line to the miner's buffer and queues it for viewers; returns the stored line. */
  append(
    id: string,
    buffer: LogBuffer,
    stream: LogLine['stream'],
    text: string,
    generation: number,
  ): LogLine {
    const line = buffer.push(stream, text, generation);
    let queue = this.pending.get(id);
    if (!queue) {
      queue = [];
      this.pending.set(id, queue);
    }
    queue.push(line);
    // One line in at a time, so at most one over the cap: the oldest goes.
    if (queue.length > this.maxPending) queue.shift();
    this.timer ??= this.opts.clock.setTimeout(() => this.flush(), this.opts.flushMs);
    return line;
  }

  /** Sends every queued line now (shutdown, tests). */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [id, lines] of batches) this.opts.emit({ id, lines });
  }

  /** A removed miner's queued lines are not sent. */
  forget(id: string): void {
    this.pending.delete(id);
  }
}
