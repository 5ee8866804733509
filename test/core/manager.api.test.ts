// The manager's public API around the lifecycle: console input, removal, throttle planning and live
// application, pause support, binaries and versions, history access, timers, and what reaches the events.
import { describe, expect, it } from 'vitest';
import { FakeWorld, validStart } from '../support/fake-world';
import type { MinerAdapter } from '../../src/main/core/miners/adapter';
import type { MinerType } from '../../src/shared/schemas';
import { realClock } from '../../src/main/core/util/clock';

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

/** The world's fake adapter for `type`, with some members replaced. */
function adapterWith(world: FakeWorld, type: MinerType, patch: Partial<MinerAdapter>): MinerAdapter {
  return { ...world.adapter(type), ...patch };
}

describe('MinerManager queries', () => {
  it('reports an unknown id as NOT_FOUND everywhere', async () => {
    const manager = new FakeWorld().manager();
    expect(() => manager.get('x')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'No miner with id "x"' }),
    );
    expect(() => manager.getLogs('x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => manager.getHistory('x', 0, 1)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    for (const call of [
      manager.stop('x'),
      manager.restart('x'),
      manager.resume('x'),
      manager.remove('x'),
      manager.throttle('x', { threads: 1 }),
      manager.sendConsole('x', 'h'),
    ]) {
      await expect(call).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('serves the hashrate history of a miner from its stats samples', async () => {
    let clock = 1_000_000;
    const manager = new FakeWorld().manager({ clock: { ...realClock, now: () => clock } });
    await manager.start(validStart('a'));
    await manager.tick();
    const at = manager.get('a').stats!.at;
    clock = at + 1000;
    expect(manager.getHistory('a', at - 1, at + 1)).toEqual([{ at, value: 100 }]);
    expect(manager.historyOf('a').rawSize).toBe(1);
  });

  it('pages logs after a sequence number, newest `limit` lines', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    for (let i = 0; i < 5; i++) world.processes[0]!.emitLine(`out ${i}`);
    const all = manager.getLogs('a');
    const tail = manager.getLogs('a', all[1]!.seq, 2);
    expect(tail.map((l) => l.text)).toEqual(['out 3', 'out 4']);
    expect(manager.getLogs('a', all.at(-1)!.seq)).toEqual([]);
  });
});

describe('MinerManager console input', () => {
  it('writes a line to a running miner (adding the newline once) and echoes it in the log', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    await manager.sendConsole('a', 'p');
    await manager.sendConsole('a', 'r\n');
    expect(world.processes[0]!.writes).toEqual(['p\n', 'r\n']);
    const texts = manager.getLogs('a').map((l) => `${l.stream}:${l.text}`);
    expect(texts).toEqual(expect.arrayContaining(['system:> p', 'system:> r']));
  });

  it('refuses input to a miner that is not running', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await manager.stop('a');
    await expect(manager.sendConsole('a', 'h')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'a is not running',
    });
  });
});

describe('MinerManager remove', () => {
  it('refuses to forget a miner the user asked to run, even when it is not live yet', async () => {
    const world = new FakeWorld({ spawnFails: () => true });
    const manager = world.manager();
    await expect(manager.start(validStart('a'))).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
    // errored: the intent went back to stop, so it can be removed
    await manager.remove('a');
    expect(manager.list()).toEqual([]);
  });

  it('refuses while a start is queued behind a running operation', async () => {
    const manager = new FakeWorld().manager();
    const starting = manager.start(validStart('a'));
    await expect(manager.remove('a')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await starting;
    await expect(manager.remove('a')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'a is running; stop it before removing it',
    });
  });
});

