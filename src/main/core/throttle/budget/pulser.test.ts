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

describe('Pulser: edges', () => {
  const history = (p: Pulser) =>
    (p as unknown as { pulses: Map<string, { changes: unknown[] }> }).pulses.get('m')!.changes;

  it('duty 1 for a miner it does not pulse does nothing', async () => {
    const h = harness();
    h.pulser.set('m', 1);
    await h.advance(3000);
    expect(h.calls).toEqual([]);
    expect(h.pulser.isPulsing('m')).toBe(false);
  });

  it('the share mined counts the time before the pulses began as mined', async () => {
    const h = harness();
    await h.advance(1000);
    h.pulser.set('m', 0.25);
    await h.advance(500);
    // still paused now: the window ends paused
    expect(h.pulser.onFraction('m', 1000, 1500)).toBeCloseTo(0.5);
    await h.advance(500);
    // 500 ms mined before, then 250 of the first period
    expect(h.pulser.onFraction('m', 500, 1500)).toBeCloseTo(0.75);
    expect(h.pulser.onFraction('m', 1000, 2000)).toBeCloseTo(0.25);
    // inside the mined part of a period, inside the paused part
    expect(h.pulser.onFraction('m', 1100, 1200)).toBe(1);
    expect(h.pulser.onFraction('m', 1300, 1900)).toBe(0);
    // an empty or reversed window: nothing measured, counted as mined
    expect(h.pulser.onFraction('m', 1500, 1500)).toBe(1);
    expect(h.pulser.onFraction('m', 1500, 1400)).toBe(1);
    await h.advance(200);
    // paused 1250..2000, mined again from 2000
    expect(h.pulser.onFraction('m', 1200, 2100)).toBeCloseTo(150 / 900);
  });

  it('a new duty while pulsing starts with the next period, without extra commands', async () => {
    const h = harness();
    h.pulser.set('m', 0.5);
    await h.advance(200);
    h.pulser.set('m', 0.25);
    await h.advance(1900);
    expect(h.calls).toEqual([
      [500, true],
      [1000, false],
      [1250, true],
      [2000, false],
    ]);
  });

  it('pulses asked for again before the resume of a stop went through keep pulsing', async () => {
    const h = harness();
    h.pulser.set('m', 0.5);
    await h.advance(700);
    expect(h.calls).toEqual([[500, true]]);
    h.pulser.set('m', 1);
    h.pulser.set('m', 0.5);
    await h.advance(2000);
    expect(h.pulser.isPulsing('m')).toBe(true);
    expect(h.calls).toEqual([
      [500, true],
      [700, false],
      [1200, true],
      [1700, false],
      [2200, true],
      [2700, false],
    ]);
  });

  it('a stop, then forget, then new pulses: the old resume does not end the new pulses', async () => {
    const h = harness();
    h.pulser.set('m', 0);
    await h.advance(100);
    h.pulser.set('m', 1);
    h.pulser.forget('m');
    expect(() => h.pulser.forget('m')).not.toThrow();
    h.pulser.set('m', 0.5);
    await h.advance(100);
    expect(h.pulser.isPulsing('m')).toBe(true);
    await h.advance(1000);
    expect(h.calls.filter(([, paused]) => paused).length).toBe(2);
  });

  it('forget in the mined part of a period cancels the pause to come; dispose stops every miner', async () => {
    const h = harness();
    h.pulser.set('m', 0.5);
    h.pulser.set('n', 0.5);
    await h.advance(200);
    h.pulser.forget('m');
    await h.advance(100);
    h.pulser.dispose();
    await h.advance(3000);
    expect(h.calls).toEqual([]);
    expect(h.pulser.isPulsing('n')).toBe(false);
    expect(() => h.pulser.forget('unknown')).not.toThrow();
  });

  it('keeps the changes of the last 10 periods only (a miner pulsed for days)', async () => {
    const h = harness();
    h.pulser.set('m', 0.25);
    await h.advance(30_500);
    // at the cycle of 30 000: from 20 000 on (resume and pause of each of 10 periods, the resume at
    // 30 000, the pause at 30 250), plus the last change before 20 000
    expect(history(h.pulser)).toHaveLength(23);
    expect(h.pulser.onFraction('m', 20_000, 30_000)).toBeCloseTo(0.25);
  });
});
