// Every XMRig knob live against fake-xmrig (which answers json_rpc twice and closes, like 6.26.0): pause
// and resume succeed and are confirmed, threads 1 -> 2 -> 1 and priority apply in the same process and
// are reported applied only once /2/backends shows them.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { atomicWrite } from '../../src/main/core/util/atomic-write';
import { harnessPerTest, isAlive, readJson, tickUntil, waitForXmrigApi, xmrigRequest } from './helpers';

const harness = harnessPerTest();

describe('xmrig knobs, live', () => {
  it('pause and resume succeed against the doubled json_rpc reply and the snapshot says who paused', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-pause', 'xmrig');
    await manager.start(xmrigRequest('p', bin));
    await waitForXmrigApi(manager, 'p');
    await tickUntil(manager, 'p', (s) => (s.stats?.hashrate[0] ?? 0) > 0, 'hashing');

    const paused = await manager.pause('p');
    expect(paused.paused).toBe(true);
    // confirmed by the miner itself: the sample taken after the command says paused
    expect(paused.stats?.paused).toBe(true);
    expect(paused.control).toMatchObject({ pauseKind: 'api', pausedBy: { by: 'user' } });
    expect(manager.getLogs('p').some((l) => /miner\s+paused, press/.test(l.text))).toBe(true);

    // a rule cannot resume what the user paused
    expect((await manager.resume('p', { by: 'rule' })).paused).toBe(true);
    const resumed = await manager.resume('p');
    expect(resumed.paused).toBe(false);
    expect(resumed.stats?.paused).toBe(false);
    expect(resumed.control?.pausedBy).toBeNull();
    expect(resumed.apiError).toBeNull();
  });

  it('threads 1 -> 2 -> 1 and priority apply in the same process, pending until /2/backends confirms', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-threads', 'xmrig');
    const started = await manager.start(xmrigRequest('t', bin, { threads: 1 }));
    await waitForXmrigApi(manager, 't');
    const file = join(h.workRoot, 't', 'config.json');
    expect(((await readJson(file)) as { cpu: { rx: number[] } }).cpu.rx).toEqual([-1]);
    await tickUntil(manager, 't', (s) => s.stats?.threads.length === 1, 'one thread');

    const states: string[] = [];
    manager.on('state', (s) => {
      if (s.control?.throttle)
        states.push(`${s.control.throttle.target.threads}:${s.control.throttle.state}`);
    });
    const two = await manager.throttle('t', { threads: 2 });
    expect(two.mode).toBe('live');
    expect(two.apply).toMatchObject({ state: 'applied', target: { threads: 2 }, by: 'user' });
    expect(((await readJson(file)) as { cpu: { rx: number[] } }).cpu.rx).toEqual([-1, -1]);
    const one = await manager.throttle('t', { threads: 1, cpuPriority: 1 });
    expect(one.apply).toMatchObject({ state: 'applied', target: { threads: 1, cpuPriority: 1 } });
    expect(states).toEqual(['2:pending', '2:applied', '1:pending', '1:applied']);

    const snap = manager.get('t');
    expect(snap).toMatchObject({ pid: started.pid, generation: 1, state: 'running' });
    expect(isAlive(started.pid!)).toBe(true);
    expect(snap.config).toMatchObject({ threads: 1, cpuPriority: 1 });
    expect(snap.control?.effective).toEqual({ threads: 1, cpuMaxThreadsHint: 100, cpuPriority: 1 });
    const reloads = manager
      .getLogs('t')
      .filter((l) => l.text.includes('was changed, reloading configuration'));
    expect(reloads.length).toBeGreaterThanOrEqual(2);
    expect(manager.getLogs('t').some((l) => /randomx\s+dataset ready/.test(l.text))).toBe(true);
    // one dataset init only: the reloads restarted the CPU workers, not the miner
    expect(manager.getLogs('t').filter((l) => /dataset ready/.test(l.text))).toHaveLength(1);

    // a CPU % hint alone hands the count back to XMRig (it ignores the hint while threads are fixed)
    const hint = await manager.throttle('t', { cpuMaxThreadsHint: 50 });
    expect(hint.apply).toMatchObject({ state: 'applied', target: { threads: null, cpuMaxThreadsHint: 50 } });
    expect(hint.apply?.message).toMatch(/replaces the fixed count/);
    // FAKE_XMRIG_CORES=4 at 50 % -> 2 threads
    await tickUntil(manager, 't', (s) => s.stats?.threads.length === 2, 'two threads from the hint');
    expect(manager.get('t').pid).toBe(started.pid);
  });

  it('a change the miner never shows is reported failed after the bounded wait', async () => {
    // the second write of the config file is cut short: XMRig logs "reloading failed" and keeps its threads
    let writes = 0;
    const h = await harness({
      throttleConfirmMs: 800,
      writeFile: (path, content) => atomicWrite(path, ++writes > 1 ? content.slice(0, 40) : content),
    });
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-badwrite', 'xmrig');
    await manager.start(xmrigRequest('n', bin, { threads: 1 }));
    await waitForXmrigApi(manager, 'n');
    await tickUntil(manager, 'n', (s) => s.stats?.threads.length === 1, 'one thread');
    const t0 = Date.now();
    const result = await manager.throttle('n', { threads: 2 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    expect(result.apply).toMatchObject({ state: 'failed', target: { threads: 2 } });
    expect(result.apply?.message).toMatch(
      /did not confirm 2 thread\(s\).*within 1 s \(it reports 1 thread\(s\)/,
    );
    expect(manager.get('n').control?.throttle?.state).toBe('failed');
    expect(manager.getLogs('n').some((l) => l.text.includes('reloading failed'))).toBe(true);
  });
});
