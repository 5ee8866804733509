// The watchdog's vocabulary: what it is told about one miner (events), what it asks the runtime to do
// (effects) and what it did and why (actions, logged and drawn as chart markers).

/** What made the watchdog act. */
export type FailureCause = 'crash' | 'launch-failed' | 'api-hang' | 'counter-stall' | 'zero-hashrate';

export type WatchdogEvent =
  /** A process of this miner is up. `by: 'user'` clears the failure record (the user acted). */
  | { type: 'started'; at: number; by: 'user' | 'watchdog'; generation?: number }
  /** A start the watchdog asked for did not get a running miner (spawn error, exit right after start). */
  | { type: 'launch-failed'; at: number; reason: string }
  /** The process exited without being asked to. */
  | {
      type: 'crashed';
      at: number;
      code: number | null;
      signal: string | null;
      /** The last lines the miner printed, newest last (the reason is usually there). */
      lastLines: readonly string[];
      generation?: number;
    }
  /** The user stopped the miner (or removed it, or the app quits): supervise nothing, call off restarts. */
  | { type: 'stopped-by-user'; at: number }
  /** One stats sample. `hashesTotal` is the miner's cumulative hash counter when it reports one. */
  | {
      type: 'sample';
      at: number;
      hashrate: number | null;
      paused: boolean;
      hashesTotal: number | null;
      generation?: number;
    }
  /** A stats request failed (timeout, refused, bad reply). Time without answers is what counts. */
  | { type: 'api-error'; at: number; message: string; generation?: number }
  /** Periodic check: lets "no answer for T seconds" fire even when no request completes at all. */
  | { type: 'tick'; at: number }
  /** The backoff delay is over. */
  | { type: 'restart-due'; at: number };

export type WatchdogEffect =
  /** Stop the current (hung) process now; its exit is part of a restart, not a crash. */
  | { type: 'kill'; reason: string }
  | { type: 'schedule-restart'; delayMs: number }
  | { type: 'cancel-restart' }
  /** Start the miner again (after any pending kill has finished). */
  | { type: 'start'; reason: string }
  /** Tell the user (desktop notification): the miner is in a crash loop. */
  | { type: 'notify'; title: string; message: string };

export type WatchdogActionKind = 'restart-scheduled' | 'restart' | 'crash-loop' | 'restart-cancelled';

/** One thing the watchdog did, with its reason in words: the log line and the chart marker. */
export interface WatchdogAction {
  at: number;
  kind: WatchdogActionKind;
  cause: FailureCause | 'user';
  text: string;
  /** For restart-scheduled: the delay and which consecutive attempt this is. */
  delayMs?: number;
  attempt?: number;
}

/** What the snapshot can show about supervision (a later phase maps this onto the instance state). */
export interface WatchdogStatus {
  phase: 'idle' | 'running' | 'backoff' | 'restarting' | 'crash-loop';
  /** backoff: when the next start happens. */
  restartAt: number | null;
  /** backoff / crash-loop: why. */
  reason: string | null;
  /** Consecutive failures since the last stable run. */
  attempt: number;
}
