// The process lifecycle of one miner instance: spawn (binary, files, API port), readiness, a graceful
// stop with a deadline then a tree kill, and exit handling (stale / stop / failed start / crash). It
// runs under the instance lock the manager holds; waiting for readiness happens outside that lock.
import { join } from 'node:path';
import { MinerError } from '../../../shared/errors';
import type { ExitInfo, MinerSnapshot, MinerState } from '../../../shared/model';
import type { MinerType } from '../../../shared/schemas';
import type { LaunchContext, LaunchPlan, MinerAdapter } from '../miners/adapter';
import type { MinerInstance, Startup } from '../instance';
import type { LaunchedBy, ManagerEvents } from '../manager-events';
import { recordOf, removePidFile, writePidFile } from '../orphans';
import type { MinerProcess, Spawner } from '../process';
import type { Clock } from '../util/clock';
import type { PortOwner } from '../util/port-owner';
import {
  classifyExit,
  crashReason,
  describeExit,
  describeStrays,
  launchFailureReason,
  readinessOf,
} from './exit-policy';

export interface ResolvedBinary {
  id: string;
  path: string;
  version: string | null;
}

export interface LifecycleOptions {
  adapters: Record<MinerType, MinerAdapter>;
  spawn: Spawner;
  clock: Clock;
  workRoot: string;
  resolveBinary: (type: MinerType, binaryId: string | undefined) => Promise<ResolvedBinary>;
  portOwner: (port: number, pid: number) => Promise<PortOwner>;
  readVersion?: (binaryPath: string) => Promise<string | null>;
  allocatePort: () => Promise<number>;
  makeToken: () => string;
  writeFile: (path: string, content: string) => Promise<void>;
  removeFile: (path: string) => Promise<void>;
  pidFiles: boolean;
  stopTimeoutMs: number;
  /** How long a start waits for readiness before it answers with the miner still `starting`. */
  startTimeoutMs: number;
  /** How often the port owner is asked while a miner without a readiness line starts. */
  probeIntervalMs: number;
}

/** What the lifecycle needs of the manager around it. */
export interface LifecycleHost {
  note(inst: MinerInstance, text: string, generation?: number): void;
  output(inst: MinerInstance, stream: 'stdout' | 'stderr', text: string, generation: number): void;
  emitState(inst: MinerInstance): void;
  emit<K extends keyof ManagerEvents>(event: K, payload: ManagerEvents[K]): void;
  closing(): boolean;
}

export interface StopRequest {
  /** Why (a watchdog kill says what it saw); written to the log with the stop. */
  reason?: string;
  /** The state after the exit and its reason (the watchdog's kill ends in backoff or crash-loop). */
  settle?: () => { state: MinerState; reason: string | null };
}

/** Races `promise` against a deadline on the clock; null when the deadline came first. The timer is called off. */
async function within<T>(clock: Clock, promise: Promise<T>, ms: number): Promise<T | null> {
  const cancel = new AbortController();
  const deadline = clock.sleep(ms, cancel.signal).then(
    // Stryker disable next-line ArrowFunction: equivalent, the caller only tests the result for falsiness (undefined = null)
    () => null,
    // Stryker disable next-line ArrowFunction: equivalent, the sleep rejects only once aborted, after the race settled
    () => null,
  );
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    cancel.abort();
  }
}

// A function, not an inline comparison: the state changes across the awaits in verifyApi.
function isVerified(inst: MinerInstance): boolean {
  return inst.apiState === 'verified';
}

function settled(snap: MinerSnapshot, generation: number): Startup {
  return { generation, outcome: Promise.resolve(snap) };
}

export class ProcessLifecycle {
  private readonly versionCache = new Map<string, Promise<string | null>>();

  constructor(
    private readonly o: LifecycleOptions,
    private readonly host: LifecycleHost,
  ) {}

  private adapter(type: MinerType): MinerAdapter {
    return this.o.adapters[type];
  }

