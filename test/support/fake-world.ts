// A scripted world for manager tests: fake processes whose exits are driven by the test (or by a
// fast-check scheduler), a fake adapter whose stats carry the generation they came from, and a ledger
// of every process ever spawned so invariants (one live process per instance, all reaped) can be checked.
import type { ExitInfo, MinerStats } from '../../src/shared/model';
import type { MinerType } from '../../src/shared/schemas';
import type { AdapterIo, ApiEndpoint, MinerAdapter } from '../../src/main/core/miners/adapter';
import type { LineStream, MinerProcess, SpawnRequest, Spawner } from '../../src/main/core/process';
import { MinerManager, type ManagerOptions } from '../../src/main/core/manager';
import { realClock, type Clock } from '../../src/main/core/util/clock';

/** Wraps a promise so its settlement is decided by the caller (fast-check's scheduler, or plain). */
export type Gate = <T>(label: string, value: () => T) => Promise<T>;
export const immediate: Gate = (_label, value) => Promise.resolve().then(value);

export class FakeProcess implements MinerProcess {
  readonly exited: Promise<ExitInfo>;
  alive = true;
  ignoreTerm = false;
  /**
   * The exit of a SIGKILLed process is observed in a step of its own, which may come after the
   * manager's kill deadline and even after the next generation started (a process stuck in the kernel).
   */
  lateReap = false;
  /** SIGKILL was delivered: the process can do nothing any more, though its exit may not be seen yet. */
  killed = false;
  readonly writes: string[] = [];
  private resolveExit!: (exit: ExitInfo) => void;
  private listener: (stream: LineStream, text: string) => void = () => {};

  constructor(
    readonly pid: number,
    readonly cwd: string,
    private readonly gate: Gate,
    /** The launch command; the fake adapters name their miner type in it (`fake-xmrig`). */
    readonly command = 'fake',
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  onLine(fn: (stream: LineStream, text: string) => void): void {
    this.listener = fn;
  }

  emitLine(text: string, stream: LineStream = 'stdout'): void {
    this.listener(stream, text);
  }

  async write(data: string): Promise<void> {
    if (!this.alive) throw new Error('EPIPE');
    this.writes.push(data);
  }

  /** The process dies now (a crash, or the result of a signal). */
  exit(code: number | null, signal: string | null = null): void {
    if (!this.alive) return;
    this.alive = false;
    this.resolveExit({ code, signal, at: Date.now() });
  }

  terminate(): void {
    if (this.ignoreTerm) return;
    void this.gate(`exit-after-term ${this.pid}`, () => this.exit(0));
  }

  async killTree(): Promise<void> {
    await this.gate(`kill ${this.pid}`, () => {
      this.killed = true;
      if (!this.lateReap) this.exit(null, 'SIGKILL');
    });
    if (this.lateReap) void this.gate(`reaped ${this.pid}`, () => this.exit(null, 'SIGKILL'));
  }
}

export interface WorldOptions {
  gate?: Gate;
  /** Processes spawned with this probability ignore SIGTERM (decided by the test, not randomly). */
  ignoreTerm?: (pid: number) => boolean;
  /** Processes whose exit after SIGKILL is seen in a separate, later step (see FakeProcess.lateReap). */
  lateReap?: (pid: number) => boolean;
  spawnFails?: (req: SpawnRequest) => boolean;
  /** A line that makes the miner ready (like XMRig's API banner); without it a miner is ready at spawn. */
  readinessLine?: string;
  /**
   * The pid of the next fake process. By default a made-up number (1000, 1001...): fine while nothing
   * asks the OS about it. Tests whose code under test reads the process (pid files) give it a real
   * throwaway child of their own instead, never a pid they do not own.
   */
  pidFor?: () => number;
}

export class FakeWorld {
  readonly processes: FakeProcess[] = [];
  readonly violations: string[] = [];
  readonly statsCalls: { pid: number | null; generation: number }[] = [];
  private nextPid = 1000;
  readonly gate: Gate;

  constructor(private readonly options: WorldOptions = {}) {
    this.gate = options.gate ?? immediate;
  }

  /** Real time and timers, but every wait (deadlines, restarts) is a step the gate schedules. */
  readonly clock: Clock = {
    now: () => realClock.now(),
    setTimeout: (fn, ms) => realClock.setTimeout(fn, ms),
    setInterval: (fn, ms) => realClock.setInterval(fn, ms),
    sleep: (ms) => this.gate(`sleep ${ms}`, () => undefined),
  };

