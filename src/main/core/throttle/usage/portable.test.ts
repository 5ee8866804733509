// The macOS/Windows reader with pidusage and pidtree scripted as they behave there: a vanished pid fails
// the whole pidusage call (then each pid is asked alone), a failed tree lookup is an empty tree.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { portableReader } from './portable';

interface PidStat {
  ctime: number;
  memory: number;
  elapsed: number;
  timestamp: number;
}

const os = vi.hoisted(() => ({
  procs: new Map<number, PidStat>(),
  children: new Map<number, number[]>(),
  calls: [] as number[][],
}));

vi.mock('pidusage', () => {
  const pidusage = (pids: number[], cb: (err: Error | null, stats?: Record<string, PidStat>) => void) => {
    os.calls.push([...pids]);
    const all = pids.every((p) => os.procs.has(p));
    setImmediate(() =>
      all
        ? cb(null, Object.fromEntries(pids.map((p) => [String(p), os.procs.get(p)!])))
        : cb(new Error('No matching pid found')),
    );
  };
  pidusage.clear = () => undefined;
  return { default: pidusage };
});

vi.mock('pidtree', () => ({
  default: (pid: number, cb: (err: Error | undefined, list?: number[]) => void) => {
    const list = os.children.get(pid);
    setImmediate(() => (list ? cb(undefined, list) : cb(new Error('No matching pid found'))));
  },
}));

/** A process that started at `startedAt` (wall ms) and has used `cpu` ms, read at `now`. */
const proc = (cpu: number, rss: number, startedAt: number, now = 1_700_000_123_456): PidStat => ({
  ctime: cpu,
  memory: rss,
  elapsed: now - startedAt,
  timestamp: now,
});

beforeEach(() => {
  os.procs.clear();
  os.children.clear();
  os.calls.length = 0;
});

describe('portableReader', () => {
  it('spaces reads 5 s apart on Windows (WMI), 2 s elsewhere (ps)', () => {
    expect(portableReader('win32').minIntervalMs).toBe(5000);
    expect(portableReader('darwin').minIntervalMs).toBe(2000);
  });

  it('reads CPU time, memory and a start stamp in seconds that stays put between reads', async () => {
    os.procs.set(10, proc(1500, 4096, 1_700_000_000_400));
    os.procs.set(11, proc(20, 512, 1_699_999_000_000));
    const reader = portableReader('darwin');
    const got = await reader.read([10, 11]);
    expect([...got.entries()]).toEqual([
      [10, { cpuMs: 1500, rssBytes: 4096, startKey: 1_700_000_000 }],
      [11, { cpuMs: 20, rssBytes: 512, startKey: 1_699_999_000 }],
    ]);
    os.procs.set(10, proc(2500, 4096, 1_700_000_000_400, 1_700_000_200_000));
    expect((await reader.read([10])).get(10)!.startKey).toBe(1_700_000_000);
  });

  it('no pids: no query at all', async () => {
    expect((await portableReader('win32').read([])).size).toBe(0);
    expect(os.calls).toEqual([]);
  });

  it('one vanished pid does not hide the others: each is asked alone, the gone one is absent', async () => {
    os.procs.set(10, proc(100, 1, 0));
    os.procs.set(12, proc(300, 3, 0));
    const got = await portableReader('win32').read([10, 11, 12]);
    expect([...got.keys()]).toEqual([10, 12]);
    expect(os.calls).toEqual([[10, 11, 12], [10], [11], [12]]);
    expect((await portableReader('win32').read([11])).size).toBe(0);
  });

  it('descendants from pidtree; none when the lookup fails', async () => {
    os.children.set(10, [11, 12]);
    const reader = portableReader('darwin');
    expect(await reader.descendants(10)).toEqual([11, 12]);
    expect(await reader.descendants(99)).toEqual([]);
  });
});
