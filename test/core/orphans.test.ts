// Orphan sweep: a miner left running by a dead session is stopped at start-up through its pid file,
// while a recycled pid that now belongs to another program is left alone.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepOrphans, writePidFile } from '../../src/main/core/orphans';
import { isAlive } from '../support/process';

describe('sweepOrphans', () => {
  it.runIf(process.platform !== 'win32')('stops a recorded miner whose command line matches', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hashdeck-orphans-'));
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise((r) => orphan.once('exit', r));
    await writePidFile(join(root, 'xmrig'), { pid: orphan.pid!, command: process.execPath, startedAt: 1 });
    // A live pid (this test runner) recorded under a different executable name must survive.
    await writePidFile(join(root, 'other'), { pid: process.pid, command: '/opt/xmrig/xmrig', startedAt: 1 });

    const stopped = await sweepOrphans(root);
    await exited;
    expect(stopped.map((s) => s.pid)).toEqual([orphan.pid]);
    expect(isAlive(orphan.pid!)).toBe(false);
    expect(isAlive(process.pid)).toBe(true);
    expect(await readdir(join(root, 'xmrig'))).toEqual([]);
  });

  it('ignores unreadable pid files and a missing folder', async () => {
    expect(await sweepOrphans(join(tmpdir(), 'hashdeck-does-not-exist'))).toEqual([]);
  });
});
