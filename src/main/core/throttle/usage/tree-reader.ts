// How the CPU and memory of a miner's process tree are read, per platform: Linux straight from /proc
// (no process spawned on the 1 Hz path), macOS and Windows through pidusage + pidtree.
import { linuxProcReader } from './linux-proc';
import { portableReader } from './portable';

export interface ProcSample {
  /** User + system CPU time since the process started, ms. */
  cpuMs: number;
  rssBytes: number;
  /** When the process started (a changed value means the pid was reused). */
  startKey: number;
}

export interface ProcessTreeReader {
  /** Samples of the pids that still exist; a vanished pid is simply absent. */
  read(pids: readonly number[]): Promise<Map<number, ProcSample>>;
  /** Every descendant of `pid` (children, grandchildren...), not `pid` itself. */
  descendants(pid: number): Promise<number[]>;
  /** Smallest useful interval between reads (a read that spawns a process costs more). */
  readonly minIntervalMs: number;
}

export function platformReader(platform: NodeJS.Platform = process.platform): ProcessTreeReader {
  return platform === 'linux' ? linuxProcReader() : portableReader(platform);
}
