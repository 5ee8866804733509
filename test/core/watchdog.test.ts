// The watchdog on a fake clock with a scripted runtime: backoff schedule, crash loop, hang, stalled
// counter, 0 H/s after warm-up, slow warm-up and paused miners left alone, and a user stop calling off
// a pending restart. No processes: the runtime records what it was asked to do.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/core/util/clock';
import { MinerWatchdog } from '../../src/main/core/watchdog/watchdog';
import { WatchdogRegistry } from '../../src/main/core/watchdog/registry';
import { backoffDelay, formatDuration } from '../../src/main/core/watchdog/backoff';
import type { WatchdogAction } from '../../src/main/core/watchdog/types';
import {
  DEFAULT_WATCHDOG_SETTINGS,
  watchdogSettingsSchema,
  type WatchdogSettings,
} from '../../src/shared/watchdog-settings';

const S = 1000;
const MIN = 60 * S;

/** A scripted miner: start() brings up a new generation; `onStart` decides what happens next. */
function world(settings: Partial<WatchdogSettings> = {}, startFails = false) {
  const clock = new FakeClock(1_700_000_000_000);
  const starts: number[] = [];
  const kills: { at: number; reason: string }[] = [];
  const actions: WatchdogAction[] = [];
  const notices: string[] = [];
  let generation = 1;
  let failNext = startFails;
  const dog = new MinerWatchdog({
    clock,
    settings: watchdogSettingsSchema.parse({ ...settings }),
    checkIntervalMs: 1000,
    handlers: {
      kill: async (reason) => {
        kills.push({ at: clock.now(), reason });
        await clock.sleep(500); // a graceful stop takes a while
      },
      start: async () => {
        starts.push(clock.now());
        if (failNext) throw new Error('xmrig exited with code 2 right after starting');
        return { generation: ++generation };
      },
      onAction: (a) => actions.push(a),
      notify: (title, message) => notices.push(`${title}: ${message}`),
    },
  });
  const w = {
    clock,
    dog,
    starts,
    kills,
    actions,
    notices,
    get generation() {
      return generation;
    },
    set failStarts(v: boolean) {
      failNext = v;
    },
    userStart() {
      dog.dispatch({ type: 'started', at: clock.now(), by: 'user', generation });
    },
    crash(lines: string[] = ['cpu      thread #0 crashed: illegal instruction']) {
      dog.dispatch({ type: 'crashed', at: clock.now(), code: 1, signal: null, lastLines: lines, generation });
    },
    sample(hashrate: number | null, extra: { paused?: boolean; hashesTotal?: number | null } = {}) {
      dog.dispatch({
        type: 'sample',
        at: clock.now(),
        hashrate,
        paused: extra.paused ?? false,
        hashesTotal: extra.hashesTotal ?? null,
        generation,
      });
    },
    /** One sample per second for `ms`, from `rate(t)` (t = ms since this call). */
    /** Time passes until the pending restart is due (the restart runs). */
    async untilRestart() {
      const at = dog.status.restartAt;
      if (at === null) throw new Error(`no restart pending (${dog.status.phase})`);
      await clock.advanceTo(at);
    },
    async feed(
      ms: number,
      rate: (t: number) => number | null,
      extra: { paused?: boolean; counter?: (t: number) => number | null } = {},
    ) {
      for (let t = 0; t < ms; t += S) {
        w.sample(rate(t), { paused: extra.paused, hashesTotal: extra.counter?.(t) ?? null });
        await clock.advance(S);
      }
    },
  };
  return w;
}

describe('backoff arithmetic', () => {
  it('doubles from 2 s and caps at 5 min', () => {
    const d = (n: number) => backoffDelay(n, DEFAULT_WATCHDOG_SETTINGS);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(d)).toEqual([
      2 * S,
      4 * S,
      8 * S,
      16 * S,
      32 * S,
      64 * S,
      128 * S,
      256 * S,
      5 * MIN,
      5 * MIN,
    ]);
    expect(d(5000)).toBe(5 * MIN); // 2^4999 is Infinity; the cap still holds
  });

  it('formats durations for reasons', () => {
    expect([
      formatDuration(2000),
      formatDuration(90_000),
      formatDuration(300_000),
      formatDuration(7_500_000),
    ]).toEqual(['2 s', '1 min 30 s', '5 min', '2 h 5 min']);
  });
});

