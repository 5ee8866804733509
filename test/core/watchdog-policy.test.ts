// The watchdog's pure reducer driven event by event: which events each phase ignores, the exact effects
// and actions of every transition, stale generations, exit descriptions and the status it reports.
import { describe, expect, it } from 'vitest';
import {
  initialWatchdogState,
  statusOf,
  step,
  type WatchdogState,
} from '../../src/main/core/watchdog/policy';
import { initialHealth } from '../../src/main/core/watchdog/health';
import type { WatchdogEvent } from '../../src/main/core/watchdog/types';
import { watchdogSettingsSchema, type WatchdogSettingsInput } from '../../src/shared/watchdog-settings';

const S = 1000;
const T0 = 1_700_000_000_000;
const on = watchdogSettingsSchema.parse({});
const off = watchdogSettingsSchema.parse({ enabled: false });

/** Folds events from the initial state (enabled defaults unless given). */
function run(events: WatchdogEvent[], settings: WatchdogSettingsInput = {}): WatchdogState {
  const s = watchdogSettingsSchema.parse(settings);
  return events.reduce((st, ev) => step(st, ev, s).state, initialWatchdogState);
}

const userStart = (at = T0, generation?: number): WatchdogEvent => ({
  type: 'started',
  at,
  by: 'user',
  generation,
});
const crash = (
  at: number,
  extra: Partial<{ code: number | null; signal: string | null; lines: string[]; generation: number }> = {},
): WatchdogEvent => ({
  type: 'crashed',
  at,
  code: extra.code === undefined ? 1 : extra.code,
  signal: extra.signal ?? null,
  lastLines: extra.lines ?? [],
  generation: extra.generation,
});

const running = run([userStart(T0, 2)]);
const backoff = run([userStart(T0, 2), crash(T0 + 10 * S, { generation: 2 })]);
const restarting = run([
  userStart(T0, 2),
  crash(T0 + 10 * S, { generation: 2 }),
  { type: 'restart-due', at: T0 + 12 * S },
]);
const crashLoop = run(
  [userStart(T0), crash(T0 + S), { type: 'restart-due', at: T0 + 3 * S }, crash(T0 + 4 * S)],
  { crashLoopCount: 2 },
);

describe('watchdog policy: what each phase ignores', () => {
  it('sets up the phases the tests below start from', () => {
    expect([running, backoff, restarting, crashLoop].map((s) => s.phase.name)).toEqual([
      'running',
      'backoff',
      'restarting',
      'crash-loop',
    ]);
  });

  it('ignores a crash while nothing is supervised (idle, backoff, crash loop), with no effect at all', () => {
    for (const st of [initialWatchdogState, backoff, crashLoop]) {
      expect(step(st, crash(T0 + 20 * S), on)).toEqual({ state: st, effects: [], action: null });
    }
  });

  it('a crash of the process it is restarting counts as a failure', () => {
    const r = step(restarting, crash(T0 + 13 * S, { code: 3 }), on);
    expect(r.state.phase).toMatchObject({ name: 'backoff', cause: 'crash', restartAt: T0 + 17 * S });
    expect(r.effects).toEqual([{ type: 'schedule-restart', delayMs: 4 * S }]);
    expect(r.action).toEqual({
      at: T0 + 13 * S,
      kind: 'restart-scheduled',
      cause: 'crash',
      text: 'crashed (exited with code 3); restarting in 4 s (attempt 2)',
      delayMs: 4 * S,
      attempt: 2,
    });
  });

  it('a start the watchdog did not wait for changes nothing (a late restart after a stop or a new failure)', () => {
    for (const st of [initialWatchdogState, running, backoff, crashLoop]) {
      const ev: WatchdogEvent = { type: 'started', at: T0 + 20 * S, by: 'watchdog', generation: 9 };
      expect(step(st, ev, on)).toEqual({ state: st, effects: [], action: null });
    }
  });

  it('restart-due outside backoff starts nothing', () => {
    for (const st of [initialWatchdogState, running, restarting, crashLoop]) {
      expect(step(st, { type: 'restart-due', at: T0 + 20 * S }, on)).toEqual({
        state: st,
        effects: [],
        action: null,
      });
    }
  });

  it('launch-failed outside a restart is ignored', () => {
    for (const st of [initialWatchdogState, running, backoff, crashLoop]) {
      const r = step(st, { type: 'launch-failed', at: T0 + 20 * S, reason: 'spawn refused' }, on);
      expect(r).toEqual({ state: st, effects: [], action: null });
    }
  });

  it('ticks and API errors outside a run judge nothing (even long after the hang timeout)', () => {
    for (const st of [initialWatchdogState, backoff, restarting, crashLoop]) {
      for (const ev of [
        { type: 'tick', at: T0 + 600 * S },
        { type: 'api-error', at: T0 + 600 * S, message: 'ECONNREFUSED' },
      ] satisfies WatchdogEvent[]) {
        expect(step(st, ev, on)).toEqual({ state: st, effects: [], action: null });
      }
    }
  });
});

