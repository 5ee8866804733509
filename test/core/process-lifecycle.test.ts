// The process lifecycle of one miner driven directly: scripted processes, a fake clock and a recording
// host, so spawn, readiness (bind line, port owner, deadline), stop, exit classification and the stale-exit guard are pinned in-process.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MinerInstance } from '../../src/main/core/instance';
import {
  ProcessLifecycle,
  type LifecycleHost,
  type LifecycleOptions,
  type ResolvedBinary,
} from '../../src/main/core/lifecycle/process-lifecycle';
import type { LaunchContext, MinerAdapter } from '../../src/main/core/miners/adapter';
import type { LineStream, MinerProcess, SpawnRequest } from '../../src/main/core/process';
import { FakeClock } from '../../src/main/core/util/clock';
import type { PortOwner } from '../../src/main/core/util/port-owner';
import { MinerError } from '../../src/shared/errors';
import type { ExitInfo } from '../../src/shared/model';
import type { MinerConfig, MinerType } from '../../src/shared/schemas';

/** A process whose lines and exit the test scripts; it ignores SIGTERM/SIGKILL unless told otherwise. */
class ScriptedProc implements MinerProcess {
  readonly exited: Promise<ExitInfo>;
  exitOnTerm: ExitInfo | null = { code: 0, signal: null, at: 0 };
  exitOnKill: ExitInfo | null = { code: null, signal: 'SIGKILL', at: 0 };
  terminated = 0;
  killed = 0;
  private done = false;
  private resolveExit!: (exit: ExitInfo) => void;
  private listener: (stream: LineStream, text: string) => void = () => {};

  constructor(readonly pid: number | null) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }
  onLine(fn: (stream: LineStream, text: string) => void): void {
    this.listener = fn;
  }
  line(text: string, stream: LineStream = 'stdout'): void {
    this.listener(stream, text);
  }
  exit(exit: ExitInfo): void {
    if (this.done) return;
    this.done = true;
    this.resolveExit(exit);
  }
  async write(): Promise<void> {}
  terminate(): void {
    this.terminated++;
    if (this.exitOnTerm) this.exit(this.exitOnTerm);
  }
  async killTree(): Promise<void> {
    this.killed++;
    if (this.exitOnKill) this.exit(this.exitOnKill);
  }
}

const BIND = (port: number) => `HTTP API 127.0.0.1:${port}`;

