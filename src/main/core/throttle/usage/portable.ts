// macOS and Windows: pidusage (one `ps` or WMI query for all pids) and pidtree (`ps`, or wmic/PowerShell on
// Windows 11 where wmic is gone). Each read starts a process, so reads are spaced further apart.
import pidusage from 'pidusage';
import pidtree from 'pidtree';
import type { ProcessTreeReader, ProcSample } from './tree-reader';

interface PidStat {
  ctime: number;
  memory: number;
  elapsed: number;
  timestamp: number;
}

function usageOf(pids: number[]): Promise<Record<string, PidStat>> {
  return new Promise((resolve) => {
    // A pid that vanished fails the whole call on some platforms: then try one by one.
    pidusage(pids, (err: Error | null, stats: Record<string, PidStat>) => {
      if (!err) return resolve(stats);
      if (pids.length === 1) return resolve({});
      void Promise.all(pids.map((p) => usageOf([p]))).then((parts) => resolve(Object.assign({}, ...parts)));
    });
  });
}

export function portableReader(platform: NodeJS.Platform): ProcessTreeReader {
  return {
    // A WMI query costs tens of ms of CPU; ps a few.
    minIntervalMs: platform === 'win32' ? 5000 : 2000,
    async read(pids) {
      const out = new Map<number, ProcSample>();
      if (pids.length === 0) return out;
      const stats = await usageOf([...pids]);
      for (const pid of pids) {
        const s = stats[String(pid)];
        if (s) {
          out.set(pid, {
            cpuMs: s.ctime,
            rssBytes: s.memory,
            startKey: Math.round((s.timestamp - s.elapsed) / 1000),
          });
        }
      }
      pidusage.clear();
      return out;
    },
    descendants(pid) {
      return new Promise((resolve) => {
        pidtree(pid, (err: Error | undefined, list: number[]) => resolve(err ? [] : list));
      });
    },
  };
}
