// One timer polls every running miner: a snapshot of targets per tick, parallel fetches with a
// timeout, single flight per process generation, stale results dropped, one batched event per tick.
import type { StatsBatch } from '../../../shared/contract';
import type { MinerStats } from '../../../shared/model';
import { toErrorPayload } from '../../../shared/errors';
import type { MinerInstance } from '../instance';
import { setMaxListeners } from 'node:events';

export interface CollectorOptions {
  intervalMs: number;
  timeoutMs: number;
  now: () => number;
  /** The instances to poll right now (a copy; the collector never holds the manager's map). */
  targets: () => MinerInstance[];
  fetch: (instance: MinerInstance, signal: AbortSignal, detail: boolean) => Promise<MinerStats>;
  /** Resolves true when the instance's API port is known to be its own; nothing is sent before. */
  verify?: (instance: MinerInstance) => Promise<boolean>;
  /** Per-thread detail is fetched on every n-th poll of a miner (and on its first). */
  detailEvery?: number;
  onBatch: (batch: StatsBatch) => void;
  onError?: (instance: MinerInstance, message: string) => void;
  /** Measures the CPU and memory of the running miners' process trees (sets `instance.usage`). */
  sampleUsage?: (instances: MinerInstance[]) => Promise<void>;
}

export class StatsCollector {
  private timer: ReturnType<typeof setInterval> | null = null;
  private intervalMs: number;

  constructor(private readonly opts: CollectorOptions) {
    this.intervalMs = opts.intervalMs;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
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

  /** One poll of every running miner; resolves after this tick's batch has been emitted. */
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
    const results = await Promise.all(targets.map((i) => this.pollOne(i, signal)));
    await usage;
    const batch: StatsBatch = { at: this.opts.now(), miners: [] };
    // Re-check at emit time: a fast reply may have been replaced while slower ones were awaited.
    results.forEach((r, i) => {
      const inst = targets[i]!;
      if (r && inst.generation === r.generation && inst.state === 'running') {
        if (this.opts.sampleUsage) r.stats.usage = inst.usage;
        batch.miners.push(r);
      }
    });
    if (batch.miners.length > 0) this.opts.onBatch(batch);
    return batch;
  }

  private async pollOne(
    instance: MinerInstance,
    signal: AbortSignal,
  ): Promise<StatsBatch['miners'][number] | null> {
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
      const rate = stats.hashrate[0];
      if (rate !== null) instance.history.add(stats.at, rate);
      return { id: instance.id, generation, stats };
    } catch (err) {
      if (instance.generation === generation && instance.state === 'running') {
        const message =
          err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
            ? `Miner API did not answer within ${this.opts.timeoutMs} ms`
            : toErrorPayload(err).message;
        const changed = instance.statsError !== message;
        instance.statsError = message;
        if (changed) this.opts.onError?.(instance, message);
      }
      return null;
    } finally {
      if (instance.statsInFlight === generation) instance.statsInFlight = null;
    }
  }
}
