// Builds the mining service for a data folder: loads the stores (corrupt files moved aside with a
// notice), stops miners an earlier session left behind, checks the installer's key, and wires the engine,
// the watchdog, the lasting history, the CPU control loop and the resume of the last session's miners.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { DEFAULT_CPU_BUDGET, DEFAULT_PAUSE_RULES } from '../../shared/contract';
import { MinerError } from '../../shared/errors';
import { createManager, type CreateManagerOptions } from '../core/create-manager';
import { ProfileStore } from '../core/store/profile-store';
import { SettingsStore } from '../core/store/settings-store';
import { TrustStore } from '../core/trust/trust-store';
import { sweepOrphans } from '../core/orphans';
import { XmrigInstaller, type XmrigInstallerOptions } from '../core/install/installer';
import { DEFAULT_INSTALL_SOURCE, INSTALL_ENV } from '../core/install/source';
import { spawnMiner } from '../core/spawn-miner';
import { Governor, type SystemObservation } from '../core/throttle/governor';
import { headlessObserve } from '../core/throttle/rules/power';
import { runningPrograms } from '../core/throttle/rules/programs';
import { realClock, type Clock } from '../core/util/clock';
import { installTrust } from './install-trust';
import { explainBlockedSpawn } from './spawn-advice';
import { HistoryFeed } from './history-feed';
import { ResumeKeeper } from './resume';
import { MiningService } from './service';
import type { LoginItemControl } from './commands/context';
import type { PickBinaryFile } from './commands/trust-commands';

export { MiningService } from './service';
export type { LoginItemControl } from './commands/context';
export type { PickBinaryFile } from './commands/trust-commands';
export type { ResumeReport } from './resume';
export type { EventName } from '../../shared/contract';

export interface MiningServiceOptions {
  dataDir: string;
  minersDir?: string;
  workRoot?: string;
  /** Engine overrides (tests: shorter deadlines; benchmarks: no collector). */
  manager?: Partial<CreateManagerOptions>;
  /** Wall time and timers of the engine, the watchdog and the history (tests: a FakeClock). */
  clock?: Clock;
  /** Wall time of the stores (profiles, trusted binaries, installs); default the clock's. */
  now?: () => number;
  /** Desktop only: the main process's native file dialog, the one channel that may make a binary trusted. */
  pickBinaryFile?: PickBinaryFile;
  /** Desktop only: the login item behind "Start with the computer". */
  loginItem?: LoginItemControl;
  /**
   * The XMRig installer: `source` comes from the entry point's local flags and environment
   * (resolveInstallSource); tests also shorten limits or pin the tested versions. Never from the API.
   */
  install?: Partial<Omit<XmrigInstallerOptions, 'minersDir' | 'trust' | 'cacheFile'>>;
  /**
   * What the pause rules observe: idle time and power source. Electron passes powerMonitor's
   * (`getSystemIdleTime()`, `isOnBattery()`); without it idle time is unavailable (headless).
   */
  observe?: () => Promise<SystemObservation>;
  /** Lower-case names of running programs (tests inject a list). */
  programs?: () => Promise<Set<string>>;
  /** Control loop overrides (tests: a faster period); autoStart false leaves it stopped on start(). */
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

async function checkedInstaller(options: MiningServiceOptions, trust: TrustStore, minersDir: string) {
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
  return installer;
}

/**
 * A service ready for a transport: call start() once events are forwarded (it starts the loops and
 * resumes miners), stop() (or shutdown()) before the process ends.
 */
export async function createMiningService(options: MiningServiceOptions): Promise<MiningService> {
  const clock = options.clock ?? realClock;
  const now = options.now ?? (() => clock.now());
  const minersDir = options.minersDir ?? join(options.dataDir, 'miners');
  const workRoot = options.workRoot ?? join(options.dataDir, 'run');
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const profiles = new ProfileStore(options.dataDir, now);
  const settings = new SettingsStore(options.dataDir);
  const trust = new TrustStore(options.dataDir, now);
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
  const installer = await checkedInstaller(options, trust, minersDir);
  const leftovers = await installer.cleanup();
  if (leftovers.length > 0) {
    notices.push(`Removed ${leftovers.length} unfinished XMRig install(s) left by an earlier session.`);
  }
  const stored = settings.get();
  const manager = createManager({
    workRoot,
    resolveBinary: (type, binaryId) => {
      if (type === 'simulated') throw new MinerError('INTERNAL', 'The simulated miner has no binary');
      return trust.resolve(type, binaryId);
    },
    statsIntervalMs: stored.statsIntervalMs,
    pidFiles: true,
    clock,
    watchdog: stored.watchdog,
    ...options.manager,
    // A trusted binary that vanished or may not run at spawn is most likely quarantined: say so.
    spawn: explainBlockedSpawn(options.manager?.spawn ?? spawnMiner, trust),
  });
  // Set once the service exists: notices of the history store and the resume go to whoever listens.
  let service: MiningService | null = null;
  const notify = (level: 'warning' | 'error', message: string) => service?.notify(level, message);
  const governor = new Governor({
    manager,
    settings: () => {
      const s = settings.get();
      return {
        cpuBudget: s.cpuBudget ?? DEFAULT_CPU_BUDGET,
        pauseRules: s.pauseRules ?? DEFAULT_PAUSE_RULES,
      };
    },
    observe: options.observe ?? headlessObserve,
    programs: options.programs ?? (() => runningPrograms()),
    clock,
    now,
    periodMs: options.control?.periodMs,
    pulsePeriodMs: options.control?.pulsePeriodMs ?? options.control?.periodMs,
    notify: (level, message) => service?.notify(level, message),
  });
  const history = new HistoryFeed(manager, {
    dir: join(options.dataDir, 'history'),
    clock,
    retentionDays: stored.history.retentionDays,
    notify: (message) => notify('warning', message),
  });
  const resume = new ResumeKeeper(manager, options.dataDir, clock, (message) => notify('warning', message));
  const last = await resume.load();
  if (last.notice) notices.push(last.notice);
  service = new MiningService({
    manager,
    profiles,
    settings,
    trust,
    governor,
    history,
    resume,
    clock,
    paths: { dataDir: options.dataDir, minersDir },
    pickBinaryFile: options.pickBinaryFile ?? null,
    loginItem: options.loginItem ?? null,
    controlLoop: options.control?.autoStart !== false,
    installer,
    now,
  });
  service.lastRunning = last.miners;
  service.startupNotices.push(...notices);
  // The settings view says at once which pause rules can work here (the loop itself starts with start()).
  governor.observeOnce();
  return service;
}
