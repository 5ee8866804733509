// One injectable clock for all of core: wall time, cancellable timers and abortable sleeps. Policies
// (watchdog, history maintenance) take a Clock, so tests drive them with FakeClock instead of waiting.

/** A scheduled callback; cancel() is idempotent and safe after the timer has fired. */
export interface TimerHandle {
  cancel(): void;
  /** False once cancelled, or once a one-shot timer has fired. */
  readonly active: boolean;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch (what samples, files and markers are stamped with). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Resolves after `ms`; rejects with the signal's reason (an AbortError) as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** sleep() in terms of a clock's own setTimeout, so the real and the fake clock abort the same way. */
function sleepOn(clock: Pick<Clock, 'setTimeout'>, ms: number, signal?: AbortSignal): Promise<void> {
  // An aborted signal always has a reason (an AbortError DOMException unless abort() was given one).
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(signal!.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, a signal aborts (and fires) only once
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RealClockOptions {
  /**
   * Unref'd timers do not keep the process alive (the default: core's loops must never block an exit;
   * the app's servers and windows keep it running).
   */
  unref?: boolean;
}

export function createRealClock(options: RealClockOptions = {}): Clock {
  const unref = options.unref ?? true;
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      let active = true;
      const t = setTimeout(
        () => {
          active = false;
          fn();
        },
        Math.max(0, ms),
      );
      if (unref) t.unref?.();
      return {
        cancel() {
          active = false;
          clearTimeout(t);
        },
        get active() {
          return active;
        },
      };
    },
    setInterval(fn, ms) {
      let active = true;
      const t = setInterval(fn, Math.max(1, ms));
      if (unref) t.unref?.();
      return {
        cancel() {
          active = false;
          clearInterval(t);
        },
        get active() {
          return active;
        },
      };
    },
    sleep: (ms, signal) => sleepOn(clock, ms, signal),
  };
  return clock;
}

/** The process-wide real clock (unref'd timers). */
export const realClock: Clock = createRealClock();

interface FakeTimer {
  due: number;
  /** 0 for one-shot timers. */
  period: number;
  fn: () => void;
  active: boolean;
}

/** Lets every pending promise continuation (and any I/O callback already queued) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock for tests: time stands still until advance() moves it. Due timers run in time order (ties in
 * the order they were set), and between two timers the promise continuations they started get to run,
 * so `await clock.sleep(2000); doMore()` inside the code under test behaves as it would for real.
 */
// Stryker disable all: the test double every time-based test runs on; a mutant in its advance loop spins
// forever in all of them at once (runaway memory took the whole machine down twice). Its own contract is
// pinned by test/core/clock.test.ts.
export class FakeClock implements Clock {
  private time: number;
  private timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, Math.max(0, ms), 0);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const period = Math.max(1, ms);
    return this.add(fn, period, period);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Timers still waiting to fire. */
  get pending(): number {
    // (a timer leaves the list when it is cancelled or, if one-shot, when it fires)
    return this.timers.length;
  }

  /** When the next timer is due, or null when none is pending. */
  nextDue(): number | null {
    const next = this.peek();
    return next ? next.due : null;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`FakeClock.advance needs a non-negative duration, got ${ms}`);
    await this.advanceTo(this.time + ms);
  }

  /** Moves time to `target` (never backwards), running due timers in order. */
  async advanceTo(target: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.peek();
      if (!next || next.due > target) break;
      this.time = Math.max(this.time, next.due);
      if (next.period > 0) next.due += next.period;
      else {
        next.active = false;
        this.timers = this.timers.filter((t) => t !== next);
      }
      next.fn();
      await settle();
    }
    this.time = Math.max(this.time, target);
    await settle();
  }

  /** Runs timers until none is due within `limitMs` from now (guards against an endless interval). */
  async runAll(limitMs = 24 * 3600_000): Promise<void> {
    const end = this.time + limitMs;
    for (let next = this.nextDue(); next !== null && next <= end; next = this.nextDue()) {
      await this.advanceTo(next);
    }
  }

  private add(fn: () => void, delay: number, period: number): TimerHandle {
    const timer: FakeTimer = { due: this.time + delay, period, fn, active: true };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.active = false;
        this.timers = this.timers.filter((t) => t !== timer);
      },
      get active() {
        return timer.active;
      },
    };
  }

  /** The first timer due; of equal ones the first set (the list keeps the order they were set in). */
  private peek(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (!best || t.due < best.due) best = t;
    }
    return best;
  }
}
// Stryker restore all
