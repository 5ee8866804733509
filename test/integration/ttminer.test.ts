// Pins the real TT-Miner path (createManager + fake-ttminer): Claymore JSON-RPC stats over TCP in H/s with
// per-GPU temperature/fan/power and shares, pause = stop and remember (resume starts it), throttle needs
// a restart, clean stop.
import { describe, expect, it } from 'vitest';
import { harnessPerTest, isAlive, tickUntil, ttminerRequest } from './helpers';

const harness = harnessPerTest();

describe('ttminer with the real adapter and supervisor', () => {
  it('stats over Claymore TCP in H/s with gpus and shares; pause stops it, resume starts it; stop', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('tt', 'ttminer', {
      FAKE_TT_RATE: '14000000',
      FAKE_SHARE_MS: '100',
    });
    // the work dir does not exist yet and TT-Miner writes no files: the spawn must still find its cwd
    const started = await manager.start(ttminerRequest('tt', bin, { devices: '0,1' }));
    expect(started).toMatchObject({ state: 'running', minerType: 'ttminer', generation: 1 });
    expect(isAlive(started.pid!)).toBe(true);

    const snap = await tickUntil(
      manager,
      'tt',
      (s) => (s.stats?.hashrate[0] ?? 0) > 0 && (s.stats?.shares.good ?? 0) > 0,
      'hashrate and an accepted share',
      8000,
    );
    const stats = snap.stats!;
    expect(snap.apiError).toBeNull();
    expect(stats.warmingUp).toBe(false);
    // TT-Miner reports H/s (not Claymore's kH/s): two GPUs at ~14 MH/s each
    expect(stats.hashrate[0]).toBeGreaterThan(20e6);
    expect(stats.hashrate[0]).toBeLessThan(36e6);
    expect(stats.gpus).toHaveLength(2);
    for (const [i, gpu] of stats.gpus.entries()) {
      expect(gpu.index).toBe(i);
      expect(gpu.hashrate).toBeGreaterThan(10e6);
      expect(gpu.temperature).toBeGreaterThanOrEqual(50);
      expect(gpu.temperature).toBeLessThanOrEqual(75);
      expect(gpu.fan).toBeGreaterThanOrEqual(35);
      expect(gpu.fan).toBeLessThanOrEqual(65);
      expect(gpu.power).toBeGreaterThanOrEqual(140);
      expect(gpu.power).toBeLessThanOrEqual(210);
    }
    expect(stats.shares.good).toBeGreaterThan(0);
    expect(stats.shares.total).toBeGreaterThanOrEqual(stats.shares.good);
    expect(stats.shares.rejected).toBe(0);
    expect(stats.pool).toBe('127.0.0.1:3333');
    expect(stats.paused).toBe(false);
    expect(manager.getHistory('tt', 0, Date.now() + 1000).length).toBeGreaterThan(0);

    // TT-Miner has no pause: pausing stops the process and remembers it, resuming starts a new one
    const paused = await manager.pause('tt');
    expect(paused).toMatchObject({ state: 'stopped', paused: true, pid: null });
    expect(paused.control).toMatchObject({ pauseKind: 'stop', pausedBy: { by: 'user' } });
    expect(isAlive(started.pid!)).toBe(false);
    // pausing twice changes nothing
    expect((await manager.pause('tt')).paused).toBe(true);
    const resumed = await manager.resume('tt');
    expect(resumed).toMatchObject({ state: 'running', paused: false, generation: 2 });
    expect(resumed.control?.pausedBy).toBeNull();
    expect(resumed.pid).not.toBe(started.pid);
    expect(isAlive(resumed.pid!)).toBe(true);
    expect(manager.getLogs('tt').some((l) => l.text.includes('paused by stopping it'))).toBe(true);
    // the new process answers (and has its signal handlers) before it is stopped again below
    await tickUntil(
      manager,
      'tt',
      (s) => s.stats !== null && s.generation === 2,
      'stats of the resumed miner',
    );

    // no live config: a throttle is stored for the next start
    const throttled = await manager.throttle('tt', { cpuPriority: 1 });
    expect(throttled.mode).toBe('restart');
    expect(manager.get('tt').pid).toBe(resumed.pid);

    const stopped = await manager.stop('tt');
    expect(stopped).toMatchObject({ state: 'stopped', pid: null });
    expect(stopped.lastExit).toMatchObject({ code: 0, signal: null });
    expect(isAlive(resumed.pid!)).toBe(false);
    expect(manager.getLogs('tt').some((l) => l.text.includes('TT-Miner stopped'))).toBe(true);
  });

  it('during the DAG warm-up the hashrate is null (no data), not 0 H/s', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('tt-warm', 'ttminer', { FAKE_WARMUP_MS: '3000' });
    await manager.start(ttminerRequest('warm', bin));
    const snap = await tickUntil(manager, 'warm', (s) => s.stats !== null, 'the first stats', 2500, 50);
    expect(snap.stats!.warmingUp).toBe(true);
    expect(snap.stats!.hashrate[0]).toBeNull();
    expect(snap.stats!.gpus.every((g) => g.hashrate === null)).toBe(true);
    expect(snap.stats!.gpus.length).toBe(2);
  });
});
