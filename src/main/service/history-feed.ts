// Feeds the lasting history from the engine (stats samples -> 1-minute points, state changes and watchdog
// actions -> events, a stop or crash closes the minute) and answers getHistory from both tiers: the
// engine's memory for this session's time, the store for older time and for the 7 d / 30 d ranges.
import type { CommandOutput, HistoryEvent } from '../../shared/contract';
import { MinerError } from '../../shared/errors';
import type { HashratePoint } from '../../shared/model';
import type { MinerManager } from '../core/manager';
import { HistoryRecorder } from '../core/store/history-store-recorder';
import { HistoryStore, type HistoryRange } from '../core/store/history-store';
import type { HistoryEvent as StoredEvent } from '../core/store/history-store-format';
import type { Clock } from '../core/util/clock';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Ranges up to a day (plus slack for a client's clock) are drawn from 1-minute points. */
const MINUTE_RANGE_MAX = DAY + 10 * MINUTE;

/** Chart resolution of a range: 1 minute up to a day, 10 minutes up to 8 days (7 d), 30 minutes beyond (30 d). */
export function historyStep(spanMs: number): number {
  if (spanMs <= MINUTE_RANGE_MAX) return MINUTE;
  return spanMs <= 8 * DAY ? 10 * MINUTE : 30 * MINUTE;
}

/** The store knows one kind the contract does not: a failed start, drawn like a crash. */
function contractEvent(e: StoredEvent): HistoryEvent {
  return { at: e.at, kind: e.kind === 'error' ? 'crash' : e.kind, text: e.text };
}

/** Points with a value only: a minute without a hashrate (a gap, warming up) stays a gap on the chart. */
function series(range: HistoryRange, pick: 'hashrate' | 'cpu'): HashratePoint[] {
  const out: HashratePoint[] = [];
  for (const p of range.points) {
    const value = p[pick];
    if (value !== null) out.push({ at: p.at, value });
  }
  return out;
}

function mergeEvents(a: readonly HistoryEvent[], b: readonly HistoryEvent[]): HistoryEvent[] {
  const seen = new Set<string>();
  const out: HistoryEvent[] = [];
  for (const e of [...a, ...b]) {
    const key = `${e.at}|${e.kind}|${e.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out.sort((x, y) => x.at - y.at);
}

const EMPTY: HistoryRange = { points: [], events: [] };

export interface HistoryFeedOptions {
  dir: string;
  clock: Clock;
  retentionDays: number;
  notify: (message: string) => void;
}

export class HistoryFeed {
  readonly store: HistoryStore;
  private readonly recorder: HistoryRecorder;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly manager: MinerManager,
    opts: HistoryFeedOptions,
  ) {
    this.store = new HistoryStore({
      dir: opts.dir,
      clock: opts.clock,
      retentionDays: opts.retentionDays,
      onNotice: opts.notify,
    });
    let reported = false;
    this.recorder = new HistoryRecorder(this.store, (err) => {
      // A full disk must not flood the user: said once per session, the stats path keeps running.
      if (reported) return;
      reported = true;
      opts.notify(`History could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    });
    this.offs.push(
      manager.on('stats', (batch) => {
        for (const m of batch.miners) {
          this.recorder.sample(m.id, {
            at: m.stats.at,
            generation: m.generation,
            hashrate: m.stats.hashrate[0],
            cpu: m.stats.usage?.machineCpuPercent ?? null,
            shares: { good: m.stats.shares.good, rejected: m.stats.shares.rejected },
          });
        }
      }),
      manager.on('history', ({ id, event }) => this.recorder.event(id, event)),
      manager.on('exit', ({ id }) => this.recorder.closeMinute(id)),
    );
  }

  /** Prunes now and once a day, and builds the summaries of completed days. */
  start(): void {
    this.store.start();
  }

  /** Writes every open minute and waits for the disk; later samples are not recorded. */
  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    await this.recorder.close();
    await this.store.stop();
  }

  setRetentionDays(days: number): void {
    this.store.setRetentionDays(days);
  }

  /** getHistory: this session's memory where it covers the range, the store before it and for long ranges. */
  async query(id: string, from: number, to: number): Promise<CommandOutput<'getHistory'>> {
    const known = this.manager.has(id);
    const span = to - from;
    let points: HashratePoint[] = [];
    let cpu: HashratePoint[] = [];
    let events: HistoryEvent[] = [];
    let stored = EMPTY;
    if (span <= MINUTE_RANGE_MAX) {
      const memorySince = known ? this.manager.memorySince(id) : Number.POSITIVE_INFINITY;
      if (from < memorySince) stored = await this.read(id, from, Math.min(to, memorySince - 1));
      points = series(stored, 'hashrate');
      cpu = series(stored, 'cpu');
      events = stored.events.map(contractEvent);
      if (known) {
        const since = Math.max(from, memorySince);
        points = points.concat(this.manager.getHistory(id, since, to));
        cpu = cpu.concat(this.manager.getCpuHistory(id, since, to));
        events = mergeEvents(events, this.manager.getEvents(id, from, to));
      }
    } else {
      stored = await this.read(id, from, to, historyStep(span));
      points = series(stored, 'hashrate');
      cpu = series(stored, 'cpu');
      events = mergeEvents(
        stored.events.map(contractEvent),
        known ? this.manager.getEvents(id, from, to) : [],
      );
    }
    if (!known && stored.points.length === 0 && stored.events.length === 0) {
      throw new MinerError('NOT_FOUND', `No miner with id "${id}" and no history for it`);
    }
    return { id, from, to, points, cpu, events };
  }

  private async read(id: string, from: number, to: number, stepMs?: number): Promise<HistoryRange> {
    try {
      return await this.store.query(id, from, to, { stepMs, gaps: false });
    } catch (err) {
      // An id the store cannot hold (not one of the engine's slugs) simply has no lasting history.
      if (err instanceof RangeError) return EMPTY;
      throw err;
    }
  }
}
