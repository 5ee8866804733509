// The physical sanity check on its own: per-type bounds, what is dropped, what is kept, and that a clean
// sample comes back as the very same object (no copy on the hot path).
import { describe, expect, it } from 'vitest';
import { checkStats, formatRate, PHYSICAL_BOUNDS } from '../../src/main/core/stats/sanity';
import type { MinerStats } from '../../src/shared/model';

function stats(extra: Partial<MinerStats> = {}): MinerStats {
  return {
    at: 1,
    hashrate: [5000, 4900, null],
    highest: 5200,
    warmingUp: false,
    threads: [2500, 2500],
    shares: { good: 10, total: 11, rejected: 1 },
    difficulty: 120001,
    avgShareTime: 30,
    pool: 'p:1',
    ping: 40,
    uptime: 3600,
    paused: false,
    algo: 'rx/0',
    cpu: null,
    gpus: [],
    ...extra,
  };
}

describe('checkStats', () => {
  it('returns a clean sample untouched (same object)', () => {
    const s = stats();
    expect(checkStats(s, 'xmrig')).toBe(s);
  });

  it('bounds differ per miner type: 10 GH/s is garbage for XMRig, plausible for a TT-Miner rig', () => {
    const s = stats({ hashrate: [1e10, null, null] });
    expect(checkStats(s, 'xmrig').hashrate[0]).toBeNull();
    expect(checkStats(s, 'ttminer').hashrate[0]).toBe(1e10);
    expect(PHYSICAL_BOUNDS.ttminer.maxHashrate).toBeGreaterThan(PHYSICAL_BOUNDS.xmrig.maxHashrate);
  });

  it('drops more good shares than shares, fractional counts, absurd uptime, negative ping and difficulty', () => {
    const out = checkStats(
      stats({ shares: { good: 12, total: 11, rejected: 0 }, uptime: -1, ping: -3, difficulty: Infinity }),
      'xmrig',
    );
    expect(out.shares).toEqual({ good: 0, total: 0, rejected: 0 });
    expect(out.uptime).toBe(0);
    expect(out.ping).toBeNull();
    expect(out.difficulty).toBeNull();
    expect(out.warnings).toEqual([
      'share counts dropped (good 12, total 11, rejected 0): more good shares than shares',
      'uptime -1 s dropped: negative',
      'difficulty Infinity dropped: not a finite number',
      'pool ping (ms) -3 dropped: negative',
    ]);
    expect(
      checkStats(stats({ shares: { good: 1.5, total: 2, rejected: 0 } }), 'xmrig').warnings?.[0],
    ).toMatch(/not a real count/);
  });

  it('keeps warnings the parser already added and appends its own', () => {
    const out = checkStats(stats({ warnings: ['per-thread rates unavailable'], threads: [-1] }), 'xmrig');
    expect(out.warnings).toEqual([
      'per-thread rates unavailable',
      'thread 0 hashrate -1 H/s dropped: negative',
    ]);
    expect(out.threads).toEqual([null]);
  });

  it('checks the hash counter when there is one', () => {
    expect(checkStats(stats({ hashesTotal: -4 }), 'xmrig').hashesTotal).toBeNull();
    expect(checkStats(stats({ hashesTotal: 99 }), 'xmrig').hashesTotal).toBe(99);
  });

  it("names each type's ceiling in its unit, and keeps a value exactly at a bound", () => {
    const over = (type: 'xmrig' | 'ttminer', v: number) =>
      checkStats(stats({ hashrate: [v, null, null] }), type).warnings?.[0];
    expect(over('xmrig', 2e9)).toBe(
      '10 s hashrate 2.00e+9 H/s dropped: more than a xmrig rig can do (1 GH/s)',
    );
    expect(over('ttminer', 2e12)).toBe(
      '10 s hashrate 2.00e+12 H/s dropped: more than a ttminer rig can do (1 TH/s)',
    );
    expect(checkStats(stats({ hashrate: [1e9, null, null] }), 'xmrig').hashrate[0]).toBe(1e9);
    const at = stats({ shares: { good: 1e12, total: 1e12, rejected: 0 } });
    expect(checkStats(at, 'xmrig')).toBe(at);
    // The last unit takes whatever is left, and a rate that is not a round number keeps 3 digits.
    expect(formatRate(2e18)).toBe('2000 PH/s');
    expect(formatRate(1234)).toBe('1.23 kH/s');
    expect(formatRate(999)).toBe('999 H/s');
  });

  it('GPU readings: below -60 °C, over 100 % fan or 2000 W are dropped with their names; -10 °C is real', () => {
    const gpu = { index: 0, name: 'x', hashrate: 1, temperature: -61, fan: 101, power: 2001 };
    const out = checkStats(stats({ gpus: [gpu] }), 'ttminer');
    expect(out.gpus[0]).toMatchObject({ temperature: null, fan: null, power: null });
    expect(out.warnings).toEqual([
      'GPU 0 temperature -61 dropped: below -60',
      'GPU 0 fan % 101 dropped: above 100',
      'GPU 0 power (W) 2001 dropped: above 2000',
    ]);
    const cold = stats({ gpus: [{ ...gpu, temperature: -10, fan: 50, power: 100 }] });
    expect(checkStats(cold, 'ttminer')).toBe(cold);
  });

  it('a negative share count, a wild share time or hash counter: each dropped and named', () => {
    const out = checkStats(
      stats({
        shares: { good: 0, total: 0, rejected: -1 },
        avgShareTime: 1e10,
        hashesTotal: -1e6,
      }),
      'xmrig',
    );
    expect(out.shares).toEqual({ good: 0, total: 0, rejected: 0 });
    expect(out.warnings).toEqual([
      'share counts dropped (good 0, total 0, rejected -1): not a real count (limit 1.00e+12)',
      'average share time (s) 1.00e+10 dropped: above 3.15e+9',
      'hash counter -1.00e+6 dropped: negative',
    ]);
    // A sample without a counter gets none added by the check (it stays absent, not undefined).
    expect(Object.keys(checkStats(stats({ ping: -1 }), 'xmrig'))).not.toContain('hashesTotal');
  });
});
