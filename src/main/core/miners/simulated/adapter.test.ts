// The simulated adapter's process handle and API: exits for terminate/killTree, console keys through
// write(), stats/pause/resume by key, registry cleanup and live throttling.
import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { MinerError } from '../../../../shared/errors';
import { minerConfigObject } from '../../../../shared/schemas';
import type { MinerConfigInput } from '../../../../shared/schemas';
import type { AdapterIo, LaunchContext } from '../adapter';
import { createSimulatedAdapter, getSimulatedEngine, simulatedAdapter } from './adapter';

const adapter = createSimulatedAdapter({ warmupMs: 1000, cpuCount: 4 });
const io: AdapterIo = { http: vi.fn(), tcpRequest: vi.fn() };
const signal = () => AbortSignal.timeout(5000);

let nextId = 0;
function ctx(config: MinerConfigInput = {}): LaunchContext {
  nextId += 1;
  return {
    id: `sim-${nextId}`,
    generation: 1,
    config: minerConfigObject.parse(config),
    workDir: '/tmp/unused',
    binaryPath: null,
    apiPort: 0,
    apiToken: 'unused',
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('simulatedAdapter', () => {
  it('describes itself as an in-process miner', () => {
    expect(simulatedAdapter).toMatchObject({ type: 'simulated', needsBinary: false, supportsPause: true });
    expect(simulatedAdapter.binaryNames).toEqual([]);
    expect(simulatedAdapter.consoleKeys).toEqual(['h', 'p', 'r', 's', 'c']);
    expect(simulatedAdapter.buildLaunch({ ...ctx(), id: 'a', generation: 7 })).toEqual({
      command: '',
      args: [],
      files: [],
      api: { kind: 'inproc', key: 'a#7' },
    });
  });

  it('runs an engine reachable by key, with stats, pause and resume', async () => {
    const c = ctx({ threads: 2 });
    const { api } = adapter.buildLaunch(c);
    const proc = adapter.startInProcess?.(c);
    expect(proc?.pid).toBeNull();
    const lines: string[] = [];
    proc?.onLine((stream, text) => {
      expect(stream).toBe('stdout');
      lines.push(text);
    });
    expect(lines[0]).toMatch(/ABOUT/);

    expect((await adapter.fetchStats(api, signal(), io)).warmingUp).toBe(true);
    vi.advanceTimersByTime(5000);
    const stats = await adapter.fetchStats(api, signal(), io);
    expect(stats.hashrate[0]).toBeGreaterThan(1000);
    expect(stats.threads).toHaveLength(2);

    await adapter.pause?.(api, signal(), io);
    expect((await adapter.fetchStats(api, signal(), io)).paused).toBe(true);
    await adapter.resume?.(api, signal(), io);
    expect((await adapter.fetchStats(api, signal(), io)).paused).toBe(false);
    proc?.terminate();
    await proc?.exited;
  });

  it('terminate() exits 0 after logging SIGTERM, and removes the engine', async () => {
    const c = ctx();
    const { api } = adapter.buildLaunch(c);
    const proc = adapter.startInProcess?.(c);
    const lines: string[] = [];
    proc?.onLine((_s, t) => lines.push(t));
    proc?.terminate();
    proc?.terminate();
    const exit = await proc?.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(lines.some((l) => l.includes('SIGTERM received, exiting'))).toBe(true);
    expect(getSimulatedEngine((api as { key: string }).key)).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    const err = await adapter.fetchStats(api, signal(), io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinerError);
    expect((err as MinerError).code).toBe('MINER_API');
    expect((err as MinerError).message).toBe('simulated miner is not running');
    await expect(proc?.write('h')).rejects.toBeInstanceOf(MinerError);
  });

  it('killTree() exits with SIGKILL', async () => {
    const c = ctx();
    const proc = adapter.startInProcess?.(c);
    await proc?.killTree();
    expect(await proc?.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
  });

  it('handles XMRig console keys written to stdin', async () => {
    const c = ctx();
    const { api } = adapter.buildLaunch(c);
    const proc = adapter.startInProcess?.(c);
    const lines: string[] = [];
    proc?.onLine((_s, t) => lines.push(t));
    await proc?.write('p\n');
    expect((await adapter.fetchStats(api, signal(), io)).paused).toBe(true);
    await proc?.write('r\n');
    expect((await adapter.fetchStats(api, signal(), io)).paused).toBe(false);
    lines.length = 0;
    await proc?.write('h\n');
    expect(lines[0]).toContain('CPU #');
    proc?.terminate();
  });

  it('refuses a second engine for the same id and generation', () => {
    const c = ctx();
    const proc = adapter.startInProcess?.(c);
    expect(() => adapter.startInProcess?.(c)).toThrow(/already running/);
    proc?.terminate();
  });

  it('plans hint and threads throttles as live (pure) and applies them to the running engine', async () => {
    const c = ctx({ threads: 0, cpuMaxThreadsHint: 100 });
    const { api } = adapter.buildLaunch(c);
    const proc = adapter.startInProcess?.(c);
    const key = (api as { key: string }).key;
    expect(getSimulatedEngine(key)?.targetRate).toBe(4 * 600);
    const plan = adapter.planThrottle(c, { cpuMaxThreadsHint: 50 });
    expect(plan).toMatchObject({ mode: 'live', files: [] });
    expect(plan.config.cpuMaxThreadsHint).toBe(50);
    expect(getSimulatedEngine(key)?.targetRate).toBe(4 * 600);
    adapter.applyThrottle?.(api, plan.config);
    expect(getSimulatedEngine(key)?.targetRate).toBe(4 * 0.5 * 600);
    const plan2 = adapter.planThrottle({ ...c, config: plan.config }, { threads: 1 });
    expect(plan2.mode).toBe('live');
    adapter.applyThrottle?.(api, plan2.config);
    expect(getSimulatedEngine(key)?.threadCount).toBe(1);
    vi.advanceTimersByTime(13_000);
    expect((await adapter.fetchStats(api, signal(), io)).threads).toHaveLength(1);
    proc?.terminate();
    expect(() => adapter.applyThrottle?.(api, plan2.config)).toThrow(/not running/);
  });

  it('reports an aborted stats request as TIMEOUT', async () => {
    const c = ctx();
    const { api } = adapter.buildLaunch(c);
    const proc = adapter.startInProcess?.(c);
    const ctl = new AbortController();
    ctl.abort();
    const err = await adapter.fetchStats(api, ctl.signal, io).catch((e: unknown) => e);
    expect((err as MinerError).code).toBe('TIMEOUT');
    proc?.terminate();
  });
});