describe('watchdog policy: transitions and their effects', () => {
  it('a crash while running schedules a restart and kills nothing (the process is gone)', () => {
    const r = step(running, crash(T0 + 10 * S, { lines: ['a', 'out of memory'], generation: 2 }), on);
    expect(r.effects).toEqual([{ type: 'schedule-restart', delayMs: 2 * S }]);
    expect(r.action).toMatchObject({
      kind: 'restart-scheduled',
      cause: 'crash',
      text: 'crashed (exited with code 1: out of memory); restarting in 2 s (attempt 1)',
    });
  });

  it('describes an exit by signal and one without a code', () => {
    const bySignal = step(running, crash(T0 + S, { signal: 'SIGSEGV', code: null }), on);
    expect(bySignal.action?.text).toBe('crashed (killed by SIGSEGV); restarting in 2 s (attempt 1)');
    const noCode = step(running, crash(T0 + S, { code: null }), on);
    expect(noCode.action?.text).toBe('crashed (exited with code unknown); restarting in 2 s (attempt 1)');
  });

  it('restart-due starts the miner and says which attempt it is', () => {
    const r = step(backoff, { type: 'restart-due', at: T0 + 12 * S }, on);
    expect(r.state).toEqual({
      ...backoff,
      phase: {
        name: 'restarting',
        cause: 'crash',
        reason: 'crashed (exited with code 1); restarting in 2 s (attempt 1)',
      },
      generation: null,
    });
    expect(r.effects).toEqual([
      { type: 'start', reason: 'crashed (exited with code 1); restarting in 2 s (attempt 1)' },
    ]);
    expect(r.action).toEqual({
      at: T0 + 12 * S,
      kind: 'restart',
      cause: 'crash',
      text: 'restarting (attempt 1)',
      attempt: 1,
    });
  });

  it('a failed restart backs off further without killing anything', () => {
    const r = step(restarting, { type: 'launch-failed', at: T0 + 13 * S, reason: 'exit 2' }, on);
    expect(r.effects).toEqual([{ type: 'schedule-restart', delayMs: 4 * S }]);
    expect(r.action).toMatchObject({
      cause: 'launch-failed',
      text: 'restart failed (exit 2); restarting in 4 s (attempt 2)',
    });
  });

  it('the crash-loop failure calls off restarts and notifies, killing only a hung process', () => {
    const s = watchdogSettingsSchema.parse({ crashLoopCount: 2 });
    const again = run([userStart(T0), crash(T0 + S), { type: 'restart-due', at: T0 + 3 * S }], {
      crashLoopCount: 2,
    });
    const r = step(again, crash(T0 + 4 * S), s);
    const reason =
      'crashed (exited with code 1); 2 failures within 10 min, not restarting until you start it again';
    expect(r.effects).toEqual([
      { type: 'cancel-restart' },
      { type: 'notify', title: 'Miner keeps failing', message: reason },
    ]);
    expect(r.action).toEqual({
      at: T0 + 4 * S,
      kind: 'crash-loop',
      cause: 'crash',
      text: `crash loop: ${reason}`,
    });
  });

  it('a watchdog start after a restart keeps the failure record; a user start clears it', () => {
    const started: WatchdogEvent = { type: 'started', at: T0 + 13 * S, by: 'watchdog', generation: 3 };
    const byDog = step(restarting, started, on);
    expect(byDog).toEqual({
      state: {
        phase: { name: 'running', since: T0 + 13 * S, health: initialHealth(T0 + 13 * S) },
        failures: [T0 + 10 * S],
        consecutive: 1,
        generation: 3,
      },
      effects: [],
      action: null,
    });
    const byUser = step(crashLoop, userStart(T0 + 20 * S), on);
    expect(byUser.state).toEqual({
      phase: { name: 'running', since: T0 + 20 * S, health: initialHealth(T0 + 20 * S) },
      failures: [],
      consecutive: 0,
      generation: null,
    });
    expect(byUser.effects).toEqual([]);
  });

  it('a user start in backoff calls the scheduled restart off; from idle there is nothing to cancel', () => {
    expect(step(backoff, userStart(T0 + 11 * S, 3), on).effects).toEqual([{ type: 'cancel-restart' }]);
    expect(step(initialWatchdogState, userStart(T0, 1), on).effects).toEqual([]);
    expect(step(restarting, userStart(T0 + 13 * S, 3), on).effects).toEqual([]);
  });

  it('a user stop always cancels; it reports a called-off restart only when one was pending', () => {
    for (const [st, pending] of [
      [initialWatchdogState, false],
      [running, false],
      [crashLoop, false],
      [backoff, true],
      [restarting, true],
    ] as const) {
      const r = step(st, { type: 'stopped-by-user', at: T0 + 30 * S }, on);
      expect(r.state).toEqual({ ...st, phase: { name: 'idle' }, generation: null });
      expect(r.effects).toEqual([{ type: 'cancel-restart' }]);
      expect(r.action).toEqual(
        pending
          ? {
              at: T0 + 30 * S,
              kind: 'restart-cancelled',
              cause: 'user',
              text: 'stopped by the user; the pending restart is called off',
            }
          : null,
      );
    }
  });

  it('with supervision off a crash only ends supervision: no effect, no action', () => {
    expect(step(running, crash(T0 + S), off)).toEqual({
      state: { ...running, phase: { name: 'idle' } },
      effects: [],
      action: null,
    });
  });

  it('with supervision off a silent miner is left running, not judged', () => {
    for (const ev of [
      { type: 'tick', at: T0 + 600 * S },
      { type: 'api-error', at: T0 + 600 * S, message: 'timeout', generation: 2 },
    ] satisfies WatchdogEvent[]) {
      expect(step(running, ev, off)).toEqual({ state: running, effects: [], action: null });
    }
  });

  it('a hang kills the process, then schedules the restart', () => {
    const r = step(running, { type: 'tick', at: T0 + 60 * S }, on);
    const what = 'the stats API has not answered in the 1 min since the start';
    expect(r.effects).toEqual([
      { type: 'kill', reason: what },
      { type: 'schedule-restart', delayMs: 2 * S },
    ]);
    expect(r.action).toMatchObject({ cause: 'api-hang', text: `${what}; restarting in 2 s (attempt 1)` });
  });
});

