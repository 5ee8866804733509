// Physical sanity of a stats sample: values no real miner can report (non-finite, negative, beyond what a
// rig of that miner type can do) are dropped, and the sample says what was dropped so the status shows it.
import type { MinerStats } from '../../../shared/model';
import type { MinerType } from '../../../shared/schemas';

export interface PhysicalBounds {
  /** Whole-rig hashrate ceiling in H/s (and per thread or device). */
  maxHashrate: number;
  /** Share counters beyond this are not a real miner's (years at thousands of shares a second). */
  maxShares: number;
  /** Per-GPU limits; CPU miners report none. */
  maxTemperatureC: number;
  maxPowerW: number;
  maxFanPercent: number;
}

const YEAR_S = 365 * 24 * 3600;
const MAX_UPTIME_S = 100 * YEAR_S;
const MAX_PING_MS = 3600_000;

/**
 * Ceilings with a wide margin over the fastest real hardware, so they only ever catch garbage:
 * XMRig: RandomX on the largest dual-socket servers is ~0.3 MH/s, its GPU backends (KawPow) a few
 * hundred MH/s for a whole rig -> 1 GH/s. TT-Miner: the fastest GPU algorithms reach a few GH/s per card,
 * rigs hold up to ~16 cards -> 1 TH/s. The simulated miner produces kH/s.
 */
export const PHYSICAL_BOUNDS: Record<MinerType, PhysicalBounds> = {
  xmrig: { maxHashrate: 1e9, maxShares: 1e12, maxTemperatureC: 150, maxPowerW: 2000, maxFanPercent: 100 },
  ttminer: { maxHashrate: 1e12, maxShares: 1e12, maxTemperatureC: 150, maxPowerW: 2000, maxFanPercent: 100 },
  simulated: { maxHashrate: 1e9, maxShares: 1e12, maxTemperatureC: 150, maxPowerW: 2000, maxFanPercent: 100 },
};

const UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s'];

/** Exported for tests: the ceiling in a warning reads as the user would say it ("1 GH/s"). */
export function formatRate(hs: number): string {
  let v = hs;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toPrecision(3)} ${UNITS[u]}`;
}

function show(v: number): string {
  // Infinity prints as "Infinity" either way, NaN fails the comparison: no separate non-finite case.
  return Math.abs(v) >= 1e6 ? v.toExponential(2) : String(v);
}

/** Why a value is not physical, or null when it is fine. */
function problem(v: number, max: number, min = 0): string | null {
  if (!Number.isFinite(v)) return 'not a finite number';
  if (v < min) return min === 0 ? 'negative' : `below ${min}`;
  if (v > max) return `above ${show(max)}`;
  return null;
}

const WINDOWS = ['10 s', '60 s', '15 min'];

/**
 * Returns the sample with every impossible value replaced by "unknown" (null; shares by zeros) and one
 * warning per dropped value in `warnings`; the same object when nothing was wrong.
 */
export function checkStats(stats: MinerStats, minerType: MinerType): MinerStats {
  const b = PHYSICAL_BOUNDS[minerType];
  const warnings: string[] = [];
  const rate = (v: number | null, what: string): number | null => {
    if (v === null) return null;
    let why: string | null = null;
    if (!Number.isFinite(v)) why = 'not a finite number';
    else if (v < 0) why = 'negative';
    else if (v > b.maxHashrate) why = `more than a ${minerType} rig can do (${formatRate(b.maxHashrate)})`;
    if (!why) return v;
    warnings.push(`${what} ${show(v)} H/s dropped: ${why}`);
    return null;
  };
  const bounded = (v: number | null, max: number, what: string, min = 0): number | null => {
    if (v === null) return null;
    const why = problem(v, max, min);
    if (!why) return v;
    warnings.push(`${what} ${show(v)} dropped: ${why}`);
    return null;
  };

  const hashrate = stats.hashrate.map((v, i) => rate(v, `${WINDOWS[i]} hashrate`)) as MinerStats['hashrate'];
  const highest = rate(stats.highest, 'highest hashrate');
  const threads = stats.threads.map((v, i) => rate(v, `thread ${i} hashrate`));
  const gpus = stats.gpus.map((g) => ({
    ...g,
    hashrate: rate(g.hashrate, `GPU ${g.index} hashrate`),
    temperature: bounded(g.temperature, b.maxTemperatureC, `GPU ${g.index} temperature`, -60),
    fan: bounded(g.fan, b.maxFanPercent, `GPU ${g.index} fan %`),
    power: bounded(g.power, b.maxPowerW, `GPU ${g.index} power (W)`),
  }));

  let shares = stats.shares;
  const counts = [shares.good, shares.total, shares.rejected];
  const badCount = counts.find((c) => !Number.isSafeInteger(c) || c < 0 || c > b.maxShares);
  if (badCount !== undefined || shares.good > shares.total) {
    warnings.push(
      `share counts dropped (good ${show(shares.good)}, total ${show(shares.total)}, rejected ${show(shares.rejected)}): ${
        badCount !== undefined
          ? `not a real count (limit ${show(b.maxShares)})`
          : 'more good shares than shares'
      }`,
    );
    shares = { good: 0, total: 0, rejected: 0 };
  }

  let uptime = stats.uptime;
  const uptimeWhy = problem(uptime, MAX_UPTIME_S);
  if (uptimeWhy) {
    warnings.push(`uptime ${show(uptime)} s dropped: ${uptimeWhy}`);
    uptime = 0;
  }
  const difficulty = bounded(stats.difficulty, Number.MAX_SAFE_INTEGER, 'difficulty');
  const avgShareTime = bounded(stats.avgShareTime, MAX_UPTIME_S, 'average share time (s)');
  const ping = bounded(stats.ping, MAX_PING_MS, 'pool ping (ms)');
  const hashesTotal =
    stats.hashesTotal === undefined
      ? undefined
      : bounded(stats.hashesTotal, Number.MAX_SAFE_INTEGER, 'hash counter');

  if (warnings.length === 0) return stats;
  const out: MinerStats = {
    ...stats,
    hashrate,
    highest,
    threads,
    gpus,
    shares,
    uptime,
    difficulty,
    avgShareTime,
    ping,
    warnings: [...(stats.warnings ?? []), ...warnings],
  };
  if (hashesTotal !== undefined) out.hashesTotal = hashesTotal;
  return out;
}
