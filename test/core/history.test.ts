// Two-tier hashrate history with a synthetic clock: raw samples for 5 minutes, minute means for 24 h,
// bounded memory, and range queries that stitch the tiers.
import { describe, expect, it } from 'vitest';
import { TwoTierSeries as HashrateHistory } from '../../src/shared/buffers/two-tier-series';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

describe('HashrateHistory', () => {
  it('returns every raw sample of the last 5 minutes', () => {
    const h = new HashrateHistory({ minSampleIntervalMs: 1000 });
    for (let s = 0; s < 600; s++) h.add(T0 + s * 1000, s);
    const now = T0 + 599_000;
    const recent = h.query(now - 5 * MIN, now, now);
    expect(recent).toHaveLength(301);
    expect(recent[0]).toEqual({ at: now - 5 * MIN, value: 299 });
    expect(recent.at(-1)).toEqual({ at: now, value: 599 });
  });

  it('averages each completed minute and serves minutes before the raw window', () => {
    const h = new HashrateHistory({ minSampleIntervalMs: 1000 });
    // 10 minutes at 1 Hz: minute m has values 100*m .. 100*m + 59, mean 100*m + 29.5
    for (let s = 0; s < 600; s++) h.add(T0 + s * 1000, 100 * Math.floor(s / 60) + (s % 60));
    expect(h.minutePoints().slice(0, 3)).toEqual([
      { at: T0, value: 29.5 },
      { at: T0 + MIN, value: 129.5 },
      { at: T0 + 2 * MIN, value: 229.5 },
    ]);
    const now = T0 + 599_000;
    const all = h.query(T0, now, now);
    const minutes = all.filter((p) => p.at < now - 5 * MIN);
    expect(minutes.map((p) => p.at)).toEqual([0, 1, 2, 3, 4].map((m) => T0 + m * MIN));
    expect(all.length).toBe(minutes.length + 301);
  });

  it('keeps memory bounded over two days of 1 Hz samples', () => {
    const h = new HashrateHistory({ minSampleIntervalMs: 1000 });
    for (let s = 0; s < 2 * 24 * 3600; s++) h.add(T0 + s * 1000, 500);
    expect(h.rawSize).toBeLessThanOrEqual(301);
    expect(h.minuteSize).toBe(24 * 60);
    const now = T0 + (2 * 24 * 3600 - 1) * 1000;
    const day = h.query(now - 24 * 60 * MIN, now, now);
    expect(day.length).toBeGreaterThan(24 * 60 - 10);
    expect(day.length).toBeLessThan(24 * 60 + 310);
  });

  it('drops samples that go back in time and values that are not hashrates', () => {
    const h = new HashrateHistory();
    h.add(T0 + 1000, 10);
    h.add(T0, 20);
    h.add(T0 + 2000, Number.NaN);
    h.add(T0 + 3000, -5);
    expect(h.query(T0 - MIN, T0 + MIN, T0 + 3000)).toEqual([{ at: T0 + 1000, value: 10 }]);
  });

  it('answers an empty range with no points', () => {
    const h = new HashrateHistory();
    h.add(T0, 1);
    expect(h.query(T0 + 10, T0 + 20, T0 + 20)).toEqual([]);
  });

  it('keeps the first of two samples stamped at the same moment, and refuses one from the past', () => {
    // The series is strictly ordered in time (the chart and the minute buckets rely on it).
    const h = new HashrateHistory();
    expect(h.add(T0, 1)).toBe(true);
    expect(h.add(T0, 3)).toBe(false);
    expect(h.add(T0 - 1, 5)).toBe(false);
    expect(h.query(T0 - 1, T0, T0)).toEqual([{ at: T0, value: 1 }]);
  });

  it('serves a past window with its end included and nothing after it, from both tiers', () => {
    const h = new HashrateHistory({ minSampleIntervalMs: 1000 });
    for (let s = 0; s < 600; s++) h.add(T0 + s * 1000, 100);
    const now = T0 + 599_000;
    // minute tier: [T0, T0 + 2 min] holds the minutes starting at 0, 1 and 2
    expect(h.query(T0, T0 + 2 * MIN, now).map((p) => p.at)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
    // raw tier: the last 10 s up to 5 s ago
    expect(h.query(now - 10_000, now - 5_000, now).map((p) => p.at)).toEqual(
      [10, 9, 8, 7, 6, 5].map((s) => now - s * 1000),
    );
  });

  it('does not serve a minute that starts exactly where the raw window starts (its samples are raw)', () => {
    const h = new HashrateHistory({ minSampleIntervalMs: 1000 });
    for (let s = 0; s < 540; s++) h.add(T0 + s * 1000, 100);
    const now = T0 + 9 * MIN; // raw window starts at T0 + 4 min, on a minute boundary
    const points = h.query(T0, now, now);
    expect(points.filter((p) => p.at === T0 + 4 * MIN)).toHaveLength(1); // the raw sample, not also the minute
    expect(points.filter((p) => p.at < T0 + 4 * MIN).map((p) => p.at)).toEqual(
      [0, 1, 2, 3].map((m) => T0 + m * MIN),
    );
  });
});
