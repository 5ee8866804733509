// The guarded map of miner instances: start/stop/restart/pause/resume/throttle/list/shutdown.
// Rules (DESIGN.md): names reserved synchronously, one operation at a time per instance, generations
// guard every async effect, and no manager-wide lock is ever held across process or network I/O.
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { MinerError } from '../../shared/errors';
import type { StatsBatch, LogBatch } from '../../shared/contract';
import type {
  ExitInfo,
  HashratePoint,
  KnobTarget,
  LogLine,
  MinerSnapshot,
  PauseCause,
  ThrottleApply,
  ThrottleResult,
} from '../../shared/model';
import {
  fieldErrors,
  firstIssueMessage,
  minerStartSchema,
  throttleSchema,
  type MinerConfig,
  type MinerStartRequest,
  type MinerType,
  type ThrottlePatch,
} from '../../shared/schemas';
import type { AdapterIo, LaunchContext, LaunchPlan, MinerAdapter, ThrottlePlan } from './miners/adapter';
import { recordSpawn, removePidFile } from './orphans';
import type { MinerProcess, Spawner } from './process';
import { MinerInstance } from './instance';
import { StatsCollector } from './stats/collector';
import { confirmKnobs } from './throttle/confirm';
import type { UsageSampler } from './throttle/usage/sampler';
import type { HashrateHistory } from './stats/history';
import { TypedEmitter } from './util/typed-emitter';
import { atomicWrite } from './util/atomic-write';
import { freePort, randomToken } from './util/net';
import { portOwner, type PortOwner } from './util/port-owner';

export interface ManagerEvents {
  state: MinerSnapshot;
  stats: StatsBatch;
  log: LogBatch;
}

export interface ResolvedBinary {
  id: string;
  path: string;
  version: string | null;
}

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
  /** Graceful stop deadline before the tree is killed. */
  stopTimeoutMs?: number;
  /** A process that exits within this window after spawning failed to start (bad config, missing lib). */
  startGraceMs?: number;
  statsIntervalMs?: number;
  /** Poll interval while nobody watches live stats (app minimised, no browser): history keeps its minutes. */
  backgroundStatsIntervalMs?: number;
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
  /** Measures each miner's process tree (CPU %, RSS) every tick; null: not measured (tests with fake pids). */
  usage?: UsageSampler | null;
  /** How long a live knob change may take to show in the miner's API before it is reported failed. */
  throttleConfirmMs?: number;
  /** The same while the miner has no workers yet (XMRig applies it once RandomX is initialised). */
  throttleConfirmInitMs?: number;
}

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

const CAUSE_RANK: Record<PauseCause['by'], number> = { budget: 1, rule: 2, user: 3 };

type KnobPatch = Partial<Pick<ThrottlePatch, 'threads' | 'cpuMaxThreadsHint' | 'cpuPriority'>>;

function definedKnobs(patch: ThrottlePatch): KnobPatch {
  const out: KnobPatch = {};
  if (patch.threads !== undefined) out.threads = patch.threads;
  if (patch.cpuMaxThreadsHint !== undefined) out.cpuMaxThreadsHint = patch.cpuMaxThreadsHint;
  if (patch.cpuPriority !== undefined) out.cpuPriority = patch.cpuPriority;
  return out;
}

function sameKnobs(a: KnobPatch, b: KnobPatch): boolean {
  return (
    a.threads === b.threads && a.cpuMaxThreadsHint === b.cpuMaxThreadsHint && a.cpuPriority === b.cpuPriority
  );
}

