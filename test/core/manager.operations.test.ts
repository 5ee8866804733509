// Operations and loops of the manager seen from the caller: the poll interval with and without viewers,
// the stats timer around shutdown, pause/resume defaults, a restart with a new config, a refused start or
// restart after shutdown leaving nothing behind, removal calling off an API call in flight, the exit hook.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MinerAdapter } from '../../src/main/core/miners/adapter';
import type { MinerSnapshot } from '../../src/shared/model';
import { FakeClock } from '../../src/main/core/util/clock';
import { FakeWorld, validStart, type WorldOptions } from '../support/fake-world';

const T0 = 1_700_000_000_000;

function setup(worldOptions: WorldOptions = {}, overrides: Parameters<FakeWorld['manager']>[0] = {}) {
  const clock = new FakeClock(T0);
  const world = new FakeWorld(worldOptions);
  const manager = world.manager({ clock, ...overrides });
  const batches: number[] = [];
  manager.on('stats', () => batches.push(clock.now() - T0));
  return { clock, world, manager, batches };
}

describe('the poll interval and viewers', () => {
  it('polls at the live interval while watched (or unknown) and at the background one with no viewer', async () => {
    const t = setup({}, { statsIntervalMs: 1000, backgroundStatsIntervalMs: 30_000 });
    expect(t.manager.watched).toBe(true);
    expect(t.manager.statsInterval).toBe(1000);
    t.manager.setViewers(0);
    expect(t.manager.watched).toBe(false);
    expect(t.manager.statsInterval).toBe(30_000);
    t.manager.setViewers(1);
    expect(t.manager.watched).toBe(true);
    expect(t.manager.statsInterval).toBe(1000);
    t.manager.setViewers(0);
    t.manager.setViewers(null);
    expect(t.manager.watched).toBe(true);
    expect(t.manager.statsInterval).toBe(1000);
    // A live interval slower than the background one is kept in the background too.
    t.manager.setViewers(0);
    t.manager.setStatsInterval(60_000);
    expect(t.manager.statsInterval).toBe(60_000);
    t.manager.setViewers(2);
    expect(t.manager.statsInterval).toBe(60_000);
  });

  it('the first viewer gets a sample at once; more viewers do not reset the timer', async () => {
    const t = setup({}, { statsIntervalMs: 1000, backgroundStatsIntervalMs: 30_000 });
    await t.manager.start(validStart('a'));
    t.manager.setViewers(0);
    t.manager.setViewers(1);
    await t.clock.advance(0);
    expect(t.batches).toEqual([]); // the collector is not running yet: a viewer starts no poll
    t.manager.startCollector();
    await t.clock.advance(600);
    t.manager.setViewers(3); // still watched, same interval: the timer keeps its phase
    await t.clock.advance(400);
    expect(t.batches).toEqual([1000]);
    t.manager.setViewers(0);
    await t.clock.advance(5000);
    expect(t.batches).toEqual([1000]);
    t.manager.setViewers(1); // a viewer is back: fresh stats now
    await t.clock.advance(0);
    expect(t.batches).toEqual([1000, 6000]);
    t.manager.stopCollector();
    expect(t.clock.pending).toBe(0);
    await t.clock.advance(5000);
    expect(t.batches).toEqual([1000, 6000]);
    await t.manager.shutdown();
  });

  it('never starts the stats timer once the app shuts down', async () => {
    const t = setup();
    await t.manager.shutdown();
    t.manager.startCollector();
    expect(t.clock.pending).toBe(0);
  });
});

describe('refused after shutdown, leaving nothing behind', () => {
  it('a start creates no miner and a restart leaves no marker', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    await t.manager.shutdown();
    const history: unknown[] = [];
    t.manager.on('history', (h) => history.push(h));
    await expect(t.manager.start(validStart('b'))).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
      message: 'The app is shutting down',
    });
    expect(t.manager.list().map((m) => m.id)).toEqual(['a']);
    await expect(t.manager.restart('a')).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(history).toEqual([]);
    expect(t.manager.intended()).toEqual([]);
  });
});

describe('pause, resume and restart requests', () => {
  it('a pause without a cause is the user’s; quiet and take-over default off', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    const states: MinerSnapshot[] = [];
    t.manager.on('state', (s) => states.push(s));
    const paused = await t.manager.pause('a');
    expect(paused.control?.pausedBy).toEqual({ by: 'user' });
    expect(states).toHaveLength(1); // not quiet: the UI hears of it
    // A weaker cause does not take a user pause over unless asked to.
    await t.manager.pause('a', { cause: { by: 'budget', detail: 'over budget' } });
    expect(t.manager.get('a').control?.pausedBy).toEqual({ by: 'user' });
    // A rule's resume does not undo the user's pause; the user's own does, and says so.
    await t.manager.resume('a', { by: 'rule' });
    expect(t.manager.get('a').paused).toBe(true);
    const resumed = await t.manager.resume('a');
    expect(resumed).toMatchObject({ paused: false, control: { pausedBy: null } });
    expect(states.at(-1)).toMatchObject({ paused: false });
  });

  it('a quiet pause and resume (the budget’s pulses) emit no state and leave no note', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    const states: MinerSnapshot[] = [];
    t.manager.on('state', (s) => states.push(s));
    const lines = t.manager.getLogs('a').length;
    const cause = { by: 'budget', detail: 'pulse' } as const;
    expect(await t.manager.pause('a', { cause, quiet: true })).toMatchObject({ paused: true });
    expect(await t.manager.resume('a', { by: 'budget', quiet: true })).toMatchObject({ paused: false });
    expect(states).toEqual([]);
    expect(t.manager.getLogs('a')).toHaveLength(lines);
    expect(t.manager.getEvents('a', 0, Number.MAX_SAFE_INTEGER).map((e) => e.kind)).toEqual(['start']);
  });

  it('a pause by stopping without a cause is the user’s and is not handed to a weaker cause', async () => {
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
    expect(t.manager.get('a').control?.pauseKind).toBe('stop');
    await t.manager.pause('a');
    await t.manager.pause('a', { cause: { by: 'rule', rule: 'onBattery', detail: 'on battery' } });
    expect(t.manager.get('a').control?.pausedBy).toEqual({ by: 'user' });
    await t.manager.pause('a', {
      cause: { by: 'rule', rule: 'onBattery', detail: 'on battery' },
      takeOver: true,
    });
    expect(t.manager.get('a').control?.pausedBy).toMatchObject({ by: 'rule' });
  });

  it('a restart with a config runs the new config and is the user’s start', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    const launched: string[] = [];
    t.manager.on('launched', (e) => launched.push(e.by));
    const restarted = await t.manager.restart('a', { ...t.manager.get('a').config, threads: 3 });
    expect(restarted).toMatchObject({ state: 'running', generation: 2, config: { threads: 3 } });
    expect(launched).toEqual(['user']);
    const again = await t.manager.restart('a');
    expect(again).toMatchObject({ generation: 3, config: { threads: 3 } });
  });

  it('stamps log lines with the manager clock', async () => {
    const t = setup();
    await t.clock.advance(7);
    await t.manager.start(validStart('a'));
    expect(t.manager.getLogs('a')[0]!.at).toBe(T0 + 7);
  });
});

