// The physical sanity check on its own: per-type bounds, what is dropped, what is kept, and that a clean
// sample comes back as the very same object (no copy on the hot path).
import { describe, expect, it } from 'vitest';
import { checkStats, PHYSICAL_BOUNDS } from '../../src/main/core/stats/sanity';
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
});
