// What lasts across a restart of the app, through the service: 1-minute history written while miners run
// and read back by a new service (24 h, 7 d, 30 d, gaps kept, markers), the miners that were running
// resumed at launch with a notice (saved on every change, not emptied by the quit), "Start with the
// computer" (the login item the desktop gives; headless says how instead), and a crash loop's notice.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Notice } from '../../src/shared/contract';
import { adapters } from '../../src/main/core/miners/index';
import { createSimulatedAdapter } from '../../src/main/core/miners/simulated/adapter';
import { RUNNING_SET_FILE } from '../../src/main/core/store/running-set';
import { FakeClock } from '../../src/main/core/util/clock';
import {
  createMiningService,
  type LoginItemControl,
  type MiningService,
} from '../../src/main/service/mining-service';
import { watchdogSettingsSchema } from '../../src/shared/watchdog-settings';
import { fakeMiner } from '../security/fixtures';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

const dirs: string[] = [];
const services: MiningService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-lasting-'));
  dirs.push(dir);
  return dir;
}

/** A service whose whole engine (collector, simulated miner, history) runs on `clock`. */
async function serviceOn(
  dataDir: string,
  clock: FakeClock,
  loginItem?: LoginItemControl,
): Promise<MiningService> {
  const service = await createMiningService({
    dataDir,
    clock,
    loginItem,
    manager: {
      adapters: { ...adapters, simulated: createSimulatedAdapter({ clock, warmupMs: 1000, tickMs: 1000 }) },
      stopTimeoutMs: 1000,
    },
    control: { autoStart: false },
  });
  services.push(service);
  return service;
}

async function run(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1000) await clock.advance(1000);
}

describe('history that lasts', () => {
  it('is written while a miner runs and read back by the next session: 24 h, 7 d and 30 d, gaps kept', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock(T0);
    const first = await serviceOn(dataDir, clock);
    await first.start();
    const miner = await first.invoke('startMiner', {
      name: 'Rig',
      minerType: 'simulated',
      config: { threads: 2 },
    });
    await run(clock, 3 * MIN);
    await first.invoke('stopMiner', { id: miner.id });
    const gapFrom = clock.now();
    await run(clock, 10 * MIN); // not running: a gap
    const gapTo = clock.now();
    await first.invoke('startMiner', { name: 'Rig', minerType: 'simulated', config: { threads: 2 } });
    await run(clock, 2 * MIN);
    await first.stop(); // the app quits: open minutes are written

    const later = new FakeClock(clock.now() + 5 * MIN);
    const second = await serviceOn(dataDir, later);
    // The miner is not in this session at all: everything comes from the data folder.
    expect(second.miners()).toEqual([]);
    const day = await second.invoke('getHistory', { id: miner.id });
    expect(day.points.length).toBeGreaterThanOrEqual(4);
    expect(day.points.every((p) => p.value > 0)).toBe(true);
    expect(day.points.every((p, i) => i === 0 || p.at - day.points[i - 1]!.at >= MIN)).toBe(true);
    // Nothing was made up where it did not run.
    expect(day.points.filter((p) => p.at > gapFrom + MIN && p.at < gapTo - MIN)).toEqual([]);
    const kinds = day.events!.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'start')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'stop')).toHaveLength(2);

    const week = await second.invoke('getHistory', {
      id: miner.id,
      from: later.now() - 7 * 24 * 60 * MIN,
      to: later.now(),
    });
    expect(week.points.length).toBeGreaterThanOrEqual(1);
    expect(week.points.every((p) => p.at % (10 * MIN) === 0)).toBe(true);
    expect(week.events!.length).toBe(day.events!.length);
    const month = await second.invoke('getHistory', {
      id: miner.id,
      from: later.now() - 30 * 24 * 60 * MIN,
      to: later.now(),
    });
    expect(month.points.length).toBeGreaterThanOrEqual(1);
    expect(month.points.every((p) => p.at % (30 * MIN) === 0)).toBe(true);

    // An id with no miner and no history is still unknown.
    await expect(second.invoke('getHistory', { id: 'nobody' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a running miner: this session from memory, the time before it from the data folder', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock(T0);
    const first = await serviceOn(dataDir, clock);
    await first.start();
    const miner = await first.invoke('startMiner', { name: 'Rig', minerType: 'simulated', config: {} });
    await run(clock, 3 * MIN);
    await first.stop();
    const later = new FakeClock(clock.now() + MIN);
    const second = await serviceOn(dataDir, later);
    await second.start();
    await second.invoke('startMiner', { name: 'Rig', minerType: 'simulated', config: {} });
    await run(later, 30_000);
    const day = await second.invoke('getHistory', { id: miner.id });
    const before = day.points.filter((p) => p.at < T0 + 4 * MIN);
    const now = day.points.filter((p) => p.at >= later.now() - 40_000);
    expect(before.length).toBeGreaterThanOrEqual(3); // stored minutes of the last session
    expect(now.length).toBeGreaterThanOrEqual(10); // this session's raw samples
  });
});

