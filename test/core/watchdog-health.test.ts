// The pure health judgement sample by sample: what counts as hashing, the exact edges of the warm-up and
// resume graces, the stalled counter (a missing reading is no movement and no reset), the 0 H/s run and
// the words of each verdict.
import { describe, expect, it } from 'vitest';
import {
  initialHealth,
  judge,
  observeSample,
  type HealthState,
  type Sample,
} from '../../src/main/core/watchdog/health';
import { watchdogSettingsSchema } from '../../src/shared/watchdog-settings';

const S = 1000;
const hs = watchdogSettingsSchema.parse({
  hangTimeoutMs: 60 * S,
  counterStallMs: 10 * S,
  zeroHashrateSamples: 3,
  zeroHashrateMinMs: 10 * S,
  warmupGraceMs: 30 * S,
  resumeGraceMs: 5 * S,
});

type Partial_ = Partial<Omit<Sample, 'at'>>;
const sample = (at: number, x: Partial_ = {}): Sample => ({
  at,
  hashrate: x.hashrate === undefined ? 100 : x.hashrate,
  paused: x.paused ?? false,
  hashesTotal: x.hashesTotal === undefined ? null : x.hashesTotal,
});

/** Folds samples given as [at, fields] into a health started at `start`. */
function feed(samples: [number, Partial_][], start = 0, h: HealthState = initialHealth(start)) {
  return samples.reduce((acc, [at, x]) => observeSample(acc, sample(at, x), hs), h);
}

describe('what counts as hashing', () => {
  it('the first positive finite hashrate marks the warm-up end; later ones do not move it', () => {
    const h = feed([
      [1 * S, { hashrate: 0 }],
      [2 * S, { hashrate: null }],
      [3 * S, { hashrate: Number.NaN }],
      [4 * S, { hashrate: Number.POSITIVE_INFINITY }],
    ]);
    expect(h.warmSince).toBeNull();
    expect(feed([[5 * S, { hashrate: 0.5 }]], 0, h).warmSince).toBe(5 * S);
    expect(
      feed(
        [
          [5 * S, {}],
          [6 * S, {}],
        ],
        0,
        h,
      ).warmSince,
    ).toBe(5 * S);
  });

  it('an infinite hashrate after warm-up counts like 0 H/s', () => {
    const warm = feed([[S, {}]]);
    const h = feed([[2 * S, { hashrate: Number.POSITIVE_INFINITY }]], 0, warm);
    expect(h.zero).toEqual({ count: 1, since: 2 * S, last: 2 * S });
  });
});

describe('graces', () => {
  it('a miner that never showed a hashrate is judged from exactly the warm-up grace on', () => {
    expect(feed([[30 * S - 1, { hashrate: 0 }]]).zero).toBeNull();
    expect(feed([[30 * S, { hashrate: 0 }]]).zero).toEqual({ count: 1, since: 30 * S, last: 30 * S });
  });

  it('a miner that was never paused has no resume grace, even at small clock values', () => {
    // Starting the clock at 0 puts `at` inside a (long) grace measured from 0: no resume, no grace.
    const long = { ...hs, resumeGraceMs: 30 * 60 * S };
    const warm = observeSample(initialHealth(0), sample(S), long);
    const h = observeSample(warm, sample(2 * S, { hashrate: 0, hashesTotal: 7 }), long);
    expect(h.zero).toEqual({ count: 1, since: 2 * S, last: 2 * S });
    expect(h.counter).toEqual({ value: 7, since: 2 * S, last: 2 * S });
  });

  it('after a resume 0 H/s is not counted for exactly the resume grace', () => {
    const resumed = feed([
      [S, {}],
      [2 * S, { paused: true, hashrate: 0 }],
      [10 * S, { hashrate: 0 }],
    ]);
    expect(resumed).toMatchObject({ paused: false, resumedAt: 10 * S, zero: null });
    expect(feed([[15 * S - 1, { hashrate: 0 }]], 0, resumed).zero).toBeNull();
    expect(feed([[15 * S, { hashrate: 0 }]], 0, resumed).zero).toEqual({
      count: 1,
      since: 15 * S,
      last: 15 * S,
    });
  });

  it('the hash counter is not tracked during the resume grace: a stall counts from its end', () => {
    const resumed = feed([
      [S, { hashesTotal: 5 }],
      [2 * S, { paused: true, hashesTotal: 5 }],
      [10 * S, { hashesTotal: 5 }],
      [12 * S, { hashesTotal: 5 }],
    ]);
    expect(resumed.counter).toBeNull();
    const h = feed(
      [
        [15 * S, { hashesTotal: 5 }],
        [24 * S, { hashesTotal: 5 }],
      ],
      0,
      resumed,
    );
    expect(h.counter).toEqual({ value: 5, since: 15 * S, last: 24 * S });
    expect(judge(h, 24 * S, hs)).toBeNull();
  });

  it('a sample stamped inside the resume grace (the wall clock stepped back) drops the counter', () => {
    const h = feed([
      [S, { hashesTotal: 5 }],
      [2 * S, { paused: true }],
      [10 * S, { hashesTotal: 5 }],
      [16 * S, { hashesTotal: 5 }],
    ]);
    expect(h.counter).toEqual({ value: 5, since: 16 * S, last: 16 * S });
    expect(feed([[12 * S, { hashesTotal: 5 }]], 0, h).counter).toBeNull();
  });
});

