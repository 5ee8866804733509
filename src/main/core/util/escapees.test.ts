// Finding a miner's descendants: by the spawn tag in their environment (real child processes on Linux,
// recorded `ps -E` output for macOS), and the live members of a process group with zombies left out.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';

const execaMock = vi.hoisted(() => vi.fn());
vi.mock('execa', () => ({ execa: execaMock }));

import { findTagged, liveGroupMembers, newSpawnTag, TAG_VARIABLE } from './escapees';

const linux = process.platform === 'linux';
const children: ChildProcess[] = [];

/** A sleeping child (its own process group when detached) that has started running. */
async function child(
  script: string,
  env: Record<string, string> = {},
  detached = false,
): Promise<ChildProcess & { pid: number }> {
  const c = spawn('/bin/sh', ['-c', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    detached,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(c);
  // The script prints a line once it runs (after exec-ing into its final shape where it matters).
  await new Promise<void>((resolve, reject) => {
    c.once('error', reject);
    c.stdout!.once('data', () => resolve());
  });
  return c as ChildProcess & { pid: number };
}

function gone(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((r) => c.once('exit', () => r()));
}

afterEach(async () => {
  execaMock.mockReset();
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      // Every child here is detached and leads its own group: end the group (its sleeping children too).
      process.kill(-c.pid!, 'SIGKILL');
      await gone(c);
    }
  }
});

describe('newSpawnTag', () => {
  it('is 18 hex characters, different for every spawn', () => {
    const tags = new Set(Array.from({ length: 20 }, newSpawnTag));
    expect(tags.size).toBe(20);
    for (const t of tags) expect(t).toMatch(/^[0-9a-f]{18}$/);
  });
});

describe.skipIf(!linux)('findTagged on Linux', () => {
  it('finds exactly the processes whose environment carries the tag, sorted, leaving out `exclude`', async () => {
    const tag = newSpawnTag();
    const a = await child('echo up; exec sleep 30', { [TAG_VARIABLE]: tag }, true);
    const b = await child('echo up; exec sleep 30', { [TAG_VARIABLE]: tag }, true);
    await child('echo up; exec sleep 30', { [TAG_VARIABLE]: newSpawnTag() }, true); // another spawn
    // The tag as a prefix of a longer value, or under another name, is not the tag.
    await child('echo up; exec sleep 30', { [TAG_VARIABLE]: `${tag}0`, OTHER: tag }, true);
    expect(await findTagged(tag, undefined, 'linux')).toEqual([a.pid, b.pid].sort((x, y) => x - y));
    expect(await findTagged(tag, new Set([a.pid]), 'linux')).toEqual([b.pid]);
    expect(await findTagged(newSpawnTag(), new Set(), 'linux')).toEqual([]);
  });
});

describe('findTagged elsewhere', () => {
  const PS = [
    '    1 /sbin/launchd',
    `  501 /opt/xmrig --config x.json PATH=/usr/bin ${TAG_VARIABLE}=abc HOME=/Users/me`,
    `  502 /opt/xmrig ${TAG_VARIABLE}=abcd`,
    `  503 sh -c x ${TAG_VARIABLE}=abc`,
    `${process.pid} node ${TAG_VARIABLE}=abc`,
    `bad line ${TAG_VARIABLE}=abc`,
    '',
  ].join('\n');

  it('macOS: reads the environments `ps -E` appends to the command, without this process', async () => {
    execaMock.mockResolvedValue({ stdout: PS, failed: false, exitCode: 0 });
    expect(await findTagged('abc', new Set(), 'darwin')).toEqual([501, 503]);
    expect(execaMock).toHaveBeenCalledWith('ps', ['-E', '-x', '-o', 'pid=,command='], {
      reject: false,
      timeout: 5000,
    });
    expect(await findTagged('abc', new Set([503]), 'darwin')).toEqual([501]);
    expect(await findTagged('abcd', undefined, 'darwin')).toEqual([502]);
  });

  it('macOS: ps failing finds nothing', async () => {
    execaMock.mockResolvedValue({ stdout: '', failed: true, exitCode: 1 });
    expect(await findTagged('abc', new Set(), 'darwin')).toEqual([]);
  });

  it('Windows: nothing to find (no reparenting out of the tree taskkill walks)', async () => {
    expect(await findTagged('abc', new Set(), 'win32')).toEqual([]);
    expect(execaMock).not.toHaveBeenCalled();
  });
});

describe('liveGroupMembers', () => {
  it.skipIf(!linux)('lists the live processes of a group, not a zombie left in it', async () => {
    // The subshell prints, exits, and stays a zombie: its parent has become `sleep`, which never reaps.
    // Only the subshell holds the pipe (sleep's output goes to /dev/null), so its end means it has exited.
    const c = await child('(sleep 0.1; echo up) & exec sleep 30 >/dev/null', {}, true);
    await new Promise<void>((resolve) => {
      if (c.stdout!.readableEnded) resolve();
      else c.stdout!.once('end', () => resolve()).resume();
    });
    // The end of the pipe can come a moment before the kernel marks the subshell a zombie: wait for that
    // (a zombie that stayed listed would keep this failing until the timeout).
    await vi.waitFor(async () => expect(await liveGroupMembers(c.pid, 'linux')).toEqual([c.pid]), {
      timeout: 5000,
    });
  });

  it.skipIf(!linux)('lists every live process of the group', async () => {
    const c = await child('sleep 30 & echo up; wait', {}, true);
    const members = await liveGroupMembers(c.pid, 'linux');
    expect(members).toContain(c.pid);
    expect(members).toHaveLength(2);
  });

  it.skipIf(!linux)('is empty for a group that is gone', async () => {
    const c = await child('echo up; exec sleep 30', {}, true);
    process.kill(-c.pid, 'SIGKILL');
    await gone(c);
    expect(await liveGroupMembers(c.pid, 'linux')).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')(
    'elsewhere trusts kill(-pgid, 0): the leader for a live group',
    async () => {
      const c = await child('echo up; exec sleep 30', {}, true);
      expect(await liveGroupMembers(c.pid, 'darwin')).toEqual([c.pid]);
      process.kill(-c.pid, 'SIGKILL');
      await gone(c);
      expect(await liveGroupMembers(c.pid, 'darwin')).toEqual([]);
    },
  );

  it('is empty on Windows, which has no process groups to ask', async () => {
    expect(await liveGroupMembers(process.pid, 'win32')).toEqual([]);
  });
});