describe('remove and API calls in flight', () => {
  /** An adapter whose pause answers only when the test says so, or fails once its call is called off. */
  function held(world: FakeWorld) {
    let answer!: () => void;
    const base = world.adapter('simulated');
    const adapter: MinerAdapter = {
      ...base,
      pause: (_api, signal) =>
        new Promise<undefined>((resolve, reject) => {
          answer = () => resolve(undefined);
          signal.addEventListener('abort', () => reject(signal.reason));
        }),
    };
    return { adapter, answer: () => answer() };
  }

  it('removing a miner that crashed calls off its pause still waiting for an answer', async () => {
    const world = new FakeWorld();
    const h = held(world);
    const t = setup({}, { adapters: { simulated: h.adapter, xmrig: h.adapter, ttminer: h.adapter } });
    await t.manager.start(validStart('a'));
    const pausing = t.manager.pause('a').catch((e: unknown) => e);
    await t.clock.advance(0);
    t.world.processes[0]!.exit(137); // dies while the pause call hangs
    await t.clock.advance(0);
    expect(t.manager.get('a').state).toBe('crashed');
    const removing = t.manager.remove('a');
    await expect(pausing).resolves.toMatchObject({
      code: 'CANCELLED',
      message: 'The pause of a was called off: the miner is being stopped',
    });
    await removing;
    expect(t.manager.has('a')).toBe(false);
  });

  it('a remove refused for a crashed miner the watchdog will restart leaves its pause in flight alone', async () => {
    const world = new FakeWorld();
    const h = held(world);
    const t = setup({}, { adapters: { simulated: h.adapter, xmrig: h.adapter, ttminer: h.adapter } });
    await t.manager.start(validStart('a'));
    const pausing = t.manager.pause('a');
    await t.clock.advance(0);
    t.world.processes[0]!.exit(137);
    await t.clock.advance(0);
    t.manager.watchdogAction('a', { at: T0, kind: 'restart-scheduled', cause: 'crash', text: 'in 2 s' });
    const removing = t.manager.remove('a').catch((e: unknown) => e);
    await t.clock.advance(0);
    h.answer();
    await expect(pausing).resolves.toMatchObject({ state: 'backoff', paused: false });
    expect(await removing).toMatchObject({
      code: 'INVALID_STATE',
      message: 'a is backoff; stop it before removing it',
    });
  });

  it('a remove refused for a running miner leaves its pause in flight alone', async () => {
    const world = new FakeWorld();
    const h = held(world);
    const t = setup({}, { adapters: { simulated: h.adapter, xmrig: h.adapter, ttminer: h.adapter } });
    await t.manager.start(validStart('a'));
    const pausing = t.manager.pause('a');
    await t.clock.advance(0);
    const removing = t.manager.remove('a').catch((e: unknown) => e);
    await t.clock.advance(0);
    h.answer();
    await expect(pausing).resolves.toMatchObject({ paused: true });
    expect(await removing).toMatchObject({
      code: 'INVALID_STATE',
      message: 'a is running; stop it before removing it',
    });
    expect(t.manager.has('a')).toBe(true);
  });
});

describe('the last-resort exit hook', () => {
  const platform = process.platform;
  afterEach(() => {
    Object.defineProperty(process, 'platform', { value: platform });
    vi.restoreAllMocks();
  });

  it('SIGKILLs the process group of every miner with a process, past one that is already gone', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    await t.manager.start(validStart('b'));
    await t.manager.start(validStart('c'));
    await t.manager.stop('b');
    // Never a real signal: the fake pids belong to nobody we own.
    const kill = vi.spyOn(process, 'kill').mockImplementation((pid) => {
      if (pid === -1000) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
      return true;
    });
    t.manager.killAllSync();
    expect(kill.mock.calls).toEqual([
      [-1000, 'SIGKILL'],
      [-1002, 'SIGKILL'],
    ]);
  });

  it('on Windows signals the pid itself (no process groups there)', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    Object.defineProperty(process, 'platform', { value: 'win32' });
    t.manager.killAllSync();
    Object.defineProperty(process, 'platform', { value: platform });
    expect(kill.mock.calls).toEqual([[1000, 'SIGKILL']]);
  });
});