function baseAdapter(type: MinerType, apiCheck: MinerAdapter['apiCheck']): MinerAdapter {
  return {
    type,
    needsBinary: true,
    binaryNames: [],
    consoleKeys: [],
    supportsPause: false,
    apiCheck,
    buildLaunch: (ctx: LaunchContext) => ({
      command: `/bin/${type}`,
      args: ['--port', String(ctx.apiPort)],
      files: [{ path: join(ctx.workDir, 'config.json'), content: '{}' }],
      api: { kind: 'http', host: '127.0.0.1', port: ctx.apiPort, token: ctx.apiToken },
    }),
    fetchStats: () => Promise.reject(new Error('not used')),
    planThrottle: () => {
      throw new Error('not used');
    },
  };
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

interface SetupOptions {
  pidFiles?: boolean;
  pid?: number | null;
  closing?: boolean;
  binary?: ResolvedBinary;
  resolveBinary?: LifecycleOptions['resolveBinary'];
  spawn?: LifecycleOptions['spawn'];
  portOwner?: LifecycleOptions['portOwner'];
  readVersion?: LifecycleOptions['readVersion'];
  xmrig?: Partial<MinerAdapter>;
}

function setup(options: SetupOptions = {}) {
  const clock = new FakeClock(1_000);
  const workRoot = mkdtempSync(join(tmpdir(), 'hashdeck-lifecycle-'));
  roots.push(workRoot);
  const procs: ScriptedProc[] = [];
  const spawnRequests: SpawnRequest[] = [];
  const notes: string[] = [];
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const output: string[] = [];
  let closing = options.closing ?? false;
  const xmrig: MinerAdapter = {
    ...baseAdapter('xmrig', 'log'),
    apiBindLine: (text, port) =>
      text === BIND(port) ? 'bound' : text.includes('bind failed') ? 'failed' : null,
    ...options.xmrig,
  };
  const ttminer = baseAdapter('ttminer', 'owner');
  const simulated: MinerAdapter = {
    ...baseAdapter('simulated', 'none'),
    needsBinary: false,
    startInProcess: () => {
      const proc = new ScriptedProc(null);
      procs.push(proc);
      return proc;
    },
  };
  const host: LifecycleHost = {
    note: (_inst, text) => notes.push(text),
    output: (inst, stream, text, generation) => {
      output.push(`${stream}:${text}`);
      inst.logs.push(stream, text, generation);
    },
    emitState: () => {},
    emit: (event, payload) => events.push({ event, payload: payload as Record<string, unknown> }),
    closing: () => closing,
  };
  const removeFile = vi.fn(async () => {});
  const writeFile = vi.fn(async () => {});
  const portOwner = vi.fn<LifecycleOptions['portOwner']>(
    options.portOwner ?? (async () => 'unknown' as PortOwner),
  );
  const o: LifecycleOptions = {
    adapters: { xmrig, ttminer, simulated },
    spawn:
      options.spawn ??
      (async (req) => {
        spawnRequests.push(req);
        const proc = new ScriptedProc(options.pid === undefined ? 4242 : options.pid);
        procs.push(proc);
        return proc;
      }),
    clock,
    workRoot,
    resolveBinary:
      options.resolveBinary ??
      (async () => options.binary ?? { id: 'bin-1', path: '/opt/miner', version: '6.26.0' }),
    portOwner,
    readVersion: options.readVersion,
    allocatePort: async () => 45_001,
    makeToken: () => 'tok',
    writeFile,
    removeFile,
    pidFiles: options.pidFiles ?? false,
    stopTimeoutMs: 5_000,
    startTimeoutMs: 30_000,
    probeIntervalMs: 500,
  };
  const lifecycle = new ProcessLifecycle(o, host);
  const make = (type: MinerType = 'xmrig') => {
    const inst = new MinerInstance({
      id: `m-${type}`,
      name: `Miner ${type}`,
      minerType: type,
      profileId: null,
      config: {} as MinerConfig,
    });
    inst.intent = 'run';
    return inst;
  };
  const named = (event: string) => events.filter((e) => e.event === event).map((e) => e.payload);
  return {
    clock,
    lifecycle,
    procs,
    spawnRequests,
    notes,
    events,
    named,
    output,
    removeFile,
    writeFile,
    portOwner,
    workRoot,
    make,
    setClosing: (v: boolean) => (closing = v),
  };
}

describe('launch', () => {
  it('refuses while the app shuts down and drops the wish to run', async () => {
    const t = setup({ closing: true });
    const inst = t.make();
    const err = await t.lifecycle.launch(inst, 'user').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinerError);
    expect(err).toMatchObject({ code: 'SHUTTING_DOWN', message: 'The app is shutting down' });
    expect(inst.intent).toBe('stop');
    expect(t.procs).toHaveLength(0);
  });

  it('answers at once with the current snapshot when a stop won the race', async () => {
    const t = setup();
    const inst = t.make();
    inst.intent = 'stop';
    inst.generation = 3;
    const startup = await t.lifecycle.launch(inst, 'user');
    expect(startup.generation).toBe(3);
    await expect(startup.outcome).resolves.toMatchObject({ state: 'stopped', generation: 3 });
    expect(t.procs).toHaveLength(0);
  });

  it('records the binary, its version, the launch note and the launched event', async () => {
    const readVersion = vi.fn(async () => 'other');
    const t = setup({ readVersion });
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    expect(inst.binaryId).toBe('bin-1');
    expect(inst.version).toBe('6.26.0');
    expect(readVersion).not.toHaveBeenCalled();
    expect(t.notes).toContain('started xmrig (pid 4242, generation 1)');
    expect(t.named('launched')).toEqual([
      { id: 'm-xmrig', generation: 1, by: 'user', at: 1_000, wanted: true },
    ]);
    expect(t.spawnRequests[0]).toMatchObject({
      command: '/bin/xmrig',
      args: ['--port', '45001'],
      cwd: join(t.workRoot, 'm-xmrig'),
    });
  });

  it('reads the version from the binary when the trust store does not know it', async () => {
    const readVersion = vi.fn(async () => '6.27.0');
    const t = setup({ readVersion, binary: { id: 'bin-2', path: '/opt/m2', version: null } });
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    await t.clock.advance(0);
    expect(readVersion).toHaveBeenCalledWith('/opt/m2');
    expect(inst.version).toBe('6.27.0');
  });

  it('a version that cannot be read leaves none', async () => {
    const t = setup({
      readVersion: async () => Promise.reject(new Error('no --version')),
      binary: { id: 'bin-2', path: '/opt/m2', version: null },
    });
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    await t.clock.advance(0);
    expect(inst.version).toBeNull();
  });

  it('says in the start note when the watchdog started it', async () => {
    const t = setup();
    const inst = t.make();
    await t.lifecycle.launch(inst, 'watchdog');
    expect(t.notes).toContain('started xmrig (pid 4242, generation 1, by the watchdog)');
    expect(t.named('launched')[0]).toMatchObject({ by: 'watchdog' });
  });

  it('reports a launch the user called off while the binary was resolved as not wanted', async () => {
    const t = setup({
      resolveBinary: async () => {
        inst.intent = 'stop';
        return { id: 'bin-1', path: '/opt/miner', version: null };
      },
    });
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    expect(t.named('launched')[0]).toMatchObject({ wanted: false });
  });

  it('a spawn failure errors the miner, drops the wish to run, reports it and removes the config', async () => {
    const t = setup({
      spawn: async () => {
        throw new Error('ENOENT: no such file');
      },
    });
    const inst = t.make();
    const err = await t.lifecycle.launch(inst, 'user').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SPAWN_FAILED', message: 'ENOENT: no such file' });
    expect(inst.state).toBe('errored');
    expect(inst.reason).toBe('ENOENT: no such file');
    expect(inst.intent).toBe('stop');
    expect(t.notes).toContain('start failed: ENOENT: no such file');
    expect(t.named('launch-failed')).toEqual([
      { id: 'm-xmrig', generation: 1, by: 'user', reason: 'ENOENT: no such file', exit: null, at: 1_000 },
    ]);
    expect(t.removeFile).toHaveBeenCalledWith(join(t.workRoot, 'm-xmrig', 'config.json'));
  });

  it('a binary that cannot be resolved fails before any file exists: nothing to remove', async () => {
    const t = setup({
      resolveBinary: async () => {
        throw new MinerError('BINARY_MISSING', 'no trusted xmrig');
      },
    });
    const inst = t.make();
    await expect(t.lifecycle.launch(inst, 'user')).rejects.toMatchObject({ code: 'BINARY_MISSING' });
    expect(t.removeFile).not.toHaveBeenCalled();
    expect(inst.state).toBe('errored');
  });
});

