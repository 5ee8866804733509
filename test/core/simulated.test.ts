// The simulated miner as a demo user sees it: windows that average over their span, rates that stay near
// the target, shares with some rejects, console reports, throttle reloads, and the adapter's process handle.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedEngine, type SimEngineOptions } from '../../src/main/core/miners/simulated/engine';
import { createSimulatedAdapter } from '../../src/main/core/miners/simulated/adapter';
import { minerConfigObject, type MinerConfigInput } from '../../src/shared/schemas';
import type { LaunchContext } from '../../src/main/core/miners/adapter';

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
    warmupMs: 1000,
    ...opts,
  });
  const lines: string[] = [];
  e.onLine((l) => lines.push(l));
  return { e, lines };
}

const TARGET = 2 * 600; // two threads at 100 %

describe('SimulatedEngine windows and rates', () => {
  it('averages each window over its own span, like XMRig', () => {
    const { e } = engine();
    e.start();
    vi.advanceTimersByTime(121_000);
    e.pause();
    vi.advanceTimersByTime(5_000); // half of the 10 s window is now paused
    const [ten10, sixty10, fifteen] = e.stats().hashrate;
    let [ten, sixty] = [ten10, sixty10];
    expect(ten! / TARGET).toBeGreaterThan(0.35);
    expect(ten! / TARGET).toBeLessThan(0.65);
    expect(sixty! / TARGET).toBeGreaterThan(0.8);
    expect(fifteen).toBeNull(); // not full yet
    vi.advanceTimersByTime(10_000);
    [ten, sixty] = e.stats().hashrate;
    expect(ten).toBe(0);
    expect(sixty! / TARGET).toBeGreaterThan(0.6);
    expect(sixty! / TARGET).toBeLessThan(0.85);
  });

  it('keeps every thread within a few percent of its share of the target', () => {
    const { e } = engine({ threads: 4 });
    e.start();
    const seen: number[] = [];
    for (let i = 0; i < 900; i++) {
      vi.advanceTimersByTime(1000);
      for (const r of e.stats().threads) if (r !== null) seen.push(r);
    }
    expect(seen.length).toBeGreaterThan(3000);
    expect(Math.min(...seen)).toBeGreaterThan(600 * 0.9);
    expect(Math.max(...seen)).toBeLessThan(600 * 1.1);
  });

  it('reports as highest the best 10 s rate seen so far', () => {
    const { e } = engine();
    e.start();
    let best = 0;
    for (let i = 0; i < 120; i++) {
      vi.advanceTimersByTime(1000);
      best = Math.max(best, e.stats().hashrate[0] ?? 0);
    }
    e.setThrottle({ cpuMaxThreadsHint: 50 });
    vi.advanceTimersByTime(30_000);
    expect(e.stats().highest).toBe(best);
    expect(e.stats().hashrate[0]!).toBeLessThan(best);
  });

  it('shows no per-thread rate for new workers until they have run a step', () => {
    const { e } = engine();
    e.start();
    vi.advanceTimersByTime(5000);
    e.setThrottle({ threads: 3 });
    expect(e.stats().threads).toEqual([null, null, null]);
    vi.advanceTimersByTime(1000);
    expect(e.stats().threads.every((r) => r !== null && r > 0)).toBe(true);
  });
});

describe('SimulatedEngine shares', () => {
  it('finds shares only while hashing, rejects a few, and averages the hashing time per share', () => {
    const { e, lines } = engine({ difficulty: 500 });
    e.start();
    vi.advanceTimersByTime(1000 + 600_000); // warm-up, then ten minutes of hashing
    const s = e.stats();
    expect(s.shares.total).toBeGreaterThan(1000);
    expect(s.shares.rejected / s.shares.total).toBeGreaterThan(0.005);
    expect(s.shares.rejected / s.shares.total).toBeLessThan(0.05);
    expect(s.shares.good + s.shares.rejected).toBe(s.shares.total);
    expect(s.avgShareTime).toBeCloseTo(600 / s.shares.good, 1);
    expect(lines.some((l) => l.includes('"Low difficulty share"'))).toBe(true);

    e.pause();
    vi.advanceTimersByTime(60_000);
    expect(e.stats().shares.total).toBe(s.shares.total);
    expect(e.stats().avgShareTime).toBe(s.avgShareTime); // paused time is not hashing time
  });
});

