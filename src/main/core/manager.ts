// The guarded map of miner instances: start/stop/restart/pause/resume/throttle/list/shutdown.
// Rules (DESIGN.md): names reserved synchronously, one operation at a time per instance, generations
// guard every async effect, and no manager-wide lock is ever held across process or network I/O.
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { MinerError } from '../../shared/errors';
import type { StatsBatch, LogBatch } from '../../shared/contract';
import type { ExitInfo, HashratePoint, LogLine, MinerSnapshot, ThrottleResult } from '../../shared/model';
import {
  fieldErrors,
  minerStartSchema,
  throttleSchema,
  type MinerStartRequest,
  type MinerType,
  type ThrottlePatch,
} from '../../shared/schemas';
import type { AdapterIo, LaunchContext, LaunchPlan, MinerAdapter } from './miners/adapter';
import { removePidFile, writePidFile } from './orphans';
import type { MinerProcess, Spawner } from './process';
import { MinerInstance } from './instance';
import { StatsCollector } from './stats/collector';
import type { HashrateHistory } from './stats/history';
import { TypedEmitter } from './util/typed-emitter';
import { atomicWrite } from './util/atomic-write';
import { freePort, randomToken } from './util/net';

export interface ManagerEvents {
  state: MinerSnapshot;
  stats: StatsBatch;
  log: LogBatch;
}

export interface ManagerOptions {
  adapters: Record<MinerType, MinerAdapter>;
  spawn: Spawner;
  io: AdapterIo;
  /** Folder for per-instance files (XMRig's config.json). */
  workRoot: string;
  resolveBinary: (type: MinerType, explicitPath: string | undefined) => Promise<string>;
  readVersion?: (binaryPath: string) => Promise<string | null>;
  /** Graceful stop deadline before the tree is killed. */
  stopTimeoutMs?: number;
  /** A process that exits within this window after spawning failed to start (bad config, missing lib). */
  startGraceMs?: number;
  statsIntervalMs?: number;
  statsTimeoutMs?: number;
  apiTimeoutMs?: number;
  logFlushMs?: number;
  now?: () => number;
  allocatePort?: () => Promise<number>;
  makeToken?: () => string;
  writeFile?: (path: string, content: string) => Promise<void>;
  removeFile?: (path: string) => Promise<void>;
  /** Records each spawned pid so a later session can stop miners this one could not (see orphans.ts). */
  pidFiles?: boolean;
  /** Injected so concurrency tests can put every wait under a scheduler's control. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'miner'
  );
}

function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

export class MinerManager extends TypedEmitter<ManagerEvents> {
  private readonly instances = new Map<string, MinerInstance>();
  private readonly collector: StatsCollector;
  private readonly opts: Required<Omit<ManagerOptions, 'readVersion'>> & Pick<ManagerOptions, 'readVersion'>;
  private shutdownPromise: Promise<void> | null = null;
  private readonly pendingLogs = new Map<string, LogLine[]>();
  private logFlushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly versionCache = new Map<string, Promise<string | null>>();

  constructor(options: ManagerOptions) {
    super();
    this.opts = {
      stopTimeoutMs: 3000,
      startGraceMs: 300,
      statsIntervalMs: 1000,
      statsTimeoutMs: 2500,
      apiTimeoutMs: 5000,
      logFlushMs: 100,
      now: Date.now,
      allocatePort: () => freePort(),
      makeToken: randomToken,
      writeFile: (path, content) => atomicWrite(path, content),
      removeFile: (path) => rm(path, { force: true }),
      sleep: realSleep,
      pidFiles: false,
      ...options,
    };
    this.collector = new StatsCollector({
      intervalMs: this.opts.statsIntervalMs,
      timeoutMs: this.opts.statsTimeoutMs,
      now: this.opts.now,
      targets: () => [...this.instances.values()],
      fetch: (inst, signal, detail) =>
        this.adapter(inst.minerType).fetchStats(inst.api!, signal, this.opts.io, { detail }),
      onBatch: (batch) => this.emit('stats', batch),
      onError: (inst) => this.emitState(inst),
    });
  }

  // ---------- queries ----------

  list(): MinerSnapshot[] {
    return [...this.instances.values()].map((i) => i.snapshot());
  }

  get(id: string): MinerSnapshot {
    return this.require(id).snapshot();
  }

  getLogs(id: string, afterSeq = 0, limit = 1000): LogLine[] {
    return this.require(id).logs.since(afterSeq, limit);
  }

  getHistory(id: string, from: number, to: number): HashratePoint[] {
    return this.require(id).history.query(from, to, this.opts.now());
  }

  /** The miner's history store itself: benchmarks seed it with past samples (oldest first). */
  historyOf(id: string): HashrateHistory {
    return this.require(id).history;
  }

