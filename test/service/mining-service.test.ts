// The service over the real engine and stores: validation, profiles, settings persistence,
// corrupt files moved aside, starting from a profile, events re-emitted in contract shape.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestService, type TestService } from '../support/service';
import type { MinerError } from '../../src/shared/errors';

let ctx: TestService | null = null;
/** Data folders a test made itself (makeTestService only removes the ones it created). */
const ownDirs: string[] = [];
afterEach(async () => {
  await ctx?.dispose();
  ctx = null;
  for (const dir of ownDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('MiningService', () => {
  it('rejects a malformed payload with INVALID_INPUT and field paths', async () => {
    ctx = await makeTestService();
    const err = (await ctx.service
      .invoke('saveProfile', { name: '', minerType: 'xmrig', config: { threads: 5000 } })
      .catch((e: unknown) => e)) as MinerError;
    expect(err.code).toBe('INVALID_INPUT');
    const paths = (err.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'config.threads']));
  });

  it('requires pool and wallet for a real miner profile, naming the fields', async () => {
    ctx = await makeTestService();
    const err = (await ctx.service
      .invoke('saveProfile', { name: 'Rig', minerType: 'xmrig', config: { pool: 'bad pool' } })
      .catch((e: unknown) => e)) as MinerError;
    expect(err.code).toBe('INVALID_INPUT');
    expect((err.details as { path: string }[]).map((d) => d.path)).toEqual(['config.pool', 'config.wallet']);
  });

  it('refuses unknown commands and extra fields', async () => {
    ctx = await makeTestService();
    await expect(ctx.service.invoke('nope' as 'getSnapshot', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(ctx.service.invoke('stopMiner', { id: 'a', extra: 1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('saves profiles atomically to disk and reloads them in a new service', async () => {
    ctx = await makeTestService();
    const saved = await ctx.service.invoke('saveProfile', {
      name: 'Home rig',
      minerType: 'xmrig',
      config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: '4AbC', cpuMaxThreadsHint: 50 },
    });
    expect(saved).toMatchObject({ name: 'Home rig', minerType: 'xmrig', config: { cpuMaxThreadsHint: 50 } });
    const files = await readdir(ctx.dataDir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = await makeTestService(ctx.dataDir);
    try {
      expect(await again.service.invoke('listProfiles', {})).toEqual([saved]);
    } finally {
      await again.service.shutdown();
    }
  });

  it('moves a corrupt profiles file aside with a notice instead of overwriting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hashdeck-corrupt-'));
    ownDirs.push(dir);
    await writeFile(join(dir, 'profiles.json'), '{"version":1,"profiles":[{"id":');
    ctx = await makeTestService(dir);
    expect(ctx.service.startupNotices[0]).toContain('moved to');
    const aside = (await readdir(dir)).find((f) => f.startsWith('profiles.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{"version":1,"profiles":[{"id":');
    expect(await ctx.service.invoke('listProfiles', {})).toEqual([]);
  });

  it('refuses extra arguments by what the miner would make of them, under config.cliArgs', async () => {
    ctx = await makeTestService();
    const config = { pool: 'stratum+tcp://127.0.0.1:3333', wallet: '4AbC', cliArgs: '--verbose --back' };
    const err = (await ctx.service
      .invoke('saveProfile', { name: 'Rig', minerType: 'xmrig', config })
      .catch((e: unknown) => e)) as MinerError;
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.details).toEqual([
      {
        path: 'config.cliArgs',
        message:
          '"--back" is --background, which the app does not allow (it would move the miner out of supervision)',
      },
    ]);
  });

  it('keeps a stored profile whose extra arguments are refused today, and refuses to start it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hashdeck-oldargs-'));
    ownDirs.push(dir);
    const profile = {
      id: 'p-old',
      name: 'Old',
      minerType: 'simulated',
      config: { cliArgs: '--back' },
      createdAt: 1,
      updatedAt: 1,
    };
    await writeFile(join(dir, 'profiles.json'), JSON.stringify({ version: 1, profiles: [profile] }));
    ctx = await makeTestService(dir);
    expect(ctx.service.startupNotices).toEqual([]);
    expect((await ctx.service.invoke('listProfiles', {})).map((p) => p.id)).toEqual(['p-old']);
    const err = (await ctx.service
      .invoke('startMiner', { profileId: 'p-old' })
      .catch((e: unknown) => e)) as MinerError;
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'The simulated miner takes no extra arguments',
    });
    expect(await readdir(dir)).not.toContainEqual(expect.stringContaining('corrupt'));
  });

  it('starts a miner from a profile with the saved config and remembers it as last used', async () => {
    ctx = await makeTestService();
    const profile = await ctx.service.invoke('saveProfile', {
      name: 'Demo!',
      minerType: 'simulated',
      config: { threads: 2, cpuMaxThreadsHint: 75 },
    });
    const states: string[] = [];
    ctx.service.on('minerState', (s) => states.push(s.state));
    const miner = await ctx.service.invoke('startMiner', { profileId: profile.id });
    expect(miner).toMatchObject({
      id: 'demo',
      // the display name is kept exactly; only the id is derived
      name: 'Demo!',
      minerType: 'simulated',
      profileId: profile.id,
      state: 'running',
    });
    expect(miner.config).toMatchObject({ threads: 2, cpuMaxThreadsHint: 75 });
    expect(states).toContain('running');
    expect((await ctx.service.invoke('getSettings', {})).lastProfileId).toBe(profile.id);
    const snapshot = await ctx.service.invoke('getSnapshot', {});
    expect(snapshot.miners.map((m) => m.id)).toEqual([miner.id]);
    expect(snapshot.settings.dataDir).toBe(ctx.dataDir);
  });

  it('streams stats batches and history for a running simulated miner', async () => {
    ctx = await makeTestService();
    const miner = await ctx.service.invoke('startMiner', { minerType: 'simulated', config: {} });
    // Readiness, not a fixed wait: poll until the simulated miner is past its warm-up and reports a rate.
    const { manager } = ctx.service;
    await vi.waitFor(
      async () => {
        await manager.tick();
        expect(manager.get(miner.id).stats?.hashrate[0]).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 20 },
    );
    const pointsBefore = (await ctx.service.invoke('getHistory', { id: miner.id })).points.length;
    const batches: number[] = [];
    ctx.service.on('stats', (b) => batches.push(b.miners.length));
    await manager.tick();
    await new Promise((r) => setTimeout(r, 2)); // two samples, two distinct timestamps
    await manager.tick();
    expect(batches).toEqual([1, 1]);
    const snap = (await ctx.service.invoke('getSnapshot', {})).miners[0]!;
    expect(snap.stats?.hashrate[0]).toBeGreaterThan(0);
    const history = await ctx.service.invoke('getHistory', { id: miner.id });
    expect(history.points.length).toBe(pointsBefore + 2);
  });

  it('persists settings and applies a new stats interval', async () => {
    ctx = await makeTestService();
    const view = await ctx.service.invoke('saveSettings', { statsIntervalMs: 2000, closeToTray: false });
    expect(view).toMatchObject({ statsIntervalMs: 2000, closeToTray: false });
    const onDisk = JSON.parse(await readFile(join(ctx.dataDir, 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(onDisk.statsIntervalMs).toBe(2000);
    await expect(ctx.service.invoke('saveSettings', { statsIntervalMs: 10 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('reports that no trusted binary exists yet, with what the user can do', async () => {
    ctx = await makeTestService();
    const check = await ctx.service.invoke('checkInstallation', { minerType: 'xmrig' });
    expect(check).toMatchObject({ found: false, path: null, binaryId: null });
    expect(check.message).toContain('No trusted XMRig binary');
    expect(check.message).toContain('trust add');
  });

  it('keeps a non-Latin profile name exactly and derives a distinct safe id', async () => {
    ctx = await makeTestService();
    const a = await ctx.service.invoke('saveProfile', { name: 'Майнер 矿工', minerType: 'simulated' });
    const b = await ctx.service.invoke('saveProfile', { name: '矿工 2', minerType: 'simulated' });
    const first = await ctx.service.invoke('startMiner', { profileId: a.id });
    const second = await ctx.service.invoke('startMiner', { profileId: b.id });
    expect(first.name).toBe('Майнер 矿工');
    expect(second.name).toBe('矿工 2');
    expect(first.id).toMatch(/^[a-z0-9-]+$/);
    expect(second.id).not.toBe(first.id);
  });

  it('starting again uses the profile as it is now, not the config the miner first ran with', async () => {
    ctx = await makeTestService();
    const profile = await ctx.service.invoke('saveProfile', {
      name: 'Sim',
      minerType: 'simulated',
      config: { threads: 2 },
    });
    const miner = await ctx.service.invoke('startMiner', { profileId: profile.id });
    await ctx.service.invoke('saveProfile', { ...profile, config: { threads: 3 } });
    const again = await ctx.service.invoke('restartMiner', { id: miner.id });
    expect(again.config.threads).toBe(3);
  });
});
