// The duty-cycle executor on a fake clock: resume at each period start, pause after duty x period,
// commands one at a time, and the measured share of time mined.
import { describe, expect, it } from 'vitest';
import { Pulser } from './pulser';

function harness() {
  let t = 0;
  let timers: { at: number; fn: () => void; live: boolean }[] = [];
  const calls: [number, boolean][] = [];
  const pulser = new Pulser({
    periodMs: 1000,
    now: () => t,
    schedule: (fn, ms) => {
      const timer = { at: t + ms, fn, live: true };
      timers.push(timer);
      return () => (timer.live = false);
    },
    setPaused: async (_id, paused) => {
      calls.push([t, paused]);
    },
  });
  const flush = () => new Promise((r) => setImmediate(r));
  const advance = async (ms: number) => {
    const end = t + ms;
    await flush();
    for (;;) {
      timers = timers.filter((x) => x.live);
      const next = timers.sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > end) break;
      t = next.at;
      next.live = false;
      next.fn();
      await flush();
    }
    t = end;
    await flush();
  };
  return { pulser, calls, advance, now: () => t };
}

describe('Pulser', () => {
  it('pauses after duty x period and resumes at each period start', async () => {
    const h = harness();
    h.pulser.set('m', 0.25);
    await h.advance(3000);
    expect(h.calls).toEqual([
      [250, true],
      [1000, false],
      [1250, true],
      [2000, false],
      [2250, true],
      [3000, false],
    ]);
    expect(h.pulser.onFraction('m', 1000, 2000)).toBeCloseTo(0.25);
    expect(h.pulser.onFraction('m', 500, 1500)).toBeCloseTo(0.25);
  });

  it('duty 1 resumes and stops pulsing; duty 0 keeps it paused; forget stops without resuming', async () => {
    const h = harness();
    h.pulser.set('m', 0);
    await h.advance(2500);
    expect(h.calls).toEqual([[0, true]]);
    h.pulser.set('m', 1);
    await h.advance(10);
    expect(h.calls.at(-1)).toEqual([2500, false]);
    expect(h.pulser.isPulsing('m')).toBe(false);
    await h.advance(3000);
    expect(h.calls).toHaveLength(2);
    h.pulser.set('m', 0.5);
    await h.advance(600);
    h.pulser.forget('m');
    const n = h.calls.length;
    await h.advance(3000);
    expect(h.calls).toHaveLength(n);
    expect(h.pulser.onFraction('m', 0, 1000)).toBe(1);
  });
});
