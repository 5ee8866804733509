// Pins shutdown with real processes: xmrig fakes (one ignoring SIGTERM, with a grandchild), a ttminer
// fake and a simulated miner all end, no pid survives, shutdown is idempotent and later starts are refused.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  grandchildPid,
  harnessPerTest,
  isAlive,
  ttminerRequest,
  waitFor,
  waitForXmrigApi,
  xmrigRequest,
} from './helpers';
import type { MinerManager } from '../../src/main/core/manager';

/** The TT-Miner fake's API line: printed after its signal handlers are installed. */
function waitForTtminerApi(manager: MinerManager, id: string): Promise<void> {
  return waitFor(
    () => manager.getLogs(id).some((l) => /API server \(Claymore JSON-RPC\) listening on/.test(l.text)),
    `the API line of ${id}`,
    10_000,
  );
}

/**
 * "running" only means the process outlived the start grace; a Node fake on a loaded machine may not have
 * run a line of its own code by then, and a SIGTERM before its handlers are installed kills it by signal
 * instead of the graceful exit 0 under test. Wait for what each fake prints once its handlers are in place.
 */
async function allReady(manager: MinerManager, xmrig: string[], ttminer: string[]): Promise<void> {
  await Promise.all([
    ...xmrig.map((id) => waitForXmrigApi(manager, id, 10_000)),
    ...ttminer.map((id) => waitForTtminerApi(manager, id)),
  ]);
}

const harness = harnessPerTest();

describe('shutdown with real miner processes', () => {
  it('stops 3 xmrig + 1 ttminer + 1 simulated in parallel, leaves no live pid, is idempotent', async () => {
    const h = await harness();
    const { manager } = h;
    const plain = await h.fakeBinary('xmrig-plain', 'xmrig');
    const stubborn = await h.fakeBinary('xmrig-stubborn', 'xmrig', {
      FAKE_IGNORE_SIGTERM: '1',
      FAKE_SPAWN_CHILD: '1',
    });
    // the TT-Miner fake ignores SIGTERM too: two stubborn miners must cost one deadline, not two
    const tt = await h.fakeBinary('tt-stubborn', 'ttminer', { FAKE_IGNORE_SIGTERM: '1' });

    const snaps = await Promise.all([
      manager.start(xmrigRequest('x1', plain)),
      manager.start(xmrigRequest('x2', plain)),
      manager.start(xmrigRequest('x3', stubborn)),
      manager.start(ttminerRequest('t1', tt)),
      manager.start({ name: 's1', minerType: 'simulated', config: {} }),
    ]);
    expect(snaps.map((s) => s.state)).toEqual(['running', 'running', 'running', 'running', 'running']);
    const pids = snaps.slice(0, 4).map((s) => s.pid!);
    expect(snaps[4]!.pid).toBeNull(); // in-process
    expect(new Set(pids).size).toBe(4);
    await allReady(manager, ['x1', 'x2', 'x3'], ['t1']);
    await waitFor(() => grandchildPid(manager, 'x3') !== null, 'the grandchild of x3', 5000);
    // x1 must be able to exit gracefully (code 0): its SIGTERM handler is set once its API is up.
    await waitForXmrigApi(manager, 'x1');
    const child = grandchildPid(manager, 'x3')!;
    for (const pid of [...pids, child]) expect(isAlive(pid)).toBe(true);

    const t0 = Date.now();
    await manager.shutdown();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(DEFAULT_OPTIONS.stopTimeoutMs - 20);
    // one deadline for all (not one per stubborn miner), plus the tree kill: a margin for a loaded machine
    expect(took).toBeLessThan(2 * DEFAULT_OPTIONS.stopTimeoutMs + 1500);

    for (const pid of pids) expect(isAlive(pid), `miner pid ${pid}`).toBe(false);
    await waitFor(() => !isAlive(child), `grandchild ${child} to die`, 3000);
    for (const s of manager.list()) {
      expect(s.state, s.id).toBe('stopped');
      expect(s.pid, s.id).toBeNull();
    }
    expect(manager.get('x3').lastExit).toMatchObject({ signal: 'SIGKILL' });
    expect(manager.get('t1').lastExit).toMatchObject({ signal: 'SIGKILL' });
    expect(manager.get('x1').lastExit).toMatchObject({ code: 0 });

    // twice is fine (the same promise, nothing to do)
    expect(manager.shutdown()).toBe(manager.shutdown());
    const t1 = Date.now();
    await manager.shutdown();
    expect(Date.now() - t1).toBeLessThan(1000);

    await expect(manager.start(xmrigRequest('late', plain))).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
    });
    await expect(manager.restart('x1')).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(manager.list().some((s) => s.id === 'late')).toBe(false);
    expect((await manager.tick()).miners).toHaveLength(0);
  });

  it('killAllSync SIGKILLs every live process tree at once (the last-resort exit hook)', async () => {
    const h = await harness();
    const { manager } = h;
    const stubborn = await h.fakeBinary('xmrig-stubborn', 'xmrig', {
      FAKE_IGNORE_SIGTERM: '1',
      FAKE_SPAWN_CHILD: '1',
    });
    const tt = await h.fakeBinary('tt', 'ttminer');
    const [a, b] = await Promise.all([
      manager.start(xmrigRequest('a', stubborn)),
      manager.start(ttminerRequest('b', tt)),
    ]);
    await allReady(manager, ['a'], ['b']);
    await waitFor(() => grandchildPid(manager, 'a') !== null, 'the grandchild of a', 5000);
    const child = grandchildPid(manager, 'a')!;

    manager.killAllSync();
    await waitFor(
      () => !isAlive(a.pid!) && !isAlive(b.pid!) && !isAlive(child),
      'every process to die',
      3000,
    );
    // nobody asked them to stop, so the manager reports what happened: killed by SIGKILL
    await waitFor(() => manager.list().every((s) => s.state === 'crashed'), 'crashed states', 3000);
    expect(manager.get('a').reason).toContain('SIGKILL');
  });
});
