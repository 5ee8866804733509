// The guarded map of miner instances and its public operations: start/stop/restart/pause/resume/throttle/
// remove/list/shutdown. Rules (DESIGN.md): names reserved synchronously, one operation at a time per
// instance, generations guard every async effect, no manager-wide lock is ever held across process or
// network I/O, and a stop never queues behind an API call (it calls it off). The process lifecycle, the
// log fan-out, pause/resume, live knobs and the watchdog live in modules of their own.
import { createHash } from 'node:crypto';
import { MinerError } from '../../shared/errors';
import type { HistoryEvent, HistoryEventKind, StatsBatch } from '../../shared/contract';
import type {
  HashratePoint,
  KnobTarget,
  LogLine,
  MinerSnapshot,
  MinerState,
  MinerSupervision,
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
} from '../../shared/schemas';
import type { WatchdogSettings } from '../../shared/watchdog-settings';
import type { TwoTierSeries as HashrateHistory } from '../../shared/buffers/two-tier-series';
import { MinerInstance, type Startup } from './instance';
import {
  resolveOptions,
  type IntendedMiner,
  type ManagerOptions,
  type PauseRequest,
  type ResolvedOptions,
  type ResumeRequest,
} from './manager-options';
import type { LaunchedBy, ManagerEvents } from './manager-events';
import type { MinerAdapter } from './miners/adapter';
import { ProcessLifecycle } from './lifecycle/process-lifecycle';
import { LogFanout } from './logs/log-fanout';
import { pauseResume, type PauseHost } from './control/pause-resume';
import { LiveKnobs } from './control/live-knobs';
import { StatsCollector } from './stats/collector';
import { Supervisor, type SupervisedManager } from './watchdog/supervisor';
import type { WatchdogAction } from './watchdog/types';
import { TypedEmitter } from './util/typed-emitter';
import type { Clock } from './util/clock';

export type { ManagerEvents, LaunchedBy } from './manager-events';
export type { IntendedMiner, ManagerOptions, PauseRequest, ResumeRequest } from './manager-options';
export type { ResolvedBinary } from './lifecycle/process-lifecycle';

/**
 * A safe instance id from a display name, which itself is kept exactly as the user wrote it. Names with
 * no Latin letters or digits ("Майнер 矿工") get a short stable hash instead of collapsing to one id.
 */
