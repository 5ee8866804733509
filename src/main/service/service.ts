// MiningService implements the contract's commands over the engine and the stores (handlers grouped per
// domain in commands/), re-emits engine changes as contract events, and owns every loop: start() runs
// stats, history, the CPU control loop and the resume; stop() ends them all and stops every miner.
import {
  commandSchemas,
  DEFAULT_CPU_BUDGET,
  DEFAULT_PAUSE_RULES,
  type CommandName,
  type CommandOutput,
  type CommandParsed,
  type EventPayloads,
  type Profile,
  type SettingsView,
} from '../../shared/contract';
import { MinerError } from '../../shared/errors';
import type { MinerSnapshot } from '../../shared/model';
import { fieldErrors, firstIssueMessage } from '../../shared/schemas';
import type { MinerManager } from '../core/manager';
import type { ProfileStore } from '../core/store/profile-store';
import type { RunningEntry } from '../core/store/running-set';
import type { SettingsStore } from '../core/store/settings-store';
import type { Governor } from '../core/throttle/governor';
import { ruleAvailability } from '../core/throttle/rules/engine';
import type { BinaryMinerType, TrustStore } from '../core/trust/trust-store';
import type { Clock } from '../core/util/clock';
import { TypedEmitter } from '../core/util/typed-emitter';
import { readVersion } from '../core/install/version';
import type { XmrigInstaller } from '../core/install/installer';
import { InstallCommands } from './install-commands';
import type { HistoryFeed } from './history-feed';
import { resumeNotice, type ResumeKeeper, type ResumeReport } from './resume';
import type { Handlers, LoginItemControl, ServiceContext } from './commands/context';
import { historyCommands } from './commands/history-commands';
import { minerCommands } from './commands/miner-commands';
import { profileCommands } from './commands/profile-commands';
import { HEADLESS_AUTOSTART_HINT, settingsCommands } from './commands/settings-commands';
import { trustCommands, type PickBinaryFile } from './commands/trust-commands';
import type { ServiceApi } from './types';

export interface ServiceParts {
  manager: MinerManager;
  profiles: ProfileStore;
  settings: SettingsStore;
  trust: TrustStore;
  governor: Governor;
  history: HistoryFeed;
  resume: ResumeKeeper;
  installer: XmrigInstaller;
  /** Wall time of the install commands. */
  now: () => number;
  clock: Clock;
  paths: { dataDir: string; minersDir: string };
  pickBinaryFile: PickBinaryFile | null;
  loginItem: LoginItemControl | null;
  /** The control loop stays off (tests drive it). */
  controlLoop: boolean;
}

export class MiningService extends TypedEmitter<EventPayloads> implements ServiceApi {
  readonly manager: MinerManager;
  readonly trust: TrustStore;
  /** Pause rules and the CPU budget, once a second over the running miners. */
  readonly governor: Governor;
  readonly history: HistoryFeed;
  readonly installs: InstallCommands;
  /** Problems found while loading (corrupt files moved aside), shown once a UI is attached. */
  readonly startupNotices: string[] = [];
  /** What the last session left running (resumed by start() when the setting is on). */
  lastRunning: RunningEntry[] = [];
  private readonly handlers: Handlers<CommandName>;
  private readonly viewerCounts = new Map<string, number>();
  private readonly ctx: ServiceContext;
  private started: Promise<ResumeReport | null> | null = null;
  private stopped: Promise<void> | null = null;

  constructor(private readonly parts: ServiceParts) {
    super();
    this.manager = parts.manager;
    this.trust = parts.trust;
    this.governor = parts.governor;
    this.history = parts.history;
    this.ctx = {
      manager: parts.manager,
      profiles: parts.profiles,
      settings: parts.settings,
      trust: parts.trust,
      governor: parts.governor,
      history: parts.history,
      clock: parts.clock,
      dataDir: parts.paths.dataDir,
      loginItem: parts.loginItem,
      emit: (event, payload) => this.emit(event, payload),
      notify: (level, message) => this.notify(level, message),
      profileList: () => this.profiles(),
      settingsView: () => this.settings(),
    };
    const { manager } = parts;
    manager.on('state', (snap) => this.emit('minerState', snap));
    manager.on('stats', (batch) => this.emit('stats', batch));
    manager.on('log', (batch) => this.emit('log', batch));
    // A crash loop is worth a desktop notification, not only a line in a window that may be closed.
    manager.on('alert', ({ title, message }) =>
      this.emit('notice', { level: 'error', message: `${title}: ${message}`, desktop: { title } }),
    );
    this.installs = new InstallCommands(
      parts.installer,
      {
        trust: parts.trust,
        profiles: () => this.profiles(),
        miners: () => this.miners(),
        emit: (event, payload) => this.emit(event, payload),
        on: (event, handler) => this.on(event, handler),
        notify: (level, message) => this.notify(level, message),
      },
      parts.paths.minersDir,
      parts.now,
    );
    this.handlers = {
      ...settingsCommands(this.ctx),
      ...profileCommands(this.ctx),
      ...minerCommands(this.ctx),
      ...historyCommands(this.ctx),
      ...trustCommands(this.ctx, parts.pickBinaryFile, () => this.emitBinaries()),
      ...this.installs.handlers(),
    };
  }

