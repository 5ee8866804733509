// A stats sample that was already on its way when a pause completed must not undo the pause (nor make
// a rule's or the budget's pause look like the user's).
import { describe, expect, it } from 'vitest';
import { FakeWorld, fakeStats, validStart } from '../support/fake-world';

describe('pause vs an overlapping stats sample', () => {
  it('the sample requested before the pause does not clear it', async () => {
    const world = new FakeWorld();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const adapter = world.adapter('simulated');
    const manager = world.manager({
      adapters: {
        xmrig: adapter,
        ttminer: adapter,
        simulated: {
          ...adapter,
          // the miner answered "running" before the pause; the reply arrives after it
          fetchStats: async () => {
            await held;
            return fakeStats(1);
          },
        },
      },
    });
    await manager.start(validStart('a'));
    const tick = manager.tick();
    await manager.pause('a', { cause: { by: 'rule', rule: 'userActive', detail: 'in use' } });
    release();
    await tick;
    expect(manager.get('a')).toMatchObject({
      paused: true,
      control: { pausedBy: { by: 'rule', rule: 'userActive' } },
    });
    // a sample requested after the pause is believed (here the miner says it runs: someone resumed it)
    await manager.tick();
    expect(manager.get('a')).toMatchObject({ paused: false, control: { pausedBy: null } });
    await manager.shutdown();
  });
});
