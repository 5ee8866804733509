// Single steps of the budget controller from a chosen state: each decision rule at and around its
// threshold (2 cores, so a thread at full speed costs 50 % of the machine; the clock is injected).
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARAMS,
  stepBudget,
  type BudgetObservation,
  type ControllerParams,
  type MinerBudgetState,
} from './controller';

const P: ControllerParams = { ...DEFAULT_PARAMS, cores: 2 };
const NOW = 100_000;

const obs = (o: Partial<BudgetObservation> = {}): BudgetObservation => ({
  id: 'm',
  generation: 1,
  targetPercent: 50,
  usagePercent: null,
  onFraction: 1,
  threads: 2,
  maxThreads: 2,
  applying: false,
  ...o,
});

const state = (s: Partial<MinerBudgetState> = {}): MinerBudgetState => ({
  generation: 1,
  costPerThread: 50,
  threads: 2,
  lowPriority: false,
  duty: 1,
  integral: 0,
  lastKnobChangeAt: -Infinity,
  underSince: null,
  lastStepAt: NOW - 1000,
  touched: false,
  ...s,
});

function step(prev: MinerBudgetState | undefined, o: Partial<BudgetObservation>, params = P, now = NOW) {
  const r = stepBudget(prev ? new Map([['m', prev]]) : new Map(), now, [obs(o)], params);
  expect(r.actions.length).toBeLessThanOrEqual(1);
  return { s: r.state.get('m'), a: r.actions[0], state: r.state };
}

describe('stepBudget: the hold it reports', () => {
  it('one whole thread on target: stage "threads", no pulses', () => {
    expect(step(undefined, { targetPercent: 50 }).a).toEqual({
      id: 'm',
      knobs: { threads: 1, lowPriority: false },
      duty: 1,
      hold: { targetPercent: 50, threads: 1, duty: 1, stage: 'threads' },
    });
  });

  it('one thread at the idle priority within the deadband: stage "priority", no pulses', () => {
    expect(step(undefined, { targetPercent: 45 }, { ...P, deadband: 10 }).a).toEqual({
      id: 'm',
      knobs: { threads: 1, lowPriority: true },
      duty: 1,
      hold: { targetPercent: 45, threads: 1, duty: 1, stage: 'priority' },
    });
  });

  it('rounds the target to 0.1 and the duty to 0.01 in the hold, the action keeps the exact duty', () => {
    const { a } = step(undefined, { targetPercent: 33.333 });
    expect(a!.duty).toBeCloseTo(33.333 / 50, 10);
    expect(a!.hold).toEqual({ targetPercent: 33.3, threads: 1, duty: 0.67, stage: 'pulse' });
  });
});

describe('stepBudget: no budget any more', () => {
  it('a miner whose knobs it changed gets them back, then it is forgotten', () => {
    const r = step(state({ touched: true, threads: 1 }), { targetPercent: null });
    expect(r.a).toEqual({ id: 'm', knobs: 'baseline', duty: 1, hold: null });
    expect(r.state.size).toBe(0);
  });

  it('a miner it only pulsed is resumed; one it never touched is left alone', () => {
    expect(step(state({ duty: 0.5 }), { targetPercent: null }).a).toEqual({ id: 'm', duty: 1, hold: null });
    expect(step(state({ duty: 1 }), { targetPercent: null }).a).toBeUndefined();
    // a new process of that miner owes nothing to the old one's state
    expect(step(state({ touched: true }), { targetPercent: null, generation: 2 }).a).toBeUndefined();
  });

  it('pulses alone count as touched: ending the budget then hands the miner its own knobs', () => {
    // knobs were just changed, so only the duty can act on this over-use
    const r = step(state({ threads: 1, lastKnobChangeAt: NOW - 500 }), {
      targetPercent: 10,
      usagePercent: 50,
      threads: 1,
    });
    expect(r.a!.knobs).toBeUndefined();
    expect(r.a!.duty).toBeLessThan(1);
    expect(step(r.s, { targetPercent: null }, P, NOW + 1000).a).toEqual({
      id: 'm',
      knobs: 'baseline',
      duty: 1,
      hold: null,
    });
  });
});

