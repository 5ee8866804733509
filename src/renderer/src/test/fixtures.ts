// Builders for contract objects in renderer tests: a miner snapshot, its stats, a profile, settings,
// trusted binaries and the installs contract (an install's status, installed versions, update checks).
import {
  settingsSchema,
  type InstallStatus,
  type InstalledMiners,
  type InstalledVersion,
  type Profile,
  type SettingsView,
  type TrustedBinary,
  type UpdateCheck,
} from '../../../shared/contract';
import type { MinerControl, MinerSnapshot, MinerStats } from '../../../shared/model';
import { minerConfigObject } from '../../../shared/schemas';

export function makeStats(overrides: Partial<MinerStats> = {}): MinerStats {
  return {
    at: 1_000,
    hashrate: [1500, 1400, 1300],
    highest: 1600,
    warmingUp: false,
    threads: [750, 750],
    shares: { good: 10, total: 11, rejected: 1 },
    difficulty: 10_000,
    avgShareTime: 30,
    pool: 'pool.example.com:3333',
    ping: 20,
    uptime: 125,
    paused: false,
    algo: 'rx/0',
    cpu: { brand: 'Test CPU', threads: 8 },
    gpus: [],
    ...overrides,
  };
}

export function makeMiner(overrides: Partial<MinerSnapshot> = {}): MinerSnapshot {
  return {
    id: 'm1',
    name: 'Miner one',
    minerType: 'simulated',
    profileId: 'p1',
    state: 'running',
    reason: null,
    generation: 1,
    pid: 1234,
    startedAt: 0,
    paused: false,
    config: minerConfigObject.parse({ pool: 'pool.example.com:3333', wallet: 'w' }),
    stats: null,
    apiError: null,
    lastExit: null,
    version: '1.0.0',
    ...overrides,
  };
}

/** A running miner's control state with nothing held: not paused, no throttle, budget or override. */
export function makeControl(overrides: Partial<MinerControl> = {}): MinerControl {
  return {
    pauseKind: 'api',
    pausedBy: null,
    throttle: null,
    effective: null,
    usage: null,
    budget: null,
    mineAnywayUntil: null,
    pausedUntil: null,
    ...overrides,
  };
}

export function makeProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    id: 'p1',
    name: 'Profile one',
    minerType: 'simulated',
    config: minerConfigObject.parse({}),
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

export function makeSettings(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    ...settingsSchema.parse({}),
    statsIntervalMs: 1000,
    closeToTray: true,
    startMinimized: false,
    lastProfileId: null,
    theme: 'system',
    dataDir: '/tmp/hashdeck',
    ...overrides,
  };
}

export const SHA = 'a'.repeat(12) + '0123456789abcdef'.repeat(3) + 'b'.repeat(4);

export function makeBinary(overrides: Partial<TrustedBinary> = {}): TrustedBinary {
  return {
    id: 'xmrig-11111111',
    minerType: 'xmrig',
    path: '/data/miners/xmrig/6.26.0/xmrig',
    sha256: SHA,
    size: 1000,
    mtimeMs: 0,
    version: '6.26.0',
    source: 'installed',
    addedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function makeInstallStatus(overrides: Partial<InstallStatus> = {}): InstallStatus {
  return {
    installId: 'install-1',
    minerType: 'xmrig',
    requested: null,
    version: '6.26.0',
    state: 'running',
    phase: 'resolving',
    bytes: 0,
    total: null,
    percent: null,
    bytesPerSecond: 0,
    startedAt: 1000,
    finishedAt: null,
    binaryId: null,
    error: null,
    ...overrides,
  };
}

export function makeInstalledVersion(overrides: Partial<InstalledVersion> = {}): InstalledVersion {
  return {
    minerType: 'xmrig',
    version: '6.26.0',
    folder: '/data/miners/xmrig/6.26.0',
    binaryPath: '/data/miners/xmrig/6.26.0/xmrig',
    sha256: SHA,
    verified: true,
    installedAt: '2026-01-01T10:00:00.000Z',
    status: 'tested',
    note: null,
    health: 'ok',
    binaryId: 'xmrig-11111111',
    isDefault: true,
    usedBy: { pinnedProfiles: [], followingProfiles: [], runningMiners: [] },
    ...overrides,
  };
}

export function makeInstalled(overrides: Partial<InstalledMiners> = {}): InstalledMiners {
  return {
    minerType: 'xmrig',
    versions: [],
    active: null,
    last: null,
    update: null,
    defaultBinaryId: null,
    testedVersions: ['6.26.0'],
    ...overrides,
  };
}

export function makeUpdateCheck(overrides: Partial<UpdateCheck> = {}): UpdateCheck {
  const release = (version: string, status: 'tested' | 'newer-untested') => ({
    version,
    tag: `v${version}`,
    name: `v${version}`,
    publishedAt: null,
    prerelease: false,
    status,
    note: status === 'tested' ? null : 'newer, not yet tested with HashDeck',
    asset: { name: `xmrig-${version}-linux-static-x64.tar.gz`, size: 1000 },
    installed: false,
  });
  return {
    checkedAt: 5000,
    fromCache: false,
    current: '6.25.0',
    recommended: release('6.26.0', 'tested'),
    latest: release('6.27.0', 'newer-untested'),
    updateAvailable: true,
    newerUntested: release('6.27.0', 'newer-untested'),
    ...overrides,
  };
}
