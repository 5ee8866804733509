// Pins the stats path against a misbehaving XMRig API (hang, malformed JSON, 20 MiB body) and a miner that
// never hashes: ticks stay bounded and single-flight, the miner keeps running, apiError says why.
import { describe, expect, it } from 'vitest';
import { adapters } from '../../src/main/core/miners/index';
import type { MinerAdapter } from '../../src/main/core/miners/adapter';
import {
  DEFAULT_OPTIONS,
  isAlive,
  harnessPerTest,
  sleep,
  tickUntil,
  waitFor,
  waitForXmrigApi,
  xmrigRequest,
} from './helpers';

const harness = harnessPerTest();

/** The real XMRig adapter, counting how many stats requests the collector starts. */
function countingXmrig(): { adapter: MinerAdapter; calls: () => number } {
  let calls = 0;
  const real = adapters.xmrig;
  const adapter: MinerAdapter = {
    ...real,
    fetchStats: (...args) => {
      calls++;
      return real.fetchStats(...args);
    },
  };
  return { adapter, calls: () => calls };
}

const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};

describe('xmrig API faults', () => {
  it('a hanging API: the tick gives up after statsTimeoutMs, requests never overlap, the miner runs on', async () => {
    const counting = countingXmrig();
    const h = await harness({ adapters: { ...adapters, xmrig: counting.adapter } });
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-hang', 'xmrig', { FAKE_API_HANG: '1' });
    const started = await manager.start(xmrigRequest('hang', bin));
    await waitForXmrigApi(manager, 'hang');

    const t0 = Date.now();
    const first = manager.tick();
    // a second tick while the first request hangs skips this miner at once instead of stacking a request
    const t1 = Date.now();
    const second = await manager.tick();
    expect(Date.now() - t1).toBeLessThan(300);
    expect(second.miners).toHaveLength(0);
    expect(counting.calls()).toBe(1);

    const batch = await first;
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(DEFAULT_OPTIONS.statsTimeoutMs - 50);
    expect(took).toBeLessThan(DEFAULT_OPTIONS.statsTimeoutMs + 1000);
    expect(batch.miners).toHaveLength(0);
    expect(counting.calls()).toBe(1);

    const snap = manager.get('hang');
    expect(snap.state).toBe('running');
    expect(snap.apiError).toMatch(/did not answer/);
    expect(snap.stats).toBeNull();
    expect(isAlive(started.pid!)).toBe(true);

    // once the timed-out request is over, the next tick polls again (and times out again)
    const t2 = Date.now();
    await manager.tick();
    expect(Date.now() - t2).toBeLessThan(DEFAULT_OPTIONS.statsTimeoutMs + 1000);
    expect(counting.calls()).toBe(2);
    expect(manager.get('hang').state).toBe('running');

    // a hanging API does not get in the way of stopping the miner
    const stopped = await manager.stop('hang');
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastExit).toMatchObject({ code: 0 });
  });

  it('malformed JSON: every tick resolves with apiError set; the miner is neither killed nor marked crashed', async () => {
    const h = await harness();
    const { manager } = h;
    const errors: (string | null)[] = [];
    manager.on('state', (s) => errors.push(s.apiError));
    const bin = await h.fakeBinary('xmrig-malformed', 'xmrig', { FAKE_API_MALFORMED: '1' });
    const started = await manager.start(xmrigRequest('bad', bin));
    await waitForXmrigApi(manager, 'bad');
    await tickUntil(
      manager,
      'bad',
      (s) => /JSON/.test(s.apiError ?? ''),
      'the malformed-JSON error',
      3000,
      50,
    );
    const announced = errors.filter((e) => e !== null).length;
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const batch = await manager.tick();
      expect(Date.now() - t0).toBeLessThan(DEFAULT_OPTIONS.statsTimeoutMs + 500);
      expect(batch.miners).toHaveLength(0);
    }
    const snap = manager.get('bad');
    expect(snap.state).toBe('running');
    expect(snap.apiError).toMatch(/JSON/);
    expect(snap.stats).toBeNull();
    expect(isAlive(started.pid!)).toBe(true);
    // the error was announced through a state event, and an unchanged error is not announced again per tick
    expect(announced).toBeGreaterThanOrEqual(1);
    expect(errors.filter((e) => e !== null)).toHaveLength(announced);
    // the manager still controls it: pause fails cleanly (its reply is malformed too), stop works
    await expect(manager.pause('bad')).rejects.toMatchObject({ code: 'MINER_API' });
    expect((await manager.stop('bad')).state).toBe('stopped');
  });

  it('a 20 MiB body is refused without reading it: apiError set, memory growth bounded, miner alive', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-huge', 'xmrig', { FAKE_API_HUGE: '1' });
    const started = await manager.start(xmrigRequest('huge', bin));
    await waitForXmrigApi(manager, 'huge');
    const before = memory();
    let peak = before;
    for (let i = 0; i < 4; i++) {
      const t0 = Date.now();
      await manager.tick();
      expect(Date.now() - t0).toBeLessThan(DEFAULT_OPTIONS.statsTimeoutMs + 500);
      peak = Math.max(peak, memory());
    }
    expect(peak - before).toBeLessThan(50 * 1024 * 1024);
    const snap = manager.get('huge');
    expect(snap.state).toBe('running');
    expect(snap.apiError).toMatch(/larger than|bytes/);
    expect(snap.stats).toBeNull();
    expect(isAlive(started.pid!)).toBe(true);
    expect((await manager.stop('huge')).state).toBe('stopped');
  });

  it('a miner that never hashes (FAKE_ZERO_RATE) stays warmingUp with a null hashrate after its warm-up, never 0 H/s', async () => {
    const h = await harness();
    const { manager } = h;
    // the fake's own warm-up (200 ms) ends with "READY threads"; then 0 H/s forever
    const zeroBin = await h.fakeBinary('xmrig-zero-rate', 'xmrig', { FAKE_ZERO_RATE: '1' });
    await manager.start(xmrigRequest('zero', zeroBin));
    await waitFor(
      () => manager.getLogs('zero').some((l) => l.text.includes('READY threads')),
      'the end of the warm-up',
      5000,
    );
    // well past the 10 s window (x0.05 = 0.5 s) that a hashing miner would have filled by now
    await sleep(1200);
    const rates: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const snap = await tickUntil(manager, 'zero', (s) => s.stats !== null, 'stats', 3000, 50);
      rates.push(snap.stats!.hashrate);
      expect(snap.stats!.warmingUp).toBe(true);
      expect(snap.stats!.hashrate).toEqual([null, null, null]);
      expect(snap.stats!.threads.every((t) => t === null)).toBe(true);
      expect(snap.stats!.threads.length).toBeGreaterThan(0);
      expect(snap.stats!.paused).toBe(false);
      await sleep(100);
    }
    expect(rates).toHaveLength(3);
    // nothing was recorded as a 0 H/s sample either
    expect(manager.getHistory('zero', 0, Date.now() + 1000)).toEqual([]);
    expect(manager.get('zero').state).toBe('running');
  });
});