describe('stepBudget: what it learns from measurements', () => {
  it('a thread cost moves 40 % of the way to what is measured per thread and per mined time', () => {
    expect(step(undefined, { targetPercent: 90, usagePercent: 30 }).s!.costPerThread).toBeCloseTo(36);
    expect(
      step(undefined, { targetPercent: 90, usagePercent: 15, onFraction: 0.5 }).s!.costPerThread,
    ).toBeCloseTo(36);
  });

  it('learns nothing from a mostly paused interval, a knob change in flight or a miner with no thread', () => {
    expect(step(undefined, { targetPercent: 90, usagePercent: 5, onFraction: 0.25 }).s!.costPerThread).toBe(
      50,
    );
    expect(step(undefined, { targetPercent: 90, usagePercent: 5, applying: true }).s!.costPerThread).toBe(50);
    expect(step(undefined, { targetPercent: 90, usagePercent: 5, threads: 0 }).s!.costPerThread).toBe(50);
  });

  it('the learnt cost stays between 15 % and 130 % of a full thread', () => {
    expect(step(state({ costPerThread: 8 }), { targetPercent: 90, usagePercent: 0 }).s!.costPerThread).toBe(
      7.5,
    );
    expect(
      step(state({ costPerThread: 60 }), { targetPercent: 90, usagePercent: 200 }).s!.costPerThread,
    ).toBe(65);
  });

  it('while a change is applied, the threads it asked for count, not the ones still running', () => {
    const r = step(state({ threads: 1, lastKnobChangeAt: NOW - 500 }), {
      targetPercent: 50,
      threads: 2,
      applying: true,
    });
    expect(r.a!.hold!.threads).toBe(1);
    // once applied, what the miner runs counts (it may have been changed from outside)
    const after = step(state({ threads: 1, lastKnobChangeAt: NOW - 500 }), { targetPercent: 90, threads: 2 });
    expect(after.a!.hold!.threads).toBe(2);
  });
});

describe('stepBudget: over and under target', () => {
  it('exactly target + deadband is not over: no priority change, no pulses', () => {
    const r = step(state({ threads: 1 }), { targetPercent: 40, usagePercent: 43, threads: 1, maxThreads: 2 });
    expect(r.a).toStrictEqual({
      id: 'm',
      duty: 1,
      hold: { targetPercent: 40, threads: 1, duty: 1, stage: 'threads' },
    });
  });

  it('under target starts the clock for giving back; on target, at the deadband or unmeasured does not', () => {
    expect(step(undefined, { targetPercent: 90, usagePercent: 50 }).s!.underSince).toBe(NOW);
    expect(
      step(state({ underSince: NOW - 700 }), { targetPercent: 90, usagePercent: 50 }).s!.underSince,
    ).toBe(NOW - 700);
    expect(step(undefined, { targetPercent: 90, usagePercent: 87 }).s!.underSince).toBeNull();
    expect(step(undefined, { targetPercent: 90, usagePercent: 90 }).s!.underSince).toBeNull();
    expect(step(state({ underSince: NOW - 700 }), { targetPercent: 90 }).s!.underSince).toBeNull();
  });
});

describe('stepBudget: when knobs may change', () => {
  const over = { targetPercent: 50, usagePercent: 100 };
  it('not while a change is applied, and not sooner than the knob interval after the last one', () => {
    expect(step(undefined, { ...over, applying: true }).a!.knobs).toBeUndefined();
    expect(step(state({ lastKnobChangeAt: NOW - 1999 }), over).a!.knobs).toBeUndefined();
    expect(step(state({ lastKnobChangeAt: NOW - 2000 }), over).a!.knobs).toEqual({
      threads: 1,
      lowPriority: false,
    });
  });

  it('before any measurement the model decides: threads go only when they would exceed the share', () => {
    // 2 threads x 50 = 100 is not over 50 + 50
    expect(step(undefined, { targetPercent: 50 }, { ...P, deadband: 50 }).a!.knobs).toBeUndefined();
    expect(step(undefined, { targetPercent: 50 }, { ...P, deadband: 49 }).a!.knobs).toEqual({
      threads: 1,
      lowPriority: false,
    });
  });

  it('measured under its share with fewer threads wanted, it keeps them (others take the CPU)', () => {
    // the interval was mostly paused, so the cost is not learnt and the model still wants one thread
    const r = step(state({ underSince: NOW - 5000, duty: 0.2 }), {
      targetPercent: 25,
      usagePercent: 5,
      onFraction: 0.2,
    });
    expect(r.a!.knobs).toBeUndefined();
    expect(r.s!.threads).toBe(2);
  });

  it('more than a thread over its share keeps its threads and pulses instead of the idle priority', () => {
    const r = step(undefined, { targetPercent: 75, usagePercent: 100 });
    expect(r.a!.knobs).toBeUndefined();
    expect(r.a!.duty).toBeCloseTo(0.75);
    expect(r.a!.hold!.stage).toBe('pulse');
  });

  it('the idle priority alone when it already runs one thread', () => {
    const r = step(state({ threads: 1, touched: true }), { targetPercent: 25, usagePercent: 50, threads: 1 });
    expect(r.a!.knobs).toEqual({ threads: 1, lowPriority: true });
    expect(r.s).toMatchObject({ lowPriority: true, lastKnobChangeAt: NOW });
  });

  it('the idle priority is for a single thread: a miner running none yet keeps its priority', () => {
    const r = step(state({ threads: 0 }), { targetPercent: 20, usagePercent: 30, threads: 0 });
    expect(r.a!.knobs).toBeUndefined();
    expect(r.s!.lowPriority).toBe(false);
  });

  it('the idle priority only below 0.95 of a thread', () => {
    const at = step(undefined, { targetPercent: 47.5 }, { ...P, deadband: 10 }).a!;
    expect(at.knobs).toEqual({ threads: 1, lowPriority: false });
    const below = step(undefined, { targetPercent: 47 }, { ...P, deadband: 10 }).a!;
    expect(below.knobs).toEqual({ threads: 1, lowPriority: true });
  });
});

