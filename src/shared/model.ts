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
  /**
   * What the miner's whole process tree costs this computer, measured by the app (not reported by the
   * miner); null when it cannot be measured (in-process miner, process gone). Optional: older senders.
   */
  usage?: CpuUsage | null;
}

/** Measured cost of one miner's process tree over the last sampling interval. */
export interface CpuUsage {
  /** CPU time used as a share of the WHOLE machine: 100 = every logical core busy for the interval. */
  machineCpuPercent: number;
  /** Logical cores the percentage is relative to (machineCpuPercent / 100 * logicalCores = cores busy). */
  logicalCores: number;
  /** Resident memory of the tree, bytes. */
  rssBytes: number;
  /** Processes in the tree (the miner and its descendants). */
  processes: number;
  at: number;
}

/** Pause rules of the settings (each can pause miners; the snapshot names the one that did). */
export type PauseRuleId = 'userActive' | 'onBattery' | 'schedule' | 'processes' | 'gpuTemperature';

/** Who paused a miner. A rule or the budget never resumes a miner the user paused. */
export type PauseCause =
  { by: 'user' } | { by: 'rule'; rule: PauseRuleId; detail: string } | { by: 'budget'; detail: string };

/** The knob values a live change asked for. `threads: null` = XMRig's own count from the hint. */
export interface KnobTarget {
  threads: number | null;
  cpuMaxThreadsHint: number;
  cpuPriority: number | null;
}

/** A live throttle change and whether the miner has confirmed it (XMRig: /2/backends, /1/config). */
export interface ThrottleApply {
  id: number;
  by: 'user' | 'budget';
  state: 'pending' | 'applied' | 'failed';
  target: KnobTarget;
  requestedAt: number;
  settledAt: number | null;
  /** Why it failed, or what to know about it (a hint replacing an explicit thread count). */
  message: string | null;
}

/** What the CPU budget does to a miner right now. */
export interface BudgetHold {
  /** This miner's share of the budget, % of the whole machine. */
  targetPercent: number;
  /** Threads the budget lets it run (its own maximum when not limited). */
  threads: number;
  /** Share of time it mines when the budget pauses it in pulses (1 = not pulsing). */
  duty: number;
  stage: 'within' | 'threads' | 'priority' | 'pulse';
}

/** Control state of one miner beyond start/stop: pauses, live knobs, measured cost, budget, overrides. */
export interface MinerControl {
  /** 'api': paused in place; 'stop': no pause in this miner (TT-Miner), pausing stops it and resume starts it. */
  pauseKind: 'api' | 'stop';
  pausedBy: PauseCause | null;
  /** The last live knob change and whether it has been confirmed. */
  throttle: ThrottleApply | null;
  /** Knobs the running process uses now (the budget may hold them below the profile's). */
  effective: KnobTarget | null;
  usage: CpuUsage | null;
  budget: BudgetHold | null;
  /** "Mine anyway" override: pause rules (not GPU temperature) are ignored until then. */
  mineAnywayUntil: number | null;
  /** The user's timed pause ("pause for an hour") ends then; null for a pause without an end. Optional: older senders. */
  pausedUntil?: number | null;
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
  /** Optional so snapshots from older senders stay valid; the manager always fills it. */
  control?: MinerControl;
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
  /** The live change and its confirmation (absent when nothing was applied live). */
  apply?: ThrottleApply | null;
}
