// Builders for contract objects in renderer tests: a miner snapshot, its stats, a profile, settings.
import { settingsSchema, type Profile, type SettingsView } from '../../../shared/contract';
import type { MinerSnapshot, MinerStats } from '../../../shared/model';
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
