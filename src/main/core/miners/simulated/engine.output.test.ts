// What the simulated miner prints and computes, pinned exactly: XMRig 6.26.0's start-up and share lines,
// the seeded PRNG and seed hash, window and share edge cases, live throttles and a stopped engine.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedEngine, hashSeed, mulberry32, type SimEngineOptions } from './engine';
import { warmupSignalOf } from '../xmrig/warmup';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(2026, 10, 26, 14, 0, 0));
});
afterEach(() => {
  vi.useRealTimers();
});

function engine(opts: Partial<SimEngineOptions> = {}) {
  const e = new SimulatedEngine({
    seed: 'sim#1',
    threads: 2,
    cpuMaxThreadsHint: 100,
    cpuCount: 4,
    warmupMs: 0,
    ...opts,
  });
  const lines: string[] = [];
  e.onLine((l) => lines.push(l));
  return { e, lines };
}

/** The message of a tagged line, without its `[time]  ` prefix. */
const body = (l: string) => l.slice(27);
const SHARE =
  /^cpu {6}(accepted|rejected) \((\d+)\/(\d+)\) diff (\d+) (?:"Low difficulty share" )?\((\d+) ms\)$/;

describe('start-up and warm-up lines (runD_stdout_pool.log of XMRig 6.26.0)', () => {
  it('prints the banner, pool, job and dataset lines, then the profile and READY lines', () => {
    const { e, lines } = engine({ pool: 'mine.example:3333', difficulty: 1234, warmupMs: 2000 });
    e.start();
    expect(lines).toEqual([
      ' * ABOUT        XMRig/6.26.0 (simulated miner, no real hashing)',
      ' * CPU          Simulated CPU (4 threads)',
      ' * POOL #1      mine.example:3333 algo rx/0',
      " * COMMANDS     'h' hashrate, 'p' pause, 'r' resume, 's' results, 'c' connection",
      '[2026-11-26 14:00:00.000]  net      use pool mine.example:3333  127.0.0.1',
      '[2026-11-26 14:00:00.000]  net      new job from mine.example:3333 diff 1234 algo rx/0 height 3185000 (5 tx)',
      '[2026-11-26 14:00:00.000]  randomx  init dataset algo rx/0 (4 threads) seed 0000000000000000...',
    ]);
    vi.advanceTimersByTime(12_000);
    expect(lines.slice(7, 10)).toEqual([
      '[2026-11-26 14:00:02.000]  randomx  dataset ready (2000 ms)',
      '[2026-11-26 14:00:02.000]  cpu      use profile  rx  (2 threads) scratchpad 2048 KB',
      '[2026-11-26 14:00:02.000]  cpu      READY threads 2/2 (2) huge pages 0% 0/2 memory 4096 KB (0 ms)',
    ]);
    // The warm-up parser the manager runs on XMRig's stdout reads the same phases from these lines.
    expect(lines.map(warmupSignalOf).filter((s) => s !== null)).toEqual([
      'dataset',
      'threads',
      'first-sample',
      'hashing',
    ]);
    e.stop(false);
  });

  it('says "thread" for one worker and "threads" otherwise, on start and after a live change', () => {
    const { e, lines } = engine({ threads: 1 });
    e.start();
    vi.advanceTimersByTime(1000);
    e.setThrottle({ threads: 3 });
    expect(lines.filter((l) => l.includes('use profile')).map(body)).toEqual([
      'cpu      use profile  rx  (1 thread) scratchpad 2048 KB',
      'cpu      use profile  rx  (3 threads) scratchpad 2048 KB',
    ]);
    e.stop(false);
  });
});