describe('watchdog policy: generations', () => {
  it('events of an older process are ignored; events without a generation are not', () => {
    const old = { generation: 1 };
    expect(step(running, crash(T0 + S, old), on)).toEqual({ state: running, effects: [], action: null });
    expect(step(running, { type: 'api-error', at: T0 + 60 * S, message: 'x', ...old }, on)).toEqual({
      state: running,
      effects: [],
      action: null,
    });
    // The current generation's error at the same moment is judged: the API has been silent for 60 s.
    expect(
      step(running, { type: 'api-error', at: T0 + 60 * S, message: 'x', generation: 2 }, on).action,
    ).toMatchObject({
      cause: 'api-hang',
    });
    expect(step(running, crash(T0 + S), on).state.phase.name).toBe('backoff');
    expect(step(running, { type: 'api-error', at: T0 + 60 * S, message: 'x' }, on).state.phase.name).toBe(
      'backoff',
    );
  });

  it('a process whose generation is unknown accepts every generation', () => {
    const unknown = run([userStart(T0)]);
    expect(unknown.generation).toBeNull();
    expect(step(unknown, crash(T0 + S, { generation: 5 }), on).state.phase.name).toBe('backoff');
    const sample: WatchdogEvent = {
      type: 'sample',
      at: T0 + S,
      hashrate: 100,
      paused: false,
      hashesTotal: null,
      generation: 5,
    };
    expect(step(unknown, sample, on).state.phase).toMatchObject({ health: { lastAnswerAt: T0 + S } });
  });

  it('a tick at the hang timeout fires the verdict', () => {
    expect(step(running, { type: 'tick', at: T0 + 60 * S }, on).state.phase.name).toBe('backoff');
  });
});

describe('watchdog policy: status', () => {
  it('reports restartAt only in backoff and the reason in backoff, restarting and crash loop', () => {
    expect(statusOf(initialWatchdogState)).toEqual({
      phase: 'idle',
      restartAt: null,
      reason: null,
      attempt: 0,
    });
    expect(statusOf(running)).toEqual({ phase: 'running', restartAt: null, reason: null, attempt: 0 });
    const why = 'crashed (exited with code 1); restarting in 2 s (attempt 1)';
    expect(statusOf(backoff)).toEqual({ phase: 'backoff', restartAt: T0 + 12 * S, reason: why, attempt: 1 });
    expect(statusOf(restarting)).toEqual({ phase: 'restarting', restartAt: null, reason: why, attempt: 1 });
    expect(statusOf(crashLoop)).toEqual({
      phase: 'crash-loop',
      restartAt: null,
      reason:
        'crashed (exited with code 1); 2 failures within 10 min, not restarting until you start it again',
      attempt: 2,
    });
  });
});
