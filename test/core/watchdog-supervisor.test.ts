// The supervisor between a scripted manager (the real typed emitter, no processes) and the watchdogs:
// which manager events reach them and with what (pauses from either source, the hash counter, failed
// restarts, API errors, removals), the status the snapshot shows, errors reported, and disposal.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/core/util/clock';
import { TypedEmitter } from '../../src/main/core/util/typed-emitter';
import type { ManagerEvents } from '../../src/main/core/manager-events';
import { Supervisor, type SupervisedManager } from '../../src/main/core/watchdog/supervisor';
import type { WatchdogAction } from '../../src/main/core/watchdog/types';
import type { MinerStats } from '../../src/shared/model';
import { watchdogSettingsSchema, type WatchdogSettingsInput } from '../../src/shared/watchdog-settings';
import { fakeStats } from '../support/fake-world';

const S = 1000;
const MIN = 60 * S;

class ScriptedManager extends TypedEmitter<ManagerEvents> implements SupervisedManager {
  readonly calls: string[] = [];
  readonly errors: unknown[] = [];
  readonly paused = new Set<string>();
  generation = 1;
  killImpl: () => Promise<void> = async () => {};
  startImpl: () => Promise<{ generation: number }> = async () => ({ generation: ++this.generation });

  fire<K extends keyof ManagerEvents>(event: K, payload: ManagerEvents[K]): void {
    this.emit(event, payload);
  }
  superviseKill(id: string): Promise<void> {
    this.calls.push(`kill ${id}`);
    return this.killImpl();
  }
  superviseStart(id: string): Promise<{ generation: number }> {
    this.calls.push(`start ${id}`);
    return this.startImpl();
  }
  watchdogAction(id: string, action: WatchdogAction): void {
    this.calls.push(`${id} ${action.kind} ${action.cause}`);
  }
  alert(id: string, title: string): void {
    this.calls.push(`alert ${id} ${title}`);
  }
  supervisionError(id: string, err: unknown): void {
    this.errors.push([id, err]);
  }
  isPaused(id: string): boolean {
    return this.paused.has(id);
  }
}

function setup(settings: WatchdogSettingsInput = {}, checkIntervalMs = S) {
  const clock = new FakeClock(1_700_000_000_000);
  const m = new ScriptedManager();
  const sup = new Supervisor(m, { clock, settings: watchdogSettingsSchema.parse(settings), checkIntervalMs });
  const at = () => clock.now();
  return {
    clock,
    m,
    sup,
    launch: (id = 'a', by: 'user' | 'watchdog' = 'user', wanted = true) =>
      m.fire('launched', { id, generation: m.generation, by, at: at(), wanted }),
    crash: (id = 'a') =>
      m.fire('crash', {
        id,
        generation: m.generation,
        exit: { code: 1, signal: null, at: at() },
        lastLines: ['boom'],
        at: at(),
      }),
    stats: (id: string, over: Partial<MinerStats>) =>
      m.fire('stats', {
        at: at(),
        miners: [{ id, generation: m.generation, stats: { ...fakeStats(1), ...over } }],
      }),
  };
}

describe('supervisor status', () => {
  it('is null until a user launch it should supervise, then shows the phase', () => {
    const t = setup();
    expect(t.sup.status('a')).toBeNull();
    t.launch('a', 'watchdog');
    t.launch('a', 'user', false); // a stop is already queued for it
    expect(t.sup.status('a')).toBeNull();
    t.launch('a');
    expect(t.sup.status('a')).toEqual({ phase: 'running', restartAt: null, reason: null, attempt: 0 });
  });

  it('stays visible when idle after failures (the attempt count is still news)', () => {
    const t = setup();
    t.launch();
    t.crash();
    t.m.fire('user-stop', { id: 'a', at: t.clock.now() });
    expect(t.sup.status('a')).toEqual({ phase: 'idle', restartAt: null, reason: null, attempt: 1 });
    expect(t.m.calls).toEqual(['a restart-scheduled crash', 'a restart-cancelled user']);
  });

  it('is null for every miner after dispose', () => {
    const t = setup();
    t.launch();
    t.sup.dispose();
    expect(t.sup.status('a')).toBeNull();
  });
});