describe('SimulatedEngine console and log', () => {
  it('s: says there are no results yet, then reports accepted shares and the average time', () => {
    const { e, lines } = engine({ difficulty: 500 });
    e.start();
    e.command('s');
    expect(lines.at(-1)).toMatch(/no results yet$/);
    vi.advanceTimersByTime(61_000);
    lines.length = 0;
    e.command('S');
    const { good, total } = e.stats().shares;
    expect(lines[0]).toBe(' - RESULTS');
    expect(lines[1]).toBe(` * accepted         ${good}/${total} (${((good / total) * 100).toFixed(2)}%)`);
    expect(lines[2]).toBe(` * avg result time  ${e.stats().avgShareTime!.toFixed(1)}s`);
  });

  it('c: reports the pool, algorithm, difficulty, ping and connection time', () => {
    const { e, lines } = engine({ pool: 'mine.example:3333', algo: 'rx/wow', difficulty: 1234 });
    e.start();
    vi.advanceTimersByTime(7000);
    lines.length = 0;
    e.command('c');
    const ping = e.stats().ping;
    expect(ping).toBeGreaterThanOrEqual(20);
    expect(ping).toBeLessThan(80);
    expect(lines).toEqual([
      ' - CONNECTION',
      ' * pool address     mine.example:3333 (127.0.0.1)',
      ' * algorithm        rx/wow',
      ' * difficulty       1234',
      ` * ping time        ${ping}ms`,
      ' * connection time  7s',
    ]);
  });

  it('h: prints one row per thread and a total row, then the speed line', () => {
    const { e, lines } = engine({ threads: 3 });
    e.start();
    vi.advanceTimersByTime(12_000);
    lines.length = 0;
    e.command('h');
    expect(lines[0]).toBe('|    CPU # | AFFINITY | 10s H/s | 60s H/s | 15m H/s |');
    expect(lines.slice(1, 4).map((l) => l.slice(0, 12))).toEqual([
      '|        0 |',
      '|        1 |',
      '|        2 |',
    ]);
    expect(lines[4]).toMatch(/^\| {8}- \| {8}- \| +\d+\.\d \| +n\/a \| +n\/a \|$/);
    expect(lines[5]).toMatch(/miner {4}speed 10s\/60s\/15m \d+\.\d n\/a n\/a H\/s max \d+\.\d H\/s$/);
  });

  it('ignores keys it does not know', () => {
    const { e, lines } = engine();
    e.start();
    const before = lines.length;
    e.command('x');
    expect(lines.length).toBe(before);
  });

  it('keeps only the newest 1000 lines for a listener that registers late', () => {
    const e = new SimulatedEngine({ seed: 's', threads: 1, cpuMaxThreadsHint: 100, cpuCount: 1 });
    e.start();
    for (let i = 0; i < 1200; i++) e.command('c');
    const lines: string[] = [];
    e.onLine((l) => lines.push(l));
    expect(lines).toHaveLength(1000);
    expect(lines.at(-1)).toMatch(/connection time/);
  });

  it('logs a throttle reload and the new READY line only while running', () => {
    const { e, lines } = engine();
    e.setThrottle({ threads: 3 });
    expect(lines).toEqual([]);
    e.start();
    vi.advanceTimersByTime(2000);
    lines.length = 0;
    e.setThrottle({ threads: 1 });
    expect(lines.map((l) => l.slice(27))).toEqual([
      'config   "simulated config" was changed, reloading configuration',
      'cpu      stopped (1 ms)',
      'cpu      use profile  rx  (1 thread) scratchpad 2048 KB',
      'cpu      READY threads 1/1 (1) huge pages 0% 0/1 memory 2048 KB (0 ms)',
    ]);
  });

  it('logs pause and resume once each, and SIGTERM only on a graceful stop', () => {
    const { e, lines } = engine();
    e.start();
    lines.length = 0;
    e.pause();
    e.pause();
    e.resume();
    e.resume();
    expect(lines.map((l) => l.slice(27))).toEqual([
      'miner    paused, press  r  to resume',
      'miner    resumed',
    ]);
    lines.length = 0;
    e.stop(false);
    e.stop(true);
    expect(lines).toEqual([]);
    const { e: g, lines: gl } = engine();
    g.start();
    g.start();
    expect(gl.filter((l) => l.includes('ABOUT'))).toHaveLength(1);
    gl.length = 0;
    g.stop(true);
    expect(gl.map((l) => l.slice(27))).toEqual([
      'signal   SIGTERM received, exiting',
      'cpu      stopped (2 ms)',
    ]);
  });

  it('freezes its uptime when stopped and uses XMRig-like defaults for pool and algorithm', () => {
    const { e } = engine({ pool: null, algo: '' });
    e.start();
    vi.advanceTimersByTime(5500);
    e.stop(true);
    vi.advanceTimersByTime(10_000);
    expect(e.stats()).toMatchObject({ uptime: 5, pool: 'simulated.pool:3333', algo: 'rx/0', gpus: [] });
    expect(e.stats().cpu).toEqual({ brand: 'Simulated CPU', threads: 4 });
  });
});