describe('MinerManager throttle', () => {
  it('stores a change for a stopped miner and says it applies on the next start', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    await manager.stop('a');
    const states: number[] = [];
    manager.on('state', (s) => states.push(s.config.cpuMaxThreadsHint));
    expect(await manager.throttle('a', { cpuMaxThreadsHint: 40 })).toEqual({
      mode: 'restart',
      config: expect.objectContaining({ cpuMaxThreadsHint: 40 }),
      apply: null,
    });
    expect(states).toEqual([40]);
    await manager.restart('a');
    expect(manager.get('a').config.cpuMaxThreadsHint).toBe(40);
  });

  it('applies a live plan: writes its files, tells the adapter, and keeps it for the next plan', async () => {
    const world = new FakeWorld();
    const written: string[] = [];
    const applied: number[] = [];
    const planned: number[] = [];
    const simulated = adapterWith(world, 'simulated', {
      planThrottle: (ctx, patch) => {
        planned.push(ctx.config.cpuMaxThreadsHint);
        const config = { ...ctx.config, ...patch };
        return {
          mode: 'live',
          config,
          files: [{ path: `${ctx.workDir}/config.json`, content: String(config.cpuMaxThreadsHint) }],
        };
      },
      applyThrottle: (_api, config) => void applied.push(config.cpuMaxThreadsHint),
    });
    const manager = world.manager({
      adapters: { simulated, xmrig: world.adapter('xmrig'), ttminer: world.adapter('ttminer') },
      writeFile: async (path, content) => void written.push(`${path}=${content}`),
    });
    await manager.start(validStart('a'));
    const logs: string[] = [];
    manager.on('log', (b) => logs.push(...b.lines.map((l) => l.text)));
    expect(await manager.throttle('a', { cpuMaxThreadsHint: 30 })).toMatchObject({ mode: 'live' });
    await manager.throttle('a', { cpuMaxThreadsHint: 20 });
    expect(written).toEqual(['/work-root/a/config.json=30', '/work-root/a/config.json=20']);
    expect(applied).toEqual([30, 20]);
    expect(planned).toEqual([100, 30]); // each plan starts from the last applied config
    expect(manager.get('a')).toMatchObject({
      pid: world.processes[0]!.pid,
      config: { cpuMaxThreadsHint: 20 },
    });
    expect(manager.getLogs('a').map((l) => l.text)).toContain(
      'throttle {"cpuMaxThreadsHint":20} (applied live)',
    );
  });

  it('records a restart-only change without touching the process', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    expect(await manager.throttle('a', { threads: 3 })).toMatchObject({
      mode: 'restart',
      config: { threads: 3 },
    });
    expect(world.processes).toHaveLength(1);
    expect(manager.getLogs('a').map((l) => l.text)).toContain('throttle {"threads":3} (applies on restart)');
    // an unchanged patch is not a change, whatever the miner state
    expect(await manager.throttle('a', { threads: 3, cpuMaxThreadsHint: 100 })).toMatchObject({
      mode: 'unchanged',
    });
  });

  it('sees a priority change as a change', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    expect((await manager.throttle('a', { cpuPriority: 2 })).mode).toBe('live');
    expect((await manager.throttle('a', { cpuPriority: 2 })).mode).toBe('unchanged');
  });

  it('refuses an empty or invalid patch with INVALID_INPUT naming the field', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await expect(manager.throttle('a', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const err = await manager.throttle('a', { threads: -1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      details: [expect.objectContaining({ path: 'threads' })],
    });
  });
});

describe('MinerManager pause', () => {
  it('pauses a miner without pause calls by stopping it, and says so in its log', async () => {
    const world = new FakeWorld();
    const manager = world.manager({
      adapters: {
        simulated: world.adapter('simulated'),
        xmrig: world.adapter('xmrig'),
        ttminer: adapterWith(world, 'ttminer', { supportsPause: true, pause: undefined, resume: undefined }),
      },
    });
    await manager.start(validStart('t', 'ttminer'));
    expect(await manager.pause('t')).toMatchObject({ state: 'stopped', paused: true });
    expect(world.processes.filter((p) => p.alive)).toEqual([]);
    expect(manager.getLogs('t').map((l) => l.text)).toContainEqual(
      'paused by stopping it: ttminer has no pause',
    );
  });

  it('marks the current stats paused too, so the UI does not wait for the next poll', async () => {
    const manager = new FakeWorld().manager();
    await manager.start(validStart('a'));
    await manager.tick();
    expect((await manager.pause('a')).stats?.paused).toBe(true);
    expect((await manager.resume('a')).stats?.paused).toBe(false);
  });

  it('does not mark a replacement process paused when the pause answer arrives after a restart', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const world = new FakeWorld({
      gate: async (label, value) => {
        if (label === 'pause') await held;
        return value();
      },
    });
    const manager = world.manager();
    await manager.start(validStart('a'));
    const pausing = manager.pause('a');
    await flush();
    // A crash and restart cannot overtake the queued pause (same lock), but a crash can: the generation moves on.
    world.processes[0]!.exit(1);
    await flush();
    release();
    const snap = await pausing;
    expect(snap.paused).toBe(false);
  });
});

