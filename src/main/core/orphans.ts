// Miners left running by a session that died hard (SIGKILL, power loss) are found through the pid
// files the manager writes per instance, checked against their command line, and stopped at start-up.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import { atomicWrite } from './util/atomic-write';
import { killTree } from './util/kill-tree';

export const PID_FILE = 'miner.pid.json';

const pidRecord = z.object({ pid: z.number().int().positive(), command: z.string(), startedAt: z.number() });
export type PidRecord = z.infer<typeof pidRecord>;

export function writePidFile(workDir: string, record: PidRecord): Promise<void> {
  return atomicWrite(join(workDir, PID_FILE), JSON.stringify(record));
}

export function removePidFile(workDir: string): Promise<void> {
  return rm(join(workDir, PID_FILE), { force: true });
}

/** The command line of a live pid, or null when it is gone (or unreadable). */
export async function commandLineOf(pid: number, platform = process.platform): Promise<string | null> {
  try {
    if (platform === 'linux') {
      return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim() || null;
    }
    if (platform === 'win32') {
      const r = await execa('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], {
        reject: false,
        timeout: 5000,
      });
      const first = String(r.stdout).split(/\r?\n/)[0] ?? '';
      return first.startsWith('"') ? first.split('","')[0]!.slice(1) : null;
    }
    const r = await execa('ps', ['-o', 'command=', '-p', String(pid)], { reject: false, timeout: 5000 });
    return String(r.stdout).trim() || null;
  } catch {
    return null;
  }
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Stops every process recorded in `<workRoot>/<id>/miner.pid.json` whose command line still names the
 * recorded executable (a recycled pid belonging to something else is left alone). Returns what it stopped.
 */
export async function sweepOrphans(workRoot: string, platform = process.platform): Promise<PidRecord[]> {
  const stopped: PidRecord[] = [];
  const dirs = await readdir(workRoot).catch(() => [] as string[]);
  for (const dir of dirs) {
    const file = join(workRoot, dir, PID_FILE);
    let record: PidRecord;
    try {
      record = pidRecord.parse(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      continue;
    }
    const cmdline = await commandLineOf(record.pid, platform);
    if (cmdline && cmdline.includes(basename(record.command))) {
      await killTree(record.pid, platform);
      stopped.push(record);
    }
    await rm(file, { force: true });
  }
  return stopped;
}
