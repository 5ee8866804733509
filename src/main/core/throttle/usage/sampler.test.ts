// Usage figures from scripted process readings (a fake reader and clock): rates from deltas, whole trees,
// pid reuse, vanished processes and the shared minimum interval.
import { describe, expect, it } from 'vitest';
import { UsageSampler } from './sampler';
import type { ProcessTreeReader, ProcSample } from './tree-reader';

function world() {
  let t = 0;
  const procs = new Map<number, ProcSample & { parent: number }>();
  const reader: ProcessTreeReader = {
    minIntervalMs: 0,
    read: async (pids) => new Map(pids.filter((p) => procs.has(p)).map((p) => [p, { ...procs.get(p)! }])),
    descendants: async (pid) => {
      const out: number[] = [];
      const walk = (p: number) => {
        for (const [c, s] of procs) {
          if (s.parent !== p) continue;
          out.push(c);
          walk(c);
        }
      };
      walk(pid);
      return out;
    },
  };
  const sampler = new UsageSampler({
    reader,
    cores: 4,
    monotonic: () => t,
    wall: () => 1e12 + t,
    treeRefreshMs: 0,
  });
  return {
    sampler,
    spawn: (pid: number, parent = 0, startKey = 1) =>
      procs.set(pid, { cpuMs: 0, rssBytes: 1000, startKey, parent }),
    burn: (pid: number, ms: number) => (procs.get(pid)!.cpuMs += ms),
    kill: (pid: number) => procs.delete(pid),
    advance: (ms: number) => (t += ms),
  };
}

describe('UsageSampler', () => {
  it('turns CPU-time deltas of the whole tree into a share of the machine', async () => {
    const w = world();
    w.spawn(10);
    w.spawn(11, 10);
    w.spawn(12, 11);
    expect((await w.sampler.sample([{ key: 'a', pid: 10 }])).get('a')).toBeNull(); // no rate from one reading
    w.advance(1000);
    w.burn(10, 1000); // one core
    w.burn(12, 1000); // a grandchild, another core
    const u = (await w.sampler.sample([{ key: 'a', pid: 10 }])).get('a')!;
    // 2 of 4 cores = 50 % of the machine
    expect(u).toMatchObject({ machineCpuPercent: 50, logicalCores: 4, rssBytes: 3000, processes: 3 });
  });

  it('never goes negative or inflates when a child exits or a pid is reused', async () => {
    const w = world();
    w.spawn(10);
    w.spawn(11, 10);
    w.burn(11, 5000);
    await w.sampler.sample([{ key: 'a', pid: 10 }]);
    w.advance(1000);
    w.kill(11);
    w.burn(10, 400);
    expect((await w.sampler.sample([{ key: 'a', pid: 10 }])).get('a')?.machineCpuPercent).toBe(10);
    // the root pid now belongs to another process (started later): no figure until a second reading
    w.kill(10);
    w.spawn(10, 0, 99);
    w.burn(10, 50_000);
    w.advance(1000);
    expect((await w.sampler.sample([{ key: 'a', pid: 10 }])).get('a')).toBeNull();
  });

  it('null once the process is gone; calls closer than the minimum interval share one reading', async () => {
    const w = world();
    w.spawn(10);
    await w.sampler.sample([{ key: 'a', pid: 10 }]);
    w.advance(1000);
    w.burn(10, 1000);
    const first = (await w.sampler.sample([{ key: 'a', pid: 10 }])).get('a');
    w.advance(100);
    w.burn(10, 100);
    expect((await w.sampler.sample([{ key: 'a', pid: 10 }])).get('a')).toBe(first);
    w.kill(10);
    w.advance(1000);
    expect((await w.sampler.sample([{ key: 'a', pid: 10 }])).get('a')).toBeNull();
  });
});