describe('pid files', () => {
  // The test process's own pid: a live process this test owns, so the OS can describe it.
  it('writes the record while the process lives and removes it once it exited', async () => {
    const t = setup({ pidFiles: true, pid: process.pid });
    const inst = t.make();
    const workDir = join(t.workRoot, 'm-xmrig');
    mkdirSync(workDir, { recursive: true });
    await t.lifecycle.launch(inst, 'user');
    await inst.queuePidFileOp(async () => {});
    expect(existsSync(join(workDir, 'miner.pid.json'))).toBe(true);
    t.procs[0]!.exit({ code: 1, signal: null, at: 0 });
    await t.clock.advance(0);
    await inst.queuePidFileOp(async () => {});
    expect(existsSync(join(workDir, 'miner.pid.json'))).toBe(false);
  });

  it('writes none when pid files are off', async () => {
    const t = setup({ pidFiles: false, pid: process.pid });
    const inst = t.make();
    const workDir = join(t.workRoot, 'm-xmrig');
    mkdirSync(workDir, { recursive: true });
    await t.lifecycle.launch(inst, 'user');
    await inst.queuePidFileOp(async () => {});
    await t.clock.advance(0);
    await inst.queuePidFileOp(async () => {});
    expect(existsSync(join(workDir, 'miner.pid.json'))).toBe(false);
  });

  it('writes no record for a process the stop gave up on before its record was read', async () => {
    const t = setup({ pidFiles: true, pid: process.pid });
    const inst = t.make();
    const workDir = join(t.workRoot, 'm-xmrig');
    mkdirSync(workDir, { recursive: true });
    // Hold the queue so the record is read only after the stop.
    let release!: () => void;
    void inst.queuePidFileOp(() => new Promise<void>((r) => (release = r)));
    await t.lifecycle.launch(inst, 'user');
    t.procs[0]!.exitOnTerm = null;
    t.procs[0]!.exitOnKill = null;
    const stopping = t.lifecycle.stop(inst);
    await t.clock.advance(10_000);
    await stopping;
    expect(inst.process).toBeNull();
    release();
    await inst.queuePidFileOp(async () => {});
    expect(existsSync(join(workDir, 'miner.pid.json'))).toBe(false);
  });

  it.runIf(process.platform === 'linux')('writes no record for a process already gone', async () => {
    // Above Linux's largest pid (2^22): no process can have it.
    const t = setup({ pidFiles: true, pid: 4_194_305 });
    const inst = t.make();
    const workDir = join(t.workRoot, 'm-xmrig');
    mkdirSync(workDir, { recursive: true });
    await t.lifecycle.launch(inst, 'user');
    await inst.queuePidFileOp(async () => {});
    expect(existsSync(join(workDir, 'miner.pid.json'))).toBe(false);
  });
});

