// What the manager tells its subscribers, payload by payload: history markers of each lifecycle step (the
// chart and the lasting store keep them), api-error with a state event only when the error text changed,
// user-stop from a pause by stopping, removed when a name changes miner type, alerts named after the miner.
import { describe, expect, it } from 'vitest';
import type { ManagerEvents } from '../../src/main/core/manager-events';
import type { MinerSnapshot } from '../../src/shared/model';
import { FakeClock } from '../../src/main/core/util/clock';
import { FakeWorld, validStart, type WorldOptions } from '../support/fake-world';

const T0 = 1_700_000_000_000;

function setup(worldOptions: WorldOptions = {}, overrides: Parameters<FakeWorld['manager']>[0] = {}) {
  const clock = new FakeClock(T0);
  const world = new FakeWorld(worldOptions);
  const manager = world.manager({ clock, ...overrides });
  const events: { [K in keyof ManagerEvents]?: ManagerEvents[K][] } = {};
  const names = ['state', 'history', 'user-stop', 'api-error', 'removed', 'alert'] as const;
  for (const name of names) {
    const list: unknown[] = [];
    (events as Record<string, unknown[]>)[name] = list;
    manager.on(name, (p: unknown) => list.push(p));
  }
  const history = () => (events.history ?? []).map((h) => [h.id, h.event.kind, h.event.text, h.event.at]);
  const states = () => (events.state ?? []) as MinerSnapshot[];
  return { clock, world, manager, events, history, states };
}

describe('history markers of the lifecycle', () => {
  it('a start, a restart and a stop each leave one marker with its time and words', async () => {
    const t = setup();
    await t.manager.start(validStart('Rig A'));
    await t.clock.advance(1000);
    await t.manager.restart('rig-a');
    await t.clock.advance(1000);
    await t.manager.stop('rig-a');
    expect(t.history()).toEqual([
      ['rig-a', 'start', 'Rig A started', T0],
      ['rig-a', 'restart', 'Rig A restarted by the user', T0 + 1000],
      ['rig-a', 'stop', 'Rig A stopped', T0 + 1000],
      ['rig-a', 'start', 'Rig A started', T0 + 1000],
      ['rig-a', 'stop', 'Rig A stopped', T0 + 2000],
    ]);
    expect(t.manager.getEvents('rig-a', 0, T0 + 2000)).toHaveLength(5);
  });

  it('a crash leaves a crash marker with the crash reason and no stop marker', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    t.world.processes[0]!.emitLine('thread #0 crashed');
    t.world.processes[0]!.exit(139);
    await t.clock.advance(0);
    const reason = t.manager.get('a').reason;
    expect(reason).toContain('exited with code 139');
    expect(t.history()).toEqual([
      ['a', 'start', 'a started', T0],
      ['a', 'crash', reason, T0],
    ]);
  });

  it('a start that fails leaves a crash marker with the failure', async () => {
    const t = setup({ spawnFails: () => true });
    const err = await t.manager.start(validStart('a')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SPAWN_FAILED' });
    const reason = t.manager.get('a').reason!;
    expect(reason).toContain('spawn failed for fake-simulated');
    expect(t.history()).toEqual([['a', 'crash', reason, T0]]);
  });

  it('a restart by the watchdog says so in its start marker', async () => {
    const { watchdogSettingsSchema } = await import('../../src/shared/watchdog-settings');
    const t = setup({}, { watchdog: watchdogSettingsSchema.parse({}), watchdogCheckIntervalMs: 1000 });
    await t.manager.start(validStart('a'));
    t.world.processes[0]!.exit(1);
    await t.clock.advance(0);
    expect(t.manager.get('a').state).toBe('backoff');
    await t.clock.advance(2000);
    for (let i = 0; i < 20 && t.manager.get('a').state !== 'running'; i++) await t.clock.advance(0);
    const starts = t.history().filter(([, kind]) => kind === 'start');
    expect(starts).toEqual([
      ['a', 'start', 'a started', T0],
      ['a', 'start', 'a started by the watchdog', T0 + 2000],
    ]);
    await t.manager.shutdown();
  });

  it('keeps at most 500 characters of a marker text', async () => {
    const t = setup();
    const name = 'n'.repeat(64);
    await t.manager.start(validStart(name));
    const id = t.manager.list()[0]!.id;
    t.manager.watchdogAction(id, { at: T0, kind: 'restart', cause: 'crash', text: 'x'.repeat(600) });
    const last = t.events.history!.at(-1)!.event;
    expect(last.kind).toBe('watchdog');
    expect(last.text).toBe(`${name}: ${'x'.repeat(600)}`.slice(0, 500));
    expect(last.text).toHaveLength(500);
  });
});

describe('pause markers and the pause kind', () => {
  it('a pause and a resume through the miner’s API each leave a marker; the snapshot says it pauses by API', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    expect(t.manager.get('a').control?.pauseKind).toBe('api');
    await t.clock.advance(5);
    await t.manager.pause('a');
    await t.clock.advance(5);
    await t.manager.resume('a');
    expect(t.history().slice(1)).toEqual([
      ['a', 'pause', 'a paused', T0 + 5],
      ['a', 'resume', 'a resumed', T0 + 10],
    ]);
  });

  it('a stop shows stopping then stopped once, and leaves a miner paused through its API unpaused', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    await t.manager.pause('a');
    t.events.state!.length = 0;
    const stopped = await t.manager.stop('a');
    expect(t.states().map((s) => [s.state, s.paused])).toEqual([
      ['stopping', true],
      ['stopped', false],
    ]);
    expect(stopped).toMatchObject({ state: 'stopped', paused: false, control: { pausedBy: null } });
  });
});

