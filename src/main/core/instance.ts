// One miner instance: its state machine, process generation, per-instance operation lock, logs,
// stats and history. The manager drives it; this file only holds state and the legal transitions.
import { Mutex } from 'async-mutex';
import type { MinerConfig, MinerType } from '../../shared/schemas';
import type {
  BudgetHold,
  CpuUsage,
  ExitInfo,
  MinerSnapshot,
  MinerState,
  MinerStats,
  PauseCause,
  ThrottleApply,
} from '../../shared/model';
import type { ApiEndpoint, LaunchContext } from './miners/adapter';
import type { MinerProcess } from './process';
import { LogBuffer } from './log-buffer';
import { HashrateHistory } from './stats/history';

/** Transitions the state machine allows; anything else is a bug and throws. */
const TRANSITIONS: Record<MinerState, readonly MinerState[]> = {
  stopped: ['starting'],
  crashed: ['starting'],
  errored: ['starting'],
  starting: ['running', 'errored', 'stopping', 'crashed'],
  running: ['stopping', 'crashed'],
  stopping: ['stopped'],
};

export interface InstanceInit {
  id: string;
  name: string;
  minerType: MinerType;
  profileId: string | null;
  config: MinerConfig;
  logLines?: number;
  minSampleIntervalMs?: number;
  /** 'stop' for miners without a pause (TT-Miner): pausing stops the process, resuming starts it. */
  pauseKind?: 'api' | 'stop';
}

export class MinerInstance {
  readonly id: string;
  readonly name: string;
  readonly minerType: MinerType;
  profileId: string | null;
  config: MinerConfig;

  state: MinerState = 'stopped';
  reason: string | null = null;
  generation = 0;
  /** What the user last asked for; set synchronously by each call, so a name is reserved before any await. */
  intent: 'run' | 'stop' = 'stop';
  paused = false;
  process: MinerProcess | null = null;
  api: ApiEndpoint | null = null;
  /**
   * Whether the API port is known to be this miner's (see MinerAdapter.apiCheck). Nothing, the token
   * included, is sent to the port before 'verified'; 'failed' means never during this run.
   */
  apiState: 'pending' | 'verified' | 'failed' = 'pending';
  launch: LaunchContext | null = null;
  startedAt: number | null = null;
  stats: MinerStats | null = null;
  statsError: string | null = null;
  lastExit: ExitInfo | null = null;
  version: string | null = null;
  /** The trusted binary the current (or last) process ran. */
  binaryId: string | null = null;
  /** Generation whose stats request is in flight (single flight per process). */
  statsInFlight: number | null = null;
  /** Stats polls of the current process, to spread costly detail requests over ticks. */
  statsPolls = 0;
  readonly pauseKind: 'api' | 'stop';
  /** Bumped by every pause/resume command, so a stats sample that overlapped one does not undo it. */
  pauseEpoch = 0;
  /** Who paused it (null while it mines). */
  pauseCause: PauseCause | null = null;
  /** The last live knob change and its confirmation. */
  throttleApply: ThrottleApply | null = null;
  /** Measured cost of the process tree (latest sample). */
  usage: CpuUsage | null = null;
  budget: BudgetHold | null = null;
  mineAnywayUntil: number | null = null;
  /** The user's timed pause ends then (the control loop resumes it); null: no end. */
  pausedUntil: number | null = null;

  readonly lock = new Mutex();
  readonly logs: LogBuffer;
  readonly history: HashrateHistory;
  /** Measured CPU (% of the machine) next to the hashrate, same two tiers. */
  readonly cpuHistory: HashrateHistory;

  constructor(init: InstanceInit) {
    this.id = init.id;
    this.name = init.name;
    this.minerType = init.minerType;
    this.profileId = init.profileId;
    this.config = init.config;
    this.logs = new LogBuffer({ maxLines: init.logLines ?? 1000 });
    this.history = new HashrateHistory({ minSampleIntervalMs: init.minSampleIntervalMs ?? 250 });
    this.cpuHistory = new HashrateHistory({ minSampleIntervalMs: init.minSampleIntervalMs ?? 250 });
    this.pauseKind = init.pauseKind ?? 'api';
  }

  transition(to: MinerState, reason: string | null = null): void {
    if (!TRANSITIONS[this.state].includes(to)) {
      throw new Error(`illegal miner transition ${this.state} -> ${to} (${this.id})`);
    }
    this.state = to;
    this.reason = reason;
  }

  get isLive(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'stopping';
  }

  snapshot(): MinerSnapshot {
    return {
      id: this.id,
      name: this.name,
      minerType: this.minerType,
      profileId: this.profileId,
      state: this.state,
      reason: this.reason,
      generation: this.generation,
      pid: this.process?.pid ?? null,
      startedAt: this.startedAt,
      paused: this.paused,
      config: this.config,
      stats: this.stats,
      apiError: this.statsError,
      lastExit: this.lastExit,
      version: this.version,
      ...(this.binaryId !== null ? { binaryId: this.binaryId } : {}),
      control: {
        pauseKind: this.pauseKind,
        // Paused with no recorded cause: someone typed 'p' in the miner's console.
        pausedBy: this.paused ? (this.pauseCause ?? { by: 'user' }) : null,
        throttle: this.throttleApply,
        effective: this.launch
          ? {
              threads: this.launch.config.threads > 0 ? this.launch.config.threads : null,
              cpuMaxThreadsHint: this.launch.config.cpuMaxThreadsHint,
              cpuPriority: this.launch.config.cpuPriority ?? null,
            }
          : null,
        usage: this.usage,
        budget: this.budget,
        mineAnywayUntil: this.mineAnywayUntil,
        pausedUntil: this.pausedUntil,
      },
    };
  }
}