describe('readiness', () => {
  it('an in-process miner is running at once, with no start deadline left behind', async () => {
    const t = setup();
    const inst = t.make('simulated');
    const startup = await t.lifecycle.launch(inst, 'user');
    await expect(startup.outcome).resolves.toMatchObject({ state: 'running', pid: null });
    expect(inst.apiState).toBe('verified');
    expect(t.notes).toContain('started simulated (pid in-process, generation 1)');
    expect(t.clock.pending).toBe(0);
  });

  it('a bind line makes the miner ready with a verified API and calls off the deadline', async () => {
    const t = setup();
    const inst = t.make();
    const startup = await t.lifecycle.launch(inst, 'user');
    expect(inst.state).toBe('starting');
    expect(inst.apiState).toBe('pending');
    t.procs[0]!.line('some banner');
    expect(inst.state).toBe('starting');
    expect(t.output).toEqual(['stdout:some banner']);
    t.procs[0]!.line(BIND(45_001));
    await expect(startup.outcome).resolves.toMatchObject({ state: 'running' });
    expect(inst.apiState).toBe('verified');
    await t.clock.advance(0);
    expect(t.clock.pending).toBe(0);
    // Once verified, a later line cannot take the API away.
    t.procs[0]!.line('bind failed');
    expect(inst.apiState).toBe('verified');
    expect(inst.statsError).toBeNull();
  });

  it('a failed bind makes it ready without an API and says why', async () => {
    const t = setup();
    const inst = t.make();
    const startup = await t.lifecycle.launch(inst, 'user');
    t.procs[0]!.line('bind failed');
    await expect(startup.outcome).resolves.toMatchObject({ state: 'running' });
    expect(inst.apiState).toBe('failed');
    const why =
      'Miner xmrig has no API this run: its API port 45001 was already in use. HashDeck will not talk to that port; restart the miner to get a new one.';
    expect(inst.statsError).toBe(why);
    expect(t.notes).toContain(why);
  });

  it('answers still starting after the deadline, and says so', async () => {
    const t = setup();
    const inst = t.make();
    const startup = await t.lifecycle.launch(inst, 'user');
    let settled = false;
    void startup.outcome.then(() => (settled = true));
    await t.clock.advance(29_999);
    expect(settled).toBe(false);
    await t.clock.advance(1);
    await expect(startup.outcome).resolves.toMatchObject({ state: 'starting' });
    expect(t.notes).toContain('has not opened its API within 30 s; still starting');
  });

  it('a stop in progress when the deadline passes is not reported as a slow start', async () => {
    const t = setup();
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    const proc = t.procs[0]!;
    proc.exitOnTerm = null;
    await t.clock.advance(29_000);
    const stopping = t.lifecycle.stop(inst);
    await t.clock.advance(0);
    expect(inst.state).toBe('stopping');
    // A late bind line during the stop does not bring the miner back to running.
    proc.line(BIND(45_001));
    expect(inst.state).toBe('stopping');
    // The start deadline (30 s) passes while the stop waits for the exit (5 s).
    await t.clock.advance(2_000);
    expect(t.notes.some((n) => n.includes('has not opened'))).toBe(false);
    proc.exit({ code: 0, signal: null, at: 0 });
    await stopping;
    expect(inst.state).toBe('stopped');
  });

  it('a process that exits before it is ready fails the start and calls off the deadline', async () => {
    const t = setup();
    const inst = t.make();
    const startup = await t.lifecycle.launch(inst, 'user');
    t.procs[0]!.line('fatal: bad pool');
    t.procs[0]!.exit({ code: 2, signal: null, at: 5 });
    await expect(startup.outcome).rejects.toMatchObject({
      code: 'SPAWN_FAILED',
      message: 'Miner xmrig exited with code 2 during start-up: fatal: bad pool',
    });
    expect(inst.state).toBe('errored');
    expect(inst.intent).toBe('stop');
    expect(t.named('exit')).toEqual([
      { id: 'm-xmrig', generation: 1, exit: { code: 2, signal: null, at: 5 }, expected: false },
    ]);
    expect(t.named('crash')).toHaveLength(0);
    await t.clock.advance(0);
    expect(t.clock.pending).toBe(0);
    expect(t.removeFile).toHaveBeenCalledWith(join(t.workRoot, 'm-xmrig', 'config.json'));
  });

  it('a miner without a bind line (port owner) is asked about until the OS says it listens', async () => {
    const answers: PortOwner[] = ['unknown', 'unknown', 'miner'];
    const t = setup({ portOwner: async () => answers.shift() ?? 'unknown' });
    const inst = t.make('ttminer');
    const startup = await t.lifecycle.launch(inst, 'user');
    // TT-Miner prints lines but none says where its API listens.
    t.procs[0]!.line('GPU0 starting');
    await t.clock.advance(0);
    expect(inst.state).toBe('starting');
    await t.clock.advance(500);
    expect(inst.state).toBe('starting');
    await t.clock.advance(500);
    await expect(startup.outcome).resolves.toMatchObject({ state: 'running' });
    expect(inst.apiState).toBe('verified');
    expect(t.portOwner).toHaveBeenCalledWith(45_001, 4242);
    expect(t.portOwner).toHaveBeenCalledTimes(3);
  });

  it('a foreign program on the port makes the miner ready without an API', async () => {
    const t = setup({ portOwner: async () => 'foreign' });
    const inst = t.make('ttminer');
    const startup = await t.lifecycle.launch(inst, 'user');
    await expect(startup.outcome).resolves.toMatchObject({ state: 'running' });
    expect(inst.apiState).toBe('failed');
    expect(inst.statsError).toContain('another program listens on its API port 45001');
    expect(t.portOwner).toHaveBeenCalledTimes(1);
  });

  it('stops asking once the miner is stopped', async () => {
    const t = setup();
    const inst = t.make('ttminer');
    await t.lifecycle.launch(inst, 'user');
    await t.clock.advance(0);
    expect(t.portOwner).toHaveBeenCalledTimes(1);
    await t.lifecycle.stop(inst);
    await t.clock.advance(5_000);
    expect(t.portOwner).toHaveBeenCalledTimes(1);
  });
});

