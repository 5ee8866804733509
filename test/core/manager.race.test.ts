// Interleaving tests: fast-check's scheduler decides the order of every async step (spawns, exits,
// grace and stop deadlines, stats replies, pause calls) across thousands of random command sequences,
// and the manager's guarantees are checked against process reality once everything has settled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FakeWorld, type Gate, validStart } from '../support/fake-world';
import type { MinerManager } from '../../src/main/core/manager';
import type { Clock } from '../../src/main/core/util/clock';
import { watchdogSettingsSchema } from '../../src/shared/watchdog-settings';
import type { MinerType } from '../../src/shared/schemas';

type Target = 'a' | 'b';
type Command =
  | { kind: 'start'; target: Target; type: MinerType }
  | { kind: 'stop' | 'restart' | 'pause' | 'resume' | 'crash' | 'remove'; target: Target }
  | { kind: 'throttle'; target: Target; hint: number }
  | { kind: 'tick' };

const target = fc.constantFrom<Target>('a', 'b');
// Every type, so a name can be reused by a different miner type while its old process is still stopping.
const minerType = fc.constantFrom<MinerType>('simulated', 'xmrig', 'ttminer');
const start = fc.record({ kind: fc.constant('start' as const), target, type: minerType });
// Ticks are weighted up: stale-result races need a poll in flight while the process is replaced.
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: start, weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom('restart', 'stop'), target }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constantFrom('pause', 'resume', 'crash', 'remove'), target }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('throttle' as const),
      target,
      hint: fc.integer({ min: 1, max: 100 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const) }), weight: 4 },
);

// Outcomes a user can legitimately get from a racing sequence (a crash before the miner was ready is
// SPAWN_FAILED; a pause called off by a stop is CANCELLED).
const EXPECTED_CODES = new Set([
  'ALREADY_RUNNING',
  'CANCELLED',
  'INVALID_STATE',
  'NOT_FOUND',
  'SHUTTING_DOWN',
  'SPAWN_FAILED',
]);

function run(manager: MinerManager, world: FakeWorld, cmd: Command): Promise<unknown> {
  switch (cmd.kind) {
    case 'start':
      return manager.start(validStart(cmd.target, cmd.type));
    case 'stop':
      return manager.stop(cmd.target);
    case 'restart':
      return manager.restart(cmd.target);
    case 'pause':
      return manager.pause(cmd.target);
    case 'resume':
      return manager.resume(cmd.target);
    case 'remove':
      return manager.remove(cmd.target);
    case 'throttle':
      return manager.throttle(cmd.target, { cpuMaxThreadsHint: cmd.hint });
    case 'tick':
      return manager.tick();
    case 'crash': {
      for (const p of world.liveFor(`/work-root/${cmd.target}`)) p.exit(137);
      return Promise.resolve();
    }
  }
}

function checkQuiet(manager: MinerManager, world: FakeWorld): void {
  expect(world.violations).toEqual([]);
  // Every live process belongs to a listed, running miner: none mines on unseen (shutdown could not stop it).
  const runningPids = manager
    .list()
    .filter((m) => m.state === 'running')
    .map((m) => m.pid);
  expect(world.processes.filter((p) => p.alive && !runningPids.includes(p.pid))).toEqual([]);
  for (const snap of manager.list()) {
    const live = world.liveFor(`/work-root/${snap.id}`);
    expect(['starting', 'stopping']).not.toContain(snap.state);
    if (snap.state === 'running') {
      expect(live).toHaveLength(1);
      expect(snap.pid).toBe(live[0]!.pid);
    } else {
      expect(live).toHaveLength(0);
      expect(snap.pid).toBeNull();
    }
    // Stats are only ever those of the current process generation.
    if (snap.stats) expect(snap.stats.uptime).toBe(snap.generation);
  }
}

// RACE_SEED and RACE_PATH replay a counterexample fast-check reported (its `seed` and `path`).
const replay =
  process.env.RACE_SEED === undefined
    ? {}
    : { seed: Number(process.env.RACE_SEED), path: process.env.RACE_PATH, endOnFailure: true };

/** Runs command sequences under the scheduler and checks every guarantee; returns fc's assertion. */
function checkInterleavings(commands: fc.Arbitrary<Command>, maxLength: number, numRuns: number) {
  return fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(commands, { minLength: 1, maxLength }),
      fc.func(fc.boolean()),
      fc.func(fc.boolean()),
      async (s, commands, stubborn, slowReap) => {
        const gate: Gate = (label, value) => s.schedule(Promise.resolve(label), label).then(() => value());
        // slowReap: a SIGKILLed process whose exit may be seen only after its successor started.
        const world = new FakeWorld({
          gate,
          ignoreTerm: (pid) => stubborn(pid),
          lateReap: (pid) => slowReap(pid),
        });
        const manager = world.manager();
        // Checked as events happen, not only at the end: a later tick could hide a stale one.
        const stale: string[] = [];
        manager.on('stats', (batch) => {
          for (const m of batch.miners) {
            const current = manager.get(m.id).generation;
            if (m.generation !== current || m.stats.uptime !== current)
              stale.push(`${m.id} g${m.generation}/${current}`);
          }
        });
        manager.on('state', (snap) => {
          if (snap.stats && snap.stats.uptime !== snap.generation)
            stale.push(`state ${snap.id} g${snap.generation}`);
        });
        const ops = commands.map((cmd) =>
          s
            .schedule(Promise.resolve(cmd.kind), `issue ${JSON.stringify(cmd)}`)
            .then(() => run(manager, world, cmd))
            .catch((err: { code?: string }) => {
              if (!err.code || !EXPECTED_CODES.has(err.code)) throw err;
            }),
        );
        await s.waitFor(Promise.all(ops));
        await s.waitAll();
        checkQuiet(manager, world);
        expect(stale).toEqual([]);

        await s.waitFor(manager.shutdown());
        await s.waitAll();
        expect(world.processes.filter((p) => p.alive)).toEqual([]);
        for (const snap of manager.list()) expect(['stopped', 'crashed', 'errored']).toContain(snap.state);
      },
    ),
    { numRuns, ...replay },
  );
}