  /**
   * Under the instance lock: spawns a new process of `inst` and returns at once with its startup, whose
   * outcome the caller awaits without the lock (so a stop is never queued behind a slow start-up).
   */
  async launch(inst: MinerInstance, by: LaunchedBy): Promise<Startup> {
    if (this.host.closing()) {
      inst.intent = 'stop';
      throw new MinerError('SHUTTING_DOWN', 'The app is shutting down');
    }
    // A stop arrived while this start waited its turn (the user's last word wins), or a process already runs.
    if (inst.intent !== 'run' || inst.process) return settled(inst.snapshot(), inst.generation);

    const adapter = this.adapter(inst.minerType);
    const generation = ++inst.generation;
    inst.transition('starting');
    inst.launchedBy = by;
    inst.paused = false;
    inst.pauseCause = null;
    inst.pausedUntil = null;
    inst.throttleApply = null;
    inst.usage = null;
    inst.stats = null;
    inst.statsError = null;
    inst.statsPolls = 0;
    inst.startedAt = null;
    this.host.emitState(inst);

    let ctx: LaunchContext | undefined;
    let proc: MinerProcess;
    let plan: LaunchPlan;
    try {
      const binary = adapter.needsBinary
        ? await this.o.resolveBinary(inst.minerType, inst.config.binaryId)
        : null;
      const binaryPath = binary?.path ?? null;
      inst.binaryId = binary?.id ?? null;
      ctx = {
        id: inst.id,
        generation,
        config: inst.config,
        workDir: join(this.o.workRoot, inst.id),
        binaryPath,
        apiPort: inst.config.apiPort ?? (await this.o.allocatePort()),
        apiToken: this.o.makeToken(),
      };
      plan = adapter.buildLaunch(ctx);
      if (adapter.startInProcess) {
        proc = adapter.startInProcess(ctx);
      } else {
        for (const file of plan.files) await this.o.writeFile(file.path, file.content);
        proc = await this.o.spawn({
          command: plan.command,
          args: plan.args,
          cwd: ctx.workDir,
          env: plan.env,
        });
      }
      inst.api = plan.api;
      inst.apiState = adapter.apiCheck === 'none' ? 'verified' : 'pending';
      if (binary?.version) inst.version = binary.version;
      else if (binaryPath) this.lookupVersion(inst, generation, binaryPath);
    } catch (err) {
      const error =
        err instanceof MinerError
          ? err
          : new MinerError('SPAWN_FAILED', err instanceof Error ? err.message : String(err));
      this.failStart(inst, generation, by, error.message, null);
      if (ctx !== undefined) await this.o.removeFile(join(ctx.workDir, 'config.json')).catch(() => {});
      throw error;
    }

    inst.process = proc;
    inst.launch = ctx;
    if (this.o.pidFiles && proc.pid !== null) {
      const workDir = ctx.workDir;
      const spawned = {
        pid: proc.pid,
        command: plan.command,
        args: plan.args,
        startedAt: this.o.clock.now(),
      };
      // The record (pid + start time + executable) is read from the OS at once, while the process surely
      // lives. Writes and removals go through one queue per miner, in spawn order: a replaced process's slow
      // write can never land over its successor's record (a fast restart raced them), a fast exit cannot
      // leave a record behind, and an old process reaped after a restart never deletes the new record.
      // Stryker disable next-line ArrowFunction: equivalent, the record is only tested for truthiness (undefined = null)
      const record = recordOf(spawned).catch(() => null);
      inst.queuePidFileOp(async () => {
        const r = await record;
        if (r && inst.process === proc) await writePidFile(workDir, r);
      });
      void proc.exited.then(() =>
        inst.queuePidFileOp(async () => {
          if (inst.process === null || inst.process === proc) await removePidFile(workDir);
        }),
      );
    }
    inst.startedAt = this.o.clock.now();
    this.host.note(
      inst,
      `started ${inst.minerType} (pid ${proc.pid ?? 'in-process'}, generation ${generation}${by === 'watchdog' ? ', by the watchdog' : ''})`,
      generation,
    );
    const startup = this.awaitReady(inst, generation, adapter);
    proc.onLine((stream, text) => this.onLine(inst, generation, stream, text));
    void proc.exited.then((exit) => this.onExit(inst, generation, proc, exit));
    this.host.emit('launched', {
      id: inst.id,
      generation,
      by,
      at: inst.startedAt,
      wanted: inst.intent === 'run',
    });
    if (readinessOf(adapter) === 'spawned') this.markReady(inst, generation);
    else this.host.emitState(inst);
    return startup;
  }

