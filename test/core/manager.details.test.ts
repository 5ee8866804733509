// What the manager tells the user and keeps for them around the lifecycle: ids from names, error wording
// and details, log notes that must (not) appear, crash and start-failure reasons, versions per generation,
// history sizing, and the stats detail flag. Everything through the public API with a scripted world.
import { describe, expect, it } from 'vitest';
import { FakeWorld, validStart } from '../support/fake-world';
import type { MinerAdapter } from '../../src/main/core/miners/adapter';
import type { MinerType } from '../../src/shared/schemas';
import { createSimulatedAdapter } from '../../src/main/core/miners/simulated/adapter';
import { realClock } from '../../src/main/core/util/clock';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const texts = (m: { getLogs(id: string): { text: string }[] }, id: string) =>
  m.getLogs(id).map((l) => l.text);

function withAdapter(world: FakeWorld, type: MinerType, patch: Partial<MinerAdapter>) {
  const adapters = {
    simulated: world.adapter('simulated'),
    xmrig: world.adapter('xmrig'),
    ttminer: world.adapter('ttminer'),
  };
  adapters[type] = { ...adapters[type], ...patch };
  return adapters;
}

describe('ids from names', () => {
  it('lower-cases, joins runs of other characters with one dash, trims dashes and caps the length', async () => {
    const manager = new FakeWorld().manager();
    expect((await manager.start(validStart('My  Rig 2..'))).id).toBe('my-rig-2');
    expect((await manager.start(validStart(`A${'b'.repeat(63)}`))).id).toBe(`a${'b'.repeat(47)}`);
  });

  it('reuses the plain id for an unnamed start once the earlier miner stopped, and counts up otherwise', async () => {
    const manager = new FakeWorld().manager();
    const first = await manager.start({ minerType: 'simulated', config: {} });
    await manager.stop(first.id);
    expect((await manager.start({ minerType: 'simulated', config: {} })).id).toBe('simulated');
    expect((await manager.start({ minerType: 'simulated', config: {} })).id).toBe('simulated-2');
    expect((await manager.start({ minerType: 'simulated', config: {} })).id).toBe('simulated-3');
  });
});

