// Orphan sweep: a miner left running by a dead session is stopped at start-up through its pid file,
// while a recycled pid that now belongs to another program is left alone. Every pid here is a throwaway
// child this test owns (a broken sweep must never be able to kill the test runner or anything else).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLineOf, PID_FILE, sweepOrphans, writePidFile } from '../../src/main/core/orphans';
import { isAlive, waitUntil } from '../support/process';

let root: string;
let children: ChildProcess[] = [];

/** A long-lived child of our own; `exited` resolves when it is gone. */
function throwaway(options: { detached?: boolean } = {}) {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], {
    stdio: 'ignore',
    detached: options.detached ?? false,
  });
  children.push(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { pid: child.pid!, exited };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hashdeck-orphans-'));
});

afterEach(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
  await rm(root, { recursive: true, force: true });
});

describe('sweepOrphans', () => {
  it.runIf(process.platform !== 'win32')('stops a recorded miner whose command line matches', async () => {
    const orphan = throwaway({ detached: true });
    // A live pid recorded under a different executable name (a recycled pid) must survive.
    const bystander = throwaway();
    await writePidFile(join(root, 'xmrig'), { pid: orphan.pid, command: process.execPath, startedAt: 1 });
    await writePidFile(join(root, 'other'), {
      pid: bystander.pid,
      command: '/opt/xmrig/xmrig',
      startedAt: 1,
    });

    const stopped = await sweepOrphans(root);
    await orphan.exited;
    expect(stopped.map((s) => s.pid)).toEqual([orphan.pid]);
    expect(isAlive(orphan.pid)).toBe(false);
    expect(isAlive(bystander.pid)).toBe(true);
    // Both records are consumed: the first was acted on, the second no longer describes a miner of ours.
    expect(await readdir(join(root, 'xmrig'))).toEqual([]);
    expect(await readdir(join(root, 'other'))).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')('also stops the orphan miner’s own children', async () => {
    const script = `const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
      console.log(c.pid); setInterval(() => {}, 1e9);`;
    const miner = spawn(process.execPath, ['-e', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    children.push(miner);
    const grandchild = await new Promise<number>((resolve) =>
      miner.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    try {
      await writePidFile(join(root, 'sim'), { pid: miner.pid!, command: process.execPath, startedAt: 1 });
      await sweepOrphans(root);
      await waitUntil(() => !isAlive(miner.pid!) && !isAlive(grandchild), 3000, 'the orphan tree to die');
    } finally {
      if (isAlive(grandchild)) process.kill(grandchild, 'SIGKILL'); // ours: printed by our script
    }
  });

  it.runIf(process.platform === 'linux')('leaves an exited process alone and drops its record', async () => {
    // A zombie of our own stands for "the recorded process is gone": unlike a reaped pid, it cannot be
    // recycled by someone else's process while the test runs. Its parent (`sleep`) never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 1000'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(parent);
    const zombie = await new Promise<number>((resolve) =>
      parent.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    await waitUntil(() => !isAlive(zombie), 3000, 'the zombie');
    await writePidFile(join(root, 'dead'), { pid: zombie, command: 'sleep', startedAt: 1 });
    expect(await sweepOrphans(root)).toEqual([]);
    expect(await readdir(join(root, 'dead'))).toEqual([]);
  });

  it.runIf(process.platform !== 'win32')(
    'matches the executable by name, wherever it was installed',
    async () => {
      const orphan = throwaway({ detached: true });
      const name = process.execPath.split('/').pop()!;
      await writePidFile(join(root, 'moved'), {
        pid: orphan.pid,
        command: `/somewhere/else/${name}`,
        startedAt: 1,
      });
      expect((await sweepOrphans(root)).map((r) => r.pid)).toEqual([orphan.pid]);
      await orphan.exited;
    },
  );

  it.runIf(process.platform === 'linux')(
    'reads a command line through ps as on macOS, and /proc on Linux',
    async () => {
      const child = throwaway();
      for (const platform of ['linux', 'darwin'] as const) {
        const cmdline = await commandLineOf(child.pid, platform);
        expect(cmdline).toContain(process.execPath);
        expect(cmdline).toContain('setInterval(() => {}, 1e9)');
      }
    },
  );

  it('skips unreadable or invalid pid files, and a missing folder', async () => {
    await mkdir(join(root, 'garbage'), { recursive: true });
    await writeFile(join(root, 'garbage', PID_FILE), '{"pid": "not a number"');
    await mkdir(join(root, 'invalid'), { recursive: true });
    await writeFile(join(root, 'invalid', PID_FILE), JSON.stringify({ pid: -1, command: 'x', startedAt: 1 }));
    expect(await sweepOrphans(root)).toEqual([]);
    expect(await sweepOrphans(join(root, 'does-not-exist'))).toEqual([]);
  });
});