describe('supervisor wiring', () => {
  it('a failed restart reported by the manager backs off further', async () => {
    const t = setup();
    t.m.startImpl = () => new Promise(() => {}); // the manager reports the outcome as an event
    t.launch();
    t.crash();
    await t.clock.advance(2 * S);
    expect(t.m.calls).toEqual(['a restart-scheduled crash', 'a restart crash', 'start a']);
    t.m.fire('launch-failed', {
      id: 'a',
      generation: 2,
      by: 'watchdog',
      reason: 'exited with code 2 before it was ready',
      exit: null,
      at: t.clock.now(),
    });
    expect(t.m.calls.at(-1)).toBe('a restart-scheduled launch-failed');
    expect(t.sup.status('a')).toMatchObject({
      phase: 'backoff',
      reason: 'restart failed (exited with code 2 before it was ready); restarting in 4 s (attempt 2)',
    });
  });

  it('an API error of the current process is judged at once', async () => {
    const t = setup({ hangTimeoutMs: 10 * S }, 60 * MIN); // no periodic check in between
    t.launch();
    await t.clock.advance(10 * S);
    t.m.fire('api-error', { id: 'a', generation: t.m.generation, message: 'timeout', at: t.clock.now() });
    expect(t.m.calls).toEqual(['a restart-scheduled api-hang']);
  });

  it('passes the hash counter on: a stuck one is a hang', async () => {
    const t = setup({ counterStallMs: 10 * S }, 60 * MIN);
    t.launch();
    for (let i = 0; i <= 10; i++) {
      t.stats('a', { hashesTotal: 5000 });
      await t.clock.advance(S);
    }
    expect(t.m.calls).toEqual(['a restart-scheduled counter-stall', 'kill a']);
  });

  it('a miner paused by itself or by the app is not judged by its hashrate; one that is not, is', async () => {
    const settings = { zeroHashrateSamples: 2, zeroHashrateMinMs: 10 * S };
    const run = async (over: Partial<MinerStats>, appPaused: boolean) => {
      const t = setup(settings, 60 * MIN);
      t.launch();
      t.stats('a', { hashrate: [100, null, null] });
      if (appPaused) t.m.paused.add('a');
      for (let i = 0; i <= 10; i++) {
        await t.clock.advance(S);
        t.stats('a', { hashrate: [0, null, null], ...over });
      }
      return t.m.calls;
    };
    expect(await run({ paused: true }, false)).toEqual([]);
    expect(await run({}, true)).toEqual([]);
    expect(await run({}, false)).toEqual(['a restart-scheduled zero-hashrate', 'kill a']);
  });

  it('a removed miner is forgotten with its pending restart', async () => {
    const t = setup();
    t.launch();
    t.crash();
    t.m.fire('removed', { id: 'a' });
    expect(t.sup.status('a')).toBeNull();
    await t.clock.advance(10 * MIN);
    expect(t.m.calls).toEqual(['a restart-scheduled crash']);
  });

  it('a kill that fails is reported with the miner id', async () => {
    const t = setup({ hangTimeoutMs: 10 * S });
    const err = new Error('EPERM');
    t.m.killImpl = () => Promise.reject(err);
    t.launch();
    await t.clock.advance(10 * S);
    expect(t.m.errors).toEqual([['a', err]]);
  });

  it('new settings reach the watchdogs', () => {
    const t = setup();
    t.launch();
    t.sup.updateSettings(watchdogSettingsSchema.parse({ enabled: false }));
    t.crash();
    expect(t.sup.status('a')).toBeNull();
    expect(t.m.calls).toEqual([]);
  });
});

describe('supervisor disposal', () => {
  it('stops listening and can be disposed twice', async () => {
    const t = setup({ hangTimeoutMs: 10 * S });
    t.sup.dispose();
    t.sup.dispose();
    t.launch();
    await t.clock.advance(MIN);
    expect(t.m.calls).toEqual([]);
    expect(t.clock.pending).toBe(0);
  });

  it('an event already being delivered when it is disposed supervises nothing', async () => {
    const clock = new FakeClock(0);
    const m = new ScriptedManager();
    let sup: Supervisor | null = null;
    // Registered first: the app shuts down on the same event the supervisor is about to hear.
    m.on('launched', () => sup?.dispose());
    sup = new Supervisor(m, { clock, settings: watchdogSettingsSchema.parse({ hangTimeoutMs: 10 * S }) });
    m.fire('launched', { id: 'a', generation: 1, by: 'user', at: 0, wanted: true });
    await clock.advance(MIN);
    expect(m.calls).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