describe('errors the user sees', () => {
  it('ALREADY_RUNNING names the miner and carries its id', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('Rig A'));
    await expect(manager.start(validStart('Rig A'))).rejects.toMatchObject({
      code: 'ALREADY_RUNNING',
      message: 'Rig A is already running',
      details: { id: 'rig-a' },
    });
  });

  it('still stopping: names the miner and carries its id', async () => {
    let end!: () => void;
    const deadline = new Promise<void>((r) => (end = r));
    const world = new FakeWorld({
      ignoreTerm: () => true,
      gate: async (label, value) => {
        if (label === 'sleep 50') await deadline;
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const stopping = manager.stop('a');
    await flush();
    await expect(manager.start(validStart('a', 'ttminer'))).rejects.toMatchObject({
      message: 'a is still stopping',
      details: { id: 'a' },
    });
    end();
    await stopping;
  });

  it('SHUTTING_DOWN says so, for a new start and for one that waited behind the shutdown', async () => {
    const manager = new FakeWorld().manager();
    await manager.shutdown();
    await expect(manager.start(validStart('a'))).rejects.toMatchObject({
      code: 'SHUTTING_DOWN',
      message: 'The app is shutting down',
    });
  });

  it('pausing a stopped miner says what state it is in', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await manager.stop('a');
    await expect(manager.pause('a')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'a is stopped, not running',
    });
  });

  it('refuses console input while the miner is stopping, though its process still runs', async () => {
    let end!: () => void;
    const deadline = new Promise<void>((r) => (end = r));
    const world = new FakeWorld({
      ignoreTerm: () => true,
      gate: async (label, value) => {
        if (label === 'sleep 50') await deadline;
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const stopping = manager.stop('a');
    await flush();
    await expect(manager.sendConsole('a', 'h')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(world.processes[0]!.writes).toEqual([]);
    end();
    await stopping;
  });

  it('pauses by stopping when the adapter says it cannot pause, even if it has the calls', async () => {
    const world = new FakeWorld();
    const calls: string[] = [];
    const manager = world.manager({
      adapters: withAdapter(world, 'xmrig', {
        supportsPause: false,
        pause: async () => void calls.push('pause'),
        resume: async () => void calls.push('resume'),
      }),
    });
    await manager.start(validStart('x', 'xmrig'));
    expect(await manager.pause('x')).toMatchObject({ state: 'stopped', paused: true });
    expect(world.processes[0]!.alive).toBe(false);
    expect(await manager.resume('x')).toMatchObject({ state: 'running', paused: false, generation: 2 });
    expect(calls).toEqual([]);
  });
});

describe('log notes', () => {
  it('a graceful stop notes no kill, a killed stubborn miner notes no failed kill', async () => {
    const world = new FakeWorld({ ignoreTerm: (pid) => pid === 1001 });
    const manager = world.manager();
    await manager.start(validStart('soft'));
    await manager.start(validStart('hard'));
    const soft = await manager.stop('soft');
    const hard = await manager.stop('hard');
    expect(soft.lastExit).toMatchObject({ code: 0, signal: null });
    expect(texts(manager, 'soft').join('\n')).not.toMatch(/killing the process tree|did not exit/);
    expect(hard.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect(texts(manager, 'hard')).toContainEqual(expect.stringContaining('killing the process tree'));
    expect(texts(manager, 'hard')).not.toContain('process did not exit after SIGKILL');
  });

  it('records an exit that was never seen after SIGKILL as killed, and says so', async () => {
    const world = new FakeWorld({
      ignoreTerm: () => true,
      lateReap: () => true,
      gate: async (label, value) => {
        if (label.startsWith('reaped')) await new Promise(() => {}); // never reaped in this test
        return value();
      },
    });
    const manager = world.manager({ clock: { ...realClock, now: () => 4242 } });
    await manager.start(validStart('a'));
    const stopped = await manager.stop('a');
    expect(stopped.lastExit).toEqual({ code: null, signal: 'SIGKILL', at: 4242 });
    expect(texts(manager, 'a')).toContain('process did not exit after SIGKILL');
    expect(texts(manager, 'a')).toContain('stopped (killed by SIGKILL)');
  });

  it('notes a resume as well as a pause', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await manager.pause('a');
    await manager.resume('a');
    expect(texts(manager, 'a')).toEqual(expect.arrayContaining(['paused', 'resumed']));
  });

  it('log events carry only log lines', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ logFlushMs: 5 });
    const seen: unknown[] = [];
    manager.on('log', (b) => seen.push(...b.lines));
    await manager.start(validStart('a'));
    world.processes[0]!.emitLine('hello');
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.length).toBeGreaterThan(0);
    for (const line of seen)
      expect(line).toMatchObject({ seq: expect.any(Number), stream: expect.any(String) });
  });

  it('names an in-process miner as such in its start note', async () => {
    const world = new FakeWorld();
    const manager = world.manager({
      adapters: { ...withAdapter(world, 'xmrig', {}), simulated: createSimulatedAdapter({ warmupMs: 10 }) },
    });
    await manager.start(validStart('s'));
    expect(texts(manager, 's')).toContain('started simulated (pid in-process, generation 1)');
    await manager.stop('s');
  });
});

describe('reasons', () => {
  it('a start failure quotes the miner, not our own start note, and carries the exit and output', async () => {
    // Dies before its readiness line, silently: only our own "started ..." note is in its log.
    const world = new FakeWorld({ readinessLine: 'API ready' });
    const manager = world.manager();
    const pending = manager.start(validStart('a'));
    while (world.processes.length === 0) await flush();
    world.processes[0]!.exit(3);
    const err = await pending.catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'SPAWN_FAILED',
      message: 'a exited with code 3 during start-up',
      details: { exit: { code: 3, signal: null }, output: [] },
    });
  });

  it('a crash without output does not quote an earlier process of the same miner', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    world.processes[0]!.emitLine('old generation says hi');
    await manager.restart('a');
    world.processes[1]!.exit(1);
    await flush();
    expect(manager.get('a').reason).toBe('a exited with code 1');
  });

  it('an exit with neither code nor signal reads as an unknown code', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    world.processes[0]!.exit(null, null);
    await flush();
    expect(manager.get('a').reason).toBe('a exited with code unknown');
  });
});

