// The CPU budget and pause rules as settings: defaults in every view, validation, persistence, what
// headless can observe, and resumeMiner's "mine anyway" override.
import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_CPU_BUDGET, DEFAULT_PAUSE_RULES } from '../../src/shared/contract';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createMiningService } from '../../src/main/service/mining-service';
import { makeTestService, type TestService } from '../support/service';

let ctx: TestService | null = null;
afterEach(async () => {
  await ctx?.dispose();
  ctx = null;
});

describe('control settings', () => {
  it('every view carries the budget and the rules (defaults when never saved) and what can work here', async () => {
    ctx = await makeTestService();
    const view = await ctx.service.invoke('getSettings', {});
    expect(view.cpuBudget).toEqual(DEFAULT_CPU_BUDGET);
    expect(view.pauseRules).toEqual(DEFAULT_PAUSE_RULES);
    // headless: no desktop session, so no idle time
    expect(view.pauseRuleSupport?.userActive).toMatchObject({ available: false });
    expect(view.pauseRuleSupport?.schedule).toMatchObject({ available: true });
  });

  it('with an observation source (Electron powerMonitor) the idle-time rule is available', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hashdeck-observe-'));
    const service = await createMiningService({
      dataDir: dir,
      observe: async () => ({ idleSeconds: 42, onBattery: false }),
    });
    try {
      await new Promise((r) => setTimeout(r, 20)); // the first observation is taken at start
      const view = await service.invoke('getSettings', {});
      expect(view.pauseRuleSupport?.userActive).toEqual({ available: true, reason: null });
      expect(view.pauseRuleSupport?.onBattery).toEqual({ available: true, reason: null });
    } finally {
      await service.shutdown();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('saves the budget and the rules whole, validated, to settings.json', async () => {
    ctx = await makeTestService();
    const rules = {
      ...DEFAULT_PAUSE_RULES,
      processes: { enabled: true, names: ['Game.exe'] },
      schedule: { enabled: true, windows: [{ days: [1, 2], start: '22:00', end: '06:00' }] },
    };
    const saved = await ctx.service.invoke('saveSettings', {
      cpuBudget: { enabled: true, machinePercent: 40 },
      pauseRules: rules,
    });
    expect(saved.cpuBudget).toEqual({ enabled: true, machinePercent: 40 });
    const onDisk = JSON.parse(await readFile(join(ctx.dataDir, 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(onDisk.pauseRules).toEqual(rules);
    for (const bad of [
      { cpuBudget: { enabled: true, machinePercent: 2 } },
      { pauseRules: { ...rules, processes: { enabled: true, names: ['/usr/bin/game'] } } },
      {
        pauseRules: {
          ...rules,
          schedule: { enabled: true, windows: [{ days: [1], start: '25:00', end: '06:00' }] },
        },
      },
      { cpuBudget: { enabled: true } },
    ]) {
      await expect(ctx.service.invoke('saveSettings', bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('resumeMiner with forMinutes sets a "mine anyway" override that the snapshot shows', async () => {
    ctx = await makeTestService();
    const miner = await ctx.service.invoke('startMiner', { minerType: 'simulated', name: 'sim', config: {} });
    await ctx.service.invoke('pauseMiner', { id: miner.id });
    const before = Date.now();
    const resumed = await ctx.service.invoke('resumeMiner', { id: miner.id, forMinutes: 30 });
    expect(resumed.paused).toBe(false);
    const until = resumed.control?.mineAnywayUntil ?? 0;
    expect(until).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(until).toBeLessThan(Date.now() + 30 * 60_000 + 1000);
    await expect(ctx.service.invoke('resumeMiner', { id: miner.id, forMinutes: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('pauseMiner with forMinutes keeps the end in the snapshot; a pause without it or a resume clears it', async () => {
    ctx = await makeTestService();
    const miner = await ctx.service.invoke('startMiner', { minerType: 'simulated', name: 'sim', config: {} });
    const before = Date.now();
    const paused = await ctx.service.invoke('pauseMiner', { id: miner.id, forMinutes: 60 });
    expect(paused).toMatchObject({ paused: true, control: { pausedBy: { by: 'user' } } });
    const until = paused.control?.pausedUntil ?? 0;
    expect(until).toBeGreaterThanOrEqual(before + 60 * 60_000);
    expect(until).toBeLessThan(Date.now() + 60 * 60_000 + 1000);
    // a later snapshot (a page reload) still has it
    const snap = await ctx.service.invoke('getSnapshot', {});
    expect(snap.miners[0]?.control?.pausedUntil).toBe(until);

    const forever = await ctx.service.invoke('pauseMiner', { id: miner.id });
    expect(forever.control?.pausedUntil).toBeNull();
    await ctx.service.invoke('pauseMiner', { id: miner.id, forMinutes: 5 });
    const resumed = await ctx.service.invoke('resumeMiner', { id: miner.id });
    expect(resumed).toMatchObject({ paused: false, control: { pausedUntil: null } });
    await expect(
      ctx.service.invoke('pauseMiner', { id: miner.id, forMinutes: 24 * 60 + 1 }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