describe('MinerManager binaries and versions', () => {
  it('resolves the binary of a miner that needs one and reads its version once per path', async () => {
    const world = new FakeWorld();
    const resolved: (string | undefined)[] = [];
    let reads = 0;
    const manager = world.manager({
      adapters: {
        simulated: world.adapter('simulated'),
        ttminer: world.adapter('ttminer'),
        xmrig: adapterWith(world, 'xmrig', { needsBinary: true }),
      },
      resolveBinary: async (type, binaryId) => {
        resolved.push(`${type}:${binaryId}`);
        return { id: binaryId ?? 'default', path: '/opt/xmrig', version: null };
      },
      readVersion: async (path) => {
        reads++;
        return `6.26.0 (${path})`;
      },
    });
    await manager.start({
      ...validStart('x', 'xmrig'),
      config: { ...validStart('x', 'xmrig').config, binaryId: 'mine' },
    });
    await manager.start(validStart('y', 'xmrig'));
    await flush();
    expect(resolved).toEqual(['xmrig:mine', 'xmrig:undefined']);
    expect(manager.get('x').version).toBe('6.26.0 (/opt/xmrig)');
    expect(manager.get('y').version).toBe('6.26.0 (/opt/xmrig)');
    expect(reads).toBe(1);
  });

  it('does not look up a binary for an in-process miner', async () => {
    let resolved = 0;
    const manager = new FakeWorld().manager({
      resolveBinary: async () => {
        resolved++;
        return { id: 'x', path: '/bin/x', version: null };
      },
    });
    await manager.start(validStart('a'));
    expect(resolved).toBe(0);
  });

  it('fails the start with the resolver error when the binary is missing, spawning nothing', async () => {
    const world = new FakeWorld();
    const manager = world.manager({
      adapters: {
        simulated: world.adapter('simulated'),
        ttminer: world.adapter('ttminer'),
        xmrig: adapterWith(world, 'xmrig', { needsBinary: true }),
      },
      resolveBinary: async () => {
        throw Object.assign(new Error('xmrig not found'), { code: 'BINARY_MISSING' });
      },
    });
    await expect(manager.start(validStart('x', 'xmrig'))).rejects.toMatchObject({
      code: 'SPAWN_FAILED',
      message: 'xmrig not found',
    });
    expect(world.processes).toEqual([]);
    expect(manager.get('x')).toMatchObject({ state: 'errored', reason: 'xmrig not found' });
    expect(manager.getLogs('x').map((l) => l.text)).toContain('start failed: xmrig not found');
  });

  it('keeps no version when reading it fails', async () => {
    const world = new FakeWorld();
    const manager = world.manager({
      adapters: {
        simulated: world.adapter('simulated'),
        ttminer: world.adapter('ttminer'),
        xmrig: adapterWith(world, 'xmrig', { needsBinary: true }),
      },
      readVersion: async () => {
        throw new Error('not executable');
      },
    });
    await manager.start(validStart('x', 'xmrig'));
    await flush();
    expect(manager.get('x').version).toBeNull();
  });
});

