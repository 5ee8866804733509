// The watchdog wired into the manager, on a fake clock with scripted processes: crash -> backoff (the
// instance state) -> restart on schedule (2 s, 4 s, 8 s) -> crash-loop after K with an alert; a user stop
// or start in backoff calls the restart off; a hang is killed and restarted; a disabled watchdog only reports.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/main/core/util/clock';
import type { MinerManager } from '../../src/main/core/manager';
import type { ManagerEvents } from '../../src/main/core/manager-events';
import type { MinerState } from '../../src/shared/model';
import { watchdogSettingsSchema, type WatchdogSettingsInput } from '../../src/shared/watchdog-settings';
import { FakeWorld, validStart } from '../support/fake-world';

const S = 1000;

function setup(
  settings: WatchdogSettingsInput = {},
  worldOptions: ConstructorParameters<typeof FakeWorld>[0] = {},
) {
  const clock = new FakeClock(1_700_000_000_000);
  const world = new FakeWorld(worldOptions);
  const manager = world.manager({
    clock,
    watchdog: watchdogSettingsSchema.parse({ crashLoopCount: 3, ...settings }),
    watchdogCheckIntervalMs: S,
  });
  const states: MinerState[] = [];
  const alerts: ManagerEvents['alert'][] = [];
  const history: ManagerEvents['history'][] = [];
  manager.on('state', (s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  manager.on('alert', (a) => alerts.push(a));
  manager.on('history', (h) => history.push(h));
  const live = () => world.processes.filter((p) => p.alive);
  /** The current process dies on its own. */
  const crash = async () => {
    const [p] = live();
    if (!p) throw new Error('no live process to crash');
    p.emitLine('cpu      thread #0 crashed: illegal instruction');
    p.exit(1);
    await clock.advance(0);
  };
  return { clock, world, manager, states, alerts, history, live, crash };
}

/** Lets the promise chains of a spawn and a readiness settle without moving the clock. */
async function settle(clock: FakeClock, manager: MinerManager, id: string, state: MinerState): Promise<void> {
  for (let i = 0; i < 50 && manager.get(id).state !== state; i++) await clock.advance(0);
  expect(manager.get(id).state).toBe(state);
}

describe('the watchdog in the manager (fake clock, scripted processes)', () => {
  it('restarts a crashed miner after 2 s, 4 s, 8 s, then enters crash-loop with an alert and stays there', async () => {
    const t = setup({ crashLoopCount: 4 });
    await t.manager.start(validStart('a'));
    const restartGaps: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await t.crash();
      const snap = t.manager.get('a');
      expect(snap.state).toBe('backoff');
      expect(snap.supervision).toMatchObject({ phase: 'backoff', attempt });
      expect(snap.reason).toContain('exited with code 1');
      const crashedAt = t.clock.now();
      const due = snap.supervision!.restartAt!;
      // One millisecond before it is due nothing has started.
      await t.clock.advanceTo(due - 1);
      expect(t.live()).toHaveLength(0);
      await t.clock.advanceTo(due);
      await settle(t.clock, t.manager, 'a', 'running');
      restartGaps.push(t.clock.now() - crashedAt);
      expect(t.live()).toHaveLength(1);
    }
    expect(restartGaps).toEqual([2 * S, 4 * S, 8 * S]);
    await t.crash();
    const snap = t.manager.get('a');
    expect(snap.state).toBe('crash-loop');
    expect(snap.reason).toMatch(/4 failures within 10 min, not restarting until you start it again/);
    expect(t.alerts).toEqual([expect.objectContaining({ id: 'a', title: 'a: Miner keeps failing' })]);
    await t.clock.advance(10 * 60 * S);
    expect(t.live()).toHaveLength(0);
    expect(t.manager.get('a').state).toBe('crash-loop');
    // Every action is a marker with its reason.
    const marks = t.history.filter((h) => h.event.kind === 'watchdog').map((h) => h.event.text);
    expect(marks.filter((m) => m.includes('restarting in'))).toHaveLength(3);
    expect(marks.at(-1)).toContain('crash loop');
    // The user acting ends the loop: a start runs it again with a fresh schedule.
    expect((await t.manager.start(validStart('a'))).state).toBe('running');
    await t.crash();
    expect(t.manager.get('a').supervision).toMatchObject({ phase: 'backoff', attempt: 1 });
    expect(t.states).toEqual(
      expect.arrayContaining(['starting', 'running', 'crashed', 'backoff', 'crash-loop']),
    );
  });

  it('a user stop during backoff calls the restart off; nothing starts afterwards', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    await t.crash();
    expect(t.manager.get('a').state).toBe('backoff');
    const stopped = await t.manager.stop('a');
    expect(stopped.state).toBe('stopped');
    await t.clock.advance(60 * S);
    expect(t.world.processes).toHaveLength(1);
    expect(t.manager.get('a').state).toBe('stopped');
    expect(t.manager.getLogs('a').map((l) => l.text)).toContainEqual(
      expect.stringContaining('the pending restart is called off'),
    );
  });

  it('a user start during backoff starts at once and the scheduled restart never adds a second process', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    await t.crash();
    expect((await t.manager.start(validStart('a'))).state).toBe('running');
    // Well past the restart that had been scheduled (and short of the hang timeout: nothing polls here).
    await t.clock.advance(30 * S);
    expect(t.live()).toHaveLength(1);
    expect(t.world.violations).toEqual([]);
    expect(t.manager.get('a')).toMatchObject({ state: 'running', generation: 2 });
  });

  it('kills a miner whose API stops answering and restarts it; the kill is no crash', async () => {
    let hung = false;
    const t = setup(
      { hangTimeoutMs: 10 * S },
      {
        gate: async (label, value) => {
          if (hung && label.startsWith('stats')) throw new Error('no answer');
          return value();
        },
      },
    );
    await t.manager.start(validStart('a'));
    await t.clock.advance(S);
    await t.manager.tick();
    hung = true;
    for (let i = 0; i < 12 && t.manager.get('a').state === 'running'; i++) {
      await t.manager.tick();
      await t.clock.advance(S);
    }
    await settle(t.clock, t.manager, 'a', 'backoff');
    expect(t.manager.get('a').reason).toContain('the stats API has not answered for 10 s');
    expect(t.world.processes[0]!.alive).toBe(false);
    expect(t.states).not.toContain('crashed');
    hung = false;
    await t.clock.advance(2 * S);
    await settle(t.clock, t.manager, 'a', 'running');
    expect(t.manager.get('a').generation).toBe(2);
  });

  it('with the watchdog off a crash stays crashed and nothing restarts', async () => {
    const t = setup({ enabled: false });
    await t.manager.start(validStart('a'));
    await t.crash();
    await t.clock.advance(60 * S);
    expect(t.manager.get('a').state).toBe('crashed');
    expect(t.world.processes).toHaveLength(1);
  });

  it('a failed restart (exit before ready) counts as a failure and backs off again', async () => {
    const t = setup({}, { readinessLine: 'API ready' });
    const first = t.manager.start(validStart('a'));
    await t.clock.advance(0);
    t.world.processes[0]!.emitLine('API ready');
    await first;
    await t.crash();
    await t.clock.advance(2 * S);
    // The restart's process dies before it printed its readiness line.
    for (let i = 0; i < 20 && t.world.processes.length < 2; i++) await t.clock.advance(0);
    t.world.processes[1]!.exit(2);
    await settle(t.clock, t.manager, 'a', 'backoff');
    expect(t.manager.get('a').supervision).toMatchObject({ attempt: 2 });
    expect(t.manager.get('a').reason).toContain('restart failed');
  });
});