describe('seeded randomness', () => {
  it('mulberry32 gives the published sequence for seeds 1 and 0', () => {
    const one = mulberry32(1);
    expect([one(), one(), one()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const zero = mulberry32(0);
    expect([zero(), zero()]).toEqual([0.26642920868471265, 0.0003297457005828619]);
  });

  it('hashSeed is 32-bit FNV-1a (offset basis for "", the reference vector for "a")', () => {
    expect(hashSeed('')).toBe(0x811c9dc5);
    expect(hashSeed('a')).toBe(0xe40c292c);
    expect(hashSeed('sim#1')).toBe(791070124);
  });

  it('draws the ping and each per-thread sample (3 % Box-Muller noise) from the seeded stream', () => {
    const rand = mulberry32(hashSeed('sim#1'));
    const ping = 20 + Math.floor(rand() * 60);
    const sample = () => {
      const u = Math.max(rand(), Number.EPSILON);
      const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
      return Math.round(600 * (1 + 0.03 * g) * 100) / 100;
    };
    const expected = [sample(), sample()];
    const { e } = engine();
    e.start();
    vi.advanceTimersByTime(2000); // the warm-up step, then one hashing step
    expect(e.stats().ping).toBe(ping);
    expect(e.stats().threads).toEqual(expected);
    expect(expected[0]).not.toBe(expected[1]);
    e.stop(false);
  });

  it('picks a ping between 20 and 79 ms that varies with the seed', () => {
    // A missing ping (null) would count as -1 and fail the lower bound.
    const pings = Array.from({ length: 40 }, (_, i) => engine({ seed: `p#${i}` }).e.stats().ping ?? -1);
    expect(Math.min(...pings)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...pings)).toBeLessThan(80);
    expect(new Set(pings).size).toBeGreaterThan(10);
  });

  it('draws nothing while paused: a paused stretch does not change the shares that follow', () => {
    const shareLines = (pauseMs: number) => {
      const { e, lines } = engine({ difficulty: 500 });
      e.start();
      vi.advanceTimersByTime(1000 + 30_000);
      e.pause();
      vi.advanceTimersByTime(pauseMs);
      e.resume();
      vi.advanceTimersByTime(30_000);
      e.stop(false);
      return lines.map(body).filter((l) => SHARE.test(l));
    };
    const straight = shareLines(0);
    expect(straight.length).toBeGreaterThan(50);
    expect(shareLines(20_000)).toEqual(straight);
  });
});

describe('hashrate windows', () => {
  it('has no figure right after the dataset is ready, before the first sample', () => {
    const { e } = engine();
    e.start();
    vi.advanceTimersByTime(1000); // the warm-up step only
    const s = e.stats();
    expect(s.warmingUp).toBe(false);
    expect(s.hashrate).toEqual([null, null, null]);
    expect(s.threads).toEqual([null, null]);
    expect(s.highest).toBeNull();
    expect(s.avgShareTime).toBeNull();
  });

  it('averages the 15 m figure over the whole window, not the newest sample', () => {
    const { e } = engine({ warmupMs: 1000 });
    e.start();
    vi.advanceTimersByTime(1000 + 890_000);
    e.pause();
    vi.advanceTimersByTime(10_000); // 900 samples: 890 hashing, the newest 10 paused
    const [ten, sixty, fifteen] = e.stats().hashrate;
    expect(ten).toBe(0);
    expect(sixty! / 1200).toBeGreaterThan(0.8);
    expect(sixty! / 1200).toBeLessThan(0.86);
    expect(fifteen! / 1200).toBeGreaterThan(0.98);
    expect(fifteen! / 1200).toBeLessThan(0.995);
  });

  it('runs with a 5 s step and fills its 15 m window after fifteen minutes', () => {
    const { e } = engine({ tickMs: 5000 });
    e.start();
    vi.advanceTimersByTime(5000 + 895_000);
    expect(e.stats().hashrate[2]).toBeNull();
    vi.advanceTimersByTime(5000);
    expect(e.stats().hashrate[2]! / 1200).toBeGreaterThan(0.97);
    expect(e.stats().hashrate[2]! / 1200).toBeLessThan(1.03);
  });

  it('has a highest rate of 0, not none, when it only ever ran paused', () => {
    const { e, lines } = engine();
    e.pause();
    e.start();
    vi.advanceTimersByTime(11_000);
    expect(e.stats().highest).toBe(0);
    expect(lines.filter((l) => l.includes('speed')).map(body)).toEqual([
      'miner    speed 10s/60s/15m 0.0 n/a n/a H/s max 0.0 H/s',
    ]);
  });

  it('keeps every per-thread sample positive and their mean within 1 % of the target', () => {
    const { e } = engine({ threads: 4, perThreadRate: 500 });
    e.start();
    const seen: number[] = [];
    for (let i = 0; i < 400; i++) {
      vi.advanceTimersByTime(10_000); // one whole 10 s window per look: samples do not overlap
      for (const r of e.stats().threads) if (r !== null) seen.push(r);
    }
    expect(seen.length).toBeGreaterThan(1500);
    expect(Math.min(...seen)).toBeGreaterThan(0);
    const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
    expect(Math.abs(mean - 500) / 500).toBeLessThan(0.01);
  });
});

describe('shares', () => {
  it('logs accepted and rejected lines with counters, 20-99 ms latency and difficulty in [d, 4d)', () => {
    const { e, lines } = engine({ difficulty: 500 });
    e.start();
    vi.advanceTimersByTime(1000 + 600_000);
    const shares = lines.map(body).flatMap((l) => {
      const m = SHARE.exec(l);
      return m ? [{ kind: m[1], good: +m[2]!, bad: +m[3]!, diff: +m[4]!, ms: +m[5]! }] : [];
    });
    const { good, rejected, total } = e.stats().shares;
    expect(shares).toHaveLength(total);
    let [g, b] = [0, 0];
    for (const s of shares) {
      if (s.kind === 'accepted') g += 1;
      else b += 1;
      expect([s.good, s.bad]).toEqual([g, b]);
      expect(s.ms).toBeGreaterThanOrEqual(20);
      expect(s.ms).toBeLessThanOrEqual(99);
      expect(s.diff).toBeGreaterThanOrEqual(500);
      expect(s.diff).toBeLessThan(2000);
    }
    expect([g, b]).toEqual([good, rejected]);
    expect(b).toBeGreaterThan(0);
    const ms = shares.map((s) => s.ms);
    const diffs = shares.map((s) => s.diff);
    expect(Math.min(...ms)).toBeLessThan(25);
    expect(Math.max(...ms)).toBeGreaterThan(94);
    expect(Math.max(...diffs)).toBeGreaterThan(1900);
    expect(new Set(diffs).size).toBeGreaterThan(total / 2);
  });

  it('finds at most 100 shares in one step, however low the difficulty', () => {
    const { e } = engine({ difficulty: 1 });
    e.start();
    vi.advanceTimersByTime(2000); // warm-up, then one step worth 1200 shares on average
    expect(e.stats().shares.total).toBe(100);
  });

  it('s: shows n/a as the average while every share was rejected, then the time per accepted share', () => {
    // Seed found by search: its first share is rejected (after 37 s), its second accepted (after 41 s).
    const { e, lines } = engine({ seed: 'rej#12', difficulty: 20_000 });
    e.start();
    vi.advanceTimersByTime(36_000);
    expect(e.stats().shares.total).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(e.stats().shares).toEqual({ good: 0, total: 1, rejected: 1 });
    expect(e.stats().avgShareTime).toBeNull();
    expect(body(lines.at(-1)!)).toMatch(
      /^cpu {6}rejected \(0\/1\) diff \d+ "Low difficulty share" \(\d+ ms\)$/,
    );
    lines.length = 0;
    e.command('s');
    expect(lines).toEqual([' - RESULTS', ' * accepted         0/1 (0.00%)', ' * avg result time  n/a']);
    vi.advanceTimersByTime(4000);
    expect(e.stats().shares).toEqual({ good: 1, total: 2, rejected: 1 });
    lines.length = 0;
    e.command('s');
    // 40 one-second hashing steps (the first step was the warm-up) for one accepted share.
    expect(lines).toEqual([' - RESULTS', ' * accepted         1/2 (50.00%)', ' * avg result time  40.0s']);
  });
});

describe('live throttle', () => {
  it('keeps the thread count and the per-thread figures when only the hint changes', () => {
    const { e } = engine();
    e.start();
    vi.advanceTimersByTime(5000);
    e.setThrottle({ cpuMaxThreadsHint: 50 });
    expect(e.threadCount).toBe(2);
    expect(e.targetRate).toBe(600);
    expect(e.stats().threads.every((r) => r !== null && r > 500)).toBe(true);
  });

  it('logs the reload but no READY line while the dataset is still being built, and nothing once stopped', () => {
    const { e, lines } = engine({ warmupMs: 5000 });
    e.start();
    vi.advanceTimersByTime(2000);
    lines.length = 0;
    e.setThrottle({ threads: 3 });
    expect(lines.map(body)).toEqual([
      'config   "simulated config" was changed, reloading configuration',
      'cpu      stopped (1 ms)',
    ]);
    vi.advanceTimersByTime(4000);
    expect(lines.some((l) => l.includes('READY threads 3/3'))).toBe(true);
    e.stop(false);
    lines.length = 0;
    e.setThrottle({ threads: 1 });
    expect(lines).toEqual([]);
    expect(e.threadCount).toBe(1);
  });
});

describe('a step outside a run', () => {
  it('tick() does nothing before start or after stop', () => {
    let now = 5_000_000;
    const clock = { now: () => now, setInterval: () => ({ cancel: () => undefined, active: true }) };
    const { e, lines } = engine({ clock, warmupMs: 1000 });
    now += 10_000;
    e.tick();
    expect(lines).toEqual([]);
    expect(e.stats().warmingUp).toBe(true);
    e.start();
    for (let i = 0; i < 12; i++) {
      now += 1000;
      e.tick();
    }
    e.stop(false);
    const before = e.stats();
    const count = lines.length;
    now += 60_000;
    e.tick();
    expect(lines).toHaveLength(count);
    expect({ ...e.stats(), at: 0 }).toEqual({ ...before, at: 0 });
  });
});
