// Pid files: with `pidFiles` on, every spawned miner is recorded in `<workRoot>/<id>/miner.pid.json`
// for as long as it runs (so the next session can sweep it after a hard crash), and the record goes with it.
// The record is read from the OS, so each fake process stands on a real throwaway child of this test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PID_FILE } from '../../src/main/core/orphans';
import { FakeWorld, validStart, type WorldOptions } from '../support/fake-world';
import { waitUntil } from '../support/process';
import { createSimulatedAdapter } from '../../src/main/core/miners/simulated/adapter';
import { realClock } from '../../src/main/core/util/clock';

let root: string;
let children: ChildProcess[] = [];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hashdeck-pidfiles-'));
});
afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children = [];
  await rm(root, { recursive: true, force: true });
});

/** A fake world whose processes carry the pids of real, idle children of ours (in spawn order). */
function world(options: Omit<WorldOptions, 'pidFor'> = {}): { world: FakeWorld; pids: number[] } {
  const pids: number[] = [];
  const w = new FakeWorld({
    ...options,
    pidFor: () => {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
      children.push(child);
      pids.push(child.pid!);
      return child.pid!;
    },
  });
  return { world: w, pids };
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const pidFile = (id: string) => join(root, id, PID_FILE);
const readRecord = async (id: string) => JSON.parse(await readFile(pidFile(id), 'utf8')) as unknown;

describe('pid files', () => {
  it('records the running pid and command, and removes the record once the miner stopped', async () => {
    const manager = world().world.manager({
      pidFiles: true,
      workRoot: root,
      clock: { ...realClock, now: () => 1234 },
    });
    const started = await manager.start(validStart('a', 'xmrig'));
    await waitUntil(() => existsSync(pidFile('a')), 2000, 'the pid file');
    expect(await readRecord('a')).toMatchObject({
      version: 2,
      pid: started.pid,
      command: 'fake-xmrig',
      startedAt: 1234,
    });

    await manager.stop('a');
    await waitUntil(() => !existsSync(pidFile('a')), 2000, 'the pid file to go');
  });

  it('writes no pid file unless asked to', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ workRoot: root });
    await manager.start(validStart('a', 'xmrig'));
    await manager.stop('a');
    await flush();
    expect(existsSync(join(root, 'a'))).toBe(false);
  });

  it('records nothing for an in-process miner, which has no pid', async () => {
    const world = new FakeWorld();
    const manager = world.manager({
      pidFiles: true,
      workRoot: root,
      adapters: {
        simulated: createSimulatedAdapter({ warmupMs: 10 }),
        xmrig: world.adapter('xmrig'),
        ttminer: world.adapter('ttminer'),
      },
    });
    await manager.start(validStart('s'));
    await flush();
    await manager.stop('s');
    await flush();
    expect(existsSync(join(root, 's'))).toBe(false);
  });

  it('keeps the record of a crashed miner until its process is gone, then drops it', async () => {
    const { world: w } = world();
    const manager = w.manager({ pidFiles: true, workRoot: root });
    await manager.start(validStart('a', 'ttminer'));
    await waitUntil(() => existsSync(pidFile('a')), 2000, 'the pid file');
    w.processes[0]!.exit(139);
    await waitUntil(() => !existsSync(pidFile('a')), 2000, 'the pid file to go');
    expect(manager.get('a').state).toBe('crashed');
  });

  it('leaves no record behind for a miner that exits right after it was spawned', async () => {
    // The exit can be seen before the record is on disk: the removal must not run before the write.
    const { world: w } = world({ readinessLine: 'API ready' });
    const manager = w.manager({ pidFiles: true, workRoot: root });
    const pending = manager.start(validStart('a', 'xmrig'));
    while (w.processes.length === 0) await new Promise((r) => setImmediate(r));
    w.processes[0]!.exit(2); // dies before it was ready: a failed start
    await expect(pending).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
    await new Promise((r) => setTimeout(r, 100)); // the write and removal are fire-and-forget file I/O
    expect(existsSync(pidFile('a'))).toBe(false);
  });

  it('an old process reaped after the restart does not delete the new process record', async () => {
    let reapOld!: () => void;
    const oldReaped = new Promise<void>((r) => (reapOld = r));
    const first = (pid: number) => pid === pids[0];
    const { world: w, pids } = world({
      ignoreTerm: first,
      lateReap: first,
      gate: async (label, value) => {
        if (label === `reaped ${pids[0]}`) await oldReaped;
        return value();
      },
    });
    const manager = w.manager({ pidFiles: true, workRoot: root });
    await manager.start(validStart('a', 'xmrig'));
    const restarted = await manager.restart('a');
    await waitUntil(
      () => existsSync(pidFile('a')) && readFileSync(pidFile('a'), 'utf8').includes(`"pid":${restarted.pid}`),
      // Only a safety net: the record is read from /proc and written while the whole suite loads the machine.
      15_000,
      'the new pid file',
    );
    reapOld();
    await w.processes[0]!.exited;
    await new Promise((r) => setTimeout(r, 100));
    expect(await readRecord('a')).toMatchObject({ pid: restarted.pid });
  });
});
