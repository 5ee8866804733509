// Process-tree signalling with real processes this test owns: a graceful stop reaches a process that is
// not a group leader, the hard kill takes the descendants with it on every platform path, and the group
// reap finishes what a leader left behind.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { killTree, reapGroup, terminateTree } from '../../src/main/core/util/kill-tree';
import { isAlive, waitUntil } from '../support/process';

const children: ChildProcess[] = [];
const extraPids: number[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const pid of extraPids.splice(0)) {
    try {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL'); // printed by our own script: ours
    } catch {
      // gone
    }
  }
});

/** A node process of ours; with `withChild` it starts a grandchild and prints its pid. */
async function start(options: { detached?: boolean; withChild?: boolean } = {}) {
  const script = options.withChild
    ? `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
       console.log(c.pid); setInterval(() => {}, 1e9);`
    : `console.log('up'); setInterval(() => {}, 1e9);`;
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: options.detached ?? false,
  });
  children.push(child);
  const first = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(String(d).trim())),
  );
  const grandchild = options.withChild ? Number(first) : null;
  if (grandchild !== null) extraPids.push(grandchild);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  return { pid: child.pid!, grandchild, exited };
}

/**
 * leader -> child -> grandchild in one process group; the child exits, so the grandchild is re-parented
 * (a tree walk from the leader cannot see it) but stays in the group. `ignoreTerm`: both ignore SIGTERM.
 */
async function reparentedGroup(ignoreTerm: boolean) {
  const term = ignoreTerm ? 'process.on("SIGTERM", () => {}); ' : '';
  const script = `const cp = require('node:child_process');
    const mid = cp.spawn(process.execPath, ['-e', \`
      const g = require('node:child_process').spawn(process.execPath, ['-e', '${term}setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
      console.log(g.pid); setTimeout(() => process.exit(0), 50);\`], { stdio: ['ignore', 'pipe', 'ignore'] });
    mid.stdout.once('data', (d) => console.log(mid.pid + ' ' + String(d).trim()));
    ${ignoreTerm ? "process.on('SIGTERM', () => {}); " : ''}setInterval(() => {}, 1e9);`;
  const leader = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  children.push(leader);
  const [mid, grandchild] = await new Promise<number[]>((resolve) =>
    leader.stdout!.once('data', (d: Buffer) => resolve(String(d).trim().split(' ').map(Number))),
  );
  extraPids.push(grandchild!);
  await waitUntil(() => !isAlive(mid!), 3000, 'the middle process to exit');
  return { leader: leader.pid!, grandchild: grandchild! };
}

describe.runIf(process.platform !== 'win32')('kill-tree', () => {
  it('terminateTree sends SIGTERM to a process that leads no group of its own', async () => {
    const p = await start({ detached: false });
    terminateTree(p.pid);
    expect(await p.exited).toBe('SIGTERM');
  });

  it('terminateTree signals the whole group of a group leader', async () => {
    const p = await start({ detached: true, withChild: true });
    terminateTree(p.pid);
    expect(await p.exited).toBe('SIGTERM');
    await waitUntil(() => !isAlive(p.grandchild!), 3000, 'the grandchild to get SIGTERM too');
  });

  it('killTree kills the process and its descendants, also on the tree-kill (Windows) path', async () => {
    for (const platform of [process.platform, 'win32'] as const) {
      const p = await start({ detached: false, withChild: true }); // not a group: only the tree walk finds the child
      await killTree(p.pid, platform);
      expect(await p.exited).toBe('SIGKILL');
      await waitUntil(() => !isAlive(p.grandchild!), 3000, `the grandchild (${platform})`);
    }
  });

  it('reapGroup kills what is left in a group after its leader exited, and does nothing on Windows', async () => {
    const leader = await start({ detached: true, withChild: true });
    reapGroup(leader.pid, 'win32');
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(leader.grandchild!)).toBe(true);
    reapGroup(leader.pid);
    expect(await leader.exited).toBe('SIGKILL');
    await waitUntil(() => !isAlive(leader.grandchild!), 3000, 'the group to be reaped');
  });

  it('killTree reaches a group member whose parent already died (the tree walk cannot see it)', async () => {
    const { leader, grandchild } = await reparentedGroup(true);
    expect(isAlive(grandchild)).toBe(true);
    await killTree(leader);
    await waitUntil(() => !isAlive(grandchild), 3000, 'the orphaned group member to die');
  });

  it('terminateTree on Windows asks the whole tree to stop, not only the leader', async () => {
    const p = await start({ detached: false, withChild: true }); // no group: only a tree walk finds the child
    terminateTree(p.pid, 'win32');
    expect(await p.exited).toBe('SIGTERM');
    await waitUntil(() => !isAlive(p.grandchild!), 3000, 'the grandchild to get SIGTERM too');
  });

  it('terminateTree reaches a group member whose parent already died (a tree walk could not see it)', async () => {
    const { leader, grandchild } = await reparentedGroup(false);
    terminateTree(leader);
    await waitUntil(() => !isAlive(grandchild), 3000, 'the re-parented group member to get SIGTERM');
  });

  it('a graceful stop is one SIGTERM to the group, not a second one to the leader', async () => {
    const p = await start({ detached: true });
    const kill = vi.spyOn(process, 'kill');
    try {
      terminateTree(p.pid);
      expect(kill.mock.calls).toEqual([[-p.pid, 'SIGTERM']]);
    } finally {
      kill.mockRestore();
    }
    expect(await p.exited).toBe('SIGTERM');
  });
});
