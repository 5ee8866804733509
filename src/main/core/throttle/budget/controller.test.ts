// The budget controller against a simulated miner (a plant: each thread burns `perThread` % of the
// machine while not paused, knob changes take one step to apply), on an injected clock.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, stepBudget, type BudgetAction, type BudgetState } from './controller';

interface Plant {
  threads: number;
  lowPriority: boolean;
  duty: number;
  applyingUntil: number;
}

/** Runs the loop for `seconds` at 1 Hz; returns the usage series and every action taken. */
function simulate(opts: {
  target: (t: number) => number | null;
  seconds: number;
  cores?: number;
  maxThreads?: number;
  perThread?: (lowPriority: boolean) => number;
  noise?: number;
}) {
  const cores = opts.cores ?? 2;
  const perThread = opts.perThread ?? (() => 100 / cores);
  const plant: Plant = { threads: opts.maxThreads ?? cores, lowPriority: false, duty: 1, applyingUntil: 0 };
  let state: BudgetState = new Map();
  const usage: number[] = [];
  const actions: (BudgetAction & { t: number })[] = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
  for (let t = 1; t <= opts.seconds; t++) {
    const now = t * 1000;
    const u = Math.max(
      0,
      plant.threads * perThread(plant.lowPriority) * plant.duty + (opts.noise ?? 1) * rnd(),
    );
    usage.push(u);
    const r = stepBudget(
      state,
      now,
      [
        {
          id: 'm',
          generation: 1,
          targetPercent: opts.target(t),
          usagePercent: u,
          onFraction: plant.duty,
          threads: plant.threads,
          maxThreads: opts.maxThreads ?? cores,
          applying: now < plant.applyingUntil,
        },
      ],
      { ...DEFAULT_PARAMS, cores },
    );
    state = r.state;
    for (const a of r.actions) {
      actions.push({ ...a, t });
      if (a.knobs === 'baseline') {
        plant.threads = opts.maxThreads ?? cores;
        plant.lowPriority = false;
        plant.applyingUntil = now + 500;
      } else if (a.knobs) {
        plant.threads = a.knobs.threads;
        plant.lowPriority = a.knobs.lowPriority;
        plant.applyingUntil = now + 500;
      }
      plant.duty = a.duty;
    }
  }
  return { usage, actions, plant };
}

const settleAndError = (usage: number[], target: number, band = 5) => {
  let settle = usage.length;
  for (let i = usage.length - 1; i >= 0 && Math.abs(usage[i]! - target) <= band; i--) settle = i;
  const tail = usage.slice(-30);
  return { settle, mae: tail.reduce((a, u) => a + Math.abs(u - target), 0) / tail.length };
};

describe('stepBudget', () => {
  it.each([25, 50, 75])(
    'drives a 2-core miner from 100 into a budget of %i (% of the machine) within 15 s, error under 5 points',
    (target) => {
      const { usage } = simulate({ target: () => target, seconds: 45 });
      const { settle, mae } = settleAndError(usage, target);
      expect(settle).toBeLessThanOrEqual(15);
      expect(mae).toBeLessThan(5);
    },
  );

  it('uses fewer threads first, then the idle priority, and pauses (pulses) only for what remains', () => {
    const half = simulate({ target: () => 50, seconds: 20 });
    // 50 % of 2 cores = one whole thread: no pulses, no priority change
    expect(half.plant).toMatchObject({ threads: 1, lowPriority: false, duty: 1 });
    expect(half.actions.every((a) => a.duty === 1)).toBe(true);
    const quarter = simulate({ target: () => 25, seconds: 20 });
    const firstKnob = quarter.actions.find((a) => a.knobs)!;
    expect(firstKnob.knobs).toEqual({ threads: 1, lowPriority: true });
    expect(quarter.plant.duty).toBeGreaterThan(0.35);
    expect(quarter.plant.duty).toBeLessThan(0.65);
    expect(quarter.actions.at(-1)!.hold).toMatchObject({ stage: 'pulse', threads: 1, targetPercent: 25 });
  });

  it('learns that a contended thread costs less and pulses less for it', () => {
    // another program takes half of each core from the idle-priority miner
    const contended = simulate({ target: () => 25, seconds: 30, perThread: (low) => (low ? 25 : 50) });
    expect(contended.plant.duty).toBeGreaterThan(0.85);
    expect(settleAndError(contended.usage, 25).mae).toBeLessThan(5);
  });

  it('a miner that already uses less than its share (others take the CPU) keeps its threads', () => {
    const starved = simulate({ target: () => 25, seconds: 20, perThread: () => 6 });
    expect(starved.actions.filter((a) => a.knobs)).toEqual([]);
    expect(starved.plant).toMatchObject({ threads: 2, lowPriority: false, duty: 1 });
  });

  it('hysteresis: a noisy measurement around the target does not flap the thread count', () => {
    const { actions } = simulate({ target: () => 50, seconds: 60, noise: 4 });
    const knobChanges = actions.filter((a) => a.knobs);
    expect(knobChanges, JSON.stringify(knobChanges)).toHaveLength(1);
  });

  it('gives threads and priority back when the budget rises, then the miner its own knobs when it ends', () => {
    const { actions, plant } = simulate({
      target: (t) => (t <= 20 ? 25 : t <= 50 ? 100 : null),
      seconds: 60,
    });
    const raised = actions.filter((a) => a.t > 20 && a.t <= 50 && a.knobs);
    expect(raised.length).toBeGreaterThanOrEqual(1);
    expect(plant).toMatchObject({ threads: 2, lowPriority: false, duty: 1 });
    expect(
      actions.filter((a) => a.knobs === 'baseline'),
      JSON.stringify(actions.filter((a) => a.knobs)),
    ).toHaveLength(1);
    // the budget off: the miner already has its knobs back, so nothing is done to it any more
    expect(actions.filter((a) => a.t > 50)).toEqual([]);
  });

  it('a budget the miner cannot reach (it uses less) changes nothing', () => {
    const { actions } = simulate({ target: () => 90, seconds: 10, cores: 2, maxThreads: 1 });
    expect(actions.every((a) => a.knobs === undefined && a.duty === 1)).toBe(true);
    expect(actions.at(-1)!.hold).toMatchObject({ stage: 'within' });
  });

  it('a zero share pauses it fully; a new process starts from scratch', () => {
    const zero = simulate({ target: () => 0, seconds: 10 });
    expect(zero.plant.duty).toBe(0);
    const params = { ...DEFAULT_PARAMS, cores: 2 };
    const obs = { id: 'm', targetPercent: 25, onFraction: 1, threads: 2, maxThreads: 2, applying: false };
    const first = stepBudget(new Map(), 1000, [{ ...obs, generation: 1, usagePercent: 100 }], params);
    expect(first.state.get('m')).toMatchObject({ threads: 1, lowPriority: true, touched: true });
    const second = stepBudget(first.state, 2000, [{ ...obs, generation: 2, usagePercent: null }], params);
    // the learnt cost is forgotten; the model alone (2 threads x 50 > 25) limits the new process at once
    expect(second.state.get('m')).toMatchObject({
      generation: 2,
      costPerThread: 50,
      threads: 1,
      integral: 0,
    });
  });
});