  /** The startup handle; readiness (markReady), an early exit (onExit) or a stop settles it. */
  private awaitReady(inst: MinerInstance, generation: number, adapter: MinerAdapter): Startup {
    let resolve!: (snap: MinerSnapshot) => void;
    let reject!: (err: unknown) => void;
    const outcome = new Promise<MinerSnapshot>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody may be waiting (a watchdog start that was called off): the rejection is reported, not thrown.
    outcome.catch(() => {});
    inst.pendingStart = { generation, resolve, reject };
    const readiness = readinessOf(adapter);
    if (readiness !== 'spawned') {
      if (readiness === 'port-owner') void this.probeOwner(inst, generation);
      const deadline = this.o.clock.setTimeout(() => {
        if (inst.generation !== generation || inst.state !== 'starting') return;
        this.host.note(
          inst,
          `has not opened its API within ${Math.round(this.o.startTimeoutMs / 1000)} s; still starting`,
          generation,
        );
        this.settleStart(inst, generation, null);
      }, this.o.startTimeoutMs);
      void outcome.then(
        () => deadline.cancel(),
        () => deadline.cancel(),
      );
    }
    return { generation, outcome };
  }

  private settleStart(inst: MinerInstance, generation: number, error: MinerError | null): void {
    const pending = inst.pendingStart;
    if (!pending || pending.generation !== generation) return;
    inst.pendingStart = null;
    if (error) pending.reject(error);
    else pending.resolve(inst.snapshot());
  }

  /** Ready: the miner runs. Idempotent; nothing happens for a replaced or stopping process. */
  private markReady(inst: MinerInstance, generation: number): void {
    if (inst.generation !== generation || inst.state !== 'starting') return;
    inst.transition('running');
    this.host.emitState(inst);
    this.settleStart(inst, generation, null);
  }

  /** A miner without a readiness line: asks the OS who listens on its API port until it is the miner. */
  private async probeOwner(inst: MinerInstance, generation: number): Promise<void> {
    while (inst.generation === generation && inst.state === 'starting') {
      const ok = await this.verifyApi(inst);
      if (inst.generation !== generation || inst.state !== 'starting') return;
      if (ok || inst.apiState === 'failed') {
        this.markReady(inst, generation);
        return;
      }
      await this.o.clock.sleep(this.o.probeIntervalMs);
    }
  }

  /** A start that did not get a process, or whose process died before it was ready. */
  private failStart(
    inst: MinerInstance,
    generation: number,
    by: LaunchedBy,
    reason: string,
    exit: ExitInfo | null,
  ): MinerError {
    inst.transition('errored', reason);
    inst.intent = 'stop';
    this.host.note(inst, `start failed: ${reason}`, generation);
    const error = new MinerError(
      'SPAWN_FAILED',
      reason,
      exit ? { exit, output: inst.logs.lastMinerText(3, generation) } : undefined,
    );
    this.host.emit('launch-failed', { id: inst.id, generation, by, reason, exit, at: this.o.clock.now() });
    this.host.emitState(inst);
    this.settleStart(inst, generation, error);
    return error;
  }

  /**
   * Under the instance lock. Graceful stop, then the tree is killed after the deadline. Resolves once the
   * process is gone (or at once when there is none).
   */
  async stop(inst: MinerInstance, request: StopRequest = {}): Promise<void> {
    const proc = inst.process;
    if (!proc) return;
    const generation = inst.generation;
    inst.transition('stopping');
    this.host.emitState(inst);
    proc.terminate();
    let exit = await within(this.o.clock, proc.exited, this.o.stopTimeoutMs);
    if (!exit) {
      this.host.note(
        inst,
        `did not exit within ${this.o.stopTimeoutMs} ms; killing the process tree`,
        generation,
      );
      await proc.killTree();
      exit = await within(this.o.clock, proc.exited, this.o.stopTimeoutMs);
      if (!exit) {
        // Extremely unlikely (uninterruptible sleep); keep the record honest rather than pretend.
        this.host.note(inst, 'process did not exit after SIGKILL', generation);
        exit = { code: null, signal: 'SIGKILL', at: this.o.clock.now() };
      }
    }
    inst.process = null;
    inst.api = null;
    inst.lastExit = exit;
    inst.paused = false;
    inst.pausedUntil = null;
    // The last run's API trouble says nothing about a miner that no longer runs.
    inst.statsError = null;
    const final = request.settle?.() ?? { state: 'stopped' as const, reason: null };
    inst.transition(final.state, final.reason);
    this.host.note(
      inst,
      `stopped (${describeExit(exit)})${request.reason ? `: ${request.reason}` : ''}`,
      generation,
    );
    const strays = describeStrays(exit);
    if (strays) this.host.note(inst, strays, generation);
    this.host.emit('exit', { id: inst.id, generation, exit, expected: true });
    this.settleStart(inst, generation, null);
    this.host.emitState(inst);
    await this.removeLaunchFiles(inst);
  }

