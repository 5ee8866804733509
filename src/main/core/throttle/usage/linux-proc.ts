// Linux: a process's CPU time and RSS from /proc/<pid>/stat and its children from
// /proc/<pid>/task/<pid>/children. Synchronous reads of a few hundred bytes: microseconds, no spawn.
import { readFileSync } from 'node:fs';
import type { ProcessTreeReader, ProcSample } from './tree-reader';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux architecture. */
const CLOCK_TICKS = 100;
const PAGE_SIZE = 4096;

/** Fields after "(comm) ", where comm may itself hold spaces and parentheses. */
export function parseStat(text: string): ProcSample | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).split(' ');
  // f[0] is field 3 (state): utime is field 14, stime 15, starttime 22, rss 24
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  const start = Number(f[19]);
  const rss = Number(f[21]);
  if (![utime, stime, start, rss].every(Number.isFinite)) return null;
  return { cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS, rssBytes: rss * PAGE_SIZE, startKey: start };
}

function readStat(pid: number, root: string): ProcSample | null {
  try {
    return parseStat(readFileSync(`${root}/${pid}/stat`, 'latin1'));
  } catch {
    return null; // gone
  }
}

/**
 * Children of a process's main thread (/proc/<pid>/task/<pid>/children): where libuv, glibc's posix_spawn
 * callers and shells fork. One small read per process instead of one per thread (XMRig runs a dozen);
 * a child forked from another thread is missed, which no miner does.
 */
function children(pid: number, root: string): number[] {
  let text: string;
  try {
    text = readFileSync(`${root}/${pid}/task/${pid}/children`, 'latin1');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const c of text.split(' ')) {
    const n = Number(c);
    if (Number.isInteger(n) && n > 0) out.push(n); // '' (the trailing space) is 0: left out
  }
  return out;
}

export function linuxProcReader(root = '/proc'): ProcessTreeReader {
  return {
    minIntervalMs: 0,
    async read(pids) {
      const out = new Map<number, ProcSample>();
      for (const pid of pids) {
        const s = readStat(pid, root);
        if (s !== null) out.set(pid, s);
      }
      return out;
    },
    async descendants(pid) {
      const found: number[] = [];
      const queue = [pid];
      // A tree deeper or wider than this is not a miner; stop rather than walk the whole system.
      while (queue.length > 0 && found.length < 256) {
        for (const c of children(queue.shift()!, root)) {
          if (!found.includes(c)) {
            found.push(c);
            queue.push(c);
          }
        }
      }
      return found;
    },
  };
}