  liveFor(cwd: string): FakeProcess[] {
    return this.processes.filter((p) => p.alive && p.cwd === cwd);
  }

  /** Live and not yet SIGKILLed: a process that can still mine (a killed one only awaits its reaping). */
  activeFor(cwd: string): FakeProcess[] {
    return this.liveFor(cwd).filter((p) => !p.killed);
  }

  readonly spawn: Spawner = async (req) => {
    await this.gate(`spawn ${req.cwd}`, () => undefined);
    if (this.options.spawnFails?.(req)) throw new Error(`spawn failed for ${req.command}`);
    const live = this.activeFor(req.cwd);
    if (live.length > 0) this.violations.push(`second live process for ${req.cwd}`);
    const pid = this.options.pidFor?.() ?? this.nextPid++;
    const proc = new FakeProcess(pid, req.cwd, this.gate, req.command);
    proc.ignoreTerm = this.options.ignoreTerm?.(proc.pid) ?? false;
    proc.lateReap = this.options.lateReap?.(proc.pid) ?? false;
    this.processes.push(proc);
    return proc;
  };

  /** The adapter: stats name the port (= generation tag) of the API they were fetched from. */
  adapter(type: MinerType): MinerAdapter {
    return {
      type,
      needsBinary: false,
      binaryNames: [],
      consoleKeys: ['h'],
      supportsPause: true,
      apiCheck: this.options.readinessLine === undefined ? 'none' : 'log',
      apiBindLine: (text) => (text === this.options.readinessLine ? 'bound' : null),
      buildLaunch: (ctx) => ({
        command: `fake-${type}`,
        args: [],
        files: [],
        api: { kind: 'http', host: '127.0.0.1', port: ctx.generation, token: 't' },
      }),
      fetchStats: async (api: ApiEndpoint, signal: AbortSignal): Promise<MinerStats> => {
        const generation = api.kind === 'http' ? api.port : -1;
        return this.gate(`stats g${generation}`, () => {
          if (signal.aborted) throw new Error('aborted');
          this.statsCalls.push({ pid: null, generation });
          return fakeStats(generation);
        });
      },
      pause: async () => this.gate('pause', () => undefined),
      resume: async () => this.gate('resume', () => undefined),
      // Like the real adapters, only the fields the patch sets change.
      planThrottle: (ctx, patch) => ({
        mode: patch.threads !== undefined ? 'restart' : 'live',
        config: {
          ...ctx.config,
          ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
        },
        files: [],
      }),
    };
  }

  manager(overrides: Partial<ManagerOptions> = {}): MinerManager {
    const io: AdapterIo = {
      http: () => Promise.reject(new Error('no network in tests')),
      tcpRequest: () => Promise.reject(new Error('no network in tests')),
    };
    return new MinerManager({
      adapters: {
        xmrig: this.adapter('xmrig'),
        ttminer: this.adapter('ttminer'),
        simulated: this.adapter('simulated'),
      },
      spawn: this.spawn,
      io,
      workRoot: '/work-root',
      resolveBinary: async () => ({ id: 'fake', path: '/bin/fake', version: null }),
      allocatePort: async () => 40000,
      writeFile: async () => {},
      removeFile: async () => {},
      clock: this.clock,
      stopTimeoutMs: 50,
      ...overrides,
    });
  }
}

/** Stats whose `uptime` carries the generation tag so a test can tell which process they came from. */
export function fakeStats(generation: number): MinerStats {
  return {
    at: Date.now(),
    hashrate: [100 * generation, null, null],
    highest: null,
    warmingUp: false,
    threads: [],
    shares: { good: 0, total: 0, rejected: 0 },
    difficulty: null,
    avgShareTime: null,
    pool: null,
    ping: null,
    uptime: generation,
    paused: false,
    algo: 'rx/0',
    cpu: null,
    gpus: [],
  };
}

/** A start request that passes validation for any type (real miners need a pool and a wallet). */
export const validStart = (name: string, minerType: MinerType = 'simulated') => ({
  name,
  minerType,
  config: minerType === 'simulated' ? {} : { pool: 'stratum+tcp://127.0.0.1:3333', wallet: 'test-wallet' },
});