interface ConfirmJob {
  apply: ThrottleApply;
  generation: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * A safe instance id from a display name, which itself is kept exactly as the user wrote it. Names with
 * no Latin letters or digits ("Майнер 矿工") get a short stable hash instead of collapsing to one id.
 */
export function slug(name: string): string {
  const ascii = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  if (ascii) return ascii;
  return `miner-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

function describeExit(exit: ExitInfo): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

// A function, not an inline comparison: the state changes across the awaits in verifyApi.
function isVerified(inst: MinerInstance): boolean {
  return inst.apiState === 'verified';
}

/** A miner that daemonised anyway: say plainly that it tried and that it was stopped. */
function describeStrays(exit: ExitInfo): string | null {
  if (!exit.strays?.length) return null;
  return (
    `the miner had left its process group (daemonised): HashDeck found and killed ` +
    `${exit.strays.length} process(es) it left behind (pid ${exit.strays.join(', ')})`
  );
}

export class MinerManager extends TypedEmitter<ManagerEvents> {
  private readonly instances = new Map<string, MinerInstance>();
  private readonly collector: StatsCollector;
  private readonly opts: Required<Omit<ManagerOptions, 'readVersion'>> & Pick<ManagerOptions, 'readVersion'>;
  private shutdownPromise: Promise<void> | null = null;
  private readonly pendingLogs = new Map<string, LogLine[]>();
  private logFlushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly versionCache = new Map<string, Promise<string | null>>();
  private applySeq = 0;
  /** Live viewers of stats (windows, browsers); null = unknown, treated as watched. */
  private viewers: number | null = null;
  private liveIntervalMs: number;

  constructor(options: ManagerOptions) {
    super();
    this.opts = {
      stopTimeoutMs: 3000,
      startGraceMs: 300,
      statsIntervalMs: 1000,
      backgroundStatsIntervalMs: 10_000,
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
      portOwner,
      usage: null,
      throttleConfirmMs: 5000,
      throttleConfirmInitMs: 120_000,
      ...options,
    };
    this.liveIntervalMs = this.opts.statsIntervalMs;
    this.collector = new StatsCollector({
      intervalMs: this.opts.statsIntervalMs,
      timeoutMs: this.opts.statsTimeoutMs,
      now: this.opts.now,
      targets: () => [...this.instances.values()],
      fetch: (inst, signal, detail) =>
        this.adapter(inst.minerType).fetchStats(inst.api!, signal, this.opts.io, { detail }),
      verify: (inst) => this.verifyApi(inst),
      onBatch: (batch) => this.emit('stats', batch),
      onError: (inst) => this.emitState(inst),
      sampleUsage: this.opts.usage ? (insts) => this.measure(insts) : undefined,
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

  /** Measured CPU (% of the machine) of the miner's process tree over time, same tiers as the hashrate. */
  getCpuHistory(id: string, from: number, to: number): HashratePoint[] {
    return this.require(id).cpuHistory.query(from, to, this.opts.now());
  }

  /** Measures every running miner's process tree now (the CPU budget's 1 Hz loop); no-op without a sampler. */
  async sampleUsage(): Promise<void> {
    await this.measure(
      [...this.instances.values()].filter((i) => i.state === 'running' && i.process?.pid != null),
    );
  }

  /** The logical cores usage figures are relative to (null when usage is not measured). */
  get usageCores(): number | null {
    return this.opts.usage?.cores ?? null;
  }

  private async measure(insts: MinerInstance[]): Promise<void> {
    const sampler = this.opts.usage;
    if (!sampler || insts.length === 0) return;
    const targets = insts.map((i) => ({
      key: `${i.id}#${i.generation}`,
      pid: i.process!.pid!,
      inst: i,
      generation: i.generation,
    }));
    const figures = await sampler.sample(targets);
    for (const { key, inst, generation } of targets) {
      // A process replaced while it was measured must not inherit the old one's figure.
      if (!figures.has(key) || inst.generation !== generation) continue;
      const usage = figures.get(key) ?? null;
      if (usage && usage !== inst.usage) inst.cpuHistory.add(usage.at, usage.machineCpuPercent);
      inst.usage = usage;
    }
  }

  /** The miner's history store itself: benchmarks seed it with past samples (oldest first). */
  historyOf(id: string): HashrateHistory {
    return this.require(id).history;
  }

  /** The same for the measured CPU history. */
  cpuHistoryOf(id: string): HashrateHistory {
    return this.require(id).cpuHistory;
  }

  /** Starts the stats timer; the transports call this once they are ready to forward events. */
  startCollector(): void {
    if (!this.shutdownPromise) this.collector.start();
  }

  setStatsInterval(ms: number): void {
    this.liveIntervalMs = ms;
    this.applyInterval();
  }

  /**
   * How many windows or browsers show live stats (the transports count them; null = unknown). With none,
   * miners are polled every `backgroundStatsIntervalMs` instead; the first viewer gets a fresh sample at once.
   */
  setViewers(count: number | null): void {
    const wasWatched = this.watched;
    this.viewers = count;
    this.applyInterval();
    if (!wasWatched && this.watched && this.collector.running) void this.collector.tick();
  }

  /** The poll interval in force (live or background). */
  get statsInterval(): number {
    return this.collector.interval;
  }

  get watched(): boolean {
    return this.viewers === null || this.viewers > 0;
  }

  private applyInterval(): void {
    const background = Math.max(this.liveIntervalMs, this.opts.backgroundStatsIntervalMs);
    const ms = this.watched ? this.liveIntervalMs : background;
    if (ms !== this.collector.interval) this.collector.setInterval(ms);
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
          firstIssueMessage(parsed.error, 'Invalid miner config'),
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
        // A miner paused by stopping it (TT-Miner) is now simply stopped.
        if (inst.paused && !inst.process) {
          inst.paused = false;
          inst.pauseCause = null;
          inst.pausedUntil = null;
          this.emitState(inst);
        }
        return inst.snapshot();
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Stops and starts again; `config` (already validated, e.g. the profile as it is now) replaces the old one. */
  restart(id: string, config?: MinerConfig): Promise<MinerSnapshot> {
    try {
      this.assertOpen();
      const inst = this.require(id);
      inst.intent = 'run';
      return inst.lock.runExclusive(async () => {
        await this.doStop(inst);
        if (config) inst.config = config;
        return this.doStart(inst);
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  pause(id: string, request: PauseRequest = {}): Promise<MinerSnapshot> {
    return this.pauseResume(
      id,
      true,
      request.cause ?? { by: 'user' },
      request.quiet ?? false,
      request.takeOver ?? false,
    );
  }

  resume(id: string, request: ResumeRequest = {}): Promise<MinerSnapshot> {
    return this.pauseResume(id, false, { by: request.by ?? 'user' } as PauseCause, request.quiet ?? false);
  }

  /**
   * Applies threads / CPU hint / priority: live when the miner supports it (XMRig: every knob), else at the
   * next (re)start. A live change resolves once the miner confirms it or the bounded wait ends; meanwhile
   * the snapshot shows it pending (`control.throttle`).
   */
  async throttle(id: string, patchInput: unknown): Promise<ThrottleResult> {
    const parsed = throttleSchema.safeParse(patchInput);
    if (!parsed.success) {
      throw new MinerError(
        'INVALID_INPUT',
        firstIssueMessage(parsed.error, 'Invalid throttle'),
        fieldErrors(parsed.error),
      );
    }
    const inst = this.require(id);
    const step = await inst.lock.runExclusive(() => this.doThrottle(inst, parsed.data));
    // Confirmation runs outside the lock: a stop or pause never waits for it.
    const apply = step.confirm ? await this.confirmThrottle(inst, step.confirm) : step.apply;
    return { mode: step.mode, config: inst.config, apply };
  }

  /** Cheap (no snapshots built): whether any miner holds something the control loop must look after. */
  controlDemand(): { rules: boolean; budget: boolean } {
    let rules = false;
    let budget = false;
    for (const i of this.instances.values()) {
      if (i.mineAnywayUntil !== null || i.pausedUntil !== null || (i.paused && i.pauseCause?.by === 'rule'))
        rules = true;
      if ((i.state === 'running' && i.config.cpuBudgetPercent !== undefined) || i.budget !== null)
        budget = true;
    }
    return { rules, budget };
  }

  /** The CPU budget and pause rules annotate a miner's snapshot; emits a state event when it changed. */
  setControl(
    id: string,
    patch: Partial<Pick<MinerInstance, 'budget' | 'mineAnywayUntil' | 'pausedUntil'>>,
  ): void {
    const inst = this.instances.get(id);
    if (!inst) return;
    let changed = false;
    if (patch.budget !== undefined && JSON.stringify(patch.budget) !== JSON.stringify(inst.budget)) {
      inst.budget = patch.budget;
      changed = true;
    }
    if (patch.mineAnywayUntil !== undefined && patch.mineAnywayUntil !== inst.mineAnywayUntil) {
      inst.mineAnywayUntil = patch.mineAnywayUntil;
      changed = true;
    }
    if (patch.pausedUntil !== undefined && patch.pausedUntil !== inst.pausedUntil) {
      inst.pausedUntil = patch.pausedUntil;
      changed = true;
    }
    if (changed) this.emitState(inst);
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

  private pauseKindOf(type: MinerType): 'api' | 'stop' {
    const a = this.adapter(type);
    return a.supportsPause && a.pause && a.resume ? 'api' : 'stop';
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
        pauseKind: this.pauseKindOf(req.minerType),
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
    inst.pauseCause = null;
    inst.pausedUntil = null;
    inst.throttleApply = null;
    inst.usage = null;
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
      const binary = adapter.needsBinary
        ? await this.opts.resolveBinary(inst.minerType, inst.config.binaryId)
        : null;
      const binaryPath = binary?.path ?? null;
      inst.binaryId = binary?.id ?? null;
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
      inst.apiState = adapter.apiCheck === 'none' ? 'verified' : 'pending';
      if (binary?.version) inst.version = binary.version;
      else if (binaryPath) this.lookupVersion(inst, generation, binaryPath);
    } catch (err) {
      return fail(err);
    }

    inst.process = proc;
    inst.launch = ctx;
    const workDir = ctx.workDir;
    if (this.opts.pidFiles && proc.pid !== null) {
      const spawned = { pid: proc.pid, command: plan.command, args: plan.args, startedAt: this.opts.now() };
      // The record (pid + start time + executable) is read from the OS while the process surely lives.
      // It is removed only once written (a fast exit must not leave it behind) and only while no successor
      // process owns the folder (an old process reaped after a restart must not delete the new record).
      const written = recordSpawn(workDir, spawned).catch(() => {});
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
      const strays = describeStrays(early);
      return fail(
        new MinerError(
          'SPAWN_FAILED',
          strays
            ? `${inst.name} ${describeExit(early)} right after starting: ${strays}`
            : `${inst.name} ${describeExit(early)} right after starting${last.length ? `: ${last.at(-1)}` : ''}`,
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
    inst.pausedUntil = null;
    inst.transition('stopped');
    this.note(inst, `stopped (${describeExit(exit)})`, generation);
    const strays = describeStrays(exit);
    if (strays) this.note(inst, strays, generation);
    this.emitState(inst);
    await this.removeLaunchFiles(inst);
  }

  private pauseResume(
    id: string,
    pause: boolean,
    cause: PauseCause,
    quiet: boolean,
    takeOver = false,
  ): Promise<MinerSnapshot> {
    try {
      const inst = this.require(id);
      return inst.lock.runExclusive(async () => {
        const current = inst.pauseCause ?? { by: 'user' as const };
        if (inst.pauseKind === 'stop') return this.pauseByStop(inst, pause, cause, current, takeOver);
        if (inst.state !== 'running' || !inst.api) {
          throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}, not running`);
        }
        if (inst.apiState !== 'verified') {
          throw new MinerError(
            'INVALID_STATE',
            inst.apiState === 'failed'
              ? `${inst.name} has no API this run (${inst.statsError ?? 'its port was not its own'}); restart it`
              : `${inst.name} has not opened its API yet; try again in a moment`,
          );
        }
        if (pause && inst.paused) {
          // Already paused: a stronger cause takes it over (the user pauses what a rule paused).
          if (takeOver || CAUSE_RANK[cause.by] >= CAUSE_RANK[current.by]) {
            inst.pauseCause = cause;
            if (!quiet) this.emitState(inst);
          }
          return inst.snapshot();
        }
        if (!pause && inst.paused && CAUSE_RANK[cause.by] < CAUSE_RANK[current.by]) return inst.snapshot();
        // Only the user's resume is sent blindly (the console may have paused it behind our back).
        if (!pause && !inst.paused && cause.by !== 'user') return inst.snapshot();
        const adapter = this.adapter(inst.minerType);
        const call = pause ? adapter.pause : adapter.resume;
        if (!call) throw new MinerError('UNSUPPORTED', `${inst.minerType} cannot be paused; stop it instead`);
        const generation = inst.generation;
        inst.pauseEpoch++;
        // Resolves once the miner itself reports the new state (XMRig: `paused` in /2/summary).
        const sample = await call.call(
          adapter,
          inst.api,
          AbortSignal.timeout(this.opts.apiTimeoutMs),
          this.opts.io,
          { confirm: !quiet },
        );
        if (inst.generation === generation) inst.pauseEpoch++;
        // A crash while the call was in flight leaves nothing to be paused.
        if (inst.generation === generation && inst.state === 'running') {
          inst.paused = pause;
          inst.pauseCause = pause ? cause : null;
          if (!pause) inst.pausedUntil = null;
          if (sample) inst.stats = { ...sample, threads: inst.stats?.threads ?? sample.threads };
          else if (inst.stats) inst.stats = { ...inst.stats, paused: pause };
          if (!quiet) {
            this.note(inst, pause ? `paused${this.byWhom(cause)}` : 'resumed', generation);
            this.emitState(inst);
          }
        }
        return inst.snapshot();
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private byWhom(cause: PauseCause): string {
    if (cause.by === 'rule') return ` (${cause.detail})`;
    if (cause.by === 'budget') return ` (CPU budget: ${cause.detail})`;
    return '';
  }

  /** Miners without a pause (TT-Miner): pausing stops the process and remembers it; resuming starts it. */
  private async pauseByStop(
    inst: MinerInstance,
    pause: boolean,
    cause: PauseCause,
    current: PauseCause,
    takeOver: boolean,
  ): Promise<MinerSnapshot> {
    if (pause) {
      if (inst.paused) {
        if (takeOver || CAUSE_RANK[cause.by] >= CAUSE_RANK[current.by]) {
          inst.pauseCause = cause;
          this.emitState(inst);
        }
        return inst.snapshot();
      }
      if (inst.state !== 'running') {
        throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}, not running`);
      }
      inst.intent = 'stop';
      await this.doStop(inst);
      inst.paused = true;
      inst.pauseCause = cause;
      this.note(inst, `paused by stopping it: ${inst.minerType} has no pause${this.byWhom(cause)}`);
      this.emitState(inst);
      return inst.snapshot();
    }
    if (!inst.paused) {
      if (cause.by !== 'user' || inst.state === 'running') return inst.snapshot();
      throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}, not paused`);
    }
    if (CAUSE_RANK[cause.by] < CAUSE_RANK[current.by]) return inst.snapshot();
    this.assertOpen();
    inst.intent = 'run';
    return this.doStart(inst);
  }

  /** The user's change: the miner's config and the running process (over whatever the budget holds). */
  private async doThrottle(
    inst: MinerInstance,
    patch: ThrottlePatch,
  ): Promise<{ mode: ThrottleResult['mode']; apply: ThrottleApply | null; confirm: ConfirmJob | null }> {
    const none = { apply: null, confirm: null };
    // The miner's own CPU budget is the controller's business: nothing in the process changes.
    let budgetChanged = false;
    if (patch.cpuBudgetPercent !== undefined) {
      const value = patch.cpuBudgetPercent > 0 ? patch.cpuBudgetPercent : undefined;
      if (value !== inst.config.cpuBudgetPercent) {
        inst.config = { ...inst.config, cpuBudgetPercent: value };
        budgetChanged = true;
      }
    }
    const change = definedKnobs(patch);
    const next = { ...inst.config, ...change };
    if (sameKnobs(next, inst.config)) {
      if (!budgetChanged) return { mode: 'unchanged', ...none };
      this.emitState(inst);
      return { mode: 'live', ...none };
    }
    if (inst.state !== 'running' || !inst.launch) {
      inst.config = next;
      this.emitState(inst);
      return { mode: 'restart', ...none };
    }
    // Planned over the running knobs (the budget may hold some) but the user's own thread choice, so a hint
    // hands back the user's fixed count, not one the budget set; the budget re-applies its hold next second.
    const plan = this.adapter(inst.minerType).planThrottle(
      { ...inst.launch, config: { ...inst.launch.config, threads: inst.config.threads } },
      patch,
    );
    const applied = plan.patch ?? change;
    if (plan.mode !== 'live') {
      inst.config = { ...inst.config, ...applied };
      this.note(inst, `throttle ${JSON.stringify(patch)} (applies on restart)`, inst.generation);
      this.emitState(inst);
      return { mode: 'restart', ...none };
    }
    return this.applyLivePlan(inst, plan, 'user', applied);
  }

  /** Writes a live plan (XMRig: the watched config), records it pending (or applied when it cannot be read back). */
  private async applyLivePlan(
    inst: MinerInstance,
    plan: ThrottlePlan,
    by: 'user' | 'budget',
    applied: KnobPatch,
  ): Promise<{ mode: ThrottleResult['mode']; apply: ThrottleApply | null; confirm: ConfirmJob | null }> {
    const adapter = this.adapter(inst.minerType);
    for (const file of plan.files) await this.opts.writeFile(file.path, file.content);
    if (adapter.applyThrottle && inst.api) adapter.applyThrottle(inst.api, plan.config);
    inst.launch = { ...inst.launch!, config: plan.config };
    if (by === 'user') inst.config = { ...inst.config, ...applied };
    const target: KnobTarget = plan.target ?? {
      threads: plan.config.threads > 0 ? plan.config.threads : null,
      cpuMaxThreadsHint: plan.config.cpuMaxThreadsHint,
      cpuPriority: plan.config.cpuPriority ?? null,
    };
    const confirmable = plan.target !== undefined && adapter.readKnobs !== undefined;
    const now = this.opts.now();
    const apply: ThrottleApply = {
      id: ++this.applySeq,
      by,
      state: confirmable ? 'pending' : 'applied',
      target,
      requestedAt: now,
      settledAt: confirmable ? null : now,
      message: plan.message ?? null,
    };
    inst.throttleApply = apply;
    const what =
      by === 'budget'
        ? `CPU budget: ${target.threads ?? 'automatic'} thread(s), priority ${target.cpuPriority ?? 'default'}`
        : `throttle ${JSON.stringify(applied)}`;
    this.note(inst, `${what} (applied live${confirmable ? ', waiting for the miner to confirm' : ''})`);
    this.emitState(inst);
    return { mode: 'live', apply, confirm: confirmable ? { apply, generation: inst.generation } : null };
  }

  /**
   * The CPU budget sets the running process's knobs (never the miner's own config); resolves once the
   * miner confirmed them (or with the failure), null when nothing had to change.
   */
  async applyKnobs(id: string, target: KnobTarget): Promise<ThrottleApply | null> {
    const inst = this.require(id);
    const step = await inst.lock.runExclusive(async () => {
      if (inst.state !== 'running' || !inst.launch) return null;
      const current = inst.launch.config;
      const config = {
        ...current,
        threads: target.threads ?? 0,
        cpuMaxThreadsHint: target.cpuMaxThreadsHint,
        cpuPriority: target.cpuPriority ?? undefined,
      };
      if (sameKnobs(config, current)) return null;
      const plan = this.adapter(inst.minerType).planThrottle({ ...inst.launch, config }, {});
      if (plan.mode !== 'live') return null;
      return this.applyLivePlan(inst, plan, 'budget', {});
    });
    if (!step) return null;
    return step.confirm ? this.confirmThrottle(inst, step.confirm) : step.apply;
  }

  /** Reads the knobs back until the miner shows the change; records applied or failed. Never throws. */
  private async confirmThrottle(inst: MinerInstance, job: ConfirmJob): Promise<ThrottleApply> {
    const adapter = this.adapter(inst.minerType);
    const api = inst.api;
    const stillWanted = () =>
      inst.generation === job.generation &&
      inst.throttleApply?.id === job.apply.id &&
      inst.api !== null &&
      inst.apiState !== 'failed';
    if (!api || !adapter.readKnobs) return job.apply;
    const readKnobs = adapter.readKnobs.bind(adapter);
    const outcome = await confirmKnobs({
      // Nothing (the token included) goes to the port before it is known to be the miner's.
      read: (signal) =>
        isVerified(inst)
          ? readKnobs(api, job.apply.target, signal, this.opts.io)
          : Promise.reject(new MinerError('MINER_API', `${inst.name} has not opened its API yet`)),
      target: job.apply.target,
      timeoutMs: this.opts.throttleConfirmMs,
      initTimeoutMs: this.opts.throttleConfirmInitMs,
      intervalMs: 100,
      readTimeoutMs: this.opts.apiTimeoutMs,
      now: this.opts.now,
      sleep: this.opts.sleep,
      stillWanted,
    });
    if (outcome.kind === 'abandoned') {
      return {
        ...job.apply,
        message: 'Replaced by a newer change (or a restart) before the miner confirmed it',
      };
    }
    const settled: ThrottleApply =
      outcome.kind === 'applied'
        ? { ...job.apply, state: 'applied', settledAt: this.opts.now() }
        : { ...job.apply, state: 'failed', settledAt: this.opts.now(), message: outcome.message };
    inst.throttleApply = settled;
    if (outcome.kind === 'failed')
      this.note(inst, `throttle not confirmed: ${outcome.message}`, job.generation);
    this.emitState(inst);
    return settled;
  }

  private onLine(inst: MinerInstance, generation: number, stream: 'stdout' | 'stderr', text: string): void {
    if (inst.generation !== generation) return; // a late line of a replaced process
    this.appendLog(inst, stream, text, generation);
    if (inst.apiState === 'pending' && inst.launch) {
      const verdict = this.adapter(inst.minerType).apiBindLine?.(text, inst.launch.apiPort) ?? null;
      if (verdict === 'bound') inst.apiState = 'verified';
      else if (verdict === 'failed')
        this.apiFailed(inst, `its API port ${inst.launch.apiPort} was already in use`);
    }
  }

  /** The API must not be used this run: say why once, in the snapshot and the log. */
  private apiFailed(inst: MinerInstance, why: string): void {
    inst.apiState = 'failed';
    inst.statsError = `${inst.name} has no API this run: ${why}. HashDeck will not talk to that port; restart the miner to get a new one.`;
    this.note(inst, inst.statsError);
    this.emitState(inst);
  }

  /** Before the first request: is the port this miner's? Resolves true once it is known to be. */
  private async verifyApi(inst: MinerInstance): Promise<boolean> {
    if (inst.apiState !== 'pending') return inst.apiState === 'verified';
    const adapter = this.adapter(inst.minerType);
    const pid = inst.process?.pid;
    if (adapter.apiCheck !== 'owner' || !inst.launch || pid == null) return false;
    const generation = inst.generation;
    const owner = await this.opts.portOwner(inst.launch.apiPort, pid).catch(() => 'unknown' as const);
    if (inst.generation !== generation || inst.apiState !== 'pending') return isVerified(inst);
    if (owner === 'miner') inst.apiState = 'verified';
    else if (owner === 'foreign')
      this.apiFailed(inst, `another program listens on its API port ${inst.launch.apiPort}`);
    return isVerified(inst);
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
    const strays = describeStrays(exit);
    if (strays) this.note(inst, strays, generation);
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
