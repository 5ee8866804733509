// setThrottle's explicit choice: only for this run, or also saved to the miner's profile (profiles.json).
import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTestService, type TestService } from '../support/service';

let ctx: TestService | null = null;
afterEach(async () => {
  await ctx?.dispose();
  ctx = null;
});

const onDisk = async (dir: string) =>
  (
    JSON.parse(await readFile(join(dir, 'profiles.json'), 'utf8')) as {
      profiles: { config: Record<string, unknown> }[];
    }
  ).profiles[0]!.config;

describe('setThrottle persist', () => {
  it('only for this run by default; persist: true writes the changed knobs to profiles.json', async () => {
    ctx = await makeTestService();
    const { service } = ctx;
    const profile = await service.invoke('saveProfile', {
      name: 'Sim',
      minerType: 'simulated',
      config: { threads: 4, cpuMaxThreadsHint: 100 },
    });
    const miner = await service.invoke('startMiner', { profileId: profile.id });

    const runOnly = await service.invoke('setThrottle', { id: miner.id, threads: 2 });
    expect(runOnly).toMatchObject({ mode: 'live', miner: { config: { threads: 2 } } });
    expect(runOnly.savedToProfile).toBeUndefined();
    expect(await onDisk(ctx.dataDir)).toMatchObject({ threads: 4 });

    const saved = await service.invoke('setThrottle', {
      id: miner.id,
      threads: 3,
      cpuPriority: 1,
      persist: true,
    });
    expect(saved.savedToProfile).toBe(profile.id);
    expect(await onDisk(ctx.dataDir)).toMatchObject({ threads: 3, cpuPriority: 1, cpuMaxThreadsHint: 100 });
    expect((await service.invoke('listProfiles', {}))[0]!.config).toMatchObject({
      threads: 3,
      cpuPriority: 1,
    });

    const budget = await service.invoke('setThrottle', { id: miner.id, cpuBudgetPercent: 40, persist: true });
    expect(budget.miner.config.cpuBudgetPercent).toBe(40);
    expect(await onDisk(ctx.dataDir)).toMatchObject({ cpuBudgetPercent: 40, threads: 3 });
  });

  it('says so when there is no profile to save to', async () => {
    ctx = await makeTestService();
    const miner = await ctx.service.invoke('startMiner', {
      minerType: 'simulated',
      name: 'adhoc',
      config: {},
    });
    const r = await ctx.service.invoke('setThrottle', { id: miner.id, cpuMaxThreadsHint: 50, persist: true });
    expect(r.savedToProfile).toBeNull();
    expect(r.message).toMatch(/this run only/);
  });
});
