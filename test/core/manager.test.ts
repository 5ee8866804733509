// Manager behaviour with scripted processes: lifecycle, errors, stale exits, reservation, shutdown.
import { describe, expect, it } from 'vitest';
import { MinerError } from '../../src/shared/errors';
import { FakeWorld, validStart } from '../support/fake-world';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('MinerManager lifecycle', () => {
  it('starts a miner into running with a pid and generation 1, and stops it', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    const started = await manager.start(validStart('a'));
    expect(started).toMatchObject({ id: 'a', state: 'running', generation: 1, pid: 1000 });
    const stopped = await manager.stop('a');
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastExit).toMatchObject({ code: 0 });
    expect(world.processes[0]!.alive).toBe(false);
  });

  it('emits state transitions in order starting -> running -> stopping -> stopped', async () => {
    const manager = new FakeWorld().manager();
    const states: string[] = [];
    manager.on('state', (s) => states.push(s.state));
    await manager.start(validStart('a'));
    await manager.stop('a');
    expect(states.filter((s, i) => s !== states[i - 1])).toEqual([
      'starting',
      'running',
      'stopping',
      'stopped',
    ]);
  });

  it('refuses invalid input with INVALID_INPUT naming the field, and spawns nothing', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    const err = await manager
      .start({ name: 'x', minerType: 'xmrig', config: { pool: 'not a pool', wallet: 'w' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinerError);
    expect((err as MinerError).code).toBe('INVALID_INPUT');
    expect(JSON.stringify((err as MinerError).details)).toContain('config.pool');
    expect(world.processes).toHaveLength(0);
    expect(manager.list()).toHaveLength(0);
  });

  it('reserves the name synchronously: a second start of the same name fails before any await', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    const first = manager.start(validStart('a'));
    const second = manager.start(validStart('a'));
    await expect(second).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });
    await expect(first).resolves.toMatchObject({ state: 'running' });
    expect(world.processes).toHaveLength(1);
  });

  it('refuses a different miner type under a name whose process is still stopping', async () => {
    let endDeadline!: () => void;
    const deadline = new Promise<void>((r) => (endDeadline = r));
    const world = new FakeWorld({
      ignoreTerm: () => true,
      gate: async (label, value) => {
        if (label === 'sleep 50') await deadline; // the stop deadline lasts until the test says so
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a', 'simulated'));
    const stopping = manager.stop('a');
    await flush();
    expect(manager.get('a').state).toBe('stopping');

    const refused = await manager.start(validStart('a', 'xmrig')).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'ALREADY_RUNNING',
      message: expect.stringContaining('still stopping'),
    });
    expect(world.processes).toHaveLength(1);
    expect(manager.get('a')).toMatchObject({ minerType: 'simulated', state: 'stopping' });

    endDeadline();
    await stopping;
    // Once the old process is gone the name is free for the other type.
    const started = await manager.start(validStart('a', 'xmrig'));
    expect(started).toMatchObject({ minerType: 'xmrig', state: 'running', pid: world.processes[1]!.pid });
    expect(world.processes.map((p) => [p.command, p.alive])).toEqual([
      ['fake-simulated', false],
      ['fake-xmrig', true],
    ]);
    expect(world.violations).toEqual([]);
  });

  it('a remove queued behind a pause never deletes the new miner of another type that took the name', async () => {
    // Found by the interleaving property under Stryker's slower instrumented run: the queued remove deleted
    // by id, so the successor vanished from the list while its process mined on, and shutdown missed it.
    let releasePause!: () => void;
    const pauseHeld = new Promise<void>((r) => (releasePause = r));
    const world = new FakeWorld({
      gate: async (label, value) => {
        if (label === 'pause') await pauseHeld;
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('b', 'simulated'));
    const pausing = manager.pause('b').catch((e: unknown) => e);
    await flush();
    const removing = manager.remove('b').catch((e: unknown) => e); // waits for the pause's lock
    world.processes[0]!.exit(137);
    await flush();
    expect(manager.get('b').state).toBe('crashed');

    const started = await manager.start(validStart('b', 'xmrig')); // the crashed simulated one is replaced
    releasePause();
    await pausing;
    await removing;

    expect(manager.get('b')).toMatchObject({ minerType: 'xmrig', state: 'running', pid: started.pid });
    expect(manager.list().map((m) => m.id)).toEqual(['b']);
    await manager.shutdown();
    expect(world.processes.filter((p) => p.alive)).toEqual([]);
  });

  it('numbers unnamed starts instead of colliding', async () => {
    const manager = new FakeWorld().manager();
    const a = await manager.start({ minerType: 'simulated', config: {} });
    const b = await manager.start({ minerType: 'simulated', config: {} });
    expect([a.id, b.id]).toEqual(['simulated', 'simulated-2']);
  });

  it('marks a miner crashed with the exit code when its process dies on its own', async () => {
    const world = new FakeWorld();
    const removed: string[] = [];
    const manager = world.manager({ removeFile: async (p) => void removed.push(p) });
    await manager.start(validStart('a'));
    world.processes[0]!.emitLine('thread #0 crashed');
    world.processes[0]!.exit(139);
    await flush();
    const snap = manager.get('a');
    expect(snap.state).toBe('crashed');
    expect(removed).toContain('/work-root/a/config.json'); // the API token does not outlive the process
    expect(snap.reason).toContain('exited with code 139');
    expect(snap.reason).toContain('thread #0 crashed');
    expect(snap.pid).toBeNull();
  });

  it('reports a process that exits before it is ready as errored with its last output', async () => {
    // Ready is the adapter's readiness line (XMRig's API banner); an exit before it is a failed start.
    const world = new FakeWorld({ readinessLine: 'API ready' });
    const removed: string[] = [];
    const manager = world.manager({ removeFile: async (p) => void removed.push(p) });
    const pending = manager.start(validStart('a'));
    while (world.processes.length === 0) await flush();
    expect(manager.get('a').state).toBe('starting');
    world.processes[0]!.emitLine('no valid configuration found');
    world.processes[0]!.exit(2);
    const err = (await pending.catch((e: unknown) => e)) as MinerError;
    expect(err.code).toBe('SPAWN_FAILED');
    expect(err.message).toContain('exited with code 2');
    expect(err.message).toContain('no valid configuration found');
    expect(manager.get('a').state).toBe('errored');
    expect(removed).toEqual(['/work-root/a/config.json']);
  });

  it('is running once its readiness line arrives, and an exit after it is a crash', async () => {
    const world = new FakeWorld({ readinessLine: 'API ready' });
    const manager = world.manager();
    const pending = manager.start(validStart('a'));
    while (world.processes.length === 0) await flush();
    world.processes[0]!.emitLine('API ready');
    expect((await pending).state).toBe('running');
    world.processes[0]!.exit(2);
    await flush();
    expect(manager.get('a').state).toBe('crashed');
  });

  it('kills the tree of a miner that ignores SIGTERM once the deadline passes', async () => {
    const world = new FakeWorld({ ignoreTerm: () => true });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const snap = await manager.stop('a');
    expect(snap.state).toBe('stopped');
    expect(snap.lastExit?.signal).toBe('SIGKILL');
    expect(manager.getLogs('a').map((l) => l.text)).toContainEqual(
      expect.stringContaining('killing the process tree'),
    );
  });

  it('never lets an old generation exit touch the new process after restart', async () => {
    const world = new FakeWorld({ ignoreTerm: () => true });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const old = world.processes[0]!;
    await manager.restart('a');
    // The old process object resolves again (already exited) and a late line arrives: both ignored.
    old.exit(1);
    old.emitLine('late line from the old process');
    await flush();
    const snap = manager.get('a');
    expect(snap).toMatchObject({ state: 'running', generation: 2, pid: world.processes[1]!.pid });
    expect(manager.getLogs('a').map((l) => l.text)).not.toContain('late line from the old process');
  });

  it('keeps the new generation running when the old process exits only after the restart', async () => {
    // The old process survives its whole stop (SIGTERM ignored, its SIGKILLed exit not seen before the
    // second deadline), the restart spawns generation 2, and only then does the old process's exit arrive.
    let reapOld!: () => void;
    const oldReaped = new Promise<void>((r) => (reapOld = r));
    const world = new FakeWorld({
      ignoreTerm: (pid) => pid === 1000,
      lateReap: (pid) => pid === 1000,
      gate: async (label, value) => {
        if (label === 'reaped 1000') await oldReaped;
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const old = world.processes[0]!;
    const restarted = await manager.restart('a');
    expect(manager.getLogs('a').map((l) => l.text)).toContain('process did not exit after SIGKILL');
    expect(old.alive).toBe(true);
    const fresh = world.processes[1]!;
    expect(restarted).toMatchObject({ state: 'running', generation: 2, pid: fresh.pid });

    reapOld();
    await old.exited;
    await flush();
    expect(old.alive).toBe(false);
    expect(manager.get('a')).toMatchObject({ state: 'running', generation: 2, pid: fresh.pid, reason: null });
    expect(manager.getLogs('a').map((l) => l.text)).not.toContainEqual(expect.stringContaining('crashed'));
    // The new process is still the one the manager controls.
    await manager.stop('a');
    expect(fresh.alive).toBe(false);
  });

  it('drops a stats result that arrives after its process was replaced', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const world = new FakeWorld({
      gate: async (label, value) => {
        if (label === 'stats g1') await held;
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const tick = manager.tick();
    await manager.restart('a');
    release();
    const batch = await tick;
    expect(batch.miners).toHaveLength(0);
    expect(manager.get('a').stats).toBeNull();
    const next = await manager.tick();
    expect(next.miners).toEqual([expect.objectContaining({ id: 'a', generation: 2 })]);
  });

  it('leaves out of the batch a reply whose miner was replaced while slower replies were awaited', async () => {
    // Found by the interleaving property: a's reply arrived, a restarted, then b's slow reply closed the tick.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let statsCalls = 0;
    const world = new FakeWorld({
      gate: async (label, value) => {
        if (label.startsWith('stats') && ++statsCalls === 2) await held; // the second poll (b) is slow
        if (label === 'sleep 250') await held; // the tick's first batch waits for b
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a'));
    await manager.start(validStart('b'));
    const tick = manager.tick();
    await flush();
    await manager.restart('a');
    release();
    const batch = await tick;
    expect(batch.miners.map((m) => m.id)).toEqual(['b']);
    expect(manager.get('a')).toMatchObject({ generation: 2, stats: null });
  });

  it('skips a miner whose previous stats request is still in flight (single flight)', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const world = new FakeWorld({
      gate: async (label, value) => {
        if (label === 'stats g1') await held;
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const slow = manager.tick();
    const second = await manager.tick();
    expect(second.miners).toHaveLength(0);
    release();
    await slow;
    expect(world.statsCalls).toHaveLength(1);
  });

  it('pauses and resumes only a running miner', async () => {
    const manager = new FakeWorld().manager();
    await expect(manager.pause('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await manager.start(validStart('a'));
    expect((await manager.pause('a')).paused).toBe(true);
    expect((await manager.resume('a')).paused).toBe(false);
    await manager.stop('a');
    await expect(manager.pause('a')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('reports whether a throttle applies live or needs a restart', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    expect((await manager.throttle('a', { cpuMaxThreadsHint: 50 })).mode).toBe('live');
    expect((await manager.throttle('a', { cpuMaxThreadsHint: 50 })).mode).toBe('unchanged');
    expect((await manager.throttle('a', { threads: 2 })).mode).toBe('restart');
    expect(manager.get('a').config).toMatchObject({ cpuMaxThreadsHint: 50, threads: 2 });
    await expect(manager.throttle('a', { cpuMaxThreadsHint: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('shutdown is idempotent, stops every miner and refuses new starts', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    await manager.start(validStart('b'));
    const [p1, p2] = [manager.shutdown(), manager.shutdown()];
    expect(p1).toBe(p2);
    await p1;
    expect(world.processes.every((p) => !p.alive)).toBe(true);
    expect(manager.list().map((m) => m.state)).toEqual(['stopped', 'stopped']);
    await expect(manager.start(validStart('c'))).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });

  it('a stop issued while a start waits its turn wins: nothing keeps running', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    const start = manager.start(validStart('a'));
    const stop = manager.stop('a');
    await start;
    await stop;
    expect(manager.get('a').state).toBe('stopped');
    expect(world.processes.filter((p) => p.alive)).toHaveLength(0);
  });

  it('refuses to remove a live miner and forgets a stopped one', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await expect(manager.remove('a')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await manager.stop('a');
    await manager.remove('a');
    expect(manager.list()).toEqual([]);
  });

  it('streams its own notes (console echo, pause) to live log viewers, not only to the backlog', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ logFlushMs: 5 });
    const streamed: string[] = [];
    manager.on('log', (b) => streamed.push(...b.lines.map((l) => `${l.stream}:${l.text}`)));
    await manager.start(validStart('a'));
    await manager.sendConsole('a', 'h');
    await manager.pause('a');
    await new Promise((r) => setTimeout(r, 20));
    expect(streamed).toEqual(expect.arrayContaining(['system:> h', 'system:paused']));
    expect(world.processes[0]!.writes).toEqual(['h\n']);
  });

  it('batches log lines into one event per flush', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ logFlushMs: 5 });
    const batches: number[] = [];
    manager.on('log', (b) => batches.push(b.lines.filter((l) => l.stream === 'stdout').length));
    await manager.start(validStart('a'));
    for (let i = 0; i < 50; i++) world.processes[0]!.emitLine(`line ${i}`);
    await new Promise((r) => setTimeout(r, 20));
    expect(batches.filter((n) => n > 0)).toEqual([50]);
  });
});

describe('slug (instance ids from display names)', () => {
  it('keeps ids to [a-z0-9-], so a name can never become a path', async () => {
    const { slug } = await import('../../src/main/core/manager');
    expect(slug('../etc')).toBe('etc');
    expect(slug('Local XMRig (light)')).toBe('local-xmrig-light');
    expect(slug('Майнер 矿工')).toMatch(/^miner-[0-9a-f]{8}$/);
    expect(slug('Майнер 矿工')).not.toBe(slug('矿工'));
  });
});
