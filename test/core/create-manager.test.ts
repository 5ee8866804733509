// createManager wires the real adapters and the engine's clock: the simulated miner keeps that clock, so a
// fake one drives its warm-up and hashrate without waiting in real time.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager } from '../../src/main/core/create-manager';
import type { MinerManager } from '../../src/main/core/manager';
import { FakeClock } from '../../src/main/core/util/clock';
import { validStart } from '../support/fake-world';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function manager(clock: FakeClock): Promise<MinerManager> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-create-'));
  const m = createManager({
    workRoot: dir,
    resolveBinary: () => Promise.reject(new Error('no binary in this test')),
    clock,
  });
  cleanups.push(async () => {
    await m.shutdown();
    await rm(dir, { recursive: true, force: true });
  });
  return m;
}

describe('createManager', () => {
  it('runs the simulated miner on the engine clock', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const m = await manager(clock);
    m.startCollector();
    await m.start(validStart('sim'));
    for (let i = 0; i < 10; i++) await clock.advance(1000);
    // Ten fake seconds: past the 3 s warm-up, though almost no real time went by.
    const stats = m.get('sim').stats;
    expect(stats).toMatchObject({ at: 1_700_000_010_000, uptime: 10, warmingUp: false });
    expect(stats!.hashrate[0]).toBeGreaterThan(0);
  });
});
