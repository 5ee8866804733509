// Executes the budget's duty cycles: for a duty d, each period starts with the miner mining and pauses
// it after d x period. Commands to one miner run one at a time; what really happened (when each command
// took effect) is kept so the controller can tell the measured share of time it mined.

export interface PulserOptions {
  periodMs: number;
  /** Pause (true) or resume (false) the miner quietly; rejects when the miner did not take it. */
  setPaused: (id: string, paused: boolean) => Promise<void>;
  now: () => number;
  schedule: (fn: () => void, ms: number) => () => void;
}

interface Pulse {
  duty: number;
  /** Believed state after the last command that took effect. */
  paused: boolean;
  /** [time, paused] of each state change, oldest first (kept for a few periods). */
  changes: [number, boolean][];
  chain: Promise<void>;
  cancel: (() => void)[];
  cycleAt: number;
}

export class Pulser {
  private readonly pulses = new Map<string, Pulse>();

  constructor(private readonly opts: PulserOptions) {}

  /** duty 1: mine (stop pulsing); 0: stay paused; between: pulse. A new duty starts with the next period. */
  set(id: string, duty: number): void {
    let p = this.pulses.get(id);
    if (!p) {
      if (duty >= 1) return;
      p = {
        duty,
        paused: false,
        changes: [],
        chain: Promise.resolve(),
        // Stryker disable next-line ArrayDeclaration: equivalent, cycle() below replaces the list first
        cancel: [],
        cycleAt: 0,
      };
      this.pulses.set(id, p);
      p.duty = duty;
      this.cycle(id, p);
      return;
    }
    p.duty = duty;
    if (duty >= 1) {
      this.clearTimers(p);
      this.command(id, p, false).then(
        () => {
          if (this.pulses.get(id) === p && p.duty >= 1) this.pulses.delete(id);
        },
        () => {},
      );
    } else if (p.cancel.length === 0) {
      // Pulses back before the resume of a stop went through: the stop cleared the timers, start again.
      this.cycle(id, p);
    }
  }

  /** Stop pulsing without resuming: the user or a rule has taken the miner over. */
  forget(id: string): void {
    const p = this.pulses.get(id);
    if (!p) return;
    this.clearTimers(p);
    this.pulses.delete(id);
  }

  isPulsing(id: string): boolean {
    return this.pulses.has(id);
  }

  /** Share of [from, to] the miner was not paused by the pulses (1 when it is not pulsed). */
  onFraction(id: string, from: number, to: number): number {
    const p = this.pulses.get(id);
    if (!p || to <= from) return 1;
    let on = 0;
    let state = false;
    let at = from;
    // Each change counts from where it falls in the window: one before it sets the state at `from`, one
    // after it adds nothing.
    for (const [t, paused] of p.changes) {
      const within = Math.min(to, Math.max(from, t));
      if (!state) on += within - at;
      state = paused;
      at = within;
    }
    if (!state) on += to - at;
    return Math.min(1, Math.max(0, on / (to - from)));
  }

  dispose(): void {
    for (const p of this.pulses.values()) this.clearTimers(p);
    this.pulses.clear();
  }

  private cycle(id: string, p: Pulse): void {
    const start = this.opts.now();
    p.cycleAt = start;
    const period = this.opts.periodMs;
    p.cancel = [];
    if (p.duty <= 0) {
      void this.command(id, p, true).catch(() => {});
    } else {
      // (cycle runs only while 0 < duty < 1: a duty of 1 clears the timers.)
      void this.command(id, p, false).catch(() => {});
      p.cancel.push(
        this.opts.schedule(() => void this.command(id, p, true).catch(() => {}), p.duty * period),
      );
    }
    p.cancel.push(this.opts.schedule(() => this.cycle(id, p), period));
    this.trim(p, start - 10 * period);
  }

  private command(id: string, p: Pulse, paused: boolean): Promise<void> {
    const run = async () => {
      if (p.paused === paused) return;
      await this.opts.setPaused(id, paused);
      p.paused = paused;
      p.changes.push([this.opts.now(), paused]);
    };
    p.chain = p.chain.then(run, run);
    return p.chain;
  }

  private clearTimers(p: Pulse): void {
    for (const c of p.cancel) c();
    p.cancel = [];
  }

  private trim(p: Pulse, before: number): void {
    // keep the last change before the window so the state at its start is known
    while (p.changes.length > 1 && p.changes[1]![0] < before) p.changes.shift();
  }
}
