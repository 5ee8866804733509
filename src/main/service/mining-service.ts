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
import { fieldErrors, firstIssueMessage, minerStartSchema } from '../../shared/schemas';
import type { MinerManager } from '../core/manager';
import { createManager, type CreateManagerOptions } from '../core/create-manager';
import { ProfileStore } from '../core/store/profile-store';
import { SettingsStore } from '../core/store/settings-store';
import { MINER_DISPLAY_NAMES } from '../core/install/discovery';
import { readVersion } from '../core/install/version';
import { TrustStore, type BinaryMinerType } from '../core/trust/trust-store';
import { TypedEmitter } from '../core/util/typed-emitter';
import { sweepOrphans } from '../core/orphans';
import { XmrigInstaller, type XmrigInstallerOptions } from '../core/install/installer';
import { DEFAULT_INSTALL_SOURCE, INSTALL_ENV } from '../core/install/source';
import { spawnMiner } from '../core/supervisor';
import { InstallCommands } from './install-commands';
import { installTrust } from './install-trust';
import { explainBlockedSpawn } from './spawn-advice';
import { Governor, type ControlSettings, type SystemObservation } from '../core/throttle/governor';
import { ruleAvailability } from '../core/throttle/rules/engine';
import { headlessObserve } from '../core/throttle/rules/power';
import { runningPrograms } from '../core/throttle/rules/programs';
import type { ServiceApi } from './types';

/**
 * The desktop app's native file dialog, run by the main process: the only way a UI can add a trusted
 * binary. Absent in headless mode, where the local user runs `npm run headless -- trust add PATH`.
 */
export type PickBinaryFile = (req: { minerType: BinaryMinerType; title: string }) => Promise<string | null>;

export interface MiningServiceOptions {
  dataDir: string;
  minersDir?: string;
  workRoot?: string;
  /** Engine overrides (tests: shorter deadlines; benchmarks: no collector). */
  manager?: Partial<CreateManagerOptions>;
  now?: () => number;
  /** Desktop only: the main process's native file dialog, the one channel that may make a binary trusted. */
  pickBinaryFile?: PickBinaryFile;
  /**
   * The XMRig installer: `source` comes from the entry point's local flags and environment
   * (resolveInstallSource); tests also shorten limits or pin the tested versions. Never from the API.
   */
  install?: Partial<Omit<XmrigInstallerOptions, 'minersDir' | 'trust' | 'cacheFile'>>;
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

/** The release list cache beside the other data files, so a restart does not spend GitHub's quota. */
export const RELEASE_CACHE_FILE = 'xmrig-releases.json';

/** The installer a service (or the headless `install` command) uses for a data folder. */
export function createXmrigInstaller(
  paths: { dataDir: string; minersDir?: string },
  trust: TrustStore,
  options: MiningServiceOptions['install'] = {},
): XmrigInstaller {
  return new XmrigInstaller({
    ...options,
    minersDir: paths.minersDir ?? join(paths.dataDir, 'miners'),
    trust: installTrust(trust),
    cacheFile: join(paths.dataDir, RELEASE_CACHE_FILE),
  });
}

type ServiceControlOptions = NonNullable<MiningServiceOptions['control']> &
  Pick<MiningServiceOptions, 'observe' | 'programs'>;

type Handlers = { [K in CommandName]: (input: CommandParsed<K>) => Promise<CommandOutput<K>> };

const HEADLESS_TRUST_HINT =
  'In headless mode a binary is trusted by a command run on this machine: `npm run headless -- trust add /path/to/binary`.';

export class MiningService extends TypedEmitter<EventPayloads> implements ServiceApi {
  private readonly handlers: Handlers;
  readonly installs: InstallCommands;
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
    readonly trust: TrustStore = new TrustStore(paths.dataDir),
    private readonly pickBinaryFile: PickBinaryFile | null = null,
    installer: XmrigInstaller = createXmrigInstaller(paths, trust),
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
    this.installs = new InstallCommands(
      installer,
      {
        trust,
        profiles: () => this.profiles(),
        miners: () => this.miners(),
        emit: (event, payload) => this.emit(event, payload),
        on: (event, handler) => this.on(event, handler),
        notify: (level, message) => this.notify(level, message),
      },
      paths.minersDir,
      now,
    );
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
        firstIssueMessage(parsed.error, `Invalid input for ${name}`),
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

