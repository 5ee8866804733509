// The manager's side of supervision (SupervisedManager): where a miner killed for a hang settles (backoff,
// crash-loop, or stopped when the user stopped it meanwhile), when a watchdog restart is called off, how
// the watchdog's actions move a failed miner's state, and its notes. Fake clock, scripted processes.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/core/util/clock';
import type { MinerState } from '../../src/shared/model';
import { watchdogSettingsSchema, type WatchdogSettingsInput } from '../../src/shared/watchdog-settings';
import { FakeWorld, validStart, type WorldOptions } from '../support/fake-world';

const S = 1000;
const T0 = 1_700_000_000_000;

function setup(
  settings: WatchdogSettingsInput | null,
  worldOptions: WorldOptions = {},
  overrides: Parameters<FakeWorld['manager']>[0] = {},
) {
  const clock = new FakeClock(T0);
  let hung = false;
  const world = new FakeWorld({
    gate: async (label, value) => {
      if (hung && label.startsWith('stats')) throw new Error('no answer');
      return value();
    },
    ...worldOptions,
  });
  const manager = world.manager({
    clock,
    ...(settings ? { watchdog: watchdogSettingsSchema.parse(settings), watchdogCheckIntervalMs: S } : {}),
    ...overrides,
  });
  const states: MinerState[] = [];
  manager.on('state', (s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  const settle = async (id: string, state: MinerState) => {
    for (let i = 0; i < 50 && manager.get(id).state !== state; i++) await clock.advance(0);
    expect(manager.get(id).state).toBe(state);
  };
  /** The API stops answering; polls until the watchdog judged the miner hung and began to kill it. */
  const hang = async (id: string) => {
    hung = true;
    for (let i = 0; i < 30 && manager.get(id).state === 'running'; i++) {
      await manager.tick();
      await clock.advance(S);
    }
    expect(manager.get(id).state).not.toBe('running');
  };
  const answer = () => (hung = false);
  return { clock, world, manager, states, settle, hang, answer };
}

describe('a miner killed for a hang', () => {
  it('settles in crash-loop when that failure makes the loop; the user wants it stopped now', async () => {
    const t = setup({ crashLoopCount: 2, hangTimeoutMs: 10 * S });
    await t.manager.start(validStart('a'));
    t.world.processes[0]!.exit(1);
    await t.settle('a', 'backoff');
    await t.clock.advance(2 * S);
    await t.settle('a', 'running');
    await t.hang('a');
    await t.settle('a', 'crash-loop');
    const snap = t.manager.get('a');
    expect(snap.reason).toMatch(/^the stats API has not answered.*; 2 failures within 10 min/);
    expect(snap.supervision).toMatchObject({ phase: 'crash-loop', reason: snap.reason });
    expect(t.world.processes.map((p) => p.alive)).toEqual([false, false]);
    expect(t.manager.intended()).toEqual([]);
    await t.clock.advance(60 * S);
    expect(t.world.processes).toHaveLength(2);
    // The crash-loop is no failure state a watchdog restart could start from.
    await expect(t.manager.superviseStart('a', 'late restart')).rejects.toMatchObject({
      code: 'CANCELLED',
      message: 'The restart of a was called off (late restart)',
    });
    expect(t.world.processes).toHaveLength(2);
  });

  it('waits in backoff when its restart fell due while the stubborn process was still being killed', async () => {
    const t = setup(
      { hangTimeoutMs: 10 * S },
      { ignoreTerm: (pid) => pid === 1000 },
      { stopTimeoutMs: 5 * S },
    );
    await t.manager.start(validStart('a'));
    await t.hang('a');
    expect(t.manager.get('a').state).toBe('stopping');
    // The 2 s backoff ends before the 5 s kill deadline: the watchdog is restarting, waiting for the kill.
    await t.clock.advance(2 * S);
    expect(t.manager.get('a').supervision).toMatchObject({ phase: 'restarting' });
    t.answer();
    t.states.length = 0;
    await t.clock.advance(3 * S);
    await t.settle('a', 'running');
    expect(t.states).toEqual(['backoff', 'starting', 'running']);
    expect(t.manager.get('a')).toMatchObject({ generation: 2, pid: 1001 });
    await t.manager.shutdown();
  });

  it('is simply stopped when the user stopped it while the kill ran: nothing restarts', async () => {
    const t = setup(
      { hangTimeoutMs: 10 * S },
      { ignoreTerm: (pid) => pid === 1000 },
      { stopTimeoutMs: 5 * S },
    );
    await t.manager.start(validStart('a'));
    await t.hang('a');
    t.states.length = 0;
    const stopping = t.manager.stop('a');
    await t.clock.advance(5 * S);
    expect(await stopping).toMatchObject({ state: 'stopped', reason: null });
    expect(t.states).toEqual(['stopping', 'stopped']);
    await t.clock.advance(60 * S);
    expect(t.world.processes).toHaveLength(1);
    expect(t.manager.intended()).toEqual([]);
  });

  it('without a watchdog a supervised kill just stops the miner; unknown or idle miners are left alone', async () => {
    const t = setup(null);
    await t.manager.superviseKill('nope', 'hung');
    await t.manager.start(validStart('a'));
    await t.manager.start(validStart('b'));
    await t.manager.stop('b');
    await t.manager.superviseKill('b', 'hung');
    expect(t.manager.get('b')).toMatchObject({ state: 'stopped', reason: null });
    await t.manager.superviseKill('a', 'hung');
    expect(t.manager.get('a')).toMatchObject({ state: 'stopped', reason: null });
    expect(t.manager.getLogs('a').map((l) => l.text)).toContainEqual(expect.stringContaining('hung'));
    expect(t.manager.intended()).toEqual([]);
    expect(t.world.processes.map((p) => p.alive)).toEqual([false, false]);
  });
});

describe('a watchdog kill that comes late', () => {
  it('finds the miner already stopped by the user and leaves the user’s new start alone', async () => {
    const t = setup(null);
    await t.manager.start(validStart('a'));
    const stopping = t.manager.stop('a');
    const killing = t.manager.superviseKill('a', 'hung'); // queued behind the user's stop
    const starting = t.manager.start(validStart('a')); // queued behind the kill
    await stopping;
    await killing;
    expect(await starting).toMatchObject({ state: 'running', generation: 2, pid: 1001 });
    expect(t.manager.intended().map((m) => m.id)).toEqual(['a']);
    expect(t.world.processes.map((p) => p.alive)).toEqual([false, true]);
  });
});

describe('the watchdog restart and actions', () => {
  it('a watchdog restart starts a miner the watchdog scheduled, by the watchdog, and reports its generation', async () => {
    const t = setup(null);
    await t.manager.start(validStart('a'));
    t.world.processes[0]!.exit(1);
    await t.settle('a', 'crashed');
    await expect(t.manager.superviseStart('a', 'r')).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(t.manager.superviseStart('nope', 'r')).rejects.toMatchObject({
      code: 'CANCELLED',
      message: 'The restart of nope was called off (r)',
    });

    const launched: { by: string; generation: number }[] = [];
    t.manager.on('launched', (e) => launched.push({ by: e.by, generation: e.generation }));
    t.manager.watchdogAction('a', { at: T0, kind: 'restart-scheduled', cause: 'crash', text: 'in 2 s' });
    expect(t.manager.get('a')).toMatchObject({ state: 'backoff', reason: 'in 2 s' });
    await expect(t.manager.superviseStart('a', 'r')).resolves.toEqual({ generation: 2 });
    expect(launched).toEqual([{ by: 'watchdog', generation: 2 }]);
    expect(t.manager.get('a').state).toBe('running');

    await t.manager.shutdown();
    await expect(t.manager.superviseStart('a', 'r')).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('a watchdog restart is refused once the app shuts down, even for a miner waiting to run', async () => {
    const t = setup(null);
    await t.manager.start(validStart('a'));
    t.world.processes[0]!.exit(1);
    await t.settle('a', 'crashed');
    await t.manager.shutdown();
    // An action that arrives late still marks the miner wanted; the restart itself is refused.
    t.manager.watchdogAction('a', { at: T0, kind: 'restart-scheduled', cause: 'crash', text: 'in 2 s' });
    expect(t.manager.get('a').state).toBe('backoff');
    await expect(t.manager.superviseStart('a', 'r')).rejects.toMatchObject({
      code: 'CANCELLED',
      message: 'The restart of a was called off (r)',
    });
    expect(t.world.processes).toHaveLength(1);
  });

  it('actions move only a failed miner: backoff from crashed or errored, crash-loop also from backoff', async () => {
    const t = setup(null, { spawnFails: (req) => req.cwd.endsWith('e') });
    t.manager.watchdogAction('nope', { at: T0, kind: 'crash-loop', cause: 'crash', text: 'x' }); // ignored
    await t.manager.start(validStart('a'));
    const states: string[] = [];
    t.manager.on('state', (s) => states.push(`${s.id}:${s.state}`));

    // A running miner (a hung one being killed) keeps its state; the action is still told.
    t.manager.watchdogAction('a', { at: T0, kind: 'restart-scheduled', cause: 'api-hang', text: 'later' });
    t.manager.watchdogAction('a', { at: T0, kind: 'crash-loop', cause: 'api-hang', text: 'loop' });
    expect(t.manager.get('a').state).toBe('running');
    expect(states).toEqual(['a:running', 'a:running']);
    expect(t.manager.getLogs('a').map((l) => l.text)).toEqual(
      expect.arrayContaining(['watchdog: later', 'watchdog: loop']),
    );

    // errored -> crash-loop directly
    await expect(t.manager.start(validStart('e'))).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
    expect(t.manager.get('e').state).toBe('errored');
    t.manager.watchdogAction('e', { at: T0, kind: 'crash-loop', cause: 'launch-failed', text: 'loop' });
    expect(t.manager.get('e')).toMatchObject({ state: 'crash-loop', reason: 'loop' });

    // crashed -> backoff (wanted again) -> crash-loop (not wanted any more)
    t.world.processes[0]!.exit(1);
    await t.settle('a', 'crashed');
    t.manager.watchdogAction('a', { at: T0, kind: 'restart-scheduled', cause: 'crash', text: 'soon' });
    expect(t.manager.intended().map((m) => m.id)).toEqual(['a']);
    t.manager.watchdogAction('a', { at: T0, kind: 'crash-loop', cause: 'crash', text: 'loop' });
    expect(t.manager.get('a')).toMatchObject({ state: 'crash-loop', reason: 'loop' });
    expect(t.manager.intended()).toEqual([]);
  });

  it('a user stop ends a crash-loop or a backoff: the miner is simply stopped', async () => {
    const t = setup(null);
    await t.manager.start(validStart('a'));
    await t.manager.start(validStart('b'));
    t.world.processes[0]!.exit(1);
    t.world.processes[1]!.exit(1);
    await t.settle('a', 'crashed');
    await t.settle('b', 'crashed');
    t.manager.watchdogAction('a', { at: T0, kind: 'crash-loop', cause: 'crash', text: 'loop' });
    t.manager.watchdogAction('b', { at: T0, kind: 'restart-scheduled', cause: 'crash', text: 'soon' });
    expect(await t.manager.stop('a')).toMatchObject({ state: 'stopped', reason: null });
    expect(await t.manager.stop('b')).toMatchObject({ state: 'stopped', reason: null });
    expect(t.manager.intended()).toEqual([]);
  });

  it('an errored miner waits in backoff when a restart is scheduled', async () => {
    const t = setup(null, { spawnFails: () => true });
    await expect(t.manager.start(validStart('e'))).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
    t.manager.watchdogAction('e', {
      at: T0,
      kind: 'restart-scheduled',
      cause: 'launch-failed',
      text: 'in 4 s',
    });
    expect(t.manager.get('e')).toMatchObject({ state: 'backoff', reason: 'in 4 s' });
  });

  it('notes what went wrong in the watchdog itself in the miner log, and tells whether a miner is paused', async () => {
    const t = setup(null);
    t.manager.supervisionError('nope', new Error('ignored'));
    expect(t.manager.isPaused('nope')).toBe(false);
    await t.manager.start(validStart('a'));
    t.manager.supervisionError('a', new Error('kill failed'));
    t.manager.supervisionError('a', 'plain text');
    expect(t.manager.getLogs('a').map((l) => l.text)).toEqual(
      expect.arrayContaining(['watchdog: kill failed', 'watchdog: plain text']),
    );
    expect(t.manager.isPaused('a')).toBe(false);
    await t.manager.pause('a');
    expect(t.manager.isPaused('a')).toBe(true);
    await t.manager.resume('a');
    expect(t.manager.isPaused('a')).toBe(false);
  });

  it('settings after shutdown are ignored; settings before update the running watchdog', async () => {
    const t = setup({ enabled: false });
    await t.manager.start(validStart('a'));
    t.manager.setWatchdogSettings(watchdogSettingsSchema.parse({ enabled: true }));
    t.world.processes[0]!.exit(1);
    await t.settle('a', 'backoff');
    await t.manager.shutdown();
    t.manager.setWatchdogSettings(watchdogSettingsSchema.parse({ enabled: true }));
    await t.clock.advance(60 * S);
    expect(t.world.processes).toHaveLength(1);
    expect(t.manager.get('a').state).toBe('stopped');
  });

  it('a manager without a watchdog gets one from its settings later', async () => {
    const t = setup(null);
    t.manager.setWatchdogSettings(watchdogSettingsSchema.parse({}));
    await t.manager.start(validStart('a'));
    t.world.processes[0]!.exit(1);
    await t.settle('a', 'backoff');
    await t.clock.advance(2 * S);
    await t.settle('a', 'running');
    expect(t.manager.get('a').generation).toBe(2);
    await t.manager.shutdown();
  });
});
