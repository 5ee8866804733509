// MiningService implements the contract's commands over the engine and the stores, and re-emits
// engine changes as contract events. Every transport calls `invoke`, so validation lives here once.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import {
  commandSchemas,
  DEFAULT_CPU_BUDGET,
  DEFAULT_PAUSE_RULES,
  type CommandName,
  type CommandOutput,
  type CommandParsed,
  type EventName,
  type EventPayloads,
  type InstallationCheck,
  type Profile,
  type SettingsView,
} from '../../shared/contract';
import { MinerError } from '../../shared/errors';
import type { MinerSnapshot } from '../../shared/model';
import { fieldErrors, minerStartSchema } from '../../shared/schemas';
import type { MinerManager } from '../core/manager';
import { createManager, type CreateManagerOptions } from '../core/create-manager';
import { ProfileStore } from '../core/store/profile-store';
import { SettingsStore } from '../core/store/settings-store';
import { MINER_DISPLAY_NAMES, resolveBinary } from '../core/install/discovery';
import { readVersion } from '../core/install/version';
import { getAdapter } from '../core/miners/index';
import { TypedEmitter } from '../core/util/typed-emitter';
import { sweepOrphans } from '../core/orphans';
import { Governor, type ControlSettings, type SystemObservation } from '../core/throttle/governor';
import { ruleAvailability } from '../core/throttle/rules/engine';
import { headlessObserve } from '../core/throttle/rules/power';
import { runningPrograms } from '../core/throttle/rules/programs';
import type { ServiceApi } from './types';

export interface MiningServiceOptions {
  dataDir: string;
  minersDir?: string;
  workRoot?: string;
  /** Engine overrides (tests: shorter deadlines; benchmarks: no collector). */
  manager?: Partial<CreateManagerOptions>;
  now?: () => number;
  /**
   * What the pause rules observe: idle time and power source. Electron passes powerMonitor's
   * (`getSystemIdleTime()`, `isOnBatteryPower()`); without it idle time is unavailable (headless).
   */
  observe?: () => Promise<SystemObservation>;
  /** Lower-case names of running programs (tests inject a list). */
  programs?: () => Promise<Set<string>>;
  /** Control loop overrides (tests: a clock, a faster period); autoStart false leaves it stopped. */
  control?: { periodMs?: number; pulsePeriodMs?: number; autoStart?: boolean };
}

type ServiceControlOptions = NonNullable<MiningServiceOptions['control']> &
  Pick<MiningServiceOptions, 'observe' | 'programs'>;

type Handlers = { [K in CommandName]: (input: CommandParsed<K>) => Promise<CommandOutput<K>> };

/** Instance names allow letters, digits, space . _ -; a profile name may hold more. */
function instanceNameFor(profile: Profile): string {
  const cleaned = profile.name
    .replace(/[^A-Za-z0-9 ._-]/g, '')
    .trim()
    .replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || profile.id).slice(0, 64);
}

export class MiningService extends TypedEmitter<EventPayloads> implements ServiceApi {
  private readonly handlers: Handlers;
  /** Problems found while loading (corrupt files moved aside), shown once a UI is attached. */
  readonly startupNotices: string[] = [];
  /** Pause rules and the CPU budget, once a second over the running miners. */
  readonly governor: Governor;
  private readonly viewerCounts = new Map<string, number>();

  constructor(
    readonly manager: MinerManager,
    private readonly profileStore: ProfileStore,
    private readonly settingsStore: SettingsStore,
    private readonly paths: { dataDir: string; minersDir: string },
    private readonly now: () => number = Date.now,
    control: ServiceControlOptions = {},
  ) {
    super();
    this.governor = new Governor({
      manager,
      settings: () => this.controlSettings(),
      observe: control.observe ?? headlessObserve,
      programs: control.programs ?? (() => runningPrograms()),
      now,
      periodMs: control.periodMs,
      pulsePeriodMs: control.pulsePeriodMs ?? control.periodMs,
      notify: (level, message) => this.notify(level, message),
    });
    manager.on('state', (snap) => this.emit('minerState', snap));
    manager.on('stats', (batch) => this.emit('stats', batch));
    manager.on('log', (batch) => this.emit('log', batch));
    this.handlers = this.buildHandlers();
  }

  miners(): MinerSnapshot[] {
    return this.manager.list();
  }