describe('verifyApi', () => {
  it('answers from the known state without asking the OS', async () => {
    const t = setup();
    const inst = t.make('ttminer');
    inst.apiState = 'verified';
    await expect(t.lifecycle.verifyApi(inst)).resolves.toBe(true);
    inst.apiState = 'failed';
    await expect(t.lifecycle.verifyApi(inst)).resolves.toBe(false);
    expect(t.portOwner).not.toHaveBeenCalled();
  });

  it('a miner that reports its bind is never checked by port owner', async () => {
    const t = setup();
    const inst = t.make('xmrig');
    await t.lifecycle.launch(inst, 'user');
    await expect(t.lifecycle.verifyApi(inst)).resolves.toBe(false);
    expect(t.portOwner).not.toHaveBeenCalled();
  });

  it('without a process (or a launch) there is nothing to ask about', async () => {
    const t = setup({ portOwner: async () => 'miner' });
    const inst = t.make('ttminer');
    await expect(t.lifecycle.verifyApi(inst)).resolves.toBe(false);
    inst.process = new ScriptedProc(7);
    await expect(t.lifecycle.verifyApi(inst)).resolves.toBe(false);
    expect(t.portOwner).not.toHaveBeenCalled();
    expect(inst.apiState).toBe('pending');
  });

  it('an in-process handle (no pid) is not asked about', async () => {
    const t = setup({ portOwner: async () => 'miner', pid: null });
    const inst = t.make('ttminer');
    await t.lifecycle.launch(inst, 'user');
    await t.clock.advance(0);
    expect(t.portOwner).not.toHaveBeenCalled();
    expect(inst.apiState).toBe('pending');
  });

  it('an OS that cannot tell keeps the API pending', async () => {
    const t = setup({ portOwner: () => Promise.reject(new Error('ss missing')) });
    const inst = t.make('ttminer');
    await t.lifecycle.launch(inst, 'user');
    await t.clock.advance(0);
    await expect(t.lifecycle.verifyApi(inst)).resolves.toBe(false);
    expect(inst.apiState).toBe('pending');
    expect(inst.state).toBe('starting');
  });

  it('an answer about a replaced process changes nothing', async () => {
    let answer!: (o: PortOwner) => void;
    const t = setup({ portOwner: () => new Promise<PortOwner>((r) => (answer = r)) });
    const inst = t.make('ttminer');
    await t.lifecycle.launch(inst, 'user');
    await t.clock.advance(0);
    const probe = t.lifecycle.verifyApi(inst);
    await t.clock.advance(0);
    inst.generation++;
    answer('foreign');
    await expect(probe).resolves.toBe(false);
    expect(inst.apiState).toBe('pending');
    expect(inst.statsError).toBeNull();
  });

  it('a bind verified while the OS was asked is what counts', async () => {
    let answer!: (o: PortOwner) => void;
    const t = setup({ portOwner: () => new Promise<PortOwner>((r) => (answer = r)) });
    const inst = t.make('ttminer');
    await t.lifecycle.launch(inst, 'user');
    await t.clock.advance(0);
    inst.apiState = 'verified';
    answer('foreign');
    await t.clock.advance(0);
    expect(inst.apiState).toBe('verified');
    expect(inst.statsError).toBeNull();
  });
});