  /** Starts the stats timer; the transports call this once they are ready to forward events. */
  startCollector(): void {
    if (!this.shutdownPromise) this.collector.start();
  }

  setStatsInterval(ms: number): void {
    this.collector.setInterval(ms);
  }

  /** One stats tick now (tests and benchmarks drive the collector directly). */
  tick(): Promise<StatsBatch> {
    return this.collector.tick();
  }

  // ---------- operations ----------

  /**
   * Validates, reserves the instance name synchronously (before any await) and queues the start.
   * A second start of a live name fails with ALREADY_RUNNING; nothing is spawned on bad input.
   */
  start(input: unknown): Promise<MinerSnapshot> {
    try {
      this.assertOpen();
      const parsed = minerStartSchema.safeParse(input);
      if (!parsed.success) {
        throw new MinerError(
          'INVALID_INPUT',
          parsed.error.issues[0]?.message ?? 'Invalid miner config',
          fieldErrors(parsed.error),
        );
      }
      const inst = this.reserve(parsed.data);
      return inst.lock.runExclusive(() => this.doStart(inst));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  stop(id: string): Promise<MinerSnapshot> {
    try {
      const inst = this.require(id);
      inst.intent = 'stop';
      return inst.lock.runExclusive(async () => {
        await this.doStop(inst);
        return inst.snapshot();
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  restart(id: string): Promise<MinerSnapshot> {
    try {
      this.assertOpen();
      const inst = this.require(id);
      inst.intent = 'run';
      return inst.lock.runExclusive(async () => {
        await this.doStop(inst);
        return this.doStart(inst);
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  pause(id: string): Promise<MinerSnapshot> {
    return this.pauseResume(id, true);
  }

  resume(id: string): Promise<MinerSnapshot> {
    return this.pauseResume(id, false);
  }

  /** Applies threads / CPU hint / priority: live when the miner supports it, else at the next (re)start. */
  throttle(id: string, patchInput: unknown): Promise<ThrottleResult> {
    try {
      const parsed = throttleSchema.safeParse(patchInput);
      if (!parsed.success) {
        throw new MinerError(
          'INVALID_INPUT',
          parsed.error.issues[0]?.message ?? 'Invalid throttle',
          fieldErrors(parsed.error),
        );
      }
      const inst = this.require(id);
      return inst.lock.runExclusive(() => this.doThrottle(inst, parsed.data));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Sends console input (XMRig keys h, p, r, s, c) to the miner's stdin. */
  async sendConsole(id: string, input: string): Promise<void> {
    const inst = this.require(id);
    const proc = inst.process;
    if (!proc || inst.state !== 'running') {
      throw new MinerError('INVALID_STATE', `${inst.name} is not running`);
    }
    const text = input.endsWith('\n') ? input : `${input}\n`;
    this.note(inst, `> ${input.trim()}`, inst.generation);
    await proc.write(text, 2000);
  }

  /** Forgets a miner that is not live (its logs and history go with it). */
  remove(id: string): Promise<void> {
    try {
      const inst = this.require(id);
      return inst.lock.runExclusive(() => {
        if (inst.isLive || inst.intent === 'run') {
          throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}; stop it before removing it`);
        }
        this.instances.delete(id);
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Idempotent: stops the timer, then every miner in parallel (graceful, then tree kill). */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.collector.stop();
      await Promise.allSettled(
        [...this.instances.values()].map((inst) => {
          inst.intent = 'stop';
          return inst.lock.runExclusive(() => this.doStop(inst));
        }),
      );
      this.flushLogs();
    })();
    return this.shutdownPromise;
  }

  /** Last resort from a synchronous exit hook: SIGKILL every live process tree now. */
  killAllSync(): void {
    for (const inst of this.instances.values()) {
      const pid = inst.process?.pid;
      if (pid == null) continue;
      try {
        if (process.platform === 'win32') process.kill(pid, 'SIGKILL');
        else process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  // ---------- internals ----------

  private assertOpen(): void {
    if (this.shutdownPromise) throw new MinerError('SHUTTING_DOWN', 'The app is shutting down');
  }

  private require(id: string): MinerInstance {
    const inst = this.instances.get(id);
    if (!inst) throw new MinerError('NOT_FOUND', `No miner with id "${id}"`);
    return inst;
  }

  private adapter(type: MinerType): MinerAdapter {
    return this.opts.adapters[type];
  }

  /** Synchronous: picks the id, refuses a live one, records the intent. No await may precede this. */
  private reserve(req: MinerStartRequest): MinerInstance {
    const explicit = req.name !== undefined;
    const baseName = req.name ?? req.minerType;
    let name = baseName;
    let id = slug(name);
    let existing = this.instances.get(id);
    if (!explicit) {
      for (let n = 2; existing && existing.intent === 'run'; n++) {
        name = `${baseName}-${n}`;
        id = slug(name);
        existing = this.instances.get(id);
      }
    }
    if (existing && existing.intent === 'run') {
      throw new MinerError('ALREADY_RUNNING', `${existing.name} is already running`, { id });
    }
    if (existing && existing.minerType !== req.minerType) {
      if (existing.isLive) {
        throw new MinerError('ALREADY_RUNNING', `${existing.name} is still stopping`, { id });
      }
      this.instances.delete(id);
      existing = undefined;
    }
    const inst =
      existing ??
      new MinerInstance({
        id,
        name,
        minerType: req.minerType,
        profileId: req.profileId ?? null,
        config: req.config,
        minSampleIntervalMs: Math.min(250, this.collector.interval),
      });
    inst.config = req.config;
    inst.profileId = req.profileId ?? inst.profileId;
    inst.intent = 'run';
    this.instances.set(id, inst);
    return inst;
  }

  private emitState(inst: MinerInstance): void {
    this.emit('state', inst.snapshot());
  }

  /** Runs under the instance lock. */
  private async doStart(inst: MinerInstance): Promise<MinerSnapshot> {
    if (this.shutdownPromise) {
      inst.intent = 'stop';
      throw new MinerError('SHUTTING_DOWN', 'The app is shutting down');
    }
    if (inst.intent !== 'run') {
      // A stop arrived while this start waited its turn: the user's last word wins.
      return inst.snapshot();
    }
    if (inst.process) return inst.snapshot();

    const adapter = this.adapter(inst.minerType);
    const generation = ++inst.generation;
    inst.transition('starting');
    inst.paused = false;
    inst.stats = null;
    inst.statsError = null;
    inst.statsPolls = 0;
    inst.startedAt = null;
    this.emitState(inst);

    const fail = async (err: unknown): Promise<never> => {
      const error =
        err instanceof MinerError
          ? err
          : new MinerError('SPAWN_FAILED', err instanceof Error ? err.message : String(err));
      inst.transition('errored', error.message);
      inst.intent = 'stop';
      this.note(inst, `start failed: ${error.message}`, generation);
      this.emitState(inst);
      if (ctx !== undefined) await this.opts.removeFile(join(ctx.workDir, 'config.json')).catch(() => {});
      throw error;
    };

    let proc: MinerProcess;
    let ctx: LaunchContext | undefined;
    let plan: LaunchPlan;
    try {
      const binaryPath = adapter.needsBinary
        ? await this.opts.resolveBinary(inst.minerType, inst.config.binaryPath)
        : null;
      ctx = {
        id: inst.id,
        generation,
        config: inst.config,
        workDir: join(this.opts.workRoot, inst.id),
        binaryPath,
        apiPort: inst.config.apiPort ?? (await this.opts.allocatePort()),
        apiToken: this.opts.makeToken(),
      };
      plan = adapter.buildLaunch(ctx);
      if (adapter.startInProcess) {
        proc = adapter.startInProcess(ctx);
      } else {
        for (const file of plan.files) await this.opts.writeFile(file.path, file.content);
        proc = await this.opts.spawn({
          command: plan.command,
          args: plan.args,
          cwd: ctx.workDir,
          env: plan.env,
        });
      }
      inst.api = plan.api;
      if (binaryPath) this.lookupVersion(inst, generation, binaryPath);
    } catch (err) {
      return fail(err);
    }

    inst.process = proc;
    inst.launch = ctx;
    const workDir = ctx.workDir;
    if (this.opts.pidFiles && proc.pid !== null) {
      const record = { pid: proc.pid, command: plan.command, startedAt: this.opts.now() };
      const written = writePidFile(workDir, record).catch(() => {});
      // Removed only once written (a fast exit must not leave it behind) and only while no successor
      // process owns the folder (an old process reaped after a restart must not delete the new record).
      void Promise.all([proc.exited, written]).then(() =>
        inst.process === null || inst.process === proc ? removePidFile(workDir).catch(() => {}) : undefined,
      );
    }
    inst.startedAt = this.opts.now();
    this.note(
      inst,
      `started ${inst.minerType} (pid ${proc.pid ?? 'in-process'}, generation ${generation})`,
      generation,
    );
    proc.onLine((stream, text) => this.onLine(inst, generation, stream, text));
    void proc.exited.then((exit) => this.onExit(inst, generation, proc, exit));
    this.emitState(inst);

    // A miner that dies at once (bad config: exit 2) failed to start rather than crashed.
    const early = await Promise.race([proc.exited, this.opts.sleep(this.opts.startGraceMs).then(() => null)]);
    if (early && inst.process === proc) {
      inst.process = null;
      inst.api = null;
      inst.lastExit = early;
      const last = inst.logs.lastText(3, generation).filter((l) => !l.startsWith('started '));
      return fail(
        new MinerError(
          'SPAWN_FAILED',
          `${inst.name} ${describeExit(early)} right after starting${last.length ? `: ${last.at(-1)}` : ''}`,
          {
            exit: early,
            output: last,
          },
        ),
      );
    }
    if (inst.state === 'starting') {
      inst.transition('running');
      this.emitState(inst);
    }
    return inst.snapshot();
  }

  /** Runs under the instance lock. Graceful stop, then the tree is killed after the deadline. */
  private async doStop(inst: MinerInstance): Promise<void> {
    const proc = inst.process;
    if (!proc) return;
    const generation = inst.generation;
    inst.transition('stopping');
    this.emitState(inst);
    proc.terminate();
    let exit = await Promise.race([proc.exited, this.opts.sleep(this.opts.stopTimeoutMs).then(() => null)]);
    if (!exit) {
      this.note(
        inst,
        `did not exit within ${this.opts.stopTimeoutMs} ms; killing the process tree`,
        generation,
      );
      await proc.killTree();
      exit = await Promise.race([proc.exited, this.opts.sleep(this.opts.stopTimeoutMs).then(() => null)]);
      if (!exit) {
        // Extremely unlikely (uninterruptible sleep); keep the record honest rather than pretend.
        this.note(inst, 'process did not exit after SIGKILL', generation);
        exit = { code: null, signal: 'SIGKILL', at: this.opts.now() };
      }
    }
    inst.process = null;
    inst.api = null;
    inst.lastExit = exit;
    inst.paused = false;
    inst.transition('stopped');
    this.note(inst, `stopped (${describeExit(exit)})`, generation);
    this.emitState(inst);
    await this.removeLaunchFiles(inst);
  }

  private pauseResume(id: string, pause: boolean): Promise<MinerSnapshot> {
    try {
      const inst = this.require(id);
      return inst.lock.runExclusive(async () => {
        const adapter = this.adapter(inst.minerType);
        if (inst.state !== 'running' || !inst.api) {
          throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}, not running`);
        }
        const call = pause ? adapter.pause : adapter.resume;
        if (!adapter.supportsPause || !call) {
          throw new MinerError('UNSUPPORTED', `${inst.minerType} cannot be paused; stop it instead`);
        }
        const generation = inst.generation;
        await call.call(adapter, inst.api, AbortSignal.timeout(this.opts.apiTimeoutMs), this.opts.io);
        // A crash while the call was in flight leaves nothing to be paused.
        if (inst.generation === generation && inst.state === 'running') {
          inst.paused = pause;
          if (inst.stats) inst.stats = { ...inst.stats, paused: pause };
          this.note(inst, pause ? 'paused' : 'resumed', generation);
          this.emitState(inst);
        }
        return inst.snapshot();
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private async doThrottle(inst: MinerInstance, patch: ThrottlePatch): Promise<ThrottleResult> {
    const next = {
      ...inst.config,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    const unchanged =
      next.threads === inst.config.threads &&
      next.cpuMaxThreadsHint === inst.config.cpuMaxThreadsHint &&
      next.cpuPriority === inst.config.cpuPriority;
    if (unchanged) return { mode: 'unchanged', config: inst.config };
    if (inst.state !== 'running' || !inst.launch) {
      inst.config = next;
      this.emitState(inst);
      return { mode: 'restart', config: inst.config };
    }
    const adapter = this.adapter(inst.minerType);
    const plan = adapter.planThrottle({ ...inst.launch, config: inst.config }, patch);
    if (plan.mode === 'live') {
      for (const file of plan.files) await this.opts.writeFile(file.path, file.content);
      if (adapter.applyThrottle && inst.api) adapter.applyThrottle(inst.api, plan.config);
      inst.launch = { ...inst.launch, config: plan.config };
    }
    inst.config = plan.config;
    this.note(
      inst,
      `throttle ${JSON.stringify(patch)} (${plan.mode === 'live' ? 'applied live' : 'applies on restart'})`,
      inst.generation,
    );
    this.emitState(inst);
    return { mode: plan.mode, config: inst.config };
  }

  private onLine(inst: MinerInstance, generation: number, stream: 'stdout' | 'stderr', text: string): void {
    if (inst.generation !== generation) return; // a late line of a replaced process
    this.appendLog(inst, stream, text, generation);
  }

  /** Our own notes in the miner's log (console echo, stops, throttles) reach live viewers too. */
  private note(inst: MinerInstance, text: string, generation = inst.generation): void {
    this.appendLog(inst, 'system', text, generation);
  }

  private appendLog(inst: MinerInstance, stream: LogLine['stream'], text: string, generation: number): void {
    const line = inst.logs.push(stream, text, generation);
    let pending = this.pendingLogs.get(inst.id);
    if (!pending) {
      pending = [];
      this.pendingLogs.set(inst.id, pending);
    }
    pending.push(line);
    // A flooding miner must not grow the queue beyond what the log buffer keeps anyway.
    if (pending.length > 1000) pending.splice(0, pending.length - 1000);
    if (!this.logFlushTimer) {
      this.logFlushTimer = setTimeout(() => this.flushLogs(), this.opts.logFlushMs);
      this.logFlushTimer.unref?.();
    }
  }

  private flushLogs(): void {
    if (this.logFlushTimer) clearTimeout(this.logFlushTimer);
    this.logFlushTimer = null;
    for (const [id, lines] of this.pendingLogs) this.emit('log', { id, lines });
    this.pendingLogs.clear();
  }

  /** Exit of a process we started. Ignored unless it is still this instance's current process. */
  private onExit(inst: MinerInstance, generation: number, proc: MinerProcess, exit: ExitInfo): void {
    if (inst.generation !== generation || inst.process !== proc) return;
    // stopping: doStop records the exit; starting: doStart's grace race sees it.
    if (inst.state !== 'running') return;
    inst.process = null;
    inst.api = null;
    inst.lastExit = exit;
    inst.intent = 'stop';
    // The miner's own last words, not our notes ("started ...", console echoes) about it.
    const last = inst.logs
      .since(0)
      .filter((l) => l.generation === generation && l.stream !== 'system')
      .at(-1)?.text;
    inst.transition('crashed', `${inst.name} ${describeExit(exit)}${last ? `: ${last}` : ''}`);
    this.note(inst, `crashed (${describeExit(exit)})`, generation);
    this.emitState(inst);
    // Under the lock, so a restart that is writing a fresh config cannot lose it to this cleanup.
    void inst.lock.runExclusive(() => (inst.process ? undefined : this.removeLaunchFiles(inst)));
  }

  /** The config file holds the API token in plain text; it has no use once the process is gone. */
  private async removeLaunchFiles(inst: MinerInstance): Promise<void> {
    if (!inst.launch) return;
    await this.opts.removeFile(join(inst.launch.workDir, 'config.json')).catch(() => {});
  }

  private lookupVersion(inst: MinerInstance, generation: number, binaryPath: string): void {
    if (!this.opts.readVersion) return;
    let pending = this.versionCache.get(binaryPath);
    if (!pending) {
      pending = this.opts.readVersion(binaryPath).catch(() => null);
      this.versionCache.set(binaryPath, pending);
    }
    void pending.then((version) => {
      if (inst.generation === generation && version) {
        inst.version = version;
      }
    });
  }
}