  /** Stops the control loop, cancels a running install (nothing half-installed stays) and stops every miner; idempotent. */
  async shutdown(): Promise<void> {
    this.governor.stop();
    await Promise.all([this.installs.shutdown(), this.manager.shutdown()]);
  }

  private buildHandlers(): Handlers {
    return {
      getSnapshot: async () => ({
        miners: this.miners(),
        profiles: this.profiles(),
        settings: this.settings(),
        binaries: await this.trust.list(),
      }),
      listProfiles: async () => this.profiles(),
      saveProfile: async (input) => {
        if (input.minerType !== 'simulated') {
          // Pool and wallet are required to mine for real; say so by field before saving.
          const check = minerStartSchema.safeParse({ minerType: input.minerType, config: input.config });
          if (!check.success) {
            throw new MinerError(
              'INVALID_INPUT',
              firstIssueMessage(check.error, 'Invalid profile'),
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
            name: input.name ?? profile.name,
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
      // Starting again uses the profile as it is now (a binary chosen since, a new pool), never a stale copy.
      restartMiner: ({ id }) => this.manager.restart(id, this.currentProfileConfig(id)),
      pauseMiner: async ({ id, forMinutes }) => {
        await this.manager.pause(id);
        // Set once paused (a pause that failed leaves no timer); a pause without an end replaces a timed one.
        this.governor.pauseFor(id, forMinutes ?? null);
        return this.manager.get(id);
      },
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
      checkInstallation: async ({ minerType, binaryId }) => this.checkInstallation(minerType, binaryId),
      listTrustedBinaries: async () => this.trust.list(),
      pickBinary: async ({ minerType }) => this.pickBinary(minerType),
      removeTrustedBinary: async ({ id }) => {
        await this.trust.remove(id);
        await this.emitBinaries();
        return { ok: true };
      },
      ...this.installs.handlers(),
    };
  }

  /** The config of the profile an instance was started from, if that profile still exists. */
  private currentProfileConfig(id: string): Profile['config'] | undefined {
    const profileId = this.manager.get(id).profileId;
    if (!profileId) return undefined;
    try {
      return this.profileStore.get(profileId).config;
    } catch {
      return undefined; // the profile was deleted: the instance keeps what it ran with
    }
  }

  private async emitBinaries(): Promise<void> {
    this.emit('binaries', await this.trust.list());
  }

  private async pickBinary(minerType: BinaryMinerType) {
    if (!this.pickBinaryFile) {
      throw new MinerError('UNSUPPORTED', `Choosing a binary needs the desktop app. ${HEADLESS_TRUST_HINT}`);
    }
    const name = MINER_DISPLAY_NAMES[minerType];
    const path = await this.pickBinaryFile({ minerType, title: `Choose the ${name} binary you trust` });
    if (path === null) return null;
    const version = await readVersion(path, { timeoutMs: 5000 }).catch(() => null);
    const entry = await this.trust.add({ path, minerType, source: 'user', version });
    this.notify('info', `${name} at ${entry.path} is now trusted${version ? ` (version ${version})` : ''}.`);
    await this.emitBinaries();
    return entry;
  }

  /** Registers a binary from a channel the API cannot reach (headless `trust add`, the installer). */
  async trustLocalBinary(path: string, minerType: BinaryMinerType, source: 'user' | 'installed' = 'user') {
    const version = await readVersion(path, { timeoutMs: 5000 }).catch(() => null);
    const entry = await this.trust.add({ path, minerType, source, version });
    await this.emitBinaries();
    return entry;
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

  /** Reports on the trusted binary a start would use; never runs or looks at a path it was sent. */
  private async checkInstallation(
    minerType: InstallationCheck['minerType'],
    binaryId: string | undefined,
  ): Promise<InstallationCheck> {
    const name = MINER_DISPLAY_NAMES[minerType];
    if (minerType === 'simulated') {
      return {
        minerType,
        found: true,
        binaryId: null,
        path: null,
        version: null,
        message: `${name} runs inside the app; nothing to install`,
      };
    }
    try {
      const binary = await this.trust.resolve(minerType, binaryId);
      // Only a trusted, just-verified file is ever executed for its version.
      const version = binary.version ?? (await readVersion(binary.path, { timeoutMs: 5000 }));
      if (version && version !== binary.version) await this.trust.setVersion(binary.id, version);
      return {
        minerType,
        found: true,
        binaryId: binary.id,
        path: binary.path,
        version,
        message: version
          ? `${name} ${version} at ${binary.path} (trusted)`
          : `${binary.path} is trusted but did not report a version`,
      };
    } catch (err) {
      if (
        err instanceof MinerError &&
        ['BINARY_MISSING', 'UNTRUSTED_BINARY', 'NOT_FOUND'].includes(err.code)
      ) {
        return {
          minerType,
          found: false,
          binaryId: binaryId ?? null,
          path: null,
          version: null,
          message: err.message,
        };
      }
      throw err;
    }
  }
}

export async function createMiningService(options: MiningServiceOptions): Promise<MiningService> {
  const minersDir = options.minersDir ?? join(options.dataDir, 'miners');
  const workRoot = options.workRoot ?? join(options.dataDir, 'run');
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const profiles = new ProfileStore(options.dataDir, options.now);
  const settings = new SettingsStore(options.dataDir);
  const trust = new TrustStore(options.dataDir, options.now);
  const notices = [await profiles.load(), await settings.load(), await trust.load()].filter(
    (n): n is string => n !== null,
  );
  notices.push(...profiles.migrationNotices);
  const orphans = await sweepOrphans(workRoot);
  if (orphans.length > 0) {
    notices.push(
      `Stopped ${orphans.length} miner process(es) left running by an earlier session (pid ${orphans.map((o) => o.pid).join(', ')}).`,
    );
  }
  const installer = createXmrigInstaller({ dataDir: options.dataDir, minersDir }, trust, options.install);
  // A bad pinned key or key override must stop the start-up, not surface at the first install.
  await installer.loadKey().catch((err: unknown) => {
    const overridden =
      (options.install?.source?.key.armored ?? DEFAULT_INSTALL_SOURCE.key.armored) !==
      DEFAULT_INSTALL_SOURCE.key.armored;
    const which = overridden
      ? `the XMRig signing key given with --xmrig-key-file / ${INSTALL_ENV.keyFile}`
      : "XMRig's pinned signing key";
    throw new MinerError(
      'INVALID_INPUT',
      `Cannot install miners with ${which}: ${err instanceof Error ? err.message : String(err)}`,
      err instanceof MinerError ? err.details : undefined,
    );
  });
  const leftovers = await installer.cleanup();
  if (leftovers.length > 0) {
    notices.push(`Removed ${leftovers.length} unfinished XMRig install(s) left by an earlier session.`);
  }
  const manager = createManager({
    workRoot,
    resolveBinary: (type, binaryId) => {
      if (type === 'simulated') throw new MinerError('INTERNAL', 'The simulated miner has no binary');
      return trust.resolve(type, binaryId);
    },
    statsIntervalMs: settings.get().statsIntervalMs,
    pidFiles: true,
    ...options.manager,
    // A trusted binary that vanished or may not run at spawn is most likely quarantined: say so.
    spawn: explainBlockedSpawn(options.manager?.spawn ?? spawnMiner, trust),
  });
  const service = new MiningService(
    manager,
    profiles,
    settings,
    { dataDir: options.dataDir, minersDir },
    options.now,
    trust,
    options.pickBinaryFile ?? null,
    installer,
    { ...options.control, observe: options.observe, programs: options.programs },
  );
  service.startupNotices.push(...notices);
  if (options.control?.autoStart !== false) service.governor.start();
  return service;
}

export type { EventName };