describe('stepBudget: giving back', () => {
  const cores4 = { ...P, cores: 4 };
  it('one thread at a time, once under target for raiseAfterMs', () => {
    const s = state({ costPerThread: 25, threads: 1, touched: true, lowPriority: false });
    const o = { targetPercent: 100, usagePercent: 10, threads: 1, maxThreads: 4 };
    expect(step({ ...s, underSince: NOW - 3000 }, o, cores4).a!.knobs).toEqual({
      threads: 2,
      lowPriority: false,
    });
    expect(step({ ...s, underSince: NOW - 2999 }, o, cores4).a!.knobs).toBeUndefined();
    expect(step({ ...s, underSince: null }, o, cores4).a!.knobs).toBeUndefined();
  });

  it('not while on target, even when the model would allow more threads', () => {
    const r = step(state({ threads: 1, touched: true }), {
      targetPercent: 100,
      usagePercent: 98,
      threads: 1,
    });
    expect(r.a!.knobs).toBeUndefined();
  });

  it('the normal priority from 1.1 threads of share, once under target long enough', () => {
    const s = state({ threads: 1, lowPriority: true, touched: true, underSince: NOW - 5000, duty: 0.2 });
    const o = { usagePercent: 5, onFraction: 0.2, threads: 1, maxThreads: 1 };
    expect(step(s, { ...o, targetPercent: 55 }).a!.knobs).toEqual({ threads: 1, lowPriority: false });
    expect(step(s, { ...o, targetPercent: 54 }).a!.knobs).toBeUndefined();
    // on target (not under): it stays at the idle priority
    const onTarget = step(
      { ...s, underSince: null, duty: 1 },
      { threads: 1, maxThreads: 1, targetPercent: 60, usagePercent: 58 },
    );
    expect(onTarget.a!.knobs).toBeUndefined();
    expect(onTarget.s!.lowPriority).toBe(true);
  });

  it('the miner its own knobs once the budget no longer limits it', () => {
    const s = state({ threads: 2, touched: true });
    expect(step(s, { targetPercent: 100, usagePercent: 95 }).a!.knobs).toBe('baseline');
    // a share smaller than its threads at full speed keeps the budget's knobs
    expect(step(s, { targetPercent: 90, usagePercent: 88 }).a!.knobs).toBeUndefined();
    // still pulsed, or the idle priority: not yet
    expect(
      step({ ...s, duty: 0.9 }, { targetPercent: 100, usagePercent: 95, onFraction: 0.9 }).a!.knobs,
    ).not.toBe('baseline');
    expect(step({ ...s, lowPriority: true }, { targetPercent: 100, usagePercent: 95 }).a!.knobs).not.toBe(
      'baseline',
    );
    // unmeasured, at exactly its threads' worth: back to its own knobs; still pulsed or one thread short: not
    expect(step(s, { targetPercent: 100 }).a!.knobs).toBe('baseline');
    expect(step({ ...s, duty: 0.9 }, { targetPercent: 100 }).a!.knobs).toBeUndefined();
    expect(step({ ...s, threads: 1 }, { targetPercent: 100, threads: 1 }).a!.knobs).toBeUndefined();
    // fewer threads than it may run: a thread first
    expect(
      step({ ...s, threads: 1, underSince: NOW - 5000 }, { targetPercent: 100, usagePercent: 45, threads: 1 })
        .a!.knobs,
    ).toEqual({ threads: 2, lowPriority: false });
  });
});