describe('state kept across operations', () => {
  it('a stop clears the paused flag', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await manager.pause('a');
    expect((await manager.stop('a')).paused).toBe(false);
  });

  it('a stop that overtakes a queued start wins without ever spawning', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    await manager.stop('a');
    const restart = manager.restart('a');
    const stop = manager.stop('a');
    await Promise.all([restart, stop]);
    const again = manager.start(validStart('b'));
    const stopB = manager.stop('b');
    await Promise.all([again.catch(() => undefined), stopB]);
    expect(manager.get('b').state).toBe('stopped');
    expect(world.processes.filter((p) => p.cwd === '/work-root/b')).toEqual([]);
  });

  it('ignores explicit undefined fields in a throttle patch', async () => {
    const manager = new FakeWorld().manager();
    await manager.start({ ...validStart('a'), config: { threads: 2 } });
    await manager.stop('a'); // stored for the next start, without asking the adapter
    await manager.throttle('a', { threads: undefined, cpuMaxThreadsHint: 50 });
    expect(manager.get('a').config).toMatchObject({ threads: 2, cpuMaxThreadsHint: 50 });
  });

  it('keeps five minutes of raw history even after the stats interval is lowered to its minimum', async () => {
    let clock = 1_000_000;
    const manager = new FakeWorld().manager({
      statsIntervalMs: 1000,
      clock: { ...realClock, now: () => clock },
    });
    await manager.start(validStart('a'));
    manager.setStatsInterval(250);
    for (let i = 0; i < 1200; i++) manager.historyOf('a').add((clock += 250), 100);
    expect(manager.getHistory('a', clock - 300_000, clock)).toHaveLength(1200);
  });

  it('asks the adapter for per-thread detail on the first poll and not on every poll', async () => {
    const world = new FakeWorld();
    const details: (boolean | undefined)[] = [];
    const base = world.adapter('xmrig');
    const manager = world.manager({
      adapters: withAdapter(world, 'xmrig', {
        fetchStats: (api, signal, io, options) => {
          details.push(options?.detail);
          return base.fetchStats(api, signal, io, options).then((s) => ({ ...s, threads: [100] }));
        },
      }),
    });
    await manager.start(validStart('x', 'xmrig'));
    for (let i = 0; i < 3; i++) await manager.tick();
    expect(details).toEqual([true, false, false]);
  });

  it('killAllSync skips miners without a process', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await manager.stop('a'); // nothing runs: no signal can reach a real process
    expect(() => manager.killAllSync()).not.toThrow();
  });
});

describe('versions', () => {
  const needsBinary = (world: FakeWorld) => withAdapter(world, 'xmrig', { needsBinary: true });

  it('starts a miner that needs a binary even without a version reader', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ adapters: needsBinary(world) });
    expect(await manager.start(validStart('x', 'xmrig'))).toMatchObject({ state: 'running', version: null });
  });

  it('never asks an in-process miner for a version', async () => {
    const asked: unknown[] = [];
    const manager = new FakeWorld().manager({
      readVersion: async (p) => {
        asked.push(p);
        return '1.0.0';
      },
    });
    await manager.start(validStart('s'));
    await flush();
    expect(asked).toEqual([]);
  });

  it('does not give a new generation the version of the binary its predecessor ran', async () => {
    let releaseOld!: (v: string) => void;
    const world = new FakeWorld();
    const manager = world.manager({
      adapters: needsBinary(world),
      resolveBinary: async (_type, binaryId) => ({
        id: binaryId ?? 'default',
        path: binaryId === 'old' ? '/old/xmrig' : '/new/xmrig',
        version: null,
      }),
      readVersion: (path) =>
        path === '/old/xmrig' ? new Promise<string>((r) => (releaseOld = r)) : Promise.resolve('6.26.0'),
    });
    const req = (binaryId: string) => ({
      ...validStart('x', 'xmrig'),
      config: { ...validStart('x', 'xmrig').config, binaryId },
    });
    await manager.start(req('old'));
    await manager.stop('x');
    await manager.start(req('new'));
    await flush();
    expect(manager.get('x').version).toBe('6.26.0');
    releaseOld('6.0.0');
    await flush();
    expect(manager.get('x').version).toBe('6.26.0');
  });
});