describe('stats errors', () => {
  it('emits api-error for every failed poll, and a state event only when the error text changed', async () => {
    let failWith: string | null = null;
    const t = setup({
      gate: async (label, value) => {
        if (failWith !== null && label.startsWith('stats')) throw new Error(failWith);
        return value();
      },
    });
    await t.manager.start(validStart('a'));
    await t.manager.tick();
    const before = t.states().length;
    failWith = 'connection refused';
    await t.clock.advance(10);
    await t.manager.tick();
    expect(t.events['api-error']).toEqual([
      { id: 'a', generation: 1, message: 'connection refused', at: T0 + 10 },
    ]);
    expect(
      t
        .states()
        .slice(before)
        .map((s) => s.apiError),
    ).toEqual(['connection refused']);

    await t.clock.advance(10);
    await t.manager.tick();
    expect(t.events['api-error']).toHaveLength(2);
    expect(t.events['api-error']![1]).toEqual({
      id: 'a',
      generation: 1,
      message: 'connection refused',
      at: T0 + 20,
    });
    expect(t.states().length - before).toBe(1);

    failWith = 'reset by peer';
    await t.manager.tick();
    expect(
      t
        .states()
        .slice(before)
        .map((s) => s.apiError),
    ).toEqual(['connection refused', 'reset by peer']);
  });
});

describe('deliberate stops the watchdog hears of', () => {
  it('a pause by stopping tells user-stop with the miner and the time', async () => {
    const world = new FakeWorld();
    const t = setup(
      {},
      {
        adapters: {
          simulated: { ...world.adapter('simulated'), supportsPause: false },
          xmrig: world.adapter('xmrig'),
          ttminer: world.adapter('ttminer'),
        },
      },
    );
    await t.manager.start(validStart('a'));
    await t.clock.advance(5);
    const paused = await t.manager.pause('a');
    expect(paused).toMatchObject({ state: 'stopped', paused: true });
    expect(t.events['user-stop']).toEqual([{ id: 'a', at: T0 + 5 }]);
    // A stop of the paused miner is simply stopped: the pause ends with it.
    const stopped = await t.manager.stop('a');
    expect(stopped).toMatchObject({ state: 'stopped', paused: false, control: { pausedBy: null } });
    expect(t.states().at(-1)).toMatchObject({ paused: false });
    expect(t.events['user-stop']).toEqual([
      { id: 'a', at: T0 + 5 },
      { id: 'a', at: T0 + 5 },
    ]);
  });
});

describe('names, removal and alerts', () => {
  it('starting a stopped name as another miner type forgets the old miner and says so', async () => {
    const t = setup();
    await t.manager.start(validStart('a', 'simulated'));
    await t.manager.stop('a');
    t.events.history!.length = 0;
    const started = await t.manager.start(validStart('a', 'xmrig'));
    expect(started).toMatchObject({ id: 'a', minerType: 'xmrig', generation: 1 });
    expect(t.events.removed).toEqual([{ id: 'a' }]);
    expect(t.manager.getEvents('a', 0, T0)).toEqual([{ at: T0, kind: 'start', text: 'a started' }]);
  });

  it('refuses another miner type under a name the user still wants running (waiting in backoff)', async () => {
    const { watchdogSettingsSchema } = await import('../../src/shared/watchdog-settings');
    const t = setup({}, { watchdog: watchdogSettingsSchema.parse({}) });
    await t.manager.start(validStart('a', 'simulated'));
    t.world.processes[0]!.exit(1);
    await t.clock.advance(0);
    expect(t.manager.get('a').state).toBe('backoff');
    await expect(t.manager.start(validStart('a', 'xmrig'))).rejects.toMatchObject({
      code: 'ALREADY_RUNNING',
      message: 'a is still backoff',
      details: { id: 'a' },
    });
    expect(t.events.removed).toEqual([]);
    expect(t.manager.get('a').minerType).toBe('simulated');
    await t.manager.shutdown();
  });

  it('remove forgets a stopped miner and tells removed; its id is unknown afterwards', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    await t.manager.stop('a');
    await t.manager.remove('a');
    expect(t.events.removed).toEqual([{ id: 'a' }]);
    expect(t.manager.has('a')).toBe(false);
  });

  it('an alert is titled with the miner name, or the id of a miner no longer known', async () => {
    const t = setup();
    await t.manager.start(validStart('Rig A'));
    t.manager.alert('rig-a', 'Miner keeps failing', 'why');
    t.manager.alert('gone', 'Miner keeps failing', 'why');
    expect(t.events.alert).toEqual([
      { id: 'rig-a', title: 'Rig A: Miner keeps failing', message: 'why' },
      { id: 'gone', title: 'gone: Miner keeps failing', message: 'why' },
    ]);
  });
});
