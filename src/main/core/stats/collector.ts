// One timer polls every running miner: a snapshot of targets per tick, parallel fetches with a timeout,
// single flight per process generation, stale results dropped. Samples go out in one batch as soon as
// every miner answered or a short wait (well under the interval) is over; a slow miner's sample follows
// on its own when it arrives, so it never delays the others. Each miner's samples stay in order.
import { setMaxListeners } from 'node:events';
import type { StatsBatch } from '../../../shared/contract';
import type { MinerStats } from '../../../shared/model';
import { toErrorPayload } from '../../../shared/errors';
import type { MinerInstance } from '../instance';
import type { Clock, TimerHandle } from '../util/clock';

type Entry = StatsBatch['miners'][number];

interface Polled {
  inst: MinerInstance;
  entry: Entry;
}

export interface CollectorOptions {
  intervalMs: number;
  timeoutMs: number;
  clock: Clock;
  /** How long the first batch of a tick waits for slow miners; default min(250 ms, interval / 4). */
  batchWaitMs?: number;
  /** The instances to poll right now (a copy; the collector never holds the manager's map). */
  targets: () => MinerInstance[];
  fetch: (instance: MinerInstance, signal: AbortSignal, detail: boolean) => Promise<MinerStats>;
  /** Resolves true when the instance's API port is known to be its own; nothing is sent before. */
  verify?: (instance: MinerInstance) => Promise<boolean>;
  /** Per-thread detail is fetched on every n-th poll of a miner (and on its first). */
  detailEvery?: number;
  onBatch: (batch: StatsBatch) => void;
  /** Every failed request; `changed` when the message differs from the miner's last one. */
  onError?: (instance: MinerInstance, generation: number, message: string, changed: boolean) => void;
  /** Measures the CPU and memory of the running miners' process trees (sets `instance.usage`). */
  sampleUsage?: (instances: MinerInstance[]) => Promise<void>;
}

export class StatsCollector {
  private timer: TimerHandle | null = null;
  private intervalMs: number;

  constructor(private readonly opts: CollectorOptions) {
    this.intervalMs = opts.intervalMs;
  }

  start(): void {
    if (this.timer) return;
    this.timer = this.opts.clock.setInterval(() => void this.tick(), this.intervalMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  setInterval(ms: number): void {
    this.intervalMs = ms;
    if (this.timer) {
      this.stop();
      this.start();
    }
  }

  get interval(): number {
    return this.intervalMs;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  private get batchWaitMs(): number {
    return this.opts.batchWaitMs ?? Math.min(250, this.intervalMs / 4);
  }

  /**
   * One poll of every running miner. Resolves once every request of this tick has ended, with all the
   * samples it emitted (in the first batch or after it).
   */
  async tick(): Promise<StatsBatch> {
    const running = this.opts.targets().filter((i) => i.state === 'running');
    const targets = running.filter(
      (i) => i.api !== null && i.apiState !== 'failed' && i.statsInFlight !== i.generation,
    );
    // One deadline for the whole tick: every poll starts now, so one timer serves them all. Each poll
    // adds a listener per request it makes (XMRig: summary + backends) and removes it when settled.
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    setMaxListeners(targets.length * 4 + 10, signal);
    // The process trees are measured even when a miner's API hangs: that is when the figure matters.
    const usage = this.opts.sampleUsage?.(running.filter((i) => i.process?.pid != null)).catch(() => {});
    const all: Entry[] = [];
    let early: Polled[] | null = [];
    const polls = targets.map((inst) =>
      this.pollOne(inst, signal).then((entry) => {
        if (!entry) return;
        if (early) early.push({ inst, entry });
        else this.emit([{ inst, entry }], all); // a straggler: on its own, right away
      }),
    );
    const stopWaiting = new AbortController();
    const waited = this.opts.clock.sleep(this.batchWaitMs, stopWaiting.signal).catch(() => {});
    await Promise.race([Promise.all([Promise.all(polls), usage]), waited]);
    stopWaiting.abort();
    const first = early;
    early = null;
    this.emit(first, all);
    await Promise.all(polls);
    await usage;
    return { at: all.length > 0 ? all[0]!.stats.at : this.opts.clock.now(), miners: all };
  }

  /** Emits the entries still current (a fast reply may have been replaced while others were awaited). */
  private emit(polled: Polled[], all: Entry[]): void {
    const batch: StatsBatch = { at: this.opts.clock.now(), miners: [] };
    for (const { inst, entry } of polled) {
      if (inst.generation !== entry.generation || inst.state !== 'running') continue;
      if (this.opts.sampleUsage) entry.stats.usage = inst.usage;
      batch.miners.push(entry);
      all.push(entry);
    }
    if (batch.miners.length > 0) this.opts.onBatch(batch);
  }

  private async pollOne(instance: MinerInstance, signal: AbortSignal): Promise<Entry | null> {
    const generation = instance.generation;
    const pauseEpoch = instance.pauseEpoch;
    instance.statsInFlight = generation;
    const previous = instance.stats;
    const detail =
      previous === null ||
      previous.threads.length === 0 ||
      instance.statsPolls % (this.opts.detailEvery ?? 5) === 0;
    try {
      if (instance.apiState !== 'verified' && !(await this.opts.verify?.(instance))) return null;
      // Stryker disable next-line UpdateOperator: equivalent, only statsPolls % n === 0 is read (-5 % 5 is -0, === 0)
      instance.statsPolls++;
      let stats = await this.opts.fetch(instance, signal, detail);
      // The process this request was for may have stopped or been replaced meanwhile.
      if (instance.generation !== generation || instance.state !== 'running') return null;
      if (!detail && stats.threads.length === 0 && previous) stats = { ...stats, threads: previous.threads };
      instance.stats = stats;
      instance.statsError = null;
      // A sample taken while a pause or resume was under way says nothing about the outcome: ignore it.
      if (instance.pauseEpoch === pauseEpoch) {
        instance.paused = stats.paused;
        // Resumed behind our back (console 'r'): whoever had paused it no longer does.
        if (!stats.paused) instance.pauseCause = null;
      }
      // no rate (null) is no sample: add() drops NaN
      instance.history.add(stats.at, stats.hashrate[0] ?? Number.NaN);
      return { id: instance.id, generation, stats };
    } catch (err) {
      if (instance.generation === generation && instance.state === 'running') {
        const message =
          err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
            ? `Miner API did not answer within ${this.opts.timeoutMs} ms`
            : toErrorPayload(err).message;
        const changed = instance.statsError !== message;
        instance.statsError = message;
        this.opts.onError?.(instance, generation, message, changed);
      }
      return null;
    } finally {
      if (instance.statsInFlight === generation) instance.statsInFlight = null;
    }
  }
}
