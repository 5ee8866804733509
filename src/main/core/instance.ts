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
  MinerSupervision,
  PauseCause,
  ThrottleApply,
} from '../../shared/model';
import type { HistoryEvent } from '../../shared/contract';
import type { ApiEndpoint, LaunchContext } from './miners/adapter';
import type { MinerProcess } from './process';
import { LogBuffer } from '../../shared/buffers/log-buffer';
import { RingBuffer } from '../../shared/buffers/ring-buffer';
import { TwoTierSeries as HashrateHistory } from '../../shared/buffers/two-tier-series';

/**
 * Transitions the state machine allows; anything else is a bug and throws. `starting` ends in `running`
 * (ready) or `errored` (exited before it was ready); only a running miner can crash. The watchdog moves a
 * failed miner to `backoff` (a restart is scheduled) or `crash-loop`; a watchdog kill of a hung miner
 * ends in one of them instead of `stopped`. A user stop ends `backoff` and `crash-loop` in `stopped`.
 */
export const TRANSITIONS: Record<MinerState, readonly MinerState[]> = {
  stopped: ['starting'],
  crashed: ['starting', 'backoff', 'crash-loop'],
  errored: ['starting', 'backoff', 'crash-loop'],
  backoff: ['starting', 'stopped', 'crash-loop'],
  'crash-loop': ['starting', 'stopped'],
  starting: ['running', 'errored', 'stopping'],
  running: ['stopping', 'crashed'],
  stopping: ['stopped', 'backoff', 'crash-loop'],
};

/** How one start ended, for the caller waiting on it outside the lock. */
export interface Startup {
  generation: number;
  /** Resolves with the snapshot once running (or still starting after the deadline, or stopped meanwhile); rejects with SPAWN_FAILED when the process exited before it was ready. */
  readonly outcome: Promise<MinerSnapshot>;
}

/** The settle functions of the start in progress (one per generation). */
export interface PendingStart {
  generation: number;
  resolve: (snap: MinerSnapshot) => void;
  reject: (err: unknown) => void;
}

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
  /** When this session first knew the miner: its in-memory history covers the time after it. */
  createdAt?: number;
  now?: () => number;
}

/** Events kept in memory per miner (the live chart range); the lasting store keeps all of them. */
const EVENTS_KEPT = 500;

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
  // Stryker disable next-line StringLiteral: equivalent, every launch sets it before anything reads it
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
  /** The start waiting for the miner to be ready (null when none is). */
  pendingStart: PendingStart | null = null;
  /** Who started the current process. */
  // Stryker disable next-line StringLiteral: equivalent, every launch sets it before anything reads it
  launchedBy: 'user' | 'watchdog' = 'user';
  /** Aborted by stop/restart/remove before they take the lock: an API call in flight (a pause) ends at once. */
  private opsAbort = new AbortController();
  /** The watchdog's view of this miner, asked at snapshot time (null while not supervised). */
  supervisionOf: (id: string) => MinerSupervision | null = () => null;
  readonly createdAt: number;

  readonly lock = new Mutex();
  /** Pid-file writes and removals of this miner's processes, one after another in spawn order. */
  private pidFileOps: Promise<void> = Promise.resolve();
  readonly logs: LogBuffer;
  readonly history: HashrateHistory;
  /** Measured CPU (% of the machine) next to the hashrate, same two tiers. */
  readonly cpuHistory: HashrateHistory;
  /** State changes and watchdog actions of this session, for the live chart range. */
  readonly events = new RingBuffer<HistoryEvent>(EVENTS_KEPT);

  constructor(init: InstanceInit) {
    this.id = init.id;
    this.name = init.name;
    this.minerType = init.minerType;
    this.profileId = init.profileId;
    this.config = init.config;
    this.createdAt = init.createdAt ?? Date.now();
    this.logs = new LogBuffer({ maxLines: init.logLines ?? 1000, now: init.now });
    // The raw tier keeps its whole window at this miner's fastest sample rate (the series' default: 250 ms).
    this.history = new HashrateHistory({ minSampleIntervalMs: init.minSampleIntervalMs });
    this.cpuHistory = new HashrateHistory({ minSampleIntervalMs: init.minSampleIntervalMs });
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

  /**
   * One API call's signal: aborted by its timeout or by the next stop, restart or removal (see
   * cancelOperations); `cancelled()` tells the two apart afterwards.
   */
  beginOperation(timeoutMs: number): { signal: AbortSignal; cancelled: () => boolean } {
    const ops = this.opsAbort.signal;
    return { signal: AbortSignal.any([ops, AbortSignal.timeout(timeoutMs)]), cancelled: () => ops.aborted };
  }

  /** Calls off every API call in flight (a pause to a hung API) so a stop never queues behind one. */
  cancelOperations(reason: string): void {
    this.opsAbort.abort(new DOMException(reason, 'AbortError'));
    this.opsAbort = new AbortController();
  }

  /** Runs `op` after every earlier pid-file operation of this miner; its failure is not fatal (best effort). */
  queuePidFileOp(op: () => Promise<void>): Promise<void> {
    this.pidFileOps = this.pidFileOps.then(op).catch(() => {});
    return this.pidFileOps;
  }

  snapshot(): MinerSnapshot {
    const supervision = this.supervisionOf(this.id);
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
      ...(supervision !== null ? { supervision } : {}),
    };
  }
}