describe('MinerManager launch', () => {
  it('writes the plan files, spawns with the plan, and uses the configured API port when given', async () => {
    const world = new FakeWorld();
    const written: string[] = [];
    const spawned: unknown[] = [];
    let launchPort = 0;
    const manager = world.manager({
      adapters: {
        simulated: world.adapter('simulated'),
        ttminer: world.adapter('ttminer'),
        xmrig: adapterWith(world, 'xmrig', {
          buildLaunch: (ctx) => {
            launchPort = ctx.apiPort;
            return {
              command: '/opt/xmrig',
              args: ['--config', `${ctx.workDir}/config.json`],
              env: { A: '1' },
              files: [{ path: `${ctx.workDir}/config.json`, content: ctx.apiToken }],
              api: { kind: 'http', host: '127.0.0.1', port: ctx.apiPort, token: ctx.apiToken },
            };
          },
        }),
      },
      makeToken: () => 'tok',
      writeFile: async (path, content) => void written.push(`${path}=${content}`),
      spawn: async (req) => {
        spawned.push(req);
        return world.spawn(req);
      },
    });
    await manager.start({
      ...validStart('x', 'xmrig'),
      config: { ...validStart('x', 'xmrig').config, apiPort: 45555 },
    });
    expect(launchPort).toBe(45555);
    expect(written).toEqual(['/work-root/x/config.json=tok']);
    expect(spawned).toEqual([
      {
        command: '/opt/xmrig',
        args: ['--config', '/work-root/x/config.json'],
        cwd: '/work-root/x',
        env: { A: '1' },
      },
    ]);
    await manager.start(validStart('y', 'xmrig'));
    expect(launchPort).toBe(40000); // allocated when none is configured
  });

  it('logs the start with pid and generation, and notes the stop with its exit', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a', 'xmrig'));
    await manager.stop('a');
    expect(manager.getLogs('a').map((l) => l.text)).toEqual(
      expect.arrayContaining(['started xmrig (pid 1000, generation 1)', 'stopped (exited with code 0)']),
    );
  });

  it('describes a miner killed by a signal in its crash reason', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    world.processes[0]!.exit(null, 'SIGSEGV');
    await flush();
    expect(manager.get('a')).toMatchObject({ state: 'crashed', reason: 'a killed by SIGSEGV' });
    expect(manager.getLogs('a').map((l) => l.text)).toContain('crashed (killed by SIGSEGV)');
  });

  it('starting a name again after a crash reuses the instance with a new generation', async () => {
    const world = new FakeWorld();
    const manager = world.manager();
    await manager.start(validStart('a'));
    world.processes[0]!.exit(1);
    await flush();
    const again = await manager.start({ ...validStart('a'), config: { threads: 3 } });
    expect(again).toMatchObject({
      state: 'running',
      generation: 2,
      config: { threads: 3 },
      lastExit: { code: 1 },
    });
    expect(manager.list()).toHaveLength(1);
  });

  it('keeps the profile id of the request, or the earlier one when a restart gives none', async () => {
    const manager = new FakeWorld().manager();
    await manager.start({ ...validStart('a'), profileId: 'p-1' });
    await manager.stop('a');
    expect((await manager.start(validStart('a'))).profileId).toBe('p-1');
  });
});

describe('MinerManager timers and shutdown', () => {
  it('does not start the stats timer after shutdown, and refuses a restart then', async () => {
    const manager = new FakeWorld().manager({ statsIntervalMs: 5 });
    const batches: unknown[] = [];
    manager.on('stats', (b) => batches.push(b));
    await manager.start(validStart('a'));
    await manager.shutdown();
    manager.startCollector();
    await new Promise((r) => setTimeout(r, 30));
    expect(batches).toEqual([]);
    await expect(manager.restart('a')).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });

  it('polls on its own once the collector is started, at the interval set', async () => {
    const manager = new FakeWorld().manager({ statsIntervalMs: 60_000 });
    const batches: unknown[] = [];
    manager.on('stats', (b) => batches.push(b));
    await manager.start(validStart('a'));
    manager.setStatsInterval(5);
    manager.startCollector();
    const end = Date.now() + 5000;
    while (batches.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(batches.length).toBeGreaterThanOrEqual(2);
    await manager.shutdown();
  });

  it('flushes pending log lines at shutdown instead of dropping them', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ logFlushMs: 60_000 });
    const lines: string[] = [];
    manager.on('log', (b) => lines.push(...b.lines.map((l) => l.text)));
    await manager.start(validStart('a'));
    world.processes[0]!.emitLine('last words');
    await manager.shutdown();
    expect(lines).toContain('last words');
  });

  it('keeps at most 1000 pending lines per miner between flushes', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ logFlushMs: 60_000 });
    const batches: number[] = [];
    manager.on('log', (b) => batches.push(b.lines.length));
    await manager.start(validStart('a'));
    for (let i = 0; i < 1500; i++) world.processes[0]!.emitLine(`l${i}`);
    await manager.shutdown();
    expect(batches).toEqual([1000]);
  });

  it('a start that waited behind shutdown fails with SHUTTING_DOWN and is not left wanting to run', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const world = new FakeWorld({
      gate: async (label, value) => {
        if (label === 'sleep 10' && world.processes.length === 1) await held; // the first start's grace
        return value();
      },
    });
    const manager = world.manager();
    const first = manager.start(validStart('a'));
    while (world.processes.length === 0) await flush();
    const second = manager.restart('a');
    const down = manager.shutdown();
    release();
    await first.catch(() => undefined);
    await expect(second).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    await down;
    expect(world.processes.every((p) => !p.alive)).toBe(true);
    await expect(manager.remove('a')).resolves.toBeUndefined();
  });
});
