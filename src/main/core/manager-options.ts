// The manager's options (what it is wired to and its deadlines, with their defaults) and the request
// shapes of its operations. Kept apart so the manager itself is the guarded map and its operations.
import { rm } from 'node:fs/promises';
import type { PauseCause } from '../../shared/model';
import type { MinerConfig, MinerType } from '../../shared/schemas';
import type { WatchdogSettings } from '../../shared/watchdog-settings';
import type { ResolvedBinary } from './lifecycle/process-lifecycle';
import type { AdapterIo, MinerAdapter } from './miners/adapter';
import type { Spawner } from './process';
import type { UsageSampler } from './throttle/usage/sampler';
import { atomicWrite } from './util/atomic-write';
import { realClock, type Clock } from './util/clock';
import { freePort, randomToken } from './util/net';
import { portOwner, type PortOwner } from './util/port-owner';

export interface ManagerOptions {
  adapters: Record<MinerType, MinerAdapter>;
  spawn: Spawner;
  io: AdapterIo;
  /** Folder for per-instance files (XMRig's config.json). */
  workRoot: string;
  /**
   * The trusted binary to run (by id, else the type's default), checked against its record right now;
   * throws BINARY_MISSING / UNTRUSTED_BINARY. Only trusted files ever reach the spawner.
   */
  resolveBinary: (type: MinerType, binaryId: string | undefined) => Promise<ResolvedBinary>;
  /** Who listens on a port (apiCheck 'owner' miners); injected so tests can script it. */
  portOwner?: (port: number, pid: number) => Promise<PortOwner>;
  readVersion?: (binaryPath: string) => Promise<string | null>;
  /** Wall time, timers and sleeps of the whole engine (collector, deadlines, log batches, watchdog). */
  clock?: Clock;
  /** Graceful stop deadline before the tree is killed. */
  stopTimeoutMs?: number;
  /** How long a start waits for the miner to be ready before it answers with the miner still starting. */
  startTimeoutMs?: number;
  /** How often a starting miner without a readiness line (TT-Miner) is checked for its API port. */
  probeIntervalMs?: number;
  statsIntervalMs?: number;
  /** Poll interval while nobody watches live stats (app minimised, no browser): history keeps its minutes. */
  backgroundStatsIntervalMs?: number;
  statsTimeoutMs?: number;
  /** How long a tick's first stats batch waits for slow miners (they follow on their own). */
  batchWaitMs?: number;
  apiTimeoutMs?: number;
  logFlushMs?: number;
  allocatePort?: () => Promise<number>;
  makeToken?: () => string;
  writeFile?: (path: string, content: string) => Promise<void>;
  removeFile?: (path: string) => Promise<void>;
  /** Records each spawned pid so a later session can stop miners this one could not (see orphans.ts). */
  pidFiles?: boolean;
  /** Measures each miner's process tree (CPU %, RSS) every tick; null: not measured (tests with fake pids). */
  usage?: UsageSampler | null;
  /** How long a live knob change may take to show in the miner's API before it is reported failed. */
  throttleConfirmMs?: number;
  /** The same while the miner has no workers yet (XMRig applies it once RandomX is initialised). */
  throttleConfirmInitMs?: number;
  /** Supervision (crash restarts, hang and 0 H/s detection); absent: no watchdog at all. */
  watchdog?: WatchdogSettings;
  /** How often the watchdog checks a running miner's silence. */
  watchdogCheckIntervalMs?: number;
}

export type ResolvedOptions = Required<
  Omit<ManagerOptions, 'readVersion' | 'watchdog' | 'batchWaitMs' | 'watchdogCheckIntervalMs'>
> &
  Pick<ManagerOptions, 'readVersion' | 'watchdog' | 'batchWaitMs' | 'watchdogCheckIntervalMs'>;

export interface PauseRequest {
  /** Who pauses; default the user. */
  cause?: PauseCause;
  /** The CPU budget's pulses: no log note, no state event, no read-back. */
  quiet?: boolean;
  /** Hand an existing pause to this cause even when it is weaker (a timed user pause ends under a rule). */
  takeOver?: boolean;
}

export interface ResumeRequest {
  /** Who resumes; a rule or the budget never resumes what the user (or a higher cause) paused. */
  by?: PauseCause['by'];
  quiet?: boolean;
}

/** A miner the user wants running: what a resume at the next launch needs to start it again. */
export interface IntendedMiner {
  id: string;
  name: string;
  minerType: MinerType;
  profileId: string | null;
  config: MinerConfig;
}

/** The options with every default filled in. */
export function resolveOptions(options: ManagerOptions): ResolvedOptions {
  return {
    clock: realClock,
    stopTimeoutMs: 3000,
    startTimeoutMs: 20_000,
    probeIntervalMs: 100,
    statsIntervalMs: 1000,
    backgroundStatsIntervalMs: 10_000,
    statsTimeoutMs: 2500,
    apiTimeoutMs: 5000,
    logFlushMs: 100,
    allocatePort: () => freePort(),
    makeToken: randomToken,
    writeFile: (path, content) => atomicWrite(path, content),
    removeFile: (path) => rm(path, { force: true }),
    pidFiles: false,
    portOwner,
    usage: null,
    throttleConfirmMs: 5000,
    throttleConfirmInitMs: 120_000,
    ...options,
  };
}
