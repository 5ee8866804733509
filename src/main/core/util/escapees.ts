// Finds processes descended from one miner spawn even after they left its process group (a miner that
// daemonises: fork, setsid, parent exits). Every spawn carries a unique tag in its environment, which
// descendants inherit; on Linux /proc/PID/environ of our own processes tells them apart exactly.
import { readdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';

export const TAG_VARIABLE = 'HASHDECK_MINER_TAG';

export function newSpawnTag(): string {
  return randomBytes(9).toString('hex');
}

/** Pids (other than `exclude`) whose environment carries TAG_VARIABLE=tag. */
export async function findTagged(
  tag: string,
  exclude: ReadonlySet<number> = new Set(),
  platform: NodeJS.Platform = process.platform,
): Promise<number[]> {
  // Stryker disable next-line StringLiteral: not run, a blank needle matches every process and the spawn tests then SIGKILL all of them (it took the machine down)
  const needle = `${TAG_VARIABLE}=${tag}`;
  if (platform === 'linux') return findTaggedProc(needle, exclude);
  if (platform === 'darwin') return findTaggedPs(needle, exclude);
  // Windows does not reparent orphans into another tree the way POSIX does, and taskkill /T walks the
  // recorded parent links; there is no cheap way to read another process's environment there.
  return [];
}

async function findTaggedProc(needle: string, exclude: ReadonlySet<number>): Promise<number[]> {
  const found: number[] = [];
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries.map(async (name) => {
      if (!/^\d+$/.test(name)) return;
      const pid = Number(name);
      if (pid === process.pid || exclude.has(pid)) return;
      // Unreadable for processes of other users, which cannot be ours anyway.
      const environ = await readFile(`/proc/${name}/environ`, 'latin1').catch(() => '');
      // Stryker disable next-line ConditionalExpression,MethodExpression,StringLiteral: not run, matching every process makes the spawn tests SIGKILL the machine
      if (environ.split('\0').includes(needle)) found.push(pid);
    }),
  );
  return found.sort((a, b) => a - b);
}

async function findTaggedPs(needle: string, exclude: ReadonlySet<number>): Promise<number[]> {
  // `ps -E` appends the environment of the user's own processes to the command column.
  const r = await execa('ps', ['-E', '-x', '-o', 'pid=,command='], { reject: false, timeout: 5000 });
  const found: number[] = [];
  for (const line of String(r.stdout).split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || exclude.has(pid)) continue;
    if (m[2].split(' ').includes(needle)) found.push(pid);
  }
  return found;
}

/**
 * Live (non-zombie) members of a process group. A killed member whose parent is gone stays a zombie
 * until init reaps it, and in some containers init never does, so kill(-pgid, 0) alone would lie.
 */
export async function liveGroupMembers(
  pgid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<number[]> {
  if (platform === 'win32') return [];
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return [];
  }
  if (platform !== 'linux') return [pgid];
  const members: number[] = [];
  const entries = await readdir('/proc').catch(() => [] as string[]);
  await Promise.all(
    entries.map(async (name) => {
      if (!/^\d+$/.test(name)) return;
      const stat = await readFile(`/proc/${name}/stat`, 'latin1').catch(() => '');
      const close = stat.lastIndexOf(')');
      if (close < 0) return;
      // Fields after the command: state ppid pgrp ...
      const [state, , pgrp] = stat.slice(close + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(name));
    }),
  );
  return members;
}
