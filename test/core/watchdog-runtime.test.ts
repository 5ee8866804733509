// The watchdog runner and its registry on a fake clock: disposal, failing or missing handlers (a kill
// that throws, no notify, no onError), a slow kill overtaken by a stop or a dispose, settings changes,
// timers called off; plus the edges of the backoff window and of the durations in reasons.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/core/util/clock';
import { MinerWatchdog, type WatchdogHandlers } from '../../src/main/core/watchdog/watchdog';
import { WatchdogRegistry, type SupervisedRuntime } from '../../src/main/core/watchdog/registry';
import { formatDuration, recordFailure } from '../../src/main/core/watchdog/backoff';
import type { WatchdogAction } from '../../src/main/core/watchdog/types';
import { watchdogSettingsSchema, type WatchdogSettingsInput } from '../../src/shared/watchdog-settings';

const S = 1000;
const MIN = 60 * S;

function setup(
  settings: WatchdogSettingsInput = {},
  over: Partial<WatchdogHandlers> & { killMs?: number; omit?: ('notify' | 'onError')[] } = {},
) {
  const clock = new FakeClock(1_700_000_000_000);
  const starts: number[] = [];
  const kills: number[] = [];
  const actions: WatchdogAction[] = [];
  const notices: string[] = [];
  const errors: unknown[] = [];
  const handlers: WatchdogHandlers = {
    kill: async () => {
      kills.push(clock.now());
      await clock.sleep(over.killMs ?? 0);
    },
    start: async () => {
      starts.push(clock.now());
      return { generation: 10 + starts.length };
    },
    onAction: (a) => actions.push(a),
    notify: (title, message) => notices.push(`${title}: ${message}`),
    onError: (err) => errors.push(err),
    ...over,
  };
  for (const k of over.omit ?? []) delete handlers[k];
  const dog = new MinerWatchdog({
    clock,
    handlers,
    settings: watchdogSettingsSchema.parse(settings),
    checkIntervalMs: S,
  });
  const at = () => clock.now();
  return {
    clock,
    dog,
    starts,
    kills,
    actions,
    notices,
    errors,
    userStart: () => dog.dispatch({ type: 'started', at: at(), by: 'user', generation: 1 }),
    crash: () => dog.dispatch({ type: 'crashed', at: at(), code: 1, signal: null, lastLines: [] }),
    stop: () => dog.dispatch({ type: 'stopped-by-user', at: at() }),
  };
}

describe('MinerWatchdog lifecycle', () => {
  it('dispose works before anything ran and makes it deaf to later events', async () => {
    const w = setup();
    expect(() => w.dog.dispose()).not.toThrow();
    w.userStart();
    w.crash();
    await w.clock.advance(10 * MIN);
    expect(w.clock.pending).toBe(0);
    expect(w.actions).toEqual([]);
    expect(w.dog.status.phase).toBe('idle');
  });

  it('a user start in backoff leaves only the health check scheduled', async () => {
    const w = setup();
    w.userStart();
    w.crash();
    expect(w.clock.pending).toBe(1); // the restart
    w.userStart();
    expect(w.clock.pending).toBe(1); // the periodic check, the restart is called off
    w.stop();
    expect(w.clock.pending).toBe(0);
  });

  it('settings changes apply to the next event', async () => {
    const w = setup();
    w.userStart();
    w.dog.updateSettings(watchdogSettingsSchema.parse({ enabled: false }));
    w.crash();
    expect(w.dog.status.phase).toBe('idle');
    expect(w.clock.pending).toBe(0);
    expect(w.actions).toEqual([]);
  });
});

describe('MinerWatchdog with failing or missing handlers', () => {
  it('a kill that throws is reported and the restart still happens', async () => {
    const boom = new Error('kill failed: EPERM');
    const w = setup({ hangTimeoutMs: 10 * S }, { kill: () => Promise.reject(boom) });
    w.userStart();
    await w.clock.advance(10 * S); // hang: kill (throws), restart in 2 s
    await w.clock.advance(2 * S);
    expect(w.errors).toEqual([boom]);
    expect(w.starts).toHaveLength(1);
    expect(w.dog.status.phase).toBe('running');
  });

  it('without onError a kill that throws is swallowed and the restart still happens', async () => {
    const w = setup(
      { hangTimeoutMs: 10 * S },
      { kill: () => Promise.reject(new Error('EPERM')), omit: ['onError'] },
    );
    w.userStart();
    await w.clock.advance(12 * S);
    expect(w.starts).toHaveLength(1);
  });

  it('a crash loop without a notifier is no error', () => {
    const w = setup({ crashLoopCount: 2 }, { omit: ['notify'] });
    w.userStart();
    w.crash();
    w.userStart(); // clears the record: two more crashes needed
    w.crash();
    w.dog.dispatch({ type: 'restart-due', at: w.clock.now() });
    w.crash();
    expect(w.dog.status.phase).toBe('crash-loop');
    expect(w.errors).toEqual([]);
  });

  it('an onAction that throws is reported and the effects still apply', async () => {
    const boom = new Error('log full');
    const w = setup({}, { onAction: () => { throw boom; } }); // prettier-ignore
    w.userStart();
    w.crash();
    expect(w.errors).toEqual([boom]);
    await w.clock.advance(2 * S);
    expect(w.starts).toHaveLength(1);
  });

  it('without onError a throwing onAction does not reach the caller', () => {
    const w = setup({}, { onAction: () => { throw new Error('x'); }, omit: ['onError'] }); // prettier-ignore
    w.userStart();
    expect(() => w.crash()).not.toThrow();
    expect(w.dog.status.phase).toBe('backoff');
  });
});

