// At most one call per interval, with a trailing call so the last change is never lost: the tray
// tooltip follows the stats ticks without being rewritten more than once a second.

export interface Throttled {
  (): void;
  /** Drops a pending trailing call (on shutdown). */
  cancel(): void;
}

export interface ThrottleClock {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function throttle(fn: () => void, intervalMs: number, clock: ThrottleClock = realClock): Throttled {
  let last = Number.NEGATIVE_INFINITY;
  let timer: unknown = null;

  const run = (): void => {
    timer = null;
    last = clock.now();
    fn();
  };

  const throttled = (): void => {
    if (timer !== null) return; // a trailing call is already due and will see the latest state
    const wait = last + intervalMs - clock.now();
    if (wait <= 0) run();
    else timer = clock.setTimeout(run, wait);
  };
  throttled.cancel = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