describe('settings', () => {
  it('has sane defaults', () => {
    expect(DEFAULT_WATCHDOG_SETTINGS).toMatchObject({
      enabled: true,
      backoffInitialMs: 2000,
      backoffMaxMs: 300_000,
      crashLoopCount: 5,
      hangTimeoutMs: 60_000,
    });
    expect(DEFAULT_WATCHDOG_SETTINGS.warmupGraceMs).toBeGreaterThanOrEqual(5 * MIN);
  });

  it('refuses a cap below the first delay and out-of-range values, naming the field', () => {
    const r = watchdogSettingsSchema.safeParse({ backoffInitialMs: 60_000, backoffMaxMs: 10_000 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['backoffMaxMs']);
    const bad = watchdogSettingsSchema.safeParse({ hangTimeoutMs: 1 });
    expect(bad.error?.issues[0]?.message).toMatch(/at least 10 s/);
  });
});

describe('crash restarts', () => {
  it('restarts a miner that keeps crashing after 2, 4, 8, 16 ... s, capped at 5 min', async () => {
    // a huge crash-loop threshold, so the whole schedule shows
    const w = world({ crashLoopCount: 100, crashLoopWindowMs: 60 * MIN });
    w.userStart();
    const t0 = w.clock.now();
    const gaps: number[] = [];
    let last = t0;
    for (let i = 0; i < 10; i++) {
      w.crash();
      const before = w.starts.length;
      await w.untilRestart();
      expect(w.starts.length).toBe(before + 1);
      gaps.push(w.starts.at(-1)! - last);
      last = w.clock.now();
    }
    expect(gaps).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map((s) => s * S));
    const scheduled = w.actions.filter((a) => a.kind === 'restart-scheduled');
    expect(scheduled[0]!.text).toMatch(
      /crashed \(exited with code 1: cpu {6}thread #0 crashed: illegal instruction\); restarting in 2 s \(attempt 1\)/,
    );
    expect(scheduled.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('does not start before the delay is over', async () => {
    const w = world();
    w.userStart();
    w.crash();
    await w.clock.advance(1999);
    expect(w.starts).toEqual([]);
    expect(w.dog.status).toMatchObject({ phase: 'backoff', restartAt: w.clock.now() + 1 });
    await w.clock.advance(1);
    expect(w.starts).toHaveLength(1);
    expect(w.dog.status.phase).toBe('running');
  });

  it('enters crash-loop at the 5th failure within 10 min, retries nothing and says why', async () => {
    const w = world();
    w.userStart();
    for (let i = 0; i < 4; i++) {
      w.crash();
      await w.untilRestart();
    }
    expect(w.starts).toHaveLength(4);
    w.crash();
    expect(w.dog.status.phase).toBe('crash-loop');
    await w.clock.advance(60 * MIN);
    expect(w.starts).toHaveLength(4);
    expect(w.clock.pending).toBe(0); // no restart timer, no health check left running
    const loop = w.actions.at(-1)!;
    expect(loop.kind).toBe('crash-loop');
    expect(loop.text).toMatch(/5 failures within 10 min, not restarting until you start it again/);
    expect(w.notices).toHaveLength(1);
    expect(w.dog.status.reason).toMatch(/crashed/);
  });

  it('a user start ends the crash loop and the schedule starts again from 2 s', async () => {
    const w = world({ crashLoopCount: 2 });
    w.userStart();
    w.crash();
    await w.untilRestart();
    w.crash();
    expect(w.dog.status.phase).toBe('crash-loop');
    w.userStart();
    expect(w.dog.status).toMatchObject({ phase: 'running', attempt: 0 });
    w.crash();
    expect(w.dog.status.phase).toBe('backoff');
    expect(w.actions.at(-1)).toMatchObject({ kind: 'restart-scheduled', delayMs: 2000 });
  });

  it('failures spread wider than the window never add up to a crash loop', async () => {
    const w = world({ crashLoopCount: 3, crashLoopWindowMs: 10 * MIN, stableAfterMs: 60 * MIN });
    w.userStart();
    for (let i = 0; i < 6; i++) {
      w.crash();
      await w.untilRestart();
      await w.feed(6 * MIN, () => 500); // runs 6 min, crashes again: only 2 failures per 10 min
    }
    expect(w.dog.status.phase).toBe('running');
    expect(w.starts).toHaveLength(6);
  });

  it('a stable run resets the delay to the first step', async () => {
    const w = world({ stableAfterMs: 5 * MIN });
    w.userStart();
    w.crash();
    await w.untilRestart();
    w.crash();
    await w.untilRestart();
    expect(w.actions.filter((a) => a.kind === 'restart-scheduled').map((a) => a.delayMs)).toEqual([
      2000, 4000,
    ]);
    await w.feed(5 * MIN, () => 500);
    w.crash();
    expect(w.actions.at(-1)).toMatchObject({ kind: 'restart-scheduled', delayMs: 2000, attempt: 1 });
  });

  it('a restart that fails to launch counts as a failure and backs off further', async () => {
    const w = world();
    w.userStart();
    w.failStarts = true;
    w.crash();
    await w.clock.advance(2 * S);
    expect(w.starts).toHaveLength(1);
    expect(w.actions.at(-1)).toMatchObject({
      kind: 'restart-scheduled',
      cause: 'launch-failed',
      delayMs: 4000,
    });
    expect(w.actions.at(-1)!.text).toMatch(
      /restart failed \(xmrig exited with code 2 right after starting\)/,
    );
    w.failStarts = false;
    await w.clock.advance(4 * S);
    expect(w.dog.status.phase).toBe('running');
  });

  it('a user stop calls off a pending restart', async () => {
    const w = world();
    w.userStart();
    w.crash();
    expect(w.dog.status.phase).toBe('backoff');
    await w.clock.advance(1 * S);
    w.dog.dispatch({ type: 'stopped-by-user', at: w.clock.now() });
    await w.clock.advance(30 * MIN);
    expect(w.starts).toEqual([]);
    expect(w.clock.pending).toBe(0);
    expect(w.dog.status.phase).toBe('idle');
    expect(w.actions.at(-1)).toMatchObject({ kind: 'restart-cancelled', cause: 'user' });
  });

  it('a user stop during the kill of a hung miner prevents the start', async () => {
    const w = world({ hangTimeoutMs: 10 * S });
    w.userStart();
    await w.clock.advance(10 * S); // no answer at all: hang, kill (takes 500 ms), restart after 2 s
    expect(w.kills).toHaveLength(1);
    w.dog.dispatch({ type: 'stopped-by-user', at: w.clock.now() });
    await w.clock.advance(MIN);
    expect(w.starts).toEqual([]);
  });

  it('ignores the exit of a process it replaced (an older generation)', async () => {
    const w = world({ hangTimeoutMs: 10 * S });
    w.userStart();
    const old = w.generation;
    await w.clock.advance(10 * S);
    await w.untilRestart();
    expect(w.starts).toHaveLength(1);
    w.dog.dispatch({
      type: 'crashed',
      at: w.clock.now(),
      code: null,
      signal: 'SIGKILL',
      lastLines: [],
      generation: old,
    });
    expect(w.dog.status.phase).toBe('running');
  });

  it('with the watchdog disabled a crash stays a crash', async () => {
    const w = world({ enabled: false });
    w.userStart();
    w.crash();
    await w.clock.advance(60 * MIN);
    expect(w.starts).toEqual([]);
    expect(w.dog.status.phase).toBe('idle');
  });
});

describe('hangs', () => {
  it('restarts a miner whose stats API stops answering for T seconds, killing it first', async () => {
    const w = world({ hangTimeoutMs: 30 * S });
    w.userStart();
    await w.feed(20 * S, () => 500);
    // the last answer came at 19 s; from now on no request completes: only the periodic check runs
    await w.clock.advance(28 * S);
    expect(w.kills).toEqual([]);
    await w.clock.advance(2 * S);
    expect(w.kills).toHaveLength(1);
    expect(w.kills[0]!.reason).toMatch(/the stats API has not answered for 30 s/);
    await w.untilRestart();
    expect(w.starts).toHaveLength(1);
    // the start came after the kill had finished (500 ms) and after the 2 s delay
    expect(w.starts[0]! - w.kills[0]!.at).toBeGreaterThanOrEqual(2 * S);
    expect(w.actions[0]).toMatchObject({ kind: 'restart-scheduled', cause: 'api-hang' });
  });

  it('counts failed requests as silence too', async () => {
    const w = world({ hangTimeoutMs: 10 * S });
    w.userStart();
    w.sample(500);
    for (let i = 0; i < 12; i++) {
      w.dog.dispatch({ type: 'api-error', at: w.clock.now(), message: 'timeout', generation: w.generation });
      await w.clock.advance(S);
    }
    expect(w.kills).toHaveLength(1);
  });

  it('restarts when the hash counter stops moving while running and not paused', async () => {
    const w = world({ counterStallMs: 20 * S });
    w.userStart();
    await w.feed(10 * S, () => 500, { counter: (t) => t * 2 });
    // the 10 s rate window still shows a value, but the counter is stuck
    await w.feed(19 * S, () => 480, { counter: () => 20_000 });
    expect(w.kills).toEqual([]);
    await w.feed(3 * S, () => 480, { counter: () => 20_000 });
    expect(w.kills).toHaveLength(1);
    expect(w.actions[0]!.text).toMatch(/hash counter has been stuck at 20000 for 2\d s while mining/);
  });

  it('a paused miner with a still counter is not hung', async () => {
    const w = world({ counterStallMs: 20 * S });
    w.userStart();
    await w.feed(10 * S, () => 500, { counter: (t) => t });
    await w.feed(5 * MIN, () => 0, { paused: true, counter: () => 9000 });
    expect(w.kills).toEqual([]);
    expect(w.actions).toEqual([]);
  });

  it('a paused miner whose API stops answering is hung all the same', async () => {
    const w = world({ hangTimeoutMs: 20 * S });
    w.userStart();
    w.sample(0, { paused: true });
    await w.clock.advance(21 * S);
    expect(w.kills).toHaveLength(1);
  });
});

describe('0 H/s', () => {
  it('restarts after N zero samples that span the minimum time, once warmed up', async () => {
    const w = world({ zeroHashrateSamples: 30, zeroHashrateMinMs: 30 * S });
    w.userStart();
    await w.feed(20 * S, () => 500);
    await w.feed(30 * S, () => 0);
    expect(w.kills).toEqual([]); // 30 samples span 29 s
    await w.feed(2 * S, () => 0);
    expect(w.kills).toHaveLength(1);
    expect(w.actions[0]).toMatchObject({ kind: 'restart-scheduled', cause: 'zero-hashrate' });
    expect(w.actions[0]!.text).toMatch(/^0 H\/s for 31 samples \(30 s\) after warm-up; restarting in 2 s/);
  });

  it('missing hashrate counts like 0 H/s after warm-up, and one good sample resets the count', async () => {
    const w = world({ zeroHashrateSamples: 10, zeroHashrateMinMs: 10 * S });
    w.userStart();
    await w.feed(5 * S, () => 500);
    await w.feed(9 * S, () => null);
    w.sample(450);
    await w.clock.advance(S);
    await w.feed(9 * S, () => 0);
    expect(w.kills).toEqual([]);
    await w.feed(3 * S, () => null);
    expect(w.kills).toHaveLength(1);
  });

  it('a slow RandomX warm-up is never restarted: no verdict before the first hashrate', async () => {
    const w = world({ warmupGraceMs: 10 * MIN, zeroHashrateSamples: 5, zeroHashrateMinMs: 10 * S });
    w.userStart();
    // 9 minutes of [0,0,0] (parsed as null) while the dataset is built, counter at 0
    await w.feed(9 * MIN, () => null, { counter: () => 0 });
    await w.feed(5 * MIN, () => 350, { counter: (t) => 350 * (t / S) });
    expect(w.kills).toEqual([]);
    expect(w.actions).toEqual([]);
  });

  it('a warm-up that never ends is restarted once the grace is over', async () => {
    const w = world({ warmupGraceMs: 5 * MIN, zeroHashrateSamples: 10, zeroHashrateMinMs: 10 * S });
    w.userStart();
    await w.feed(5 * MIN, () => null);
    expect(w.kills).toEqual([]);
    await w.feed(12 * S, () => null);
    expect(w.kills).toHaveLength(1);
    expect(w.actions[0]!.text).toMatch(/no hashrate 5 min \d+ s after the start/);
  });

  it('never restarts a paused miner for low hashrate, however long', async () => {
    const w = world({ zeroHashrateSamples: 5, zeroHashrateMinMs: 10 * S });
    w.userStart();
    await w.feed(30 * S, () => 500);
    await w.feed(2 * 60 * MIN, () => 0, { paused: true });
    expect(w.kills).toEqual([]);
    expect(w.actions).toEqual([]);
  });

  it('gives a resumed miner time to refill its rate windows', async () => {
    const w = world({ zeroHashrateSamples: 5, zeroHashrateMinMs: 10 * S, resumeGraceMs: 60 * S });
    w.userStart();
    await w.feed(30 * S, () => 500);
    await w.feed(10 * S, () => 0, { paused: true });
    await w.feed(50 * S, () => 0); // resumed: still 0 while the 10 s window refills
    expect(w.kills).toEqual([]);
    await w.feed(30 * S, () => 0); // the grace is over and still 0 H/s: now it counts
    expect(w.kills).toHaveLength(1);
  });
});

describe('registry', () => {
  it('keeps one watchdog per miner and calls off every timer on dispose', async () => {
    const clock = new FakeClock();
    const started: string[] = [];
    const reg = new WatchdogRegistry({
      clock,
      runtime: {
        kill: async () => {},
        start: async (id) => {
          started.push(id);
        },
        onAction: () => {},
      },
    });
    for (const id of ['a', 'b']) {
      reg.dispatch(id, { type: 'started', at: 0, by: 'user' });
      reg.dispatch(id, { type: 'crashed', at: 0, code: 1, signal: null, lastLines: [] });
    }
    expect(reg.status('a').phase).toBe('backoff');
    reg.forget('a');
    await clock.advance(2000);
    expect(started).toEqual(['b']);
    reg.dispatch('b', { type: 'crashed', at: clock.now(), code: 1, signal: null, lastLines: [] });
    reg.dispose();
    await clock.advance(60_000);
    expect(started).toEqual(['b']);
    expect(reg.status('zzz').phase).toBe('idle');
  });
});
