// Measured CPU per miner: fake-xmrig burning a real core per mining thread, sampled from its process tree
// every tick, in the stats, the snapshot and the CPU history; pausing it shows at once.
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { harnessPerTest, sleep, tickUntil, waitForXmrigApi, xmrigRequest } from './helpers';

const harness = harnessPerTest();

const cores = availableParallelism();

describe.runIf(process.platform === 'linux')('measured CPU of a miner', () => {
  it('a thread burning one core shows as about 1/cores of the machine; paused, near zero', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-burn', 'xmrig', {
      FAKE_BURN: '1',
      FAKE_BURN_MAX_MS: '20000',
      FAKE_XMRIG_CORES: String(cores),
    });
    await manager.start(xmrigRequest('b', bin, { threads: 1 }));
    await waitForXmrigApi(manager, 'b');
    // one burning thread: 100 / cores % when the machine is idle; a loaded test machine gives it less
    const busy = await tickUntil(
      manager,
      'b',
      (s) => (s.stats?.usage?.machineCpuPercent ?? 0) > 25 / cores,
      'the burn to show',
      8000,
      250,
    );
    const usage = busy.stats!.usage!;
    expect(usage.machineCpuPercent).toBeLessThanOrEqual(100 / cores + 15);
    expect(usage.logicalCores).toBe(cores);
    expect(usage.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(usage.processes).toBeGreaterThanOrEqual(1);
    expect(busy.control?.usage).toEqual(usage);

    await manager.pause('b');
    await sleep(300); // the first sample after the pause still covers burning time
    const idle = await tickUntil(
      manager,
      'b',
      (s) => s.stats?.paused === true && (s.stats.usage?.machineCpuPercent ?? 100) < 5,
      'the paused miner to go quiet',
      5000,
      300,
    );
    expect(idle.stats!.usage!.machineCpuPercent).toBeLessThan(5);
    const cpu = manager.getCpuHistory('b', 0, Date.now() + 1000);
    expect(cpu.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...cpu.map((p) => p.value))).toBeGreaterThan(25 / cores);
  });
});
