// Runs the pure watchdog policy of one miner on a Clock: owns the backoff timer and the periodic health
// check, performs kill/start through injected handlers, and reports every action with its reason.
import { DEFAULT_WATCHDOG_SETTINGS, type WatchdogSettings } from '../../../shared/watchdog-settings';
import type { Clock, TimerHandle } from '../util/clock';
import { initialWatchdogState, statusOf, step, type WatchdogState } from './policy';
import type { WatchdogAction, WatchdogEffect, WatchdogEvent, WatchdogStatus } from './types';

/** What the watchdog needs from the runtime (the manager, later): all it does goes through these. */
export interface WatchdogHandlers {
  /** Stop the current process of this miner for a restart (graceful, then the tree). */
  kill(reason: string): Promise<void>;
  /** Start the miner again; resolves once it runs (with its generation), rejects if the start failed. */
  start(reason: string): Promise<{ generation?: number } | void>;
  /** Every action, to log it and to draw it on the chart. */
  onAction(action: WatchdogAction): void;
  /** Crash loop: a desktop notification (optional: headless has none). */
  notify?(title: string, message: string): void;
  /** A handler that failed unexpectedly (kill threw): logged, never thrown into the caller. */
  onError?(err: unknown): void;
}

export interface WatchdogOptions {
  clock: Clock;
  handlers: WatchdogHandlers;
  settings?: WatchdogSettings;
  /** How often "no answer for T seconds" is checked while no request completes. */
  checkIntervalMs?: number;
}

export class MinerWatchdog {
  private state: WatchdogState = initialWatchdogState;
  private settings: WatchdogSettings;
  private restartTimer: TimerHandle | null = null;
  private checkTimer: TimerHandle | null = null;
  private pendingKill: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly clock: Clock;
  private readonly handlers: WatchdogHandlers;
  private readonly checkIntervalMs: number;

  constructor(options: WatchdogOptions) {
    this.clock = options.clock;
    this.handlers = options.handlers;
    this.settings = options.settings ?? DEFAULT_WATCHDOG_SETTINGS;
    this.checkIntervalMs = options.checkIntervalMs ?? 5000;
  }

  get status(): WatchdogStatus {
    return statusOf(this.state);
  }

  /** New settings apply from the next event on (a scheduled restart keeps its delay). */
  updateSettings(settings: WatchdogSettings): void {
    this.settings = settings;
  }

  dispatch(event: WatchdogEvent): void {
    if (this.disposed) return;
    const { state, effects, action } = step(this.state, event, this.settings);
    this.state = state;
    this.syncCheckTimer();
    if (action) this.safe(() => this.handlers.onAction(action));
    for (const effect of effects) this.apply(effect);
  }

  /** Calls off every timer; later events are ignored (the miner was removed or the app quits). */
  dispose(): void {
    this.disposed = true;
    this.restartTimer?.cancel();
    this.checkTimer?.cancel();
    this.restartTimer = null;
    this.checkTimer = null;
  }

  private apply(effect: WatchdogEffect): void {
    switch (effect.type) {
      case 'kill': {
        const killing = this.pendingKill.then(() => this.handlers.kill(effect.reason));
        this.pendingKill = killing.catch((err: unknown) => this.handlers.onError?.(err));
        return;
      }
      case 'schedule-restart':
        this.restartTimer?.cancel();
        this.restartTimer = this.clock.setTimeout(() => {
          this.restartTimer = null;
          this.dispatch({ type: 'restart-due', at: this.clock.now() });
        }, effect.delayMs);
        return;
      case 'cancel-restart':
        this.restartTimer?.cancel();
        this.restartTimer = null;
        return;
      case 'start':
        void this.start(effect.reason);
        return;
      case 'notify':
        this.safe(() => this.handlers.notify?.(effect.title, effect.message));
        return;
    }
  }

  private async start(reason: string): Promise<void> {
    // A hung process must be gone before its replacement starts (same ports, same work dir).
    await this.pendingKill;
    // The user may have stopped the miner while the kill ran: then there is nothing to start.
    if (this.disposed || this.state.phase.name !== 'restarting') return;
    try {
      const started = await this.handlers.start(reason);
      this.dispatch({
        type: 'started',
        at: this.clock.now(),
        // Stryker disable next-line StringLiteral: equivalent, the policy only tells 'user' apart from the rest
        by: 'watchdog',
        generation: started ? started.generation : undefined,
      });
    } catch (err) {
      this.dispatch({
        type: 'launch-failed',
        at: this.clock.now(),
        reason: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** The periodic check runs only while a process is supervised. */
  private syncCheckTimer(): void {
    const want = this.state.phase.name === 'running' && this.settings.enabled;
    if (want && !this.checkTimer) {
      this.checkTimer = this.clock.setInterval(
        () => this.dispatch({ type: 'tick', at: this.clock.now() }),
        this.checkIntervalMs,
      );
    } else if (!want && this.checkTimer) {
      this.checkTimer.cancel();
      this.checkTimer = null;
    }
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.handlers.onError?.(err);
    }
  }
}
