// Pid files: with `pidFiles` on, every spawned miner is recorded in `<workRoot>/<id>/miner.pid.json`
// for as long as it runs (so the next session can sweep it after a hard crash), and the record goes with it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PID_FILE } from '../../src/main/core/orphans';
import { FakeWorld, validStart } from '../support/fake-world';
import { waitUntil } from '../support/process';
import { createSimulatedAdapter } from '../../src/main/core/miners/simulated/adapter';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hashdeck-pidfiles-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const flush = () => new Promise<void>((r) => setTimeout(r, 0));
const pidFile = (id: string) => join(root, id, PID_FILE);
const readRecord = async (id: string) => JSON.parse(await readFile(pidFile(id), 'utf8')) as unknown;

describe('pid files', () => {
  it('records the running pid and command, and removes the record once the miner stopped', async () => {
    const world = new FakeWorld();
    const manager = world.manager({ pidFiles: true, workRoot: root, now: () => 1234 });
    const started = await manager.start(validStart('a', 'xmrig'));
    await waitUntil(() => existsSync(pidFile('a')), 2000, 'the pid file');
    expect(await readRecord('a')).toEqual({ pid: started.pid, command: 'fake-xmrig', startedAt: 1234 });

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
    const world = new FakeWorld();
    const manager = world.manager({ pidFiles: true, workRoot: root });
    await manager.start(validStart('a', 'ttminer'));
    await waitUntil(() => existsSync(pidFile('a')), 2000, 'the pid file');
    world.processes[0]!.exit(139);
    await waitUntil(() => !existsSync(pidFile('a')), 2000, 'the pid file to go');
    expect(manager.get('a').state).toBe('crashed');
  });

  it('leaves no record behind for a miner that exits right after it was spawned', async () => {
    // The exit can be seen before the record is on disk: the removal must not run before the write.
    const world = new FakeWorld({
      gate: async (label, value) => {
        if (label === 'sleep 10') world.processes.at(-1)?.exit(2); // dies inside the start grace
        return value();
      },
    });
    const manager = world.manager({ pidFiles: true, workRoot: root });
    await expect(manager.start(validStart('a', 'xmrig'))).rejects.toMatchObject({ code: 'SPAWN_FAILED' });
    await new Promise((r) => setTimeout(r, 100)); // the write and removal are fire-and-forget file I/O
    expect(existsSync(pidFile('a'))).toBe(false);
  });

  it('an old process reaped after the restart does not delete the new process record', async () => {
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
    const manager = world.manager({ pidFiles: true, workRoot: root });
    await manager.start(validStart('a', 'xmrig'));
    const restarted = await manager.restart('a');
    await waitUntil(() => existsSync(pidFile('a')), 2000, 'the pid file');
    reapOld();
    await world.processes[0]!.exited;
    await new Promise((r) => setTimeout(r, 100));
    expect(await readRecord('a')).toMatchObject({ pid: restarted.pid });
  });
});