describe('a slow kill overtaken', () => {
  // The hang is found at 10 s; the kill takes 5 s, the restart is due after 2 s and waits for the kill.
  it('by a user stop: nothing starts', async () => {
    const w = setup({ hangTimeoutMs: 10 * S }, { killMs: 5 * S });
    w.userStart();
    await w.clock.advance(13 * S); // restart due at 12 s, waiting for the kill
    expect(w.dog.status.phase).toBe('restarting');
    w.stop();
    await w.clock.advance(MIN);
    expect(w.kills).toHaveLength(1);
    expect(w.starts).toEqual([]);
  });

  it('by a dispose: nothing starts', async () => {
    const w = setup({ hangTimeoutMs: 10 * S }, { killMs: 5 * S });
    w.userStart();
    await w.clock.advance(13 * S);
    w.dog.dispose();
    await w.clock.advance(MIN);
    expect(w.starts).toEqual([]);
  });

  it('otherwise the start follows the kill', async () => {
    const w = setup({ hangTimeoutMs: 10 * S }, { killMs: 5 * S });
    w.userStart();
    await w.clock.advance(16 * S);
    expect(w.starts).toEqual([w.kills[0]! + 5 * S]);
  });
});

describe('WatchdogRegistry', () => {
  function registry(omit: ('notify' | 'onError')[] = [], kill?: () => Promise<void>) {
    const clock = new FakeClock(0);
    const log: string[] = [];
    const rt: SupervisedRuntime = {
      kill: kill ?? (async () => {}),
      start: async (id) => {
        log.push(`start ${id}`);
      },
      onAction: (id, a) => log.push(`${id} ${a.kind}`),
      notify: (id, title) => log.push(`notify ${id} ${title}`),
      onError: (id, err) => log.push(`error ${id} ${String(err)}`),
    };
    for (const k of omit) delete rt[k];
    const reg = new WatchdogRegistry({ clock, runtime: rt, checkIntervalMs: S });
    return { clock, log, reg };
  }

  it('forgetting a miner it never saw is fine', () => {
    const { reg } = registry();
    expect(() => reg.forget('never')).not.toThrow();
  });

  it('new settings reach the existing watchdogs and the ones made later', () => {
    const { reg, log } = registry();
    reg.dispatch('a', { type: 'started', at: 0, by: 'user' });
    reg.updateSettings(watchdogSettingsSchema.parse({ enabled: false }));
    for (const id of ['a', 'b']) {
      reg.dispatch(id, { type: 'started', at: 0, by: 'user' });
      reg.dispatch(id, { type: 'crashed', at: 0, code: 1, signal: null, lastLines: [] });
    }
    expect(log).toEqual([]);
    expect([reg.status('a').phase, reg.status('b').phase]).toEqual(['idle', 'idle']);
  });

  it('passes the miner id to notify and onError', async () => {
    const { reg, log, clock } = registry([], () => Promise.reject(new Error('EPERM')));
    reg.updateSettings(watchdogSettingsSchema.parse({ crashLoopCount: 2, hangTimeoutMs: 10 * S }));
    reg.dispatch('m', { type: 'started', at: 0, by: 'user' });
    await clock.advance(10 * S); // hang: the kill fails
    await clock.advance(2 * S); // restart
    reg.dispatch('m', { type: 'crashed', at: clock.now(), code: 1, signal: null, lastLines: [] });
    expect(log).toEqual([
      'm restart-scheduled',
      'error m Error: EPERM',
      'm restart',
      'start m',
      'm crash-loop',
      'notify m Miner keeps failing',
    ]);
  });

  it('a runtime without notify is fine: the crash loop is no error', async () => {
    const { reg, log, clock } = registry(['notify']);
    reg.updateSettings(watchdogSettingsSchema.parse({ crashLoopCount: 2 }));
    reg.dispatch('m', { type: 'started', at: 0, by: 'user' });
    reg.dispatch('m', { type: 'crashed', at: 0, code: 1, signal: null, lastLines: [] });
    reg.dispatch('m', { type: 'restart-due', at: 0 });
    await clock.advance(0);
    reg.dispatch('m', { type: 'crashed', at: 0, code: 1, signal: null, lastLines: [] });
    expect(log).toEqual(['m restart-scheduled', 'm restart', 'start m', 'm crash-loop']);
  });

  it('a runtime without onError is fine: the kill failure is dropped, the restart goes on', async () => {
    const { reg, log, clock } = registry(['onError'], () => Promise.reject(new Error('x')));
    reg.updateSettings(watchdogSettingsSchema.parse({ hangTimeoutMs: 10 * S }));
    reg.dispatch('m', { type: 'started', at: 0, by: 'user' });
    await clock.advance(12 * S);
    expect(log).toEqual(['m restart-scheduled', 'm restart', 'start m']);
  });
});

describe('backoff edges', () => {
  it('a failure exactly one window ago has left the window', () => {
    expect(recordFailure([0, 1], 10 * MIN, 10 * MIN)).toEqual([1, 10 * MIN]);
  });

  it('formats the unit boundaries', () => {
    expect([59_000, 60_000, 3_540_000, 3_600_000, 7_200_000].map(formatDuration)).toEqual([
      '59 s',
      '1 min',
      '59 min',
      '1 h',
      '2 h',
    ]);
  });
});