let nextId = 0;
function ctx(config: MinerConfigInput = {}): LaunchContext {
  nextId += 1;
  return {
    id: `simt-${nextId}`,
    generation: 1,
    config: minerConfigObject.parse(config),
    workDir: '/unused',
    binaryPath: null,
    apiPort: 0,
    apiToken: 'unused',
  };
}

describe('simulated adapter', () => {
  const adapter = createSimulatedAdapter({ warmupMs: 100, cpuCount: 2 });

  it('runs the engine with the pool and algorithm of the config', async () => {
    const c = ctx({ pool: 'mine.example:3333', algo: 'rx/wow' });
    const proc = adapter.startInProcess!(c);
    const stats = await adapter.fetchStats(
      adapter.buildLaunch(c).api,
      AbortSignal.timeout(1000),
      {} as never,
    );
    expect(stats).toMatchObject({ pool: 'mine.example:3333', algo: 'rx/wow' });
    proc.terminate();
    const d = ctx({ pool: '' });
    const other = adapter.startInProcess!(d);
    expect(
      (await adapter.fetchStats(adapter.buildLaunch(d).api, AbortSignal.timeout(1000), {} as never)).pool,
    ).toBe('simulated.pool:3333');
    other.terminate();
  });

  it('explains a second start of the same key, a closed console and a foreign endpoint', async () => {
    const c = ctx();
    const proc = adapter.startInProcess!(c);
    expect(() => adapter.startInProcess!(c)).toThrow(
      expect.objectContaining({
        code: 'ALREADY_RUNNING',
        message: `Simulated miner ${c.id}#1 is already running`,
      }),
    );
    const lines: string[] = [];
    proc.onLine((_s, t) => lines.push(t));
    await proc.killTree();
    expect(lines.some((l) => l.includes('SIGTERM'))).toBe(false); // a kill is not a graceful stop
    await expect(proc.write('h')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'The simulated miner has exited; its console is closed',
    });
    await expect(
      adapter.fetchStats(
        { kind: 'tcp', host: 'h', port: 1, password: null },
        AbortSignal.timeout(1000),
        {} as never,
      ),
    ).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'The simulated miner expects an in-process endpoint, got "tcp"',
    });
    await expect(
      adapter.fetchStats(adapter.buildLaunch(c).api, AbortSignal.abort(), {} as never),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'Simulated miner stats request was cancelled',
    });
  });

  it('a late stop of an exited miner leaves the successor under the same key running', async () => {
    const c = ctx();
    const api = adapter.buildLaunch(c).api;
    const first = adapter.startInProcess!(c);
    first.terminate();
    expect(await first.exited).toMatchObject({ code: 0, signal: null });
    const second = adapter.startInProcess!(c);
    first.terminate();
    await first.killTree();
    expect(await adapter.fetchStats(api, AbortSignal.timeout(1000), {} as never)).toMatchObject({
      paused: false,
    });
    second.terminate();
    await expect(adapter.fetchStats(api, AbortSignal.timeout(1000), {} as never)).rejects.toMatchObject({
      code: 'MINER_API',
      message: 'simulated miner is not running',
    });
  });

  it('plans a throttle as live, changing only the patched fields', () => {
    const c = ctx({ pool: 'p:1', threads: 2, cpuMaxThreadsHint: 80, cpuPriority: 3 });
    expect(adapter.planThrottle(c, { threads: 4 })).toEqual({
      mode: 'live',
      config: { ...c.config, threads: 4 },
      files: [],
      patch: { threads: 4, cpuMaxThreadsHint: 80, cpuPriority: 3 },
    });
    expect(adapter.planThrottle(c, { cpuMaxThreadsHint: 10 }).config).toEqual({
      ...c.config,
      cpuMaxThreadsHint: 10,
    });
    expect(adapter.planThrottle(c, { cpuPriority: 1 }).config).toEqual({ ...c.config, cpuPriority: 1 });
  });
});