describe('stop', () => {
  it('stops gracefully, clears the run and reports the expected exit', async () => {
    const t = setup();
    const inst = t.make('simulated');
    await t.lifecycle.launch(inst, 'user');
    inst.paused = true;
    inst.statsError = 'old';
    t.procs[0]!.exitOnTerm = { code: 0, signal: null, at: 9 };
    await t.lifecycle.stop(inst, { reason: 'the user asked' });
    expect(inst.state).toBe('stopped');
    expect(inst.process).toBeNull();
    expect(inst.api).toBeNull();
    expect(inst.paused).toBe(false);
    expect(inst.statsError).toBeNull();
    expect(inst.lastExit).toEqual({ code: 0, signal: null, at: 9 });
    expect(t.notes).toContain('stopped (exited with code 0): the user asked');
    expect(t.named('exit')).toEqual([
      { id: 'm-simulated', generation: 1, exit: { code: 0, signal: null, at: 9 }, expected: true },
    ]);
    expect(t.procs[0]!.killed).toBe(0);
    // The stop deadline is called off once the process exited.
    expect(t.clock.pending).toBe(0);
  });

  it('a stop without a reason says only how it ended', async () => {
    const t = setup();
    const inst = t.make('simulated');
    await t.lifecycle.launch(inst, 'user');
    await t.lifecycle.stop(inst);
    expect(t.notes).toContain('stopped (exited with code 0)');
  });

  it('kills the tree after the deadline, and names the processes a daemonising miner left', async () => {
    const t = setup();
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    const proc = t.procs[0]!;
    proc.exitOnTerm = null;
    proc.exitOnKill = { code: null, signal: 'SIGKILL', at: 3, strays: [77, 78] };
    const stopping = t.lifecycle.stop(inst);
    await t.clock.advance(5_000);
    await stopping;
    expect(proc.killed).toBe(1);
    expect(t.notes).toContain('did not exit within 5000 ms; killing the process tree');
    expect(t.notes).toContain(
      'the miner had left its process group (daemonised): HashDeck found and killed 2 process(es) it left behind (pid 77, 78)',
    );
    expect(inst.state).toBe('stopped');
  });

  it('with no process there is nothing to stop or remove', async () => {
    const t = setup();
    const inst = t.make();
    await t.lifecycle.stop(inst);
    await t.lifecycle.removeLaunchFiles(inst);
    expect(inst.state).toBe('stopped');
    expect(t.removeFile).not.toHaveBeenCalled();
  });
});

