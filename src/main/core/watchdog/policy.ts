// The watchdog of one miner as a pure state machine: (state, event) -> (state, effects, action).
// Phases idle -> running -> backoff -> restarting -> running, or crash-loop until the user acts.
import type { WatchdogSettings } from '../../../shared/watchdog-settings';
import { backoffDelay, formatDuration, isCrashLoop, recordFailure } from './backoff';
import { initialHealth, judge, observeSample, type HealthState } from './health';
import type { FailureCause, WatchdogAction, WatchdogEffect, WatchdogEvent, WatchdogStatus } from './types';

export type Phase =
  | { name: 'idle' }
  | { name: 'running'; since: number; health: HealthState }
  | { name: 'backoff'; restartAt: number; cause: FailureCause; reason: string }
  | { name: 'restarting'; cause: FailureCause; reason: string }
  | { name: 'crash-loop'; since: number; reason: string };

export interface WatchdogState {
  phase: Phase;
  /** Failure times inside the crash-loop window. */
  failures: number[];
  /** Consecutive failures since the last stable run: picks the backoff delay. */
  consecutive: number;
  /** Generation of the process being watched; events of older processes are ignored. */
  generation: number | null;
}

export interface Step {
  state: WatchdogState;
  effects: WatchdogEffect[];
  action: WatchdogAction | null;
}

export const initialWatchdogState: WatchdogState = {
  phase: { name: 'idle' },
  failures: [],
  consecutive: 0,
  generation: null,
};

function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `killed by ${signal}`;
  return `exited with code ${code ?? 'unknown'}`;
}

const stay = (state: WatchdogState): Step => ({ state, effects: [], action: null });

function stale(state: WatchdogState, generation: number | undefined): boolean {
  return generation !== undefined && state.generation !== null && generation !== state.generation;
}

/**
 * A failure while supervised: either a restart after the backoff delay, or - at the K-th failure inside
 * the window - the crash-loop state, which retries nothing until the user starts the miner again.
 */
function fail(
  state: WatchdogState,
  at: number,
  cause: FailureCause,
  what: string,
  s: WatchdogSettings,
  processAlive: boolean,
): Step {
  const kill: WatchdogEffect[] = processAlive ? [{ type: 'kill', reason: what }] : [];
  if (!s.enabled) {
    // Supervision off: report, do not act on a hung process, never restart.
    return {
      state: { ...state, phase: { name: 'idle' } },
      effects: [],
      action: null,
    };
  }
  const stable = state.phase.name === 'running' && at - state.phase.since >= s.stableAfterMs;
  const consecutive = (stable ? 0 : state.consecutive) + 1;
  const failures = recordFailure(state.failures, at, s.crashLoopWindowMs);
  if (isCrashLoop(failures, s)) {
    const reason = `${what}; ${failures.length} failures within ${formatDuration(s.crashLoopWindowMs)}, not restarting until you start it again`;
    return {
      state: { ...state, phase: { name: 'crash-loop', since: at, reason }, failures, consecutive },
      effects: [
        ...kill,
        { type: 'cancel-restart' },
        { type: 'notify', title: 'Miner keeps failing', message: reason },
      ],
      action: { at, kind: 'crash-loop', cause, text: `crash loop: ${reason}` },
    };
  }
  const delayMs = backoffDelay(consecutive, s);
  const reason = `${what}; restarting in ${formatDuration(delayMs)} (attempt ${consecutive})`;
  return {
    state: {
      ...state,
      phase: { name: 'backoff', restartAt: at + delayMs, cause, reason },
      failures,
      consecutive,
    },
    effects: [...kill, { type: 'schedule-restart', delayMs }],
    action: { at, kind: 'restart-scheduled', cause, text: reason, delayMs, attempt: consecutive },
  };
}

function onStarted(state: WatchdogState, ev: Extract<WatchdogEvent, { type: 'started' }>): Step {
  const byUser = ev.by === 'user';
  // A restart that completes after its process already failed again (or after the user stopped it) says
  // nothing any more: only the restart the watchdog is waiting for counts.
  if (!byUser && state.phase.name !== 'restarting') return stay(state);
  const wasPending = state.phase.name === 'backoff';
  return {
    state: {
      phase: { name: 'running', since: ev.at, health: initialHealth(ev.at) },
      // The user starting the miner is the "act" that ends a crash loop and resets the schedule.
      failures: byUser ? [] : state.failures,
      consecutive: byUser ? 0 : state.consecutive,
      generation: ev.generation ?? null,
    },
    effects: wasPending ? [{ type: 'cancel-restart' }] : [],
    action: null,
  };
}

export function step(state: WatchdogState, ev: WatchdogEvent, s: WatchdogSettings): Step {
  const phase = state.phase;
  switch (ev.type) {
    case 'started':
      return onStarted(state, ev);

    case 'stopped-by-user': {
      const pending = phase.name === 'backoff' || phase.name === 'restarting';
      return {
        state: { ...state, phase: { name: 'idle' }, generation: null },
        effects: [{ type: 'cancel-restart' }],
        action: pending
          ? {
              at: ev.at,
              kind: 'restart-cancelled',
              cause: 'user',
              text: 'stopped by the user; the pending restart is called off',
            }
          : null,
      };
    }

    case 'crashed': {
      if (stale(state, ev.generation)) return stay(state);
      // Exits in backoff are the hung process we killed; in idle/crash-loop nobody is supervised.
      if (phase.name !== 'running' && phase.name !== 'restarting') return stay(state);
      const last = ev.lastLines.at(-1);
      const what = `crashed (${describeExit(ev.code, ev.signal)}${last ? `: ${last}` : ''})`;
      return fail(state, ev.at, 'crash', what, s, false);
    }

    case 'launch-failed':
      if (phase.name !== 'restarting') return stay(state);
      return fail(state, ev.at, 'launch-failed', `restart failed (${ev.reason})`, s, false);

    case 'sample': {
      if (phase.name !== 'running' || stale(state, ev.generation)) return stay(state);
      const health = observeSample(phase.health, ev, s);
      return verdict({ ...state, phase: { ...phase, health } }, ev.at, s);
    }

    // verdict() judges a running miner only.
    case 'api-error':
      if (stale(state, ev.generation)) return stay(state);
      return verdict(state, ev.at, s);

    case 'tick':
      return verdict(state, ev.at, s);

    case 'restart-due':
      if (phase.name !== 'backoff') return stay(state);
      return {
        state: {
          ...state,
          phase: { name: 'restarting', cause: phase.cause, reason: phase.reason },
          generation: null,
        },
        effects: [{ type: 'start', reason: phase.reason }],
        action: {
          at: ev.at,
          kind: 'restart',
          cause: phase.cause,
          text: `restarting (attempt ${state.consecutive})`,
          attempt: state.consecutive,
        },
      };
  }
}

function verdict(state: WatchdogState, at: number, s: WatchdogSettings): Step {
  const phase = state.phase;
  if (phase.name !== 'running' || !s.enabled) return stay(state);
  const v = judge(phase.health, at, s);
  if (!v) return stay(state);
  return fail(state, at, v.cause, v.reason, s, true);
}

export function statusOf(state: WatchdogState): WatchdogStatus {
  const p = state.phase;
  return {
    phase: p.name,
    restartAt: p.name === 'backoff' ? p.restartAt : null,
    reason: p.name === 'backoff' || p.name === 'crash-loop' || p.name === 'restarting' ? p.reason : null,
    attempt: state.consecutive,
  };
}
