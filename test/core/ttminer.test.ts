// TT-Miner's getstat1 parsing at the edges (empty and "off" fields, idle GPUs, error replies, pool text)
// and the adapter's contract: a binary is required, a TCP endpoint only, every throttle is a restart.
import { describe, expect, it } from 'vitest';
import { parseGetStat } from '../../src/main/core/miners/ttminer/parse';
import { ttminerAdapter } from '../../src/main/core/miners/ttminer/adapter';
import { minerConfigObject } from '../../src/shared/schemas';
import type { AdapterIo, LaunchContext } from '../../src/main/core/miners/adapter';

/** A getstat1 result with TT-Miner's version string; `over` replaces entries by index. */
function reply(over: Record<number, string> = {}): { result: string[] } {
  const result = [
    'TT-Miner/2023.1.0',
    '42',
    '1000;5;1',
    '600;400',
    '0;0;0',
    'off;off',
    '61;45;63;48',
    'pool:4444',
    '0;0;0;0',
    '180;175',
  ];
  for (const [i, v] of Object.entries(over)) result[Number(i)] = v;
  return { result };
}

describe('parseGetStat edges', () => {
  it('reads no GPUs from an empty or blank per-GPU field', () => {
    expect(parseGetStat(reply({ 3: '' })).gpus).toEqual([]);
    expect(parseGetStat(reply({ 3: '  ' })).gpus).toEqual([]);
  });

  it('treats blank and "off" entries as unknown, not zero', () => {
    const s = parseGetStat(reply({ 3: '600; ;off', 6: '61; ', 9: 'off' }), 5);
    expect(s.gpus.map((g) => g.hashrate)).toEqual([600, null, null]);
    expect(s.gpus[0]).toEqual({ index: 0, hashrate: 600, temperature: 61, fan: null, power: null });
  });

  it('keeps an idle GPU at 0 H/s while the others hash', () => {
    const s = parseGetStat(reply({ 2: '1000;5;1', 3: '1000;0' }));
    expect(s.warmingUp).toBe(false);
    expect(s.gpus.map((g) => g.hashrate)).toEqual([1000, 0]);
    expect(s.threads).toEqual([1000, 0]);
  });

  it('is warming up while the total is unknown or zero, and then shows no rate at all', () => {
    for (const total of ['off;0;0', '0;0;0']) {
      const s = parseGetStat(reply({ 2: total, 3: '0;0' }));
      expect(s.warmingUp).toBe(true);
      expect(s.hashrate).toEqual([null, null, null]);
      expect(s.gpus.map((g) => g.hashrate)).toEqual([null, null]);
    }
  });

  it('shows a GPU that already hashes while the total is still unknown or zero', () => {
    for (const total of ['off;0;0', '0;0;0']) {
      const s = parseGetStat(reply({ 2: total, 3: '500;0' }));
      expect(s.warmingUp).toBe(true);
      expect(s.gpus.map((g) => g.hashrate)).toEqual([500, null]);
    }
  });

  it('trims the pool and reports a missing or blank one as null', () => {
    expect(parseGetStat(reply({ 7: '  pool.example:4444 ' })).pool).toBe('pool.example:4444');
    expect(parseGetStat(reply({ 7: ' ' })).pool).toBeNull();
    expect(parseGetStat({ result: ['TT-Miner/2023.1.0', '1', '1000;0;0'] }).pool).toBeNull();
  });

  it('reads shares and uptime in seconds', () => {
    expect(parseGetStat(reply({ 1: '3', 2: '1000;7;2' }))).toMatchObject({
      shares: { good: 7, total: 9, rejected: 2 },
      uptime: 180,
    });
  });

  it('explains an error reply in words, whatever shape the error has', () => {
    const noResult = (error: unknown) => () => parseGetStat({ id: 0, result: null, error });
    expect(noResult('bad password')).toThrow('TT-Miner API returned no result: bad password');
    expect(noResult({ code: -1, message: 'not ready' })).toThrow(
      'TT-Miner API returned no result: not ready',
    );
    expect(noResult({ code: 5 })).toThrow('TT-Miner API returned no result: {"code":5}');
    expect(noResult(5)).toThrow('TT-Miner API returned no result: 5');
    expect(noResult({ message: 7 })).toThrow('TT-Miner API returned no result: {"message":7}');
    expect(noResult(null)).toThrow(/^TT-Miner API returned no result$/);
  });
});

const ctx = (over: Partial<LaunchContext> = {}): LaunchContext => ({
  id: 't',
  generation: 1,
  config: minerConfigObject.parse({ pool: 'pool:4444', wallet: 'w', threads: 1, cpuPriority: 1 }),
  workDir: '/w',
  binaryPath: '/opt/TT-Miner',
  apiPort: 4068,
  apiToken: 'unused',
  ...over,
});

describe('ttminerAdapter', () => {
  it('has no console keys and cannot pause', () => {
    expect(ttminerAdapter.consoleKeys).toEqual([]);
    expect(ttminerAdapter.supportsPause).toBe(false);
  });

  it('refuses to launch without a resolved binary', () => {
    expect(() => ttminerAdapter.buildLaunch(ctx({ binaryPath: null }))).toThrow(
      expect.objectContaining({
        code: 'BINARY_MISSING',
        message: 'TT-Miner binary path was not resolved before launch',
      }),
    );
  });

  it('refuses extra arguments it does not allow, naming the field and the problem', () => {
    const bad = ctx({
      config: minerConfigObject.parse({ pool: 'pool:4444', wallet: 'w', cliArgs: '--evil' }),
    });
    let caught: unknown;
    try {
      ttminerAdapter.buildLaunch(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('"--evil"') });
    const { message, details } = caught as { message: string; details: unknown };
    expect(details).toEqual([{ path: 'config.cliArgs', message }]);
  });

  it('talks only to a TCP endpoint', async () => {
    const io: AdapterIo = {
      http: () => Promise.reject(new Error('no')),
      tcpRequest: () => Promise.reject(new Error('must not be called')),
    };
    await expect(
      ttminerAdapter.fetchStats(
        { kind: 'http', host: '127.0.0.1', port: 1, token: 't' },
        AbortSignal.timeout(100),
        io,
      ),
    ).rejects.toMatchObject({ code: 'INTERNAL', message: 'TT-Miner expects a TCP API endpoint, got "http"' });
  });

  it('plans every throttle as a restart with the patched config, keeping the rest, writing nothing', () => {
    const base = ctx();
    expect(ttminerAdapter.planThrottle(base, { threads: 4 })).toEqual({
      mode: 'restart',
      config: { ...base.config, threads: 4 },
      files: [],
      patch: { threads: 4, cpuMaxThreadsHint: 100, cpuPriority: 1 },
    });
    expect(ttminerAdapter.planThrottle(base, { cpuMaxThreadsHint: 50 }).config).toEqual({
      ...base.config,
      cpuMaxThreadsHint: 50,
    });
    expect(ttminerAdapter.planThrottle(base, { cpuPriority: 3 }).config).toEqual({
      ...base.config,
      cpuPriority: 3,
    });
    expect(base.config).toMatchObject({ threads: 1, cpuPriority: 1, cpuMaxThreadsHint: 100 });
  });
});
