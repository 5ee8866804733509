// The CPU budget controller, a pure function of (state, clock, observations) -> (state, knob changes).
// Order of means: fewer threads first, then the idle priority, then pausing in pulses (a duty cycle) as
// the last resort; hysteresis on every step; it never asks for a restart (XMRig changes all of these live).
import type { BudgetHold } from '../../../../shared/model';

export interface BudgetObservation {
  id: string;
  /** A new process starts from scratch (its thread cost is learnt again). */
  generation: number;
  /** This miner's share of the budget, % of the machine; null = not limited. */
  targetPercent: number | null;
  /** Measured % of the machine over the last interval; null while unknown. */
  usagePercent: number | null;
  /** Share of the last interval it was not paused by the budget's pulses (1 when not pulsing). */
  onFraction: number;
  /** Threads it runs now, and at most (its own profile's count, or XMRig's automatic one). */
  threads: number;
  maxThreads: number;
  /** A knob change is still being applied: measurements do not reflect the knobs yet. */
  applying: boolean;
}

export interface BudgetAction {
  id: string;
  /** Threads to run (a fixed count), or 'baseline' for the miner's own knobs (threads, hint, priority). */
  knobs?: { threads: number; lowPriority: boolean } | 'baseline';
  /** Share of time to mine (1 = never paused by the budget, 0 = paused). */
  duty: number;
  hold: BudgetHold | null;
}

export interface MinerBudgetState {
  generation: number;
  /** Learnt cost of one thread at full duty, % of the machine. */
  costPerThread: number;
  threads: number;
  lowPriority: boolean;
  duty: number;
  integral: number;
  lastKnobChangeAt: number;
  underSince: number | null;
  lastStepAt: number;
  /** True once the budget changed a knob (so it has something to give back). */
  touched: boolean;
}

export type BudgetState = Map<string, MinerBudgetState>;

export interface ControllerParams {
  /** Logical cores: a thread at full speed costs about 100 / cores % of the machine. */
  cores: number;
  /** Error that counts as on target (percentage points). */
  deadband: number;
  /** Time under target before a thread (or the normal priority) is given back. */
  raiseAfterMs: number;
  /** Minimum time between knob changes of one miner (a reload, then a clean measurement). */
  knobIntervalMs: number;
  /** Integral gain, duty per second per unit of relative error. */
  ki: number;
}

export const DEFAULT_PARAMS: Omit<ControllerParams, 'cores'> = {
  deadband: 3,
  raiseAfterMs: 3000,
  knobIntervalMs: 2000,
  ki: 0.6,
};

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function stageOf(s: MinerBudgetState, maxThreads: number): BudgetHold['stage'] {
  if (s.duty < 1) return 'pulse';
  if (s.lowPriority) return 'priority';
  if (s.threads < maxThreads) return 'threads';
  return 'within';
}

