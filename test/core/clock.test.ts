// The injectable clock: the fake runs due timers in order, lets async code continue between them and
// cancels cleanly; the real one sleeps, aborts and cancels with the same contract.
import { execFile } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FakeClock, createRealClock, type TimerHandle } from '../../src/main/core/util/clock';

describe('FakeClock', () => {
  it('runs due timers in time order, ties in the order they were set', async () => {
    const clock = new FakeClock(1000);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 100);
    clock.setTimeout(() => seen.push(`c@${clock.now()}`), 200);
    clock.setTimeout(() => seen.push('late'), 301);
    await clock.advance(300);
    expect(seen).toEqual(['a@1100', 'b@1200', 'c@1200']);
    expect(clock.now()).toBe(1300);
    expect(clock.pending).toBe(1);
  });

  it('fires an interval once per period and stops when cancelled', async () => {
    const clock = new FakeClock();
    let n = 0;
    const h = clock.setInterval(() => n++, 100);
    await clock.advance(350);
    expect(n).toBe(3);
    h.cancel();
    expect(h.active).toBe(false);
    await clock.advance(1000);
    expect(n).toBe(3);
    expect(clock.pending).toBe(0);
  });

  it('lets async code that sleeps several times finish within one advance', async () => {
    const clock = new FakeClock();
    const stamps: number[] = [];
    const run = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(1000);
        await Promise.resolve(); // an extra hop of async work between sleeps
        stamps.push(clock.now());
      }
    })();
    await clock.advance(3000);
    await run;
    expect(stamps).toEqual([1000, 2000, 3000]);
  });

  it('does not fire a timer before its due time', async () => {
    const clock = new FakeClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), 500);
    await clock.advance(499);
    expect(fired).toBe(false);
    await clock.advance(1);
    expect(fired).toBe(true);
  });

  it('aborts a sleep at once and cancels its timer', async () => {
    const clock = new FakeClock();
    const ctl = new AbortController();
    const slept = clock.sleep(10_000, ctl.signal);
    ctl.abort();
    await expect(slept).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(5, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a cancelled timer never fires, and cancel after firing is harmless', async () => {
    const clock = new FakeClock();
    let n = 0;
    const a = clock.setTimeout(() => n++, 10);
    const b = clock.setTimeout(() => n++, 20);
    b.cancel();
    await clock.advance(50);
    a.cancel();
    expect(n).toBe(1);
    expect(a.active).toBe(false);
  });

  it('runs timers set by timers when they fall due within the same advance', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    clock.setTimeout(() => {
      seen.push(clock.now());
      clock.setTimeout(() => seen.push(clock.now()), 50);
    }, 100);
    await clock.advance(200);
    expect(seen).toEqual([100, 150]);
  });

  it('runAll stops at its limit with an endless interval', async () => {
    const clock = new FakeClock();
    let n = 0;
    clock.setInterval(() => n++, 1000);
    await clock.runAll(10_000);
    expect(n).toBe(10);
  });

  it('runAll runs a day of timers by default, no further', async () => {
    const clock = new FakeClock();
    let n = 0;
    clock.setInterval(() => n++, 3600_000);
    await clock.runAll();
    expect(n).toBe(24);
    expect(clock.now()).toBe(24 * 3600_000);
  });

  it('rejects an aborted sleep with the reason given to abort()', async () => {
    const clock = new FakeClock();
    const reason = new Error('shutting down');
    const ctl = new AbortController();
    const slept = clock.sleep(1000, ctl.signal);
    ctl.abort(reason);
    await expect(slept).rejects.toBe(reason);
    await expect(clock.sleep(1000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('refuses to go backwards', async () => {
    await expect(new FakeClock().advance(-1)).rejects.toThrow(
      new RangeError('FakeClock.advance needs a non-negative duration, got -1'),
    );
  });

  it('a one-shot timer is active until it fired; runAll returns once nothing is left', async () => {
    const clock = new FakeClock();
    const h = clock.setTimeout(() => {}, 10);
    expect(h.active).toBe(true);
    await clock.runAll();
    expect(h.active).toBe(false);
    expect(clock.pending).toBe(0);
    await clock.runAll(); // nothing pending: returns at once
    expect(clock.now()).toBe(10);
  });
});

describe('real clock', () => {
  const clock = createRealClock({ unref: false });

  it('sleeps at least the given time', async () => {
    const t0 = performance.now();
    await clock.sleep(30);
    // timers may fire up to ~1 ms early by performance.now() rounding, never much earlier
    expect(performance.now() - t0).toBeGreaterThanOrEqual(28);
  });

  it('aborts a long sleep promptly', async () => {
    const ctl = new AbortController();
    const slept = clock.sleep(60_000, ctl.signal);
    setTimeout(() => ctl.abort(), 5);
    await expect(slept).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('cancels timeouts and intervals', async () => {
    let n = 0;
    const t = clock.setTimeout(() => n++, 5);
    t.cancel();
    const i = clock.setInterval(() => n++, 5);
    i.cancel();
    await clock.sleep(40);
    expect(n).toBe(0);
    expect(t.active || i.active).toBe(false);
  });

  it('reports a timer active until it fired or was cancelled', async () => {
    let h!: TimerHandle;
    const afterFiring = new Promise<boolean>((resolve) => {
      h = clock.setTimeout(() => queueMicrotask(() => resolve(h.active)), 1);
    });
    expect(h.active).toBe(true);
    expect(await afterFiring).toBe(false);
    const i = clock.setInterval(() => {}, 1000);
    expect(i.active).toBe(true);
    i.cancel();
    expect(i.active).toBe(false);
  });

  it('a finished sleep leaves nothing hooked to its signal', async () => {
    const ctl = new AbortController();
    await clock.sleep(1, ctl.signal);
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
  });

  // Whether a timer keeps the process alive only shows in a process of its own.
  it('an unref clock never keeps the process alive; a ref one does until its timers fire', async () => {
    const module = new URL('../../src/main/core/util/clock.ts', import.meta.url);
    const script = [
      `const { createRealClock } = await import(${JSON.stringify(module.href)});`,
      `createRealClock().setTimeout(() => console.log('unref timeout'), 60000);`,
      `createRealClock().setInterval(() => console.log('unref interval'), 60000);`,
      `const ref = createRealClock({ unref: false });`,
      // The interval starts from the timeout: each must keep the process alive on its own.
      `ref.setTimeout(() => {`,
      `  console.log('ref timeout');`,
      `  const i = ref.setInterval(() => { console.log('ref interval'); i.cancel(); }, 20);`,
      `}, 20);`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 20_000 },
    );
    expect(stdout.split('\n').filter(Boolean)).toEqual(['ref timeout', 'ref interval']);
  });
});
