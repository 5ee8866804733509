// Confirmation of live knob changes: what counts as applied, and the bounded waits (a fake clock).
import { describe, expect, it } from 'vitest';
import { confirmKnobs, knobsMatch, type ConfirmOptions } from './confirm';
import type { KnobReading } from '../miners/adapter';

const fixed = { threads: 2, cpuMaxThreadsHint: 100, cpuPriority: null };

describe('knobsMatch', () => {
  it('explicit threads: the count and the priority (-1 = none set) must both show', () => {
    expect(knobsMatch(fixed, { threads: 2, priority: -1 })).toBe(true);
    expect(knobsMatch(fixed, { threads: 1, priority: -1 })).toBe(false);
    expect(knobsMatch({ ...fixed, cpuPriority: 0 }, { threads: 2, priority: -1 })).toBe(false);
    expect(knobsMatch({ ...fixed, cpuPriority: 0 }, { threads: 2, priority: 0 })).toBe(true);
    expect(knobsMatch(fixed, { threads: null, priority: -1 })).toBe(false);
  });

  it('automatic threads: the hint in use must be the new one', () => {
    const auto = { threads: null, cpuMaxThreadsHint: 50, cpuPriority: null };
    expect(knobsMatch(auto, { threads: 3, priority: -1, hint: 50 })).toBe(true);
    expect(knobsMatch(auto, { threads: 3, priority: -1, hint: 100 })).toBe(false);
    expect(knobsMatch(auto, { threads: 3, priority: -1, hint: null })).toBe(false);
  });
});

function run(readings: (KnobReading | Error)[], extra: Partial<ConfirmOptions> = {}) {
  let t = 0;
  let i = 0;
  return confirmKnobs({
    read: async () => {
      const r = readings[Math.min(i++, readings.length - 1)]!;
      if (r instanceof Error) throw r;
      return r;
    },
    target: fixed,
    timeoutMs: 1000,
    initTimeoutMs: 10_000,
    intervalMs: 100,
    readTimeoutMs: 500,
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    stillWanted: () => true,
    ...extra,
  });
}

describe('confirmKnobs', () => {
  it('applied as soon as a reading matches', async () => {
    expect(
      await run([{ threads: 1, priority: -1 }, new Error('ECONNRESET'), { threads: 2, priority: -1 }]),
    ).toEqual({ kind: 'applied', reading: { threads: 2, priority: -1 } });
  });

  it('failed after the short deadline while the miner mines, saying what it reports', async () => {
    const r = await run([{ threads: 1, priority: -1 }]);
    expect(r).toEqual({
      kind: 'failed',
      message:
        'The miner did not confirm 2 thread(s), priority default within 1 s (it reports 1 thread(s), priority -1)',
    });
  });

  it('waits the long deadline while the miner has no workers yet (RandomX init)', async () => {
    const readings: KnobReading[] = Array.from({ length: 50 }, () => ({ threads: null, priority: -1 }));
    expect(await run([...readings, { threads: 2, priority: -1 }])).toMatchObject({ kind: 'applied' });
    const never = await run([{ threads: null, priority: -1 }]);
    expect(never).toMatchObject({
      kind: 'failed',
      message: expect.stringContaining('within 10 s (it reports no workers yet)'),
    });
  });

  it('abandoned without a verdict once a newer change or a new process makes it moot', async () => {
    let wanted = true;
    const r = run([{ threads: 1, priority: -1 }], {
      stillWanted: () => wanted,
      sleep: async () => {
        wanted = false;
      },
    });
    expect(await r).toEqual({ kind: 'abandoned' });
  });
});

describe('confirmKnobs: edges', () => {
  const auto = { threads: null, cpuMaxThreadsHint: 50, cpuPriority: null };

  it('a miner with no workers yet has not applied an automatic count, whatever its hint says', () => {
    expect(knobsMatch(auto, { threads: null, priority: -1, hint: 50 })).toBe(false);
  });

  it('names the automatic count, the hint in use (or that it is ignored) and an unknown priority', async () => {
    const hinted = await run([{ threads: 3, priority: -1, hint: 100 }], { target: auto });
    expect(hinted).toEqual({
      kind: 'failed',
      message:
        'The miner did not confirm automatic threads at 50 %, priority default within 1 s (it reports 3 thread(s), priority -1, hint 100)',
    });
    const ignored = await run([{ threads: 3, priority: null, hint: null }], { target: auto });
    expect(ignored).toMatchObject({
      message: expect.stringContaining('(it reports 3 thread(s), priority unknown, hint ignored)'),
    });
  });

  it('reports the last error when the last read failed, the last reading once a read works again', async () => {
    expect(await run([new Error('ECONNREFUSED')])).toMatchObject({
      message: expect.stringContaining('(it reports ECONNREFUSED)'),
    });
    expect(await run([new Error('ECONNREFUSED'), { threads: 1, priority: 0 }])).toMatchObject({
      message: expect.stringContaining('(it reports 1 thread(s), priority 0)'),
    });
  });

  it('gives up exactly at the deadline: the reading after it is not waited for', async () => {
    const late: KnobReading[] = Array.from({ length: 11 }, () => ({ threads: 1, priority: -1 }));
    // reads at 0, 100, ..., 1000 ms; the 12th (1100 ms) would match
    expect(await run([...late, { threads: 2, priority: -1 }])).toMatchObject({ kind: 'failed' });
    expect(await run([...late.slice(1), { threads: 2, priority: -1 }])).toMatchObject({ kind: 'applied' });
  });

  it('a match that comes after the change stopped mattering is abandoned, not applied', async () => {
    let calls = 0;
    expect(await run([{ threads: 2, priority: -1 }], { stillWanted: () => calls++ === 0 })).toEqual({
      kind: 'abandoned',
    });
  });
});