describe('exit handling', () => {
  it('a ready miner that exits crashed: reported once, with its last line, and not restarted by intent', async () => {
    const t = setup();
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    const proc = t.procs[0]!;
    proc.line(BIND(45_001));
    proc.line('out of memory');
    proc.exit({ code: null, signal: 'SIGSEGV', at: 7, strays: [99] });
    await t.clock.advance(0);
    expect(inst.state).toBe('crashed');
    expect(inst.intent).toBe('stop');
    expect(inst.reason).toBe('Miner xmrig killed by SIGSEGV: out of memory');
    expect(t.notes).toContain('crashed (killed by SIGSEGV)');
    expect(t.notes.some((n) => n.includes('found and killed 1 process(es) it left behind (pid 99)'))).toBe(
      true,
    );
    expect(t.named('exit')).toEqual([
      {
        id: 'm-xmrig',
        generation: 1,
        exit: { code: null, signal: 'SIGSEGV', at: 7, strays: [99] },
        expected: false,
      },
    ]);
    expect(t.named('crash')).toHaveLength(1);
  });

  it('the late exit of a process that outlived its stop does not touch the next run', async () => {
    const t = setup();
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    const old = t.procs[0]!;
    old.exitOnTerm = null;
    old.exitOnKill = null;
    const stopping = t.lifecycle.stop(inst);
    await t.clock.advance(10_000);
    await stopping;
    expect(t.notes).toContain('process did not exit after SIGKILL');
    expect(inst.lastExit).toEqual({ code: null, signal: 'SIGKILL', at: 11_000 });
    inst.intent = 'run';
    await t.lifecycle.launch(inst, 'user');
    t.procs[1]!.line(BIND(45_001));
    expect(inst.state).toBe('running');
    old.line('late line of the old process');
    old.exit({ code: 1, signal: null, at: 0 });
    await t.clock.advance(0);
    expect(inst.state).toBe('running');
    expect(inst.process).toBe(t.procs[1]);
    expect(t.named('crash')).toHaveLength(0);
    expect(t.output).not.toContain('stdout:late line of the old process');
  });

  it('the late exit after a stop that gave up waiting changes nothing', async () => {
    const t = setup();
    const inst = t.make();
    await t.lifecycle.launch(inst, 'user');
    const old = t.procs[0]!;
    old.exitOnTerm = null;
    old.exitOnKill = null;
    const stopping = t.lifecycle.stop(inst);
    await t.clock.advance(10_000);
    await stopping;
    const exitsBefore = t.named('exit').length;
    old.exit({ code: 1, signal: null, at: 0 });
    await t.clock.advance(0);
    expect(inst.state).toBe('stopped');
    expect(t.named('exit')).toHaveLength(exitsBefore);
  });
});