export function slug(name: string): string {
  const ascii = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48);
  if (ascii) return ascii;
  return `miner-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** What a supervised miner settles in once a watchdog kill is done, and why. */
function settledAfterKill(s: MinerSupervision | null | undefined): {
  state: MinerState;
  reason: string | null;
} {
  if (s?.phase === 'crash-loop') return { state: 'crash-loop', reason: s.reason };
  if (s?.phase === 'backoff' || s?.phase === 'restarting') return { state: 'backoff', reason: s.reason };
  return { state: 'stopped', reason: null };
}

export class MinerManager extends TypedEmitter<ManagerEvents> implements SupervisedManager {
  private readonly instances = new Map<string, MinerInstance>();
  private readonly opts: ResolvedOptions;
  private readonly clock: Clock;
  private readonly collector: StatsCollector;
  private readonly lifecycle: ProcessLifecycle;
  private readonly logs: LogFanout;
  private readonly knobs: LiveKnobs;
  private readonly pauseHost: PauseHost;
  private supervisor: Supervisor | null = null;
  private shutdownPromise: Promise<void> | null = null;
  /** Live viewers of stats (windows, browsers); null = unknown, treated as watched. */
  private viewers: number | null = null;
  private liveIntervalMs: number;

  constructor(options: ManagerOptions) {
    super();
    this.opts = resolveOptions(options);
    this.clock = this.opts.clock;
    this.liveIntervalMs = this.opts.statsIntervalMs;
    this.logs = new LogFanout({
      clock: this.clock,
      flushMs: this.opts.logFlushMs,
      emit: (batch) => this.emit('log', batch),
    });
    this.lifecycle = new ProcessLifecycle(
      {
        adapters: this.opts.adapters,
        spawn: this.opts.spawn,
        clock: this.clock,
        workRoot: this.opts.workRoot,
        resolveBinary: this.opts.resolveBinary,
        portOwner: this.opts.portOwner,
        readVersion: this.opts.readVersion,
        allocatePort: this.opts.allocatePort,
        makeToken: this.opts.makeToken,
        writeFile: this.opts.writeFile,
        removeFile: this.opts.removeFile,
        pidFiles: this.opts.pidFiles,
        stopTimeoutMs: this.opts.stopTimeoutMs,
        startTimeoutMs: this.opts.startTimeoutMs,
        probeIntervalMs: this.opts.probeIntervalMs,
      },
      {
        note: (inst, text, generation) => this.note(inst, text, generation),
        output: (inst, stream, text, generation) =>
          this.logs.append(inst.id, inst.logs, stream, text, generation),
        emitState: (inst) => this.emitState(inst),
        emit: (event, payload) => this.emitLifecycle(event, payload),
        closing: () => this.shutdownPromise !== null,
      },
    );
    const host = {
      adapter: (type: MinerType) => this.adapter(type),
      io: this.opts.io,
      clock: this.clock,
      apiTimeoutMs: this.opts.apiTimeoutMs,
      throttleConfirmMs: this.opts.throttleConfirmMs,
      throttleConfirmInitMs: this.opts.throttleConfirmInitMs,
      lifecycle: this.lifecycle,
      writeFile: (path: string, content: string) => this.opts.writeFile(path, content),
      note: (inst: MinerInstance, text: string, generation?: number) => this.note(inst, text, generation),
      emitState: (inst: MinerInstance) => this.emitState(inst),
      record: (inst: MinerInstance, kind: HistoryEventKind, text: string) => this.record(inst, kind, text),
      deliberateStop: (inst: MinerInstance) => this.emit('user-stop', { id: inst.id, at: this.clock.now() }),
    };
    this.pauseHost = host;
    this.knobs = new LiveKnobs(host);
    this.collector = new StatsCollector({
      intervalMs: this.opts.statsIntervalMs,
      timeoutMs: this.opts.statsTimeoutMs,
      clock: this.clock,
      batchWaitMs: this.opts.batchWaitMs,
      targets: () => [...this.instances.values()],
      fetch: (inst, signal, detail) =>
        this.adapter(inst.minerType).fetchStats(inst.api!, signal, this.opts.io, { detail }),
      // Stryker disable next-line ArrowFunction: equivalent, never called: the collector polls running miners whose API is not failed, and a miner only becomes running with its API verified or failed
      verify: (inst) => this.lifecycle.verifyApi(inst),
      onBatch: (batch) => this.emit('stats', batch),
      onError: (inst, generation, message, changed) => {
        this.emit('api-error', { id: inst.id, generation, message, at: this.clock.now() });
        if (changed) this.emitState(inst);
      },
      sampleUsage: this.opts.usage ? (insts) => this.measure(insts) : undefined,
    });
    if (this.opts.watchdog) this.setWatchdogSettings(this.opts.watchdog);
  }

  // ---------- queries ----------

  list(): MinerSnapshot[] {
    return [...this.instances.values()].map((i) => i.snapshot());
  }

  has(id: string): boolean {
    return this.instances.has(id);
  }

  get(id: string): MinerSnapshot {
    return this.require(id).snapshot();
  }

  getLogs(id: string, afterSeq = 0, limit = 1000): LogLine[] {
    return this.require(id).logs.since(afterSeq, limit);
  }

  getHistory(id: string, from: number, to: number): HashratePoint[] {
    return this.require(id).history.query(from, to, this.clock.now());
  }

  /** Measured CPU (% of the machine) of the miner's process tree over time, same tiers as the hashrate. */
  getCpuHistory(id: string, from: number, to: number): HashratePoint[] {
    return this.require(id).cpuHistory.query(from, to, this.clock.now());
  }

  /** State changes and watchdog actions of this session in [from, to], oldest first. */
  getEvents(id: string, from: number, to: number): HistoryEvent[] {
    return this.require(id)
      .events.toArray()
      .filter((e) => e.at >= from && e.at <= to);
  }

  /** Since when this session's in-memory history of the miner is complete (older time: the lasting store). */
  memorySince(id: string): number {
    return this.require(id).createdAt;
  }

  /** The miners the user wants running now (what a resume at the next launch starts again). */
  intended(): IntendedMiner[] {
    return [...this.instances.values()]
      .filter((i) => i.intent === 'run')
      .map((i) => ({
        id: i.id,
        name: i.name,
        minerType: i.minerType,
        profileId: i.profileId,
        config: i.config,
      }));
  }

  /** Measures every running miner's process tree now (the CPU budget's 1 Hz loop); no-op without a sampler. */
  async sampleUsage(): Promise<void> {
    await this.measure(
      [...this.instances.values()].filter((i) => i.process?.pid != null && i.state === 'running'),
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
      // A figure repeated by the sampler (same `at`) is dropped by the series itself.
      if (usage) inst.cpuHistory.add(usage.at, usage.machineCpuPercent);
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

  // ---------- loops ----------

  /** Starts the stats timer; the service calls this once the transports are ready to forward events. */
  startCollector(): void {
    if (!this.shutdownPromise) this.collector.start();
  }

  stopCollector(): void {
    this.collector.stop();
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

  /** Turns supervision on (or updates it); `enabled: false` keeps it quiet: nothing is restarted. */
  setWatchdogSettings(settings: WatchdogSettings): void {
    if (this.shutdownPromise) return;
    if (this.supervisor) this.supervisor.updateSettings(settings);
    else
      this.supervisor = new Supervisor(this, {
        clock: this.clock,
        settings,
        checkIntervalMs: this.opts.watchdogCheckIntervalMs,
      });
  }

  // ---------- operations ----------

  /**
   * Validates, reserves the instance name synchronously (before any await) and queues the start. Resolves
   * once the miner is ready (`running`), or still `starting` after startTimeoutMs; rejects with
   * SPAWN_FAILED when it exited before it was ready. A second start of a live name fails with
   * ALREADY_RUNNING; nothing is spawned on bad input.
   */
  start(input: unknown): Promise<MinerSnapshot> {
    try {
      this.assertOpen();
      const parsed = minerStartSchema.safeParse(input);
      if (!parsed.success) {
        throw new MinerError(
          'INVALID_INPUT',
          // Stryker disable next-line StringLiteral: equivalent, a failed parse always has an issue and zod gives each one a message
          firstIssueMessage(parsed.error, 'Invalid miner config'),
          fieldErrors(parsed.error),
        );
      }
      const inst = this.reserve(parsed.data);
      return this.launch(inst, 'user');
    } catch (err) {
      return Promise.reject(err);
    }
  }

  stop(id: string): Promise<MinerSnapshot> {
    try {
      const inst = this.require(id);
      // Stryker disable next-line StringLiteral: equivalent, the reason only names the abort of calls in flight, which no one reads
      this.deliberateStop(inst, 'stopped by the user');
      return inst.lock.runExclusive(async () => {
        await this.lifecycle.stop(inst);
        this.settleIdle(inst);
        // A miner paused by stopping it (TT-Miner) is now simply stopped (a stop that ended a process
        // has cleared the paused flag itself).
        if (inst.paused) {
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
      // Stryker disable next-line StringLiteral: equivalent, no one reads the abort's reason (a called-off pause says CANCELLED in its own words)
      inst.cancelOperations('the miner is being restarted');
      this.record(inst, 'restart', `${inst.name} restarted by the user`);
      return this.runStartup(
        inst.lock.runExclusive(async () => {
          await this.lifecycle.stop(inst);
          if (config) inst.config = config;
          return this.lifecycle.launch(inst, 'user');
        }),
      );
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
        // Stryker disable next-line StringLiteral: equivalent, a failed parse always has an issue and zod gives each one a message
        firstIssueMessage(parsed.error, 'Invalid throttle'),
        fieldErrors(parsed.error),
      );
    }
    const inst = this.require(id);
    const step = await inst.lock.runExclusive(() => this.knobs.userChange(inst, parsed.data));
    // Confirmation runs outside the lock: a stop or pause never waits for it.
    const apply = step.confirm ? await this.knobs.confirm(inst, step.confirm) : step.apply;
    return { mode: step.mode, config: inst.config, apply };
  }

  /**
   * The CPU budget sets the running process's knobs (never the miner's own config); resolves once the
   * miner confirmed them (or with the failure), null when nothing had to change.
   */
  async applyKnobs(id: string, target: KnobTarget): Promise<ThrottleApply | null> {
    const inst = this.require(id);
    const step = await inst.lock.runExclusive(() => this.knobs.budgetChange(inst, target));
    if (!step) return null;
    return step.confirm ? this.knobs.confirm(inst, step.confirm) : step.apply;
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

  /** Forgets a miner that is not live (its logs and in-memory history go with it). */
  remove(id: string): Promise<void> {
    try {
      const inst = this.require(id);
      if (!inst.isLive && inst.intent !== 'run') {
        // Stryker disable next-line StringLiteral: equivalent, no one reads the abort's reason (a called-off pause says CANCELLED in its own words)
        inst.cancelOperations('the miner is being removed');
      }
      return inst.lock.runExclusive(() => {
        if (inst.isLive || inst.intent === 'run') {
          throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}; stop it before removing it`);
        }
        // Queued behind other work, the name may meanwhile belong to a new miner of another type (start
        // replaced this one, already removed): deleting by id would drop the live successor and its logs.
        if (this.instances.get(id) !== inst) return;
        this.instances.delete(id);
        this.logs.forget(id);
        this.emit('removed', { id });
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Idempotent: calls off the watchdog, stops the timer, then every miner in parallel (graceful, then tree kill). */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.supervisor?.dispose();
      this.collector.stop();
      await Promise.allSettled(
        [...this.instances.values()].map((inst) => {
          // Stryker disable next-line StringLiteral: equivalent, intent is only ever compared with 'run'
          inst.intent = 'stop';
          // Stryker disable next-line StringLiteral: equivalent, no one reads the abort's reason (a called-off pause says CANCELLED in its own words)
          inst.cancelOperations('the app is shutting down');
          return inst.lock.runExclusive(async () => {
            await this.lifecycle.stop(inst);
            this.settleIdle(inst);
          });
        }),
      );
      this.logs.flush();
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

  // ---------- the watchdog's side (SupervisedManager) ----------

  /** A hung miner is stopped for a restart: the intent stays "run"; it settles in backoff or crash-loop. */
  async superviseKill(id: string, reason: string): Promise<void> {
    const inst = this.instances.get(id);
    if (!inst) return;
    // Stryker disable next-line StringLiteral: equivalent, no one reads the abort's reason (a called-off pause says CANCELLED in its own words)
    inst.cancelOperations('the watchdog is restarting the miner');
    await inst.lock.runExclusive(async () => {
      if (!inst.process) return;
      await this.lifecycle.stop(inst, {
        reason,
        settle: () => settledAfterKill(this.supervisor?.status(id)),
      });
      if (inst.state === 'crash-loop' || inst.state === 'stopped') {
        // Stryker disable next-line StringLiteral: equivalent, intent is only ever compared with 'run'
        inst.intent = 'stop';
      }
    });
  }

  /** The watchdog's restart: under the lock like any start; resolves once the miner runs. */
  async superviseStart(id: string, reason: string): Promise<{ generation: number }> {
    const inst = this.instances.get(id);
    if (!inst || inst.intent !== 'run' || this.shutdownPromise) {
      throw new MinerError('CANCELLED', `The restart of ${id} was called off (${reason})`);
    }
    const snap = await this.runStartup(inst.lock.runExclusive(() => this.lifecycle.launch(inst, 'watchdog')));
    return { generation: snap.generation };
  }

  watchdogAction(id: string, action: WatchdogAction): void {
    const inst = this.instances.get(id);
    if (!inst) return;
    this.note(inst, `watchdog: ${action.text}`);
    this.record(inst, 'watchdog', `${inst.name}: ${action.text}`);
    if (action.kind === 'restart-scheduled' && (inst.state === 'crashed' || inst.state === 'errored')) {
      inst.intent = 'run';
      inst.transition('backoff', action.text);
    } else if (
      action.kind === 'crash-loop' &&
      (inst.state === 'crashed' || inst.state === 'errored' || inst.state === 'backoff')
    ) {
      // Stryker disable next-line StringLiteral: equivalent, intent is only ever compared with 'run'
      inst.intent = 'stop';
      inst.transition('crash-loop', action.text);
    }
    // A running or stopping miner (a hung one being killed) settles in its new state once the kill is done.
    this.emitState(inst);
  }

  alert(id: string, title: string, message: string): void {
    const inst = this.instances.get(id);
    this.emit('alert', { id, title: `${inst?.name ?? id}: ${title}`, message });
  }

  supervisionError(id: string, err: unknown): void {
    const inst = this.instances.get(id);
    if (inst) this.note(inst, `watchdog: ${err instanceof Error ? err.message : String(err)}`);
  }

  isPaused(id: string): boolean {
    return this.instances.get(id)?.paused ?? false;
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

  /** Launches under the lock, then waits for readiness without it. */
  private launch(inst: MinerInstance, by: LaunchedBy): Promise<MinerSnapshot> {
    return this.runStartup(inst.lock.runExclusive(() => this.lifecycle.launch(inst, by)));
  }

  private async runStartup(locked: Promise<Startup | MinerSnapshot>): Promise<MinerSnapshot> {
    const result = await locked;
    return 'outcome' in result ? result.outcome : result;
  }

  /** A deliberate stop: the user's last word, any API call in flight called off, the watchdog told. */
  private deliberateStop(inst: MinerInstance, why: string): void {
    // Stryker disable next-line StringLiteral: equivalent, intent is only ever compared with 'run'
    inst.intent = 'stop';
    inst.cancelOperations(why);
    this.emit('user-stop', { id: inst.id, at: this.clock.now() });
  }

  /** After a deliberate stop: a miner waiting in backoff or crash-loop is simply stopped now. */
  private settleIdle(inst: MinerInstance): void {
    if (inst.state === 'backoff' || inst.state === 'crash-loop') {
      inst.transition('stopped');
      this.emitState(inst);
    }
  }

  /** Synchronous: picks the id, refuses a live one, records the intent. No await may precede this. */
  private reserve(req: MinerStartRequest): MinerInstance {
    const explicit = req.name !== undefined;
    const baseName = req.name ?? req.minerType;
    let name = baseName;
    let id = slug(name);
    let existing = this.instances.get(id);
    // A miner waiting in backoff may be started right away by the user (the restart is called off).
    const taken = (m: MinerInstance | undefined) =>
      m !== undefined && m.intent === 'run' && m.state !== 'backoff';
    if (!explicit) {
      for (let n = 2; taken(existing); n++) {
        name = `${baseName}-${n}`;
        id = slug(name);
        existing = this.instances.get(id);
      }
    }
    if (existing && taken(existing)) {
      throw new MinerError('ALREADY_RUNNING', `${existing.name} is already running`, { id });
    }
    if (existing && existing.minerType !== req.minerType) {
      if (existing.isLive || existing.intent === 'run') {
        throw new MinerError('ALREADY_RUNNING', `${existing.name} is still ${existing.state}`, { id });
      }
      this.instances.delete(id);
      this.emit('removed', { id });
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
        createdAt: this.clock.now(),
        now: () => this.clock.now(),
      });
    inst.config = req.config;
    inst.profileId = req.profileId ?? inst.profileId;
    inst.intent = 'run';
    inst.supervisionOf = (i) => this.supervisor?.status(i) ?? null;
    this.instances.set(id, inst);
    return inst;
  }

  private emitState(inst: MinerInstance): void {
    this.emit('state', inst.snapshot());
  }

  /** Lifecycle events also become history markers: what the chart shows and the lasting store keeps. */
  private emitLifecycle<K extends keyof ManagerEvents>(event: K, payload: ManagerEvents[K]): void {
    this.emit(event, payload);
    // Every lifecycle event names its miner (a payload without one would find none: ids are strings).
    const inst = this.instances.get((payload as { id: string }).id);
    if (!inst) return;
    if (event === 'launched') {
      const by = (payload as ManagerEvents['launched']).by;
      this.record(inst, 'start', `${inst.name} started${by === 'watchdog' ? ' by the watchdog' : ''}`);
    } else if (event === 'crash' || event === 'launch-failed') {
      this.record(
        inst,
        'crash',
        // Stryker disable next-line StringLiteral: equivalent, unreachable: the miner is given its crash or start-failure reason just before these events
        inst.reason ?? (payload as ManagerEvents['launch-failed']).reason ?? `${inst.name} crashed`,
      );
    } else if (event === 'exit' && (payload as ManagerEvents['exit']).expected) {
      this.record(inst, 'stop', `${inst.name} stopped`);
    }
  }

  private record(inst: MinerInstance, kind: HistoryEventKind, text: string): void {
    const event: HistoryEvent = { at: this.clock.now(), kind, text: text.slice(0, 500) };
    inst.events.push(event);
    this.emit('history', { id: inst.id, event });
  }

  /** Our own notes in the miner's log (console echo, stops, throttles) reach live viewers too. */
  private note(inst: MinerInstance, text: string, generation = inst.generation): void {
    this.logs.append(inst.id, inst.logs, 'system', text, generation);
  }

  private pauseResume(
    id: string,
    pause: boolean,
    cause: PauseCause,
    quiet: boolean,
    takeOver?: boolean,
  ): Promise<MinerSnapshot> {
    try {
      const inst = this.require(id);
      return this.runStartup(
        inst.lock.runExclusive(() => pauseResume(this.pauseHost, inst, pause, cause, quiet, takeOver)),
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
