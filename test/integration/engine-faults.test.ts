// Reproductions of issue 9's engine faults with the fake miners (each failed on the code before the fix):
// a stop queued behind a hung pause, a hung API delaying a healthy miner's samples, a start whose outcome
// depended on timing, and a stopped miner that kept its last API error.
import { describe, expect, it } from 'vitest';
import type { StatsBatch } from '../../src/shared/contract';
import type { MinerSnapshot } from '../../src/shared/model';
import { MinerError } from '../../src/shared/errors';
import { adapters } from '../../src/main/core/miners/index';
import type { MinerAdapter } from '../../src/main/core/miners/adapter';
import { harnessPerTest, tickUntil, waitFor, waitForXmrigApi, xmrigRequest } from './helpers';

const harness = harnessPerTest();

/** The real XMRig adapter, telling the test when a pause request has been sent. */
function pauseSignalling(): { adapter: MinerAdapter; pauseSent: Promise<void> } {
  let sent!: () => void;
  const pauseSent = new Promise<void>((resolve) => (sent = resolve));
  const real = adapters.xmrig;
  const adapter: MinerAdapter = {
    ...real,
    pause: (...args) => {
      sent();
      return real.pause!(...args);
    },
  };
  return { adapter, pauseSent };
}

describe('engine faults (issue 9)', () => {
  it('a stop never waits for a pause stuck on a hung API: it calls the pause off', async () => {
    const signalling = pauseSignalling();
    // A long API timeout makes the difference unmistakable: before the fix the stop waited all of it.
    const h = await harness({ apiTimeoutMs: 8000, adapters: { ...adapters, xmrig: signalling.adapter } });
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-hang-pause', 'xmrig', { FAKE_API_HANG: '1' });
    await manager.start(xmrigRequest('hp', bin));
    await waitForXmrigApi(manager, 'hp');
    await waitFor(() => manager.get('hp').state === 'running', 'running', 5000);

    const pause = manager.pause('hp').then(
      () => null,
      (e: unknown) => e,
    );
    await signalling.pauseSent;
    const t0 = Date.now();
    const stopped = await manager.stop('hp');
    const took = Date.now() - t0;
    expect(stopped.state).toBe('stopped');
    // A normal stop of the fake takes ~0.1 s; the margin holds on a loaded machine and stays far below 8 s.
    expect(took).toBeLessThan(3000);
    const err = await pause;
    expect(err).toBeInstanceOf(MinerError);
    expect((err as MinerError).code).toBe('CANCELLED');
    expect((err as MinerError).message).toMatch(/stop/);
  });

  it("a hung miner API does not delay a healthy miner's samples, and each miner's samples stay in order", async () => {
    const h = await harness({ statsTimeoutMs: 2000 });
    const { manager } = h;
    const ok = await h.fakeBinary('xmrig-ok', 'xmrig');
    const hang = await h.fakeBinary('xmrig-hang', 'xmrig', { FAKE_API_HANG: '1' });
    await manager.start(xmrigRequest('ok', ok));
    await manager.start(xmrigRequest('hung', hang));
    await waitForXmrigApi(manager, 'ok');
    await waitForXmrigApi(manager, 'hung');
    await tickUntil(manager, 'ok', (s) => s.stats !== null, 'a first sample of the healthy miner');

    const seen: { id: string; at: number; receivedAt: number }[] = [];
    manager.on('stats', (batch: StatsBatch) => {
      for (const m of batch.miners) seen.push({ id: m.id, at: m.stats.at, receivedAt: Date.now() });
    });
    const delays: number[] = [];
    for (let i = 0; i < 2; i++) {
      const before = seen.length;
      const t0 = Date.now();
      const tick = manager.tick();
      await waitFor(
        () => seen.slice(before).some((s) => s.id === 'ok'),
        'the healthy sample of this tick',
        6000,
        5,
      );
      delays.push(seen.slice(before).find((s) => s.id === 'ok')!.receivedAt - t0);
      await tick;
    }
    // Before the fix every healthy sample waited for the hung request's 2 s timeout (2501 ms measured
    // with 2.5 s); now the batch waits at most 250 ms for it.
    for (const d of delays) expect(d).toBeLessThan(1000);
    const okTimes = seen.filter((s) => s.id === 'ok').map((s) => s.at);
    expect(okTimes).toEqual([...okTimes].sort((a, b) => a - b));
    expect(manager.get('hung').apiError).toMatch(/did not answer/);
  });

  it('a miner that exits after it opened its API is always a crash, never a failed start', async () => {
    const h = await harness();
    const { manager } = h;
    // Around the old 300 ms start grace: before the fix the outcome depended on which side of it the exit fell.
    const delays = [50, 150, 250, 350, 500];
    const outcomes: string[] = [];
    for (const ms of delays) {
      const bin = await h.fakeBinary(`xmrig-exit-${ms}`, 'xmrig', {
        FAKE_CRASH_AFTER_MS: String(ms),
        FAKE_SHARE_MS: '0',
        FAKE_XMRIG_PRINT_MS: '0',
      });
      const id = `exit-${ms}`;
      const result = await manager.start(xmrigRequest(id, bin)).then(
        (snap: MinerSnapshot) => snap.state,
        (err: unknown) => (err instanceof MinerError ? err.code : String(err)),
      );
      if (result === 'running') {
        await waitFor(() => manager.get(id).state !== 'running', `${id} to exit`, 5000);
      }
      outcomes.push(`${result} -> ${manager.get(id).state}`);
    }
    expect(outcomes).toEqual(delays.map(() => 'running -> crashed'));
  });

  it('a miner that exits before it opens its API is always a failed start', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-cfg-err', 'xmrig', { FAKE_CONFIG_ERROR: '1' });
    for (let i = 0; i < 3; i++) {
      const err = await manager.start(xmrigRequest('cfg', bin)).catch((e: unknown) => e);
      expect((err as MinerError).code).toBe('SPAWN_FAILED');
      expect(manager.get('cfg')).toMatchObject({ state: 'errored', pid: null, lastExit: { code: 2 } });
    }
  });

  it('a stopped miner no longer reports the API error of its last run', async () => {
    const h = await harness({ statsTimeoutMs: 500 });
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-hang-stop', 'xmrig', { FAKE_API_HANG: '1' });
    await manager.start(xmrigRequest('hs', bin));
    await waitForXmrigApi(manager, 'hs');
    await tickUntil(manager, 'hs', (s) => s.apiError !== null, 'an API error');
    const stopped = await manager.stop('hs');
    expect(stopped.state).toBe('stopped');
    expect(stopped.apiError).toBeNull();
    expect(manager.get('hs').apiError).toBeNull();
  });
});