  profiles(): Profile[] {
    return this.profileStore.list();
  }

  settings(): SettingsView {
    const stored = this.settingsStore.get();
    return {
      ...stored,
      cpuBudget: stored.cpuBudget ?? DEFAULT_CPU_BUDGET,
      pauseRules: stored.pauseRules ?? DEFAULT_PAUSE_RULES,
      dataDir: this.paths.dataDir,
      pauseRuleSupport: ruleAvailability(this.governor.lastSystem),
    };
  }

  private controlSettings(): ControlSettings {
    const stored = this.settingsStore.get();
    return {
      cpuBudget: stored.cpuBudget ?? DEFAULT_CPU_BUDGET,
      pauseRules: stored.pauseRules ?? DEFAULT_PAUSE_RULES,
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
        parsed.error.issues[0]?.message ?? `Invalid input for ${name}`,
        fieldErrors(parsed.error),
      );
    }
    const handler = this.handlers[name] as (input: unknown) => Promise<CommandOutput<K>>;
    return handler(parsed.data);
  }

  /** Live viewers per transport ('sse', 'window'); the manager polls less while there are none. */
  setViewers(source: string, count: number): void {
    this.viewerCounts.set(source, Math.max(0, count));
    let total = 0;
    for (const n of this.viewerCounts.values()) total += n;
    this.manager.setViewers(total);
  }

  shutdown(): Promise<void> {
    this.governor.stop();
    return this.manager.shutdown();
  }

  private buildHandlers(): Handlers {
    return {
      getSnapshot: async () => ({
        miners: this.miners(),
        profiles: this.profiles(),
        settings: this.settings(),
      }),
      listProfiles: async () => this.profiles(),
      saveProfile: async (input) => {
        if (input.minerType !== 'simulated') {
          // Pool and wallet are required to mine for real; say so by field before saving.
          const check = minerStartSchema.safeParse({ minerType: input.minerType, config: input.config });
          if (!check.success) {
            throw new MinerError(
              'INVALID_INPUT',
              check.error.issues[0]?.message ?? 'Invalid profile',
              fieldErrors(check.error),
            );
          }
        }
        const saved = await this.profileStore.save(input);
        this.emit('profiles', this.profiles());
        return saved;
      },
      deleteProfile: async ({ id }) => {
        await this.profileStore.delete(id);
        this.emit('profiles', this.profiles());
        return { ok: true };
      },
      startMiner: async (input) => {
        if ('profileId' in input && input.profileId && !('minerType' in input)) {
          const profile = this.profileStore.get(input.profileId);
          const snap = await this.manager.start({
            name: input.name ?? instanceNameFor(profile),
            minerType: profile.minerType,
            profileId: profile.id,
            config: profile.config,
          });
          if (this.settingsStore.get().lastProfileId !== profile.id) {
            this.emit('settings', {
              ...(await this.settingsStore.update({ lastProfileId: profile.id })),
              dataDir: this.paths.dataDir,
            });
          }
          return snap;
        }
        return this.manager.start(input);
      },
      stopMiner: ({ id }) => this.manager.stop(id),
      restartMiner: ({ id }) => this.manager.restart(id),
      pauseMiner: ({ id }) => this.manager.pause(id),
      resumeMiner: async ({ id, forMinutes }) => {
        const held = this.manager.get(id).control?.pausedBy?.by === 'rule';
        if (held || forMinutes !== undefined) this.governor.mineAnyway(id, forMinutes ?? 60);
        return this.manager.resume(id);
      },
      removeMiner: async ({ id }) => {
        await this.manager.remove(id);
        return { ok: true };
      },
      setThrottle: async ({ id, persist, ...patch }) => {
        const result = await this.manager.throttle(id, patch);
        const miner = this.manager.get(id);
        let message = result.apply?.message ?? null;
        let savedToProfile: string | null | undefined;
        if (persist) {
          savedToProfile = await this.saveThrottleToProfile(miner, patch);
          if (savedToProfile === null) {
            message = 'Applied for this run only: this miner was not started from a saved profile';
          }
        }
        return { mode: result.mode, miner, apply: result.apply ?? null, savedToProfile, message };
      },
      getHistory: async ({ id, from, to }) => {
        const end = to ?? this.now();
        const start = from ?? end - 24 * 60 * 60 * 1000;
        return {
          id,
          from: start,
          to: end,
          points: this.manager.getHistory(id, start, end),
          cpu: this.manager.getCpuHistory(id, start, end),
        };
      },
      getLogs: async ({ id, afterSeq, limit }) => ({
        id,
        lines: this.manager.getLogs(id, afterSeq ?? 0, limit ?? 1000),
      }),
      sendConsole: async ({ id, input }) => {
        await this.manager.sendConsole(id, input);
        return { ok: true };
      },
      getSettings: async () => this.settings(),
      saveSettings: async (patch) => {
        await this.settingsStore.update(patch);
        if (patch.statsIntervalMs !== undefined) this.manager.setStatsInterval(patch.statsIntervalMs);
        const view = this.settings();
        this.emit('settings', view);
        return view;
      },
      checkInstallation: async ({ minerType, binaryPath }) => this.checkInstallation(minerType, binaryPath),
    };
  }

  /** Writes the knobs a throttle changed into the miner's profile; null when it has none (any more). */
  private async saveThrottleToProfile(
    miner: MinerSnapshot,
    patch: Record<string, unknown>,
  ): Promise<string | null> {
    if (!miner.profileId || !this.profileStore.list().some((p) => p.id === miner.profileId)) return null;
    const profile = this.profileStore.get(miner.profileId);
    const keys = new Set(Object.keys(patch).filter((k) => patch[k] !== undefined));
    // A CPU % hint alone switches a fixed thread count back to automatic (XMRig ignores the hint otherwise).
    if (keys.has('cpuMaxThreadsHint')) keys.add('threads');
    const config: Record<string, unknown> = { ...profile.config };
    for (const key of ['threads', 'cpuMaxThreadsHint', 'cpuPriority', 'cpuBudgetPercent'] as const) {
      if (keys.has(key)) config[key] = miner.config[key];
    }
    await this.profileStore.save({
      id: profile.id,
      name: profile.name,
      minerType: profile.minerType,
      config,
    });
    this.emit('profiles', this.profiles());
    return profile.id;
  }

  private async checkInstallation(
    minerType: InstallationCheck['minerType'],
    binaryPath: string | undefined,
  ): Promise<InstallationCheck> {
    const name = MINER_DISPLAY_NAMES[minerType];
    if (!getAdapter(minerType).needsBinary) {
      return {
        minerType,
        found: true,
        path: null,
        version: null,
        message: `${name} runs inside the app; nothing to install`,
      };
    }
    try {
      const path = await resolveBinary({
        type: minerType,
        explicitPath: binaryPath || undefined,
        minersDir: this.paths.minersDir,
      });
      const version = await readVersion(path, { timeoutMs: 5000 });
      return {
        minerType,
        found: true,
        path,
        version,
        message: version
          ? `Found ${name} ${version} at ${path}`
          : `Found ${path}, but it did not report a version`,
      };
    } catch (err) {
      if (err instanceof MinerError && err.code === 'BINARY_MISSING') {
        return { minerType, found: false, path: null, version: null, message: err.message };
      }
      throw err;
    }
  }
}

export async function createMiningService(options: MiningServiceOptions): Promise<MiningService> {
  const minersDir = options.minersDir ?? join(options.dataDir, 'miners');
  const workRoot = options.workRoot ?? join(options.dataDir, 'run');
  await mkdir(options.dataDir, { recursive: true });
  const profiles = new ProfileStore(options.dataDir, options.now);
  const settings = new SettingsStore(options.dataDir);
  const notices = [await profiles.load(), await settings.load()].filter((n): n is string => n !== null);
  const orphans = await sweepOrphans(workRoot);
  if (orphans.length > 0) {
    notices.push(
      `Stopped ${orphans.length} miner process(es) left running by an earlier session (pid ${orphans.map((o) => o.pid).join(', ')}).`,
    );
  }
  const manager = createManager({
    workRoot,
    minersDir,
    statsIntervalMs: settings.get().statsIntervalMs,
    pidFiles: true,
    ...options.manager,
  });
  const service = new MiningService(
    manager,
    profiles,
    settings,
    { dataDir: options.dataDir, minersDir },
    options.now,
    { ...options.control, observe: options.observe, programs: options.programs },
  );
  service.startupNotices.push(...notices);
  if (options.control?.autoStart !== false) service.governor.start();
  return service;
}

export type { EventName };
