// The small interface every miner family implements: pure launch builders and API parsers.
// The manager never knows XMRig from TT-Miner; it asks the adapter for a launch plan and for stats.
import type { MinerConfig, MinerType, ThrottlePatch } from '../../../shared/schemas';
import type { KnobTarget, MinerStats } from '../../../shared/model';
import type { MinerProcess } from '../process';
import type { HttpRequest, HttpResponse } from './http-client';

/** Where a running miner's API listens; always loopback with a fresh token per start. */
export type ApiEndpoint =
  | { kind: 'http'; host: string; port: number; token: string }
  | { kind: 'tcp'; host: string; port: number; password: string | null }
  | { kind: 'inproc'; key: string };

export interface LaunchContext {
  id: string;
  generation: number;
  config: MinerConfig;
  /** Per-instance folder the adapter may write files into (XMRig's config.json). */
  workDir: string;
  /** Resolved executable (absent for in-process miners). */
  binaryPath: string | null;
  /** A free loopback port chosen by the manager for the miner's API. */
  apiPort: number;
  /** A fresh random token for the miner's API. */
  apiToken: string;
}

export interface FileToWrite {
  path: string;
  content: string;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  files: FileToWrite[];
  api: ApiEndpoint;
  env?: Record<string, string>;
}

export interface ThrottlePlan {
  /** 'live': apply by writing these files (XMRig reloads its watched config); 'restart': needs a restart. */
  mode: 'live' | 'restart';
  /** The launch config with the change applied. */
  config: MinerConfig;
  /** The change as applied, normalised (a CPU % hint alone also sets threads back to automatic); default: the request. */
  patch?: Partial<Pick<MinerConfig, 'threads' | 'cpuMaxThreadsHint' | 'cpuPriority'>>;
  files: FileToWrite[];
  /** What the miner should report once it applied a live change; absent when nothing can be read back. */
  target?: KnobTarget;
  message?: string;
}

/** Knob values read back from a running miner; threads null while it has no workers (initialising). */
export interface KnobReading {
  threads: number | null;
  priority: number | null;
  /** max-threads-hint in effect (null when an explicit thread profile overrides it); read only when asked. */
  hint?: number | null;
}

/** What the adapter needs to talk to the outside world; injected so tests can replace it. */
export interface AdapterIo {
  /** One HTTP exchange with a body cap (XMRig's API). */
  http(req: HttpRequest): Promise<HttpResponse>;
  /** One request/response exchange over TCP (Claymore JSON-RPC). */
  tcpRequest(
    host: string,
    port: number,
    line: string,
    signal: AbortSignal,
    maxBytes: number,
  ): Promise<string>;
}

export interface PauseOptions {
  confirm?: boolean;
}

export interface MinerAdapter {
  readonly type: MinerType;
  /** False for the simulated miner, which runs in-process. */
  readonly needsBinary: boolean;
  /** Executable names to look for in the miners folder and on PATH. */
  readonly binaryNames: readonly string[];
  /** stdin keys the miner understands, for the console UI. */
  readonly consoleKeys: readonly string[];
  readonly supportsPause: boolean;
  /**
   * How the manager makes sure the API port is the miner's before sending it anything (the token):
   * 'log' the miner reports binding it on stdout (apiBindLine); 'owner' the OS says which process
   * listens there; 'none' in-process miners.
   */
  readonly apiCheck: 'log' | 'owner' | 'none';
  /** For apiCheck 'log': 'bound' when this output line says the API listens on `port`, 'failed' when it could not. */
  apiBindLine?(text: string, port: number): 'bound' | 'failed' | null;

  buildLaunch(ctx: LaunchContext): LaunchPlan;
  /** In-process miners only: start the engine and return a process-like handle. */
  startInProcess?(ctx: LaunchContext): MinerProcess;
  /**
   * One stats sample. `detail: false` lets an adapter skip costly extras (XMRig's per-thread
   * /2/backends); the collector asks for detail every few ticks and keeps the last per-thread rates.
   */
  fetchStats(
    api: ApiEndpoint,
    signal: AbortSignal,
    io: AdapterIo,
    options?: { detail?: boolean },
  ): Promise<MinerStats>;
  /**
   * Resolve once the miner itself reports the new state (a fresh sample when it read one back).
   * `confirm: false` skips the read-back when the command was acknowledged (the CPU budget's pulses).
   */
  pause?(
    api: ApiEndpoint,
    signal: AbortSignal,
    io: AdapterIo,
    options?: PauseOptions,
  ): Promise<MinerStats | void>;
  resume?(
    api: ApiEndpoint,
    signal: AbortSignal,
    io: AdapterIo,
    options?: PauseOptions,
  ): Promise<MinerStats | void>;
  /** Reads the knobs back to confirm a live change (XMRig: /2/backends, and /1/config for the hint). */
  readKnobs?(api: ApiEndpoint, target: KnobTarget, signal: AbortSignal, io: AdapterIo): Promise<KnobReading>;
  /** Plan a throttle change against the current launch; pure. */
  planThrottle(ctx: LaunchContext, patch: ThrottlePatch): ThrottlePlan;
  /** In-process miners only: apply a live throttle plan to the running engine. */
  applyThrottle?(api: ApiEndpoint, config: MinerConfig): void;
}
