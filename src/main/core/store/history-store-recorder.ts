// Turns each miner's stats samples into 1-minute points (mean hashrate and CPU, shares found in the
// minute) and hands completed minutes and events to the history store; pure aggregation plus a thin writer.
import type { HistoryEvent, HistoryPoint } from './history-store-format';
import { MINUTE_MS } from './history-store-format';

export interface RecorderSample {
  at: number;
  /** Process generation: share counters start again from 0 with each process. */
  generation: number;
  hashrate: number | null;
  cpu: number | null;
  /** Cumulative counters of the current process, as the miner reports them. */
  shares: { good: number; rejected: number } | null;
}

interface Bucket {
  minute: number;
  hs: number;
  hn: number;
  cs: number;
  cn: number;
  accepted: number | null;
  rejected: number | null;
}

interface MinerAcc {
  bucket: Bucket | null;
  last: { generation: number; good: number; rejected: number } | null;
}

function toPoint(b: Bucket): HistoryPoint {
  return {
    at: b.minute,
    hashrate: b.hn > 0 ? b.hs / b.hn : null,
    cpu: b.cn > 0 ? b.cs / b.cn : null,
    accepted: b.accepted,
    rejected: b.rejected,
  };
}

/** Pure: samples in, completed minute points out. */
export class MinuteAggregator {
  private readonly miners = new Map<string, MinerAcc>();

  /** Adds a sample; returns the minute it completed, if this sample opened a new one. */
  add(id: string, s: RecorderSample): HistoryPoint | null {
    let acc = this.miners.get(id);
    if (!acc) this.miners.set(id, (acc = { bucket: null, last: null }));
    const minute = Math.floor(s.at / MINUTE_MS) * MINUTE_MS;
    let done: HistoryPoint | null = null;
    if (acc.bucket && acc.bucket.minute !== minute) {
      // A sample from an earlier minute (clock stepped back) closes the open one as well.
      done = toPoint(acc.bucket);
      acc.bucket = null;
    }
    const b = (acc.bucket ??= { minute, hs: 0, hn: 0, cs: 0, cn: 0, accepted: null, rejected: null });
    if (s.hashrate !== null) {
      b.hs += s.hashrate;
      b.hn++;
    }
    if (s.cpu !== null) {
      b.cs += s.cpu;
      b.cn++;
    }
    if (s.shares) {
      const last = acc.last;
      const same = last !== null && last.generation === s.generation;
      // A new process counts from 0; a counter that went down (it was reset) counts from 0 as well.
      const good = same && s.shares.good >= last.good ? s.shares.good - last.good : s.shares.good;
      const bad =
        same && s.shares.rejected >= last.rejected ? s.shares.rejected - last.rejected : s.shares.rejected;
      b.accepted = (b.accepted ?? 0) + good;
      b.rejected = (b.rejected ?? 0) + bad;
      acc.last = { generation: s.generation, good: s.shares.good, rejected: s.shares.rejected };
    }
    return done;
  }

  /** The open minute of a miner that stopped (or of every miner at shutdown). */
  flush(id: string): HistoryPoint | null {
    const acc = this.miners.get(id);
    if (!acc?.bucket) return null;
    const p = toPoint(acc.bucket);
    acc.bucket = null;
    return p;
  }

  ids(): string[] {
    return [...this.miners.keys()];
  }

  forget(id: string): void {
    this.miners.delete(id);
  }
}

/** What the recorder needs from the store (so tests can pass a recording fake). */
export interface HistorySink {
  appendPoint(minerId: string, point: HistoryPoint): Promise<void>;
  appendEvent(minerId: string, event: HistoryEvent): Promise<void>;
  flush(): Promise<void>;
}

/**
 * Feeds the store: completed minutes as they close, events at once. Write errors (disk full) are
 * reported, never thrown into the stats path, which must keep running.
 */
export class HistoryRecorder {
  private readonly agg = new MinuteAggregator();

  constructor(
    private readonly sink: HistorySink,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  sample(id: string, s: RecorderSample): void {
    const done = this.agg.add(id, s);
    if (done) this.write(this.sink.appendPoint(id, done));
  }

  event(id: string, e: HistoryEvent): void {
    this.write(this.sink.appendEvent(id, e));
  }

  /** The miner stopped or crashed: its partial minute is written now rather than lost. */
  closeMinute(id: string): void {
    const p = this.agg.flush(id);
    if (p) this.write(this.sink.appendPoint(id, p));
  }

  /** Shutdown: every partial minute, then wait for the disk. */
  async close(): Promise<void> {
    for (const id of this.agg.ids()) this.closeMinute(id);
    await this.sink.flush();
  }

  private write(p: Promise<void>): void {
    p.catch(this.onError);
  }
}
