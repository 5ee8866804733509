// The simulated engine under fake timers: null rates while warming up, windows that fill in order,
// pause to 0, throttle, Poisson shares, XMRig-like log lines and determinism for a seed.
import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { SimulatedEngine, hashSeed, mulberry32 } from './engine';
import type { SimEngineOptions } from './engine';

function engine(opts: Partial<SimEngineOptions> = {}) {
  const e = new SimulatedEngine({ seed: 'm1#1', threads: 4, cpuMaxThreadsHint: 100, cpuCount: 8, ...opts });
  const lines: string[] = [];
  e.onLine((l) => lines.push(l));
  return { e, lines };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(2026, 10, 26, 14, 0, 0));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SimulatedEngine', () => {
  it('reports null hashrate while warming up, then a rate near threads x 600 H/s', () => {
    const { e } = engine({ warmupMs: 3000 });
    e.start();
    vi.advanceTimersByTime(2000);
    let s = e.stats();
    expect(s.warmingUp).toBe(true);
    expect(s.hashrate).toEqual([null, null, null]);
    expect(s.threads).toEqual([null, null, null, null]);
    expect(s.highest).toBeNull();

    vi.advanceTimersByTime(12_000);
    s = e.stats();
    expect(s.warmingUp).toBe(false);
    expect(s.hashrate[0]).toBeGreaterThan(2400 * 0.95);
    expect(s.hashrate[0]).toBeLessThan(2400 * 1.05);
    expect(s.hashrate[1]).toBeNull();
    expect(s.hashrate[2]).toBeNull();
    expect(s.threads).toHaveLength(4);
    expect(s.highest).not.toBeNull();
    e.stop(false);
  });

  it('fills the 60 s window after a minute and the 15 m window after fifteen', () => {
    const { e } = engine({ warmupMs: 0 });
    e.start();
    vi.advanceTimersByTime(61_000);
    expect(e.stats().hashrate[1]).not.toBeNull();
    expect(e.stats().hashrate[2]).toBeNull();
    vi.advanceTimersByTime(15 * 60_000);
    const [a, b, c] = e.stats().hashrate;
    expect(c).not.toBeNull();
    for (const v of [a, b, c]) expect(Math.abs((v ?? 0) - 2400) / 2400).toBeLessThan(0.05);
    expect(e.stats().uptime).toBe(61 + 900);
    e.stop(false);
  });

  it('uses one thread per CPU for threads 0 and scales with the hint', () => {
    const { e } = engine({ threads: 0, cpuMaxThreadsHint: 50, warmupMs: 0 });
    expect(e.threadCount).toBe(8);
    expect(e.targetRate).toBe(8 * 0.5 * 600);
    e.setThrottle({ cpuMaxThreadsHint: 25 });
    expect(e.targetRate).toBe(8 * 0.25 * 600);
    e.setThrottle({ threads: 2 });
    expect(e.threadCount).toBe(2);
    e.start();
    vi.advanceTimersByTime(11_000);
    expect(e.stats().threads).toHaveLength(2);
    expect(e.stats().hashrate[0]).toBeCloseTo(2 * 0.25 * 600, -1);
    e.stop(false);
  });

  it('drops to 0 H/s when paused and recovers on resume', () => {
    const { e, lines } = engine({ warmupMs: 0 });
    e.start();
    vi.advanceTimersByTime(11_000);
    e.command('p');
    expect(e.stats().paused).toBe(true);
    expect(e.targetRate).toBe(0);
    vi.advanceTimersByTime(11_000);
    expect(e.stats().hashrate[0]).toBe(0);
    expect(e.stats().warmingUp).toBe(false);
    const shares = e.stats().shares.total;
    vi.advanceTimersByTime(60_000);
    expect(e.stats().shares.total).toBe(shares);
    expect(e.isPaused).toBe(true);
    e.command('R'); // keys are case-insensitive, like XMRig's
    expect(e.isPaused).toBe(false);
    vi.advanceTimersByTime(11_000);
    expect(e.stats().hashrate[0]).toBeGreaterThan(2000);
    expect(lines.some((l) => l.endsWith('miner    paused, press  r  to resume'))).toBe(true);
    expect(lines.some((l) => l.endsWith('miner    resumed'))).toBe(true);
    e.stop(false);
  });

  it('finds shares as a Poisson process at about rate / difficulty, with accepted lines', () => {
    const { e, lines } = engine({ warmupMs: 0, threads: 8, difficulty: 10_000 });
    e.start();
    vi.advanceTimersByTime(600_000);
    const { good, total, rejected } = e.stats().shares;
    // 4800 H/s for 600 s at difficulty 10 000: about 288 shares.
    expect(total).toBeGreaterThan(200);
    expect(total).toBeLessThan(380);
    expect(good + rejected).toBe(total);
    expect(e.stats().avgShareTime).toBeGreaterThan(1);
    expect(lines.filter((l) => /cpu {6}accepted \(\d+\/\d+\) diff \d+ \(\d+ ms\)$/.test(l)).length).toBe(
      good,
    );
    e.stop(false);
  });

  it('prints XMRig-like speed lines every 10 s with n/a for empty windows', () => {
    const { e, lines } = engine({ warmupMs: 3000 });
    e.start();
    vi.advanceTimersByTime(14_000);
    const speed = lines.filter((l) => l.includes('speed 10s/60s/15m'));
    expect(speed).toHaveLength(1);
    expect(speed[0]).toMatch(
      /^\[2026-11-26 14:00:13\.000\] {2}miner {4}speed 10s\/60s\/15m \d+\.\d n\/a n\/a H\/s max \d+\.\d H\/s$/,
    );
    expect(lines.some((l) => l.includes('randomx  dataset ready (3000 ms)'))).toBe(true);
    expect(lines.some((l) => l.includes('READY threads 4/4'))).toBe(true);
    e.stop(false);
  });

  it('answers the h, s and c console keys', () => {
    const { e, lines } = engine({ warmupMs: 0 });
    e.start();
    vi.advanceTimersByTime(5000);
    lines.length = 0;
    e.command('h');
    expect(lines[0]).toBe('|    CPU # | AFFINITY | 10s H/s | 60s H/s | 15m H/s |');
    expect(lines).toHaveLength(1 + 4 + 1 + 1);
    lines.length = 0;
    e.command('c');
    expect(lines[0]).toBe(' - CONNECTION');
    lines.length = 0;
    e.command('s');
    expect(lines.length).toBeGreaterThan(0);
    e.stop(false);
  });

  it('buffers lines emitted before a listener is registered', () => {
    const e = new SimulatedEngine({ seed: 'x', threads: 1, cpuMaxThreadsHint: 100, warmupMs: 0 });
    e.start();
    const lines: string[] = [];
    e.onLine((l) => lines.push(l));
    expect(lines[0]).toMatch(/ABOUT/);
    e.stop(true);
    expect(lines.at(-2)).toMatch(/signal {3}SIGTERM received, exiting$/);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: string) => {
      vi.setSystemTime(new Date(2026, 10, 26, 14, 0, 0));
      const { e, lines } = engine({ seed, warmupMs: 1000, difficulty: 20_000 });
      e.start();
      vi.advanceTimersByTime(120_000);
      e.stop(false);
      return { stats: e.stats(), lines };
    };
    const a = run('m1#1');
    const b = run('m1#1');
    const c = run('m1#2');
    expect(b).toEqual(a);
    expect(c.stats.hashrate).not.toEqual(a.stats.hashrate);
  });

  it('stops its timer on stop', () => {
    const { e } = engine({ warmupMs: 0 });
    e.start();
    expect(vi.getTimerCount()).toBe(1);
    e.stop(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(e.isRunning).toBe(false);
  });

  it('accepts an injected clock instead of timers', () => {
    let now = 1_000_000;
    let fn: (() => void) | null = null;
    const clock = {
      now: () => now,
      setInterval: (f: () => void) => {
        fn = f;
        return {
          cancel: () => {
            fn = null;
          },
          active: true,
        };
      },
    };
    const e = new SimulatedEngine({ seed: 's', threads: 1, cpuMaxThreadsHint: 100, warmupMs: 2000, clock });
    e.start();
    for (let i = 0; i < 5; i++) {
      now += 1000;
      (fn as (() => void) | null)?.();
    }
    expect(e.stats().hashrate[0]).toBeGreaterThan(500);
    expect(e.stats().at).toBe(now);
    e.stop(false);
    expect(fn).toBeNull();
  });
});

describe('PRNG helpers', () => {
  it('mulberry32 is reproducible and in [0, 1)', () => {
    const a = mulberry32(hashSeed('k'));
    const b = mulberry32(hashSeed('k'));
    for (let i = 0; i < 100; i++) {
      const v = a();
      expect(v).toBe(b());
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