export function stepBudget(
  previous: BudgetState,
  now: number,
  observations: readonly BudgetObservation[],
  params: ControllerParams,
): { state: BudgetState; actions: BudgetAction[] } {
  const state: BudgetState = new Map();
  const actions: BudgetAction[] = [];
  const fullThread = 100 / Math.max(1, params.cores);

  for (const o of observations) {
    let s = previous.get(o.id);
    if (s && s.generation !== o.generation) s = undefined;

    if (o.targetPercent === null) {
      // No budget (any more): give back whatever was taken, then forget the miner.
      if (s?.touched) actions.push({ id: o.id, knobs: 'baseline', duty: 1, hold: null });
      else if (s && s.duty < 1) actions.push({ id: o.id, duty: 1, hold: null });
      continue;
    }
    const T = o.targetPercent;
    s = s
      ? { ...s }
      : {
          generation: o.generation,
          costPerThread: fullThread,
          threads: o.threads,
          lowPriority: false,
          duty: 1,
          integral: 0,
          lastKnobChangeAt: -Infinity,
          underSince: null,
          lastStepAt: now,
          touched: false,
        };
    const dt = clamp((now - s.lastStepAt) / 1000, 0, 5);
    s.lastStepAt = now;
    if (!o.applying) s.threads = o.threads;
    const measured = o.usagePercent !== null && !o.applying;

    // Learn what one thread really costs here (another program, or the idle priority, takes its share).
    if (measured && o.onFraction > 0.25 && s.threads > 0) {
      const observed = o.usagePercent! / (s.threads * o.onFraction);
      s.costPerThread = clamp(0.6 * s.costPerThread + 0.4 * observed, 0.15 * fullThread, 1.3 * fullThread);
    }
    const c = s.costPerThread;
    const wanted = T / c; // thread-equivalents at full duty
    const desired = clamp(Math.ceil(wanted - 0.05), 1, o.maxThreads);
    const over = measured && o.usagePercent! > T + params.deadband;
    const under = measured && o.usagePercent! < T - params.deadband;
    s.underSince = under ? (s.underSince ?? now) : null;
    const knobsFree = !o.applying && now - s.lastKnobChangeAt >= params.knobIntervalMs;

    let knobs: BudgetAction['knobs'] | undefined;
    let threads = s.threads;
    let lowPriority = s.lowPriority;
    if (knobsFree) {
      const sustainedUnder = s.underSince !== null && now - s.underSince >= params.raiseAfterMs;
      // Escalate on what is measured, not on the model alone: a miner that already uses less than its
      // share (another program takes the CPU) keeps its threads. Before any measurement the model decides.
      const tooMuch = measured ? over : s.threads * c > T + params.deadband;
      // Down to the desired count at once; back up one thread at a time.
      if (tooMuch) threads = Math.min(threads, desired);
      else if (sustainedUnder) threads = Math.max(threads, Math.min(desired, threads + 1));
      // One thread still costs more than the budget: the idle priority next (it yields to everything else).
      if (threads === 1 && wanted < 0.95 && !lowPriority && tooMuch) lowPriority = true;
      else if (lowPriority && wanted >= 1.1 && sustainedUnder) lowPriority = false;
      // Back at full strength: hand the miner its own knobs again (its thread choice, its priority).
      if (
        s.touched &&
        threads >= o.maxThreads &&
        !lowPriority &&
        s.duty >= 1 &&
        threads === s.threads &&
        !s.lowPriority &&
        wanted >= o.maxThreads
      ) {
        knobs = 'baseline';
        s.touched = false;
        s.lastKnobChangeAt = now;
      } else if (threads !== s.threads || lowPriority !== s.lowPriority) {
        knobs = { threads, lowPriority };
        s.threads = threads;
        s.lowPriority = lowPriority;
        s.lastKnobChangeAt = now;
        s.touched = true;
        s.integral = 0;
      }
    }

    // The duty cycle covers what whole threads cannot: feed-forward from the model, integral on the error.
    const feedForward = clamp(wanted / Math.max(1, s.threads), 0, 1);
    // Whole threads on target (within the deadband) need no pulses: only integrate real errors then. (Under
    // target over whole threads, a positive integral only gives a duty of 1, which clears it below.)
    const integrate = measured && (feedForward < 1 || over || under);
    if (integrate && knobs === undefined) {
      const error = (T - o.usagePercent!) / (Math.max(1, s.threads) * c);
      // No wind-up: at full duty the integral may not grow, fully paused it may not shrink.
      const high = s.duty >= 1 ? s.integral : 0.5;
      const low = s.duty <= 0 ? s.integral : -0.5;
      s.integral = clamp(s.integral + params.ki * error * dt, low, high);
    }
    // (A positive integral over whole threads needs no reset here: the duty is then 1, which clears it below.)
    let duty = clamp(feedForward + s.integral, 0, 1);
    // Start pulsing only when the miner is measured over its share, or the threads just given up cannot
    // bring it there; a model estimate alone never pauses a miner that is on target. ('baseline' passes
    // the last test never: it is only given when the share covers all the miner's threads.)
    const startPulsing = over || (knobs !== undefined && s.threads * c > T + params.deadband);
    if (s.duty >= 1 && !startPulsing) duty = 1;
    // Pulses only when they buy something: never for a few percent.
    if (duty > 0.97) duty = 1;
    if (duty < 0.02) duty = 0;
    if (duty >= 1) s.integral = Math.min(0, s.integral);
    s.duty = duty;
    if (duty < 1) s.touched = true;

    state.set(o.id, s);
    actions.push({
      id: o.id,
      ...(knobs !== undefined ? { knobs } : {}),
      duty,
      hold: {
        targetPercent: Math.round(T * 10) / 10,
        threads: s.threads,
        duty: Math.round(duty * 100) / 100,
        stage: stageOf(s, o.maxThreads),
      },
    });
  }
  return { state, actions };
}