describe('resume the miners that were running when the app last quit', () => {
  it('keeps the set on every change, survives the quit, and resumes it with a notice', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock(T0);
    const first = await serviceOn(dataDir, clock);
    await first.start();
    await first.invoke('saveSettings', { resumeMiners: true });
    const profile = await first.invoke('saveProfile', {
      name: 'Profiled',
      minerType: 'simulated',
      config: { threads: 1 },
    });
    await first.invoke('startMiner', { profileId: profile.id });
    await first.invoke('startMiner', { name: 'Inline', minerType: 'simulated', config: { threads: 2 } });
    await first.invoke('startMiner', { name: 'Stopped', minerType: 'simulated', config: {} });
    await first.invoke('stopMiner', { id: 'stopped' });
    // Written as it changes, not at quit: a crash of the app keeps it.
    const names = async () => {
      const text = await readFile(join(dataDir, RUNNING_SET_FILE), 'utf8').catch(() => '{"miners":[]}');
      return (JSON.parse(text) as { miners: { name: string }[] }).miners.map((m) => m.name).sort();
    };
    // Polled until the writes queued by the state changes reach the disk: the cap is only a safety net
    // (it took more than 2 s under mutation testing's instrumentation on a loaded machine).
    await vi.waitFor(async () => expect(await names()).toEqual(['Inline', 'Profiled']), {
      timeout: 15_000,
      interval: 20,
    });
    await first.stop();
    const afterQuit = JSON.parse(await readFile(join(dataDir, RUNNING_SET_FILE), 'utf8')) as {
      miners: unknown[];
    };
    expect(afterQuit.miners).toHaveLength(2);

    const second = await serviceOn(dataDir, new FakeClock(clock.now() + MIN));
    const notices: Notice[] = [];
    second.on('notice', (n) => notices.push(n));
    const report = await second.start();
    expect(report?.resumed.sort()).toEqual(['Inline', 'Profiled']);
    expect(
      second
        .miners()
        .map((m) => [m.name, m.state])
        .sort(),
    ).toEqual([
      ['Inline', 'running'],
      ['Profiled', 'running'],
    ]);
    expect(second.miners().find((m) => m.name === 'Profiled')?.profileId).toBe(profile.id);
    expect(notices).toEqual([
      expect.objectContaining({ level: 'info', message: expect.stringContaining('Resumed 2 miner(s)') }),
    ]);
  });

  it('resumes nothing unless the setting is on', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock(T0);
    const first = await serviceOn(dataDir, clock);
    await first.start();
    await first.invoke('startMiner', { name: 'Rig', minerType: 'simulated', config: {} });
    await first.stop();
    const second = await serviceOn(dataDir, new FakeClock(clock.now() + MIN));
    expect(await second.start()).toBeNull();
    expect(second.miners()).toEqual([]);
  });
});

describe('start with the computer', () => {
  it('headless has no login item: the setting is refused with where to look instead', async () => {
    const second = await serviceOn(await tempDir(), new FakeClock(T0));
    const view = await second.invoke('getSettings', {});
    expect(view.startWithComputerSupport).toMatchObject({ available: false });
    await expect(second.invoke('saveSettings', { startWithComputer: true })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('systemd user unit'),
    });
  });

  it('the desktop login item follows the setting, and what the system says wins at start', async () => {
    let enabled = false;
    const calls: boolean[] = [];
    const login: LoginItemControl = {
      get: () => enabled,
      set: (v) => {
        calls.push(v);
        enabled = v;
      },
    };
    const dataDir = await tempDir();
    const service = await serviceOn(dataDir, new FakeClock(T0), login);
    await service.start();
    expect((await service.invoke('saveSettings', { startWithComputer: true })).startWithComputer).toBe(true);
    expect(calls).toEqual([true]);
    await service.stop();
    enabled = false; // the user removed it in the system's settings
    const again = await serviceOn(dataDir, new FakeClock(T0), login);
    await again.start();
    expect(again.settings().startWithComputer).toBe(false);
  });
});

describe('a crash loop reaches the desktop', () => {
  it('says why in a notice marked for a desktop notification, and marks it on the chart', async () => {
    const dataDir = await tempDir();
    const service = await createMiningService({
      dataDir,
      manager: { stopTimeoutMs: 1000, statsIntervalMs: 250 },
      control: { autoStart: false },
    });
    services.push(service);
    await service.start();
    const file = await fakeMiner(join(dataDir, 'bin'), 'xmrig-crashy.mjs', 'xmrig', {
      FAKE_CRASH_AFTER_MS: '150',
    });
    const entry = await service.trustLocalBinary(file, 'xmrig');
    await service.invoke('saveSettings', {
      watchdog: watchdogSettingsSchema.parse({ backoffInitialMs: 500, crashLoopCount: 2 }),
    });
    const loop = new Promise<Notice>((resolve) =>
      service.on('notice', (n) => {
        if (n.desktop) resolve(n);
      }),
    );
    await service.invoke('startMiner', {
      name: 'Crashy',
      minerType: 'xmrig',
      config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: 'w', binaryId: entry.id },
    });
    const notice = await loop;
    expect(notice).toMatchObject({ level: 'error', desktop: { title: 'Crashy: Miner keeps failing' } });
    expect(notice.message).toContain('2 failures');
    expect(service.miners()[0]).toMatchObject({ state: 'crash-loop', pid: null });
    const history = await service.invoke('getHistory', { id: 'crashy' });
    expect(
      history
        .events!.filter((e) => e.kind === 'watchdog')
        .map((e) => e.text)
        .join('\n'),
    ).toContain('crash loop');
  });
});