describe('stepBudget: the duty cycle', () => {
  it('integrates the relative error over the elapsed time while pulsing', () => {
    const s = state({
      threads: 1,
      lowPriority: true,
      duty: 0.5,
      lastKnobChangeAt: NOW - 500,
      lastStepAt: NOW - 2000,
    });
    const r = step(s, { targetPercent: 25, usagePercent: 30, onFraction: 0.5, threads: 1 });
    // cost 0.6 x 50 + 0.4 x 60 = 54; error (25 - 30) / 54 over 2 s at ki 0.6
    expect(r.s!.costPerThread).toBeCloseTo(54);
    expect(r.s!.integral).toBeCloseTo((0.6 * -5 * 2) / 54);
    expect(r.a!.duty).toBeCloseTo(25 / 54 + (0.6 * -5 * 2) / 54);
  });

  it('at most 5 s of integration from one step', () => {
    const s = state({
      threads: 1,
      lowPriority: true,
      duty: 0.5,
      lastKnobChangeAt: NOW - 500,
      lastStepAt: NOW - 60_000,
    });
    const r = step(s, { targetPercent: 25, usagePercent: 30, onFraction: 0.5, threads: 1 });
    expect(r.s!.integral).toBeCloseTo((0.6 * -5 * 5) / 54);
  });

  it('keeps a positive integral while pulsing below a whole thread', () => {
    const s = state({ threads: 1, duty: 0.7, lastKnobChangeAt: NOW - 500 });
    const r = step(s, { targetPercent: 45, usagePercent: 43, onFraction: 0.86, threads: 1 });
    expect(r.s!.integral).toBeGreaterThan(0);
    expect(r.a!.duty).toBeCloseTo(45 / r.s!.costPerThread + r.s!.integral);
  });

  it('a full duty clears a positive integral', () => {
    const s = state({ threads: 1, duty: 0.7, integral: 0.3, lastKnobChangeAt: NOW - 500 });
    const r = step(s, { targetPercent: 45, usagePercent: 35, onFraction: 0.7, threads: 1 });
    expect(r.a!.duty).toBe(1);
    expect(r.s!.integral).toBe(0);
  });

  it('a negative integral holds a pulsed miner below its whole threads until it is under target', () => {
    const s = state({
      threads: 1,
      duty: 0.7,
      integral: -0.3,
      lastStepAt: NOW - 500,
      lastKnobChangeAt: NOW - 500,
    });
    const o = { targetPercent: 60, threads: 1, maxThreads: 1, onFraction: 0.7 };
    const under = step(s, { ...o, usagePercent: 35 });
    // under target: the integral winds back up (error (60 - 35) / 50 for 0.5 s)
    expect(under.s!.integral).toBeCloseTo(-0.3 + 0.6 * 0.5 * 0.5);
    expect(under.a!.duty).toBeCloseTo(0.85);
    // on target with a whole thread: nothing to integrate, the pulses stay as they are (a mostly
    // paused interval teaches no cost, so the model still wants a whole thread)
    const on = step(s, { ...o, usagePercent: 58, onFraction: 0.25 });
    expect(on.s!.integral).toBe(-0.3);
    expect(on.a!.duty).toBeCloseTo(0.7);
  });

  it('whole threads on target need no pulses and no integral', () => {
    // a thread learnt cheaper than the share: the model says one whole thread is enough
    const r = step(state({ threads: 1, costPerThread: 45, integral: 0, lastKnobChangeAt: NOW - 500 }), {
      targetPercent: 50,
      usagePercent: 52,
      threads: 1,
    });
    expect(r.s!.integral).toBe(0);
    expect(r.a!.duty).toBe(1);
  });

  it('whole threads measured over their share: the integral alone starts the pulses', () => {
    const r = step(state({ threads: 1, lastKnobChangeAt: NOW - 500 }), {
      targetPercent: 60,
      usagePercent: 70,
      threads: 1,
    });
    // cost 0.6 x 50 + 0.4 x 70 = 58: 60 / 58 is more than the thread, so only the error counts
    expect(r.s!.integral).toBeCloseTo((0.6 * -10) / 58);
    expect(r.a!.duty).toBeCloseTo(1 + (0.6 * -10) / 58);
  });

  it('a knob change restarts the duty from the model alone (the measurement predates the change)', () => {
    const r = step(state({ threads: 1, lowPriority: false, duty: 0.8, integral: -0.1 }), {
      targetPercent: 25,
      usagePercent: 40,
      onFraction: 0.8,
      threads: 1,
    });
    expect(r.a!.knobs).toEqual({ threads: 1, lowPriority: true });
    expect(r.s!.integral).toBe(0);
    expect(r.a!.duty).toBeCloseTo(25 / 50);
  });

  it('no integration while mining fully and under target (no wind-up)', () => {
    const s = state({ threads: 1, duty: 1, integral: -0.2, lastKnobChangeAt: NOW - 500 });
    const r = step(s, { targetPercent: 40, usagePercent: 30, threads: 1 });
    expect(r.s!.integral).toBe(-0.2);
    expect(r.a!.duty).toBe(1);
  });

  it('no integration while fully paused and still over target (no wind-down)', () => {
    const s = state({ threads: 1, lowPriority: true, duty: 0, integral: -0.1, lastKnobChangeAt: NOW - 500 });
    const r = step(s, { targetPercent: 5, usagePercent: 20, onFraction: 0.1, threads: 1 });
    expect(r.s!.integral).toBe(-0.1);
    expect(r.a!.duty).toBe(0);
  });

  it('integrates while fully paused once under target, and while mining fully once over it', () => {
    const paused = step(
      state({ threads: 1, lowPriority: true, duty: 0, integral: -0.3, lastKnobChangeAt: NOW - 500 }),
      {
        targetPercent: 20,
        usagePercent: 0,
        onFraction: 0,
        threads: 1,
      },
    );
    expect(paused.s!.integral).toBeCloseTo(-0.3 + (0.6 * 20) / 50);
    const full = step(state({ threads: 1, lastKnobChangeAt: NOW - 500 }), {
      targetPercent: 40,
      usagePercent: 50,
      threads: 1,
    });
    expect(full.s!.integral).toBeCloseTo((0.6 * -10) / 50);
    expect(full.a!.duty).toBeCloseTo(40 / 50 + (0.6 * -10) / 50);
  });

  it('starts pulsing with a knob change only when the remaining threads would still be over', () => {
    // 1 thread x 50 is over 48.5 + 1: pulse at the share a thread can give
    const over = step(undefined, { targetPercent: 48.5 }, { ...P, deadband: 1 }).a!;
    expect(over.knobs).toEqual({ threads: 1, lowPriority: false });
    expect(over.duty).toBeCloseTo(0.97);
    // 1 thread x 50 is exactly 48.5 + 1.5: within
    expect(step(undefined, { targetPercent: 48.5 }, { ...P, deadband: 1.5 }).a!.duty).toBe(1);
    // a new process given back its own knobs is not pulsed by the model
    const s = state({ threads: 2, touched: true });
    expect(step(s, { targetPercent: 100, usagePercent: 95 }, { ...P, deadband: 0 }).a).toMatchObject({
      knobs: 'baseline',
      duty: 1,
    });
  });

  it('never pulses for a few percent, and pauses fully below 2 %', () => {
    expect(step(undefined, { targetPercent: 49 }, { ...P, deadband: 0.5 }).a!.duty).toBe(1);
    expect(step(undefined, { targetPercent: 1 }).a!.duty).toBeCloseTo(0.02);
    expect(step(undefined, { targetPercent: 0.5 }).a!.duty).toBe(0);
  });

  it('keeps the learnt cost out of the feed-forward of a miner at zero threads', () => {
    const r = step(state({ threads: 0, lastKnobChangeAt: NOW - 500 }), {
      targetPercent: 20,
      usagePercent: 30,
      threads: 0,
    });
    // the relative error is per thread (at least one): (20 - 30) / 50
    expect(r.s!.integral).toBeCloseTo((0.6 * -10) / 50);
    expect(r.a!.duty).toBeCloseTo(20 / 50 + (0.6 * -10) / 50);
  });
});