/** Registers hooks (inside a describe) that fail a test during which a promise was rejected unhandled. */
function failOnUnhandledRejections(): void {
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
}

// Few commands, mostly ticks and restarts: the shape of the stale-stats race, so it is hit often.
const tickRestartCommand: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: start, weight: 1 },
  { arbitrary: fc.record({ kind: fc.constantFrom('restart', 'restart', 'stop'), target }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const) }), weight: 4 },
);

describe('MinerManager under controlled interleavings', () => {
  failOnUnhandledRejections();

  it('keeps one live process per instance, no stale effects, and reaps everything', async () => {
    await checkInterleavings(command, 40, 2000);
  }, 60_000);

  it('never delivers stats of a replaced process when polls race restarts', async () => {
    await checkInterleavings(tickRestartCommand, 10, 10_000);
  }, 60_000);
});

/** Runs scheduled steps until none is left even after every pending continuation had its turn. */
async function settleAll(s: fc.Scheduler): Promise<void> {
  do {
    await s.waitAll();
    // A timer's restart schedules its spawn only after a few hops: let them all run before asking again.
    await new Promise((resolve) => setImmediate(resolve));
  } while (s.count() > 0);
}

/** A clock whose one-shot timers (the watchdog's restart delays) fire when the scheduler says so. */
function gatedClock(world: FakeWorld, gate: Gate): Clock {
  return {
    ...world.clock,
    setTimeout: (fn, ms) => {
      let active = true;
      void gate(`timer ${ms}`, () => {
        if (!active) return;
        active = false;
        fn();
      });
      return {
        cancel: () => {
          active = false;
        },
        get active() {
          return active;
        },
      };
    },
    // The periodic hang check is not what these interleavings are about: it never fires here.
    setInterval: () => ({ cancel: () => {}, active: false }),
  };
}

// Crashes weighted up: every crash schedules a watchdog restart that races the user's commands.
const watchdogCommand: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: start, weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom('stop', 'restart'), target }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('crash' as const), target }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom('pause', 'remove'), target }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const) }), weight: 1 },
);

describe('MinerManager with the watchdog under controlled interleavings', () => {
  failOnUnhandledRejections();

  it('watchdog restarts never make a second live process, and nothing restarts after a user stop', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(watchdogCommand, { minLength: 1, maxLength: 25 }),
        fc.func(fc.boolean()),
        async (s, commands, stubborn) => {
          const gate: Gate = (label, value) => s.schedule(Promise.resolve(label), label).then(() => value());
          const world = new FakeWorld({ gate, ignoreTerm: (pid) => stubborn(pid) });
          const manager = world.manager({
            clock: gatedClock(world, gate),
            watchdog: watchdogSettingsSchema.parse({ crashLoopCount: 3 }),
          });
          // What the user last asked of each miner, in the order the commands really ran.
          const lastWord = new Map<string, string>();
          const ops = commands.map((cmd) =>
            s
              .schedule(Promise.resolve(cmd.kind), `issue ${JSON.stringify(cmd)}`)
              .then(() => {
                if ('target' in cmd && cmd.kind !== 'crash' && cmd.kind !== 'pause')
                  lastWord.set(cmd.target, cmd.kind);
                return run(manager, world, cmd);
              })
              .catch((err: { code?: string }) => {
                if (!err.code || !EXPECTED_CODES.has(err.code)) throw err;
              }),
          );
          await s.waitFor(Promise.all(ops));
          await settleAll(s);
          expect(world.violations).toEqual([]);
          for (const snap of manager.list()) {
            const live = world.liveFor(`/work-root/${snap.id}`);
            expect(live.length).toBeLessThanOrEqual(1);
            expect(['starting', 'stopping']).not.toContain(snap.state);
            if (lastWord.get(snap.id) === 'stop') {
              // Stopped, or a crash the stop could not reach first (still reported as one): never restarted.
              expect(live).toEqual([]);
              expect(['stopped', 'crashed', 'errored']).toContain(snap.state);
            }
            if (snap.state === 'running') expect(snap.pid).toBe(live[0]?.pid);
            else expect(live).toEqual([]);
          }

          await s.waitFor(manager.shutdown());
          await settleAll(s);
          expect(world.processes.filter((p) => p.alive)).toEqual([]);
          for (const snap of manager.list()) expect(['stopped', 'crashed', 'errored']).toContain(snap.state);
        },
      ),
      { numRuns: Number(process.env.RACE_RUNS ?? 1500), ...replay },
    );
  }, 60_000);
});
