// Pure health judgement of one running miner from its stats samples: API hang, a stalled hash counter
// and 0 H/s after warm-up. Warm-up (RandomX dataset), pauses and resumes never produce a verdict.
import type { WatchdogSettings } from '../../../shared/watchdog-settings';
import { formatDuration } from './backoff';
import type { FailureCause } from './types';

export interface HealthState {
  startedAt: number;
  /** First sample with a positive hashrate: the miner has warmed up for real. */
  warmSince: number | null;
  /** Last time the stats API answered (the start counts, so a miner whose API never comes up hangs too). */
  lastAnswerAt: number;
  paused: boolean;
  /** Last pause -> run transition; the rate windows refill from zero after it. */
  resumedAt: number | null;
  /** The hash counter's value, since when it has not moved and the last sample that showed it. */
  counter: { value: number; since: number; last: number } | null;
  /** The current run of 0 H/s (or missing) samples after warm-up: first and last sample times. */
  zero: { count: number; since: number; last: number } | null;
}

export interface Verdict {
  cause: Extract<FailureCause, 'api-hang' | 'counter-stall' | 'zero-hashrate'>;
  reason: string;
}

export type HealthSettings = Pick<
  WatchdogSettings,
  | 'hangTimeoutMs'
  | 'counterStallMs'
  | 'zeroHashrateSamples'
  | 'zeroHashrateMinMs'
  | 'warmupGraceMs'
  | 'resumeGraceMs'
>;

export function initialHealth(at: number): HealthState {
  return {
    startedAt: at,
    warmSince: null,
    lastAnswerAt: at,
    paused: false,
    resumedAt: null,
    counter: null,
    zero: null,
  };
}

export interface Sample {
  at: number;
  hashrate: number | null;
  paused: boolean;
  hashesTotal: number | null;
}

function inResumeGrace(h: HealthState, at: number, s: HealthSettings): boolean {
  return h.resumedAt !== null && at - h.resumedAt < s.resumeGraceMs;
}

/** Folds one sample into the state; the verdict (if any) comes from judge(). */
export function observeSample(h: HealthState, sample: Sample, s: HealthSettings): HealthState {
  const at = sample.at;
  const next: HealthState = { ...h, lastAnswerAt: Math.max(h.lastAnswerAt, at) };
  if (sample.paused) {
    // A paused miner hashes nothing on purpose: forget every low-rate and stall observation.
    return { ...next, paused: true, zero: null, counter: null };
  }
  if (h.paused) {
    next.paused = false;
    next.resumedAt = at;
    next.zero = null;
    next.counter = null;
  }
  const rate = sample.hashrate;
  const positive = Number.isFinite(rate) && (rate ?? 0) > 0;
  if (positive && next.warmSince === null) next.warmSince = at;

  const warm = next.warmSince !== null || at - next.startedAt >= s.warmupGraceMs;
  const grace = inResumeGrace(next, at, s);
  if (warm && !grace && !positive) {
    next.zero = next.zero
      ? { count: next.zero.count + 1, since: next.zero.since, last: at }
      : { count: 1, since: at, last: at };
  } else {
    next.zero = null;
  }

  // The counter only means something once hashing has begun (it sits at 0 through the RandomX init).
  if (grace) {
    next.counter = null;
  } else if (sample.hashesTotal !== null && next.warmSince !== null) {
    const moved = next.counter === null || sample.hashesTotal !== next.counter.value;
    next.counter = moved
      ? { value: sample.hashesTotal, since: at, last: at }
      : { ...next.counter!, last: at };
  }
  return next;
}

/**
 * The verdict at time `at`, or null while the miner is healthy or cannot be judged yet. Silence is judged
 * against the clock; a stuck counter and 0 H/s only by what samples showed (no sample, no such verdict).
 */
export function judge(h: HealthState, at: number, s: HealthSettings): Verdict | null {
  const silent = at - h.lastAnswerAt;
  if (silent >= s.hangTimeoutMs) {
    const span =
      h.lastAnswerAt === h.startedAt
        ? `in the ${formatDuration(silent)} since the start`
        : `for ${formatDuration(silent)}`;
    return { cause: 'api-hang', reason: `the stats API has not answered ${span}` };
  }
  // A paused miner has no counter or 0 H/s run (observeSample forgets both): only silence is judged.
  const c = h.counter;
  if (c && c.last - c.since >= s.counterStallMs) {
    return {
      cause: 'counter-stall',
      reason: `the hash counter has been stuck at ${c.value} for ${formatDuration(c.last - c.since)} while mining`,
    };
  }
  const z = h.zero;
  if (z && z.count >= s.zeroHashrateSamples && z.last - z.since >= s.zeroHashrateMinMs) {
    const after =
      h.warmSince !== null
        ? 'after warm-up'
        : `and no hashrate ${formatDuration(z.last - h.startedAt)} after the start`;
    return {
      cause: 'zero-hashrate',
      reason: `0 H/s for ${z.count} samples (${formatDuration(z.last - z.since)}) ${after}`,
    };
  }
  return null;
}
