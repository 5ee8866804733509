// The domain model shared by every process: miner states, the stats shape adapters produce and the
// snapshot of one miner instance. Pure types, no runtime dependencies.
import type { MinerConfig, MinerType } from './schemas';

export type MinerState = 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed' | 'errored';

/** States in which a process (or the simulated engine) may be alive. */
export const LIVE_STATES: readonly MinerState[] = ['starting', 'running', 'stopping'];

/** [10 s, 60 s, 15 m] in H/s; null means "no data yet" (warming up or window not filled), never 0 H/s. */
export type HashrateTriple = [number | null, number | null, number | null];

export interface GpuStats {
  index: number;
  hashrate: number | null;
  temperature: number | null;
  fan: number | null;
  power: number | null;
}

export interface MinerStats {
  /** Wall-clock ms when the sample was taken. */
  at: number;
  hashrate: HashrateTriple;
  highest: number | null;
  /** True while no window has data yet (XMRig reports 0 or null while RandomX initialises). */
  warmingUp: boolean;
  /** Per-thread (CPU) or per-device (GPU) 10 s hashrate. */
  threads: (number | null)[];
  shares: { good: number; total: number; rejected: number };
  /** Current difficulty; null when unknown (XMRig reports 2^64-1 in bench mode). */
  difficulty: number | null;
  /** Average seconds between accepted shares; null when unknown. */
  avgShareTime: number | null;
  pool: string | null;
  ping: number | null;
  /** Miner uptime in seconds. */
  uptime: number;
  paused: boolean;
  algo: string | null;
  cpu: { brand: string; threads: number } | null;
  gpus: GpuStats[];
  /** The miner's cumulative hash counter (XMRig `hashes_total`); absent when the miner reports none. */
  hashesTotal?: number | null;
  /** Values the sample dropped as impossible, or a detail reply that failed (shown in the miner's status). */
  warnings?: string[];
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  at: number;
  /**
   * Processes the miner left behind outside its process group (it daemonised) that HashDeck found
   * and killed after the miner exited; absent or empty when there were none.
   */
  strays?: number[];
}

/** What a warming-up miner is doing, as its log reveals it (XMRig: RandomX dataset, threads, first average). */
export type WarmupPhase = 'starting' | 'dataset' | 'threads' | 'first-sample';

export interface MinerWarmup {
  phase: WarmupPhase;
  /** Wall-clock ms when this phase began. */
  since: number;
}

export interface MinerSnapshot {
  id: string;
  name: string;
  minerType: MinerType;
  profileId: string | null;
  state: MinerState;
  /** Why the miner is crashed or errored, in words a user can act on. */
  reason: string | null;
  generation: number;
  pid: number | null;
  startedAt: number | null;
  paused: boolean;
  config: MinerConfig;
  stats: MinerStats | null;
  /** Why the last stats request failed (API not answering, bad token...); null when stats flow. */
  apiError: string | null;
  lastExit: ExitInfo | null;
  version: string | null;
  /** The trusted binary the current (or last) process ran; absent before a first start and for the simulated miner. */
  binaryId?: string | null;
  /** Present while the miner warms up and its adapter can tell the phase; absent otherwise. */
  warmup?: MinerWarmup;
}

export interface LogLine {
  /** Monotonic sequence number per instance, so clients can ask for lines after the last one seen. */
  seq: number;
  at: number;
  stream: 'stdout' | 'stderr' | 'system';
  text: string;
  generation: number;
}

export interface HashratePoint {
  at: number;
  /** H/s; the 10 s rate for raw samples, the mean for minute points. */
  value: number;
}

export type ThrottleMode = 'live' | 'restart' | 'unchanged';

export interface ThrottleResult {
  mode: ThrottleMode;
  config: MinerConfig;
}