  /** The config file holds the API token in plain text; it has no use once the process is gone. */
  async removeLaunchFiles(inst: MinerInstance): Promise<void> {
    if (!inst.launch) return;
    await this.o.removeFile(join(inst.launch.workDir, 'config.json')).catch(() => {});
  }

  /** Exit of a process we started. Ignored unless it is still this instance's current process. */
  private onExit(inst: MinerInstance, generation: number, proc: MinerProcess, exit: ExitInfo): void {
    // The process handle alone says it: a later launch replaces it, a stop clears it.
    const current = inst.process === proc;
    const verdict = classifyExit(current, inst.state);
    if (verdict === 'stale' || verdict === 'stopping') return;
    inst.process = null;
    inst.api = null;
    inst.lastExit = exit;
    inst.statsError = null;
    this.host.emit('exit', { id: inst.id, generation, exit, expected: false });
    if (verdict === 'launch-failed') {
      const lines = inst.logs.lastMinerText(3, generation);
      this.failStart(inst, generation, inst.launchedBy, launchFailureReason(inst.name, exit, lines), exit);
    } else {
      inst.intent = 'stop';
      const lastLines = inst.logs.lastMinerText(5, generation);
      inst.transition('crashed', crashReason(inst.name, exit, lastLines.at(-1)));
      this.host.note(inst, `crashed (${describeExit(exit)})`, generation);
      const strays = describeStrays(exit);
      if (strays) this.host.note(inst, strays, generation);
      this.host.emitState(inst);
      // The watchdog hears this synchronously and may move the miner to backoff or crash-loop.
      this.host.emit('crash', { id: inst.id, generation, exit, lastLines, at: this.o.clock.now() });
    }
    // Under the lock, so a restart that is writing a fresh config cannot lose it to this cleanup.
    void inst.lock.runExclusive(() => (inst.process ? undefined : this.removeLaunchFiles(inst)));
  }

  private onLine(inst: MinerInstance, generation: number, stream: 'stdout' | 'stderr', text: string): void {
    if (inst.generation !== generation) return; // a late line of a replaced process
    this.host.output(inst, stream, text, generation);
    if (inst.apiState === 'pending' && inst.launch) {
      const verdict = this.adapter(inst.minerType).apiBindLine?.(text, inst.launch.apiPort) ?? null;
      if (verdict === 'bound') inst.apiState = 'verified';
      else if (verdict === 'failed')
        this.apiFailed(inst, `its API port ${inst.launch.apiPort} was already in use`);
      // The readiness line: the miner runs (with its API, or without one it will never have this run).
      if (verdict !== null) this.markReady(inst, generation);
    }
  }

  /** The API must not be used this run: say why once, in the snapshot and the log. */
  private apiFailed(inst: MinerInstance, why: string): void {
    inst.apiState = 'failed';
    inst.statsError = `${inst.name} has no API this run: ${why}. HashDeck will not talk to that port; restart the miner to get a new one.`;
    this.host.note(inst, inst.statsError);
    this.host.emitState(inst);
  }

  /** Before the first request: is the port this miner's? Resolves true once it is known to be. */
  async verifyApi(inst: MinerInstance): Promise<boolean> {
    if (inst.apiState !== 'pending') return inst.apiState === 'verified';
    const adapter = this.adapter(inst.minerType);
    const pid = inst.process?.pid;
    if (adapter.apiCheck !== 'owner' || !inst.launch || pid == null) return false;
    const generation = inst.generation;
    // Stryker disable next-line ArrowFunction: equivalent, undefined is neither 'miner' nor 'foreign', exactly like 'unknown'
    const owner = await this.o.portOwner(inst.launch.apiPort, pid).catch(() => 'unknown' as const);
    if (inst.generation !== generation || inst.apiState !== 'pending') return isVerified(inst);
    if (owner === 'miner') inst.apiState = 'verified';
    else if (owner === 'foreign')
      this.apiFailed(inst, `another program listens on its API port ${inst.launch.apiPort}`);
    return isVerified(inst);
  }

  private lookupVersion(inst: MinerInstance, generation: number, binaryPath: string): void {
    if (!this.o.readVersion) return;
    let pending = this.versionCache.get(binaryPath);
    if (!pending) {
      // Stryker disable next-line ArrowFunction: equivalent, the version is only tested for truthiness (undefined = null)
      pending = this.o.readVersion(binaryPath).catch(() => null);
      this.versionCache.set(binaryPath, pending);
    }
    void pending.then((version) => {
      if (inst.generation === generation && version) inst.version = version;
    });
  }
}