describe('the stalled counter', () => {
  const warm = feed([[S, { hashesTotal: 100 }]]);

  it('fires at exactly the stall time between the samples that showed the same value', () => {
    const almost = feed([[11 * S - 1, { hashesTotal: 100 }]], 0, warm);
    expect(judge(almost, 11 * S, hs)).toBeNull();
    const stuck = feed([[11 * S, { hashesTotal: 100 }]], 0, warm);
    expect(judge(stuck, 11 * S, hs)).toEqual({
      cause: 'counter-stall',
      reason: 'the hash counter has been stuck at 100 for 10 s while mining',
    });
  });

  it('a sample without a counter reading neither moves nor resets it', () => {
    const h = feed(
      [
        [5 * S, { hashesTotal: null }],
        [11 * S, { hashesTotal: 100 }],
      ],
      0,
      warm,
    );
    expect(h.counter).toEqual({ value: 100, since: S, last: 11 * S });
    expect(judge(h, 11 * S, hs)?.cause).toBe('counter-stall');
  });

  it('a paused miner is judged by silence only', () => {
    const paused = feed([[11 * S, { paused: true, hashesTotal: 100, hashrate: 0 }]], 0, warm);
    expect(judge(paused, 20 * S, hs)).toBeNull();
    expect(judge(paused, 71 * S, hs)).toEqual({
      cause: 'api-hang',
      reason: 'the stats API has not answered for 1 min',
    });
  });
});

describe('0 H/s', () => {
  const warm = feed([[S, {}]]);

  it('needs both the sample count and the minimum span', () => {
    const two = feed(
      [
        [2 * S, { hashrate: 0 }],
        [20 * S, { hashrate: 0 }],
      ],
      0,
      warm,
    );
    expect(judge(two, 20 * S, hs)).toBeNull(); // 18 s, but only 2 of 3 samples
    const three = feed([[21 * S, { hashrate: 0 }]], 0, two);
    expect(judge(three, 21 * S, hs)).toEqual({
      cause: 'zero-hashrate',
      reason: '0 H/s for 3 samples (19 s) after warm-up',
    });
  });

  it('a warm-up that never ends is named as such', () => {
    const h = feed([
      [30 * S, { hashrate: 0 }],
      [35 * S, { hashrate: 0 }],
      [40 * S, { hashrate: null }],
    ]);
    expect(judge(h, 40 * S, hs)).toEqual({
      cause: 'zero-hashrate',
      reason: '0 H/s for 3 samples (10 s) and no hashrate 40 s after the start',
    });
  });
});

describe('silence', () => {
  it('an API that never answered is said to be silent since the start', () => {
    expect(judge(initialHealth(0), 60 * S - 1, hs)).toBeNull();
    expect(judge(initialHealth(0), 90 * S, hs)).toEqual({
      cause: 'api-hang',
      reason: 'the stats API has not answered in the 1 min 30 s since the start',
    });
  });
});