  miners(): MinerSnapshot[] {
    return this.manager.list();
  }

  profiles(): Profile[] {
    return this.parts.profiles.list();
  }

  settings(): SettingsView {
    const stored = this.parts.settings.get();
    const login = this.parts.loginItem;
    return {
      ...stored,
      cpuBudget: stored.cpuBudget ?? DEFAULT_CPU_BUDGET,
      pauseRules: stored.pauseRules ?? DEFAULT_PAUSE_RULES,
      dataDir: this.parts.paths.dataDir,
      pauseRuleSupport: ruleAvailability(this.governor.lastSystem),
      startWithComputerSupport: login
        ? { available: true, reason: null }
        : { available: false, reason: HEADLESS_AUTOSTART_HINT },
    };
  }

  /** Shown to the user by whichever transport is attached (corrupt files, tray hints). */
  notify(level: 'info' | 'warning' | 'error', message: string): void {
    this.emit('notice', { level, message });
  }

  async invoke<K extends CommandName>(name: K, input: unknown): Promise<CommandOutput<K>> {
    if (!Object.prototype.hasOwnProperty.call(commandSchemas, name)) {
      throw new MinerError('NOT_FOUND', `Unknown command "${String(name)}"`);
    }
    const parsed = commandSchemas[name].safeParse(input ?? {});
    if (!parsed.success) {
      throw new MinerError(
        'INVALID_INPUT',
        firstIssueMessage(parsed.error, `Invalid input for ${name}`),
        fieldErrors(parsed.error),
      );
    }
    const handler = this.handlers[name] as (input: CommandParsed<K>) => Promise<CommandOutput<K>>;
    return handler(parsed.data as CommandParsed<K>);
  }

  /** Live viewers per transport ('sse', 'window'); the manager polls less while there are none. */
  setViewers(source: string, count: number): void {
    this.viewerCounts.set(source, Math.max(0, count));
    let total = 0;
    for (const n of this.viewerCounts.values()) total += n;
    this.manager.setViewers(total);
  }

  /**
   * Starts every loop (stats, lasting history, CPU control) once a transport forwards events, then resumes
   * the miners of the last session when the setting says so. Idempotent; resolves with what was resumed.
   */
  start(): Promise<ResumeReport | null> {
    this.started ??= (async () => {
      if (this.stopped) return null;
      await this.syncLoginItem();
      this.history.start();
      this.manager.startCollector();
      if (this.parts.controlLoop) this.governor.start();
      this.parts.resume.track();
      const settings = this.parts.settings.get();
      if (!settings.resumeMiners || this.lastRunning.length === 0) return null;
      const report = await this.parts.resume.resume(this.lastRunning, this.profiles(), (request) =>
        this.manager.start(request),
      );
      const notice = resumeNotice(report);
      if (notice) this.notify(notice.level, notice.message);
      return report;
    })();
    return this.started;
  }

  /** Ends every loop, cancels a running install (nothing half-installed stays), stops every miner; idempotent. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // What runs now is what the next launch resumes: the stops below must not change that.
      await this.parts.resume.freeze();
      this.governor.stop();
      await Promise.all([this.installs.shutdown(), this.manager.shutdown()]);
      await this.history.stop();
    })();
    return this.stopped;
  }

  /** The transports' name for stop(). */
  shutdown(): Promise<void> {
    return this.stop();
  }

  /** Last resort from a synchronous exit hook: SIGKILL every live miner tree now. */
  killAllSync(): void {
    this.manager.killAllSync();
  }

  /** Registers a binary from a channel the API cannot reach (headless `trust add`, the installer). */
  async trustLocalBinary(path: string, minerType: BinaryMinerType, source: 'user' | 'installed' = 'user') {
    const version = await readVersion(path, { timeoutMs: 5000 }).catch(() => null);
    const entry = await this.trust.add({ path, minerType, source, version });
    await this.emitBinaries();
    return entry;
  }

  private async emitBinaries(): Promise<void> {
    this.emit('binaries', await this.trust.list());
  }

  /** The operating system's login items are the truth (the user may have removed HashDeck there). */
  private async syncLoginItem(): Promise<void> {
    const login = this.parts.loginItem;
    if (!login) return;
    let actual: boolean;
    try {
      actual = login.get();
    } catch {
      return;
    }
    if (actual !== this.parts.settings.get().startWithComputer) {
      await this.parts.settings.update({ startWithComputer: actual }).catch(() => {});
    }
  }
}
