// The real supervisor at its edges: why a spawn failed, the working folder it creates, the environment it
// passes, exits by signal, and console input to a miner that does not read it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnMiner } from '../../src/main/core/spawn-miner';
import type { MinerProcess } from '../../src/main/core/process';

const node = process.execPath;
const dirs: string[] = [];
const procs: MinerProcess[] = [];

afterEach(async () => {
  for (const p of procs.splice(0)) await p.killTree();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-supervisor-'));
  dirs.push(dir);
  return dir;
}

function lines(proc: MinerProcess): string[] {
  const out: string[] = [];
  proc.onLine((stream, text) => out.push(`${stream}:${text}`));
  return out;
}

describe.runIf(process.platform !== 'win32')('supervisor edges (real processes)', () => {
  it('explains a file that is not executable', async () => {
    const dir = await tempDir();
    const file = join(dir, 'xmrig');
    await writeFile(file, '#!/bin/sh\n', { mode: 0o644 });
    await expect(spawnMiner({ command: file, args: [], cwd: dir })).rejects.toMatchObject({
      code: 'SPAWN_FAILED',
      message: `Cannot start ${file}: permission denied (is it executable?)`,
      details: { command: file, args: [], errno: 'EACCES' },
    });
  });

  it('names any other reason a spawn failed', async () => {
    const dir = await tempDir();
    const file = join(dir, 'plain');
    await writeFile(file, 'x');
    const command = join(file, 'xmrig'); // a path through a file
    await expect(spawnMiner({ command, args: ['-a'], cwd: dir })).rejects.toMatchObject({
      code: 'SPAWN_FAILED',
      message: expect.stringMatching(new RegExp(`^Cannot start ${command}: .*ENOTDIR`)),
      details: { errno: 'ENOTDIR', args: ['-a'] },
    });
  });

  it('creates a missing working folder and passes the environment on top of ours', async () => {
    const cwd = join(await tempDir(), 'work', 'x');
    const proc = await spawnMiner({
      command: node,
      args: ['-e', 'console.log(process.cwd(), process.env.HASHDECK_TEST_VAR, typeof process.env.PATH)'],
      cwd,
      env: { HASHDECK_TEST_VAR: 'yes' },
    });
    const out = lines(proc);
    expect((await proc.exited).code).toBe(0);
    expect(existsSync(cwd)).toBe(true);
    expect(out).toEqual([`stdout:${cwd} yes string`]);
  });

  it('records an exit by signal with no exit code', async () => {
    const proc = await spawnMiner({
      command: node,
      args: ['-e', 'process.kill(process.pid, "SIGTERM")'],
      cwd: process.cwd(),
    });
    expect(await proc.exited).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('delivers a last line without a newline when the process exits', async () => {
    const proc = await spawnMiner({
      command: node,
      args: ['-e', 'process.stdout.write("no newline")'],
      cwd: process.cwd(),
    });
    const out = lines(proc);
    await proc.exited;
    expect(out).toEqual(['stdout:no newline']);
  });

  it('times out console input that the miner never reads', async () => {
    const proc = await spawnMiner({
      command: node,
      args: ['-e', 'setInterval(() => {}, 1e9)'],
      cwd: process.cwd(),
    });
    procs.push(proc);
    // far more than a pipe buffer holds: the write can only complete once the child reads
    await expect(proc.write('x'.repeat(4 * 1024 * 1024), 200)).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'Console write did not complete within 200 ms',
    });
  });

  it('fails console input cut off by the miner exiting, without crashing on the broken pipe', async () => {
    const proc = await spawnMiner({
      command: node,
      args: ['-e', 'setTimeout(() => process.exit(0), 100)'],
      cwd: process.cwd(),
    });
    await expect(proc.write('x'.repeat(4 * 1024 * 1024), 10_000)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/^Console write failed: /),
    });
    await proc.exited;
    await expect(proc.write('h\n')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'The miner is not accepting console input',
    });
  });
});
