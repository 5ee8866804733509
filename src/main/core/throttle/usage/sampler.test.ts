// Usage figures from scripted process readings (a fake reader and clock): rates from deltas, whole trees,
// pid reuse, vanished processes and the shared minimum interval.
import { describe, expect, it } from 'vitest';
import { UsageSampler } from './sampler';
import type { ProcessTreeReader, ProcSample } from './tree-reader';

interface WorldOptions {
  treeRefreshMs?: number;
  minIntervalMs?: number;
  /** Monotonic time of the first call. */
  start?: number;
}

function world(o: WorldOptions = {}) {
  let t = o.start ?? 0;
  const procs = new Map<number, ProcSample & { parent: number }>();
  const calls = { read: [] as number[][], descendants: 0 };
  const faults = { read: false, descendants: false, extraTree: [] as number[] };
  const reader: ProcessTreeReader = {
    minIntervalMs: 0,
    read: async (pids) => {
      calls.read.push([...pids]);
      if (faults.read) throw new Error('read failed');
      return new Map(pids.filter((p) => procs.has(p)).map((p) => [p, { ...procs.get(p)! }]));
    },
    descendants: async (pid) => {
      calls.descendants++;
      if (faults.descendants) throw new Error('listing failed');
      const out: number[] = [];
      const walk = (p: number) => {
        for (const [c, s] of procs) {
          if (s.parent !== p) continue;
          out.push(c);
          walk(c);
        }
      };
      walk(pid);
      return [...out, ...faults.extraTree];
    },
  };
  const sampler = new UsageSampler({
    reader,
    cores: 4,
    monotonic: () => t,
    wall: () => 1e12 + t,
    treeRefreshMs: 'treeRefreshMs' in o ? o.treeRefreshMs : 0,
    minIntervalMs: o.minIntervalMs,
  });
  return {
    sampler,
    calls,
    faults,
    spawn: (pid: number, parent = 0, startKey = 1) =>
      procs.set(pid, { cpuMs: 0, rssBytes: 1000, startKey, parent }),
    burn: (pid: number, ms: number) => (procs.get(pid)!.cpuMs += ms),
    kill: (pid: number) => procs.delete(pid),
    advance: (ms: number) => (t += ms),
    /** One call for one target; its figure (null while unknown). */
    one: async (pid = 10, key = 'a') => (await sampler.sample([{ key, pid }])).get(key) ?? null,
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

describe('UsageSampler: edges', () => {
  it('stamps each figure with the wall clock and measures the interval on the monotonic one', async () => {
    const w = world({ start: 5000 });
    w.spawn(10);
    w.burn(10, 7000); // CPU time from before the first reading is not counted
    await w.one();
    w.advance(2000);
    w.burn(10, 2000);
    expect(await w.one()).toEqual({
      machineCpuPercent: 25, // 1 core of 4 over 2 s
      logicalCores: 4,
      rssBytes: 1000,
      processes: 1,
      at: 1e12 + 7000,
    });
  });

  it('a tree is looked up again only once treeRefreshMs has passed since the last lookup', async () => {
    const w = world({ treeRefreshMs: 5000, start: 1000 });
    w.spawn(10);
    await w.one();
    expect(w.calls.descendants).toBe(1);
    w.spawn(11, 10); // a child started after the lookup
    for (let i = 1; i <= 4; i++) {
      w.advance(1000);
      w.burn(11, 1000);
      expect((await w.one())!.processes).toBe(1); // the cached tree does not know it yet
    }
    expect(w.calls.descendants).toBe(1);
    w.advance(1000); // 5000 ms after the lookup: due again
    expect((await w.one())!.processes).toBe(2);
    expect(w.calls.descendants).toBe(2);
    w.advance(1000);
    w.burn(11, 1000);
    // the child counts from its second reading: one core of four
    expect(await w.one()).toMatchObject({ processes: 2, machineCpuPercent: 25 });
    for (let i = 0; i < 3; i++) {
      w.advance(1000);
      await w.one();
    }
    expect(w.calls.descendants).toBe(2); // refreshed at 6000, not again before 11000
    w.advance(1000);
    await w.one();
    expect(w.calls.descendants).toBe(3);
  });

  it('the default tree refresh is 10 s', async () => {
    let t = 0;
    const lookups: number[] = [];
    const reader: ProcessTreeReader = {
      minIntervalMs: 0,
      read: async (pids) => new Map(pids.map((p) => [p, { cpuMs: t, rssBytes: 1, startKey: 1 }])),
      descendants: async () => (lookups.push(t), []),
    };
    const sampler = new UsageSampler({ reader, cores: 1, monotonic: () => t, minIntervalMs: 0 });
    for (t = 0; t <= 20_000; t += 1000) await sampler.sample([{ key: 'a', pid: 1 }]);
    expect(lookups).toEqual([0, 10_000, 20_000]);
  });

  it('without a clock of its own it uses the process clocks (calls close together share a reading)', async () => {
    const reader: ProcessTreeReader = {
      minIntervalMs: 0,
      read: async (pids) => new Map(pids.map((p) => [p, { cpuMs: 0, rssBytes: 1, startKey: 1 }])),
      descendants: async () => [],
    };
    const sampler = new UsageSampler({ reader, cores: 1, minIntervalMs: 60_000 });
    expect((await sampler.sample([{ key: 'a', pid: 1 }])).get('a')).toBeNull();
    // within the minimum interval: the first (unknown) figure again, not a rate
    expect((await sampler.sample([{ key: 'a', pid: 1 }])).get('a')).toBeNull();
  });

  it('the minimum interval: shared below it (without touching the reader), a new reading at it', async () => {
    const w = world({ minIntervalMs: 500 });
    w.spawn(10);
    await w.one();
    w.advance(1000);
    await w.one();
    const reads = w.calls.read.length;
    w.advance(499);
    w.burn(10, 400);
    const shared = await w.one();
    expect(w.calls.read.length).toBe(reads);
    w.advance(1);
    expect(await w.one()).not.toBe(shared);
    expect(w.calls.read.length).toBe(reads + 1);
  });

  it('a target whose pid changed under the same key starts a new series, even within the interval', async () => {
    const w = world({ minIntervalMs: 500 });
    w.spawn(10);
    w.spawn(20);
    await w.one(10);
    w.advance(1000);
    w.burn(10, 1000);
    expect(await w.one(10)).not.toBeNull();
    w.advance(100);
    expect(await w.one(20)).toBeNull();
    w.advance(1000);
    w.burn(20, 1000);
    expect((await w.one(20))!.machineCpuPercent).toBe(25);
    // a later, different pid (same start stamp) does not inherit the series either
    w.advance(1000);
    w.burn(10, 5000);
    expect(await w.one(10)).toBeNull();
  });

  it('a key left out of a call is forgotten: sampled again later it starts over', async () => {
    const w = world();
    w.spawn(10);
    w.spawn(20);
    await w.one(10, 'a');
    w.advance(1000);
    await w.sampler.sample([{ key: 'b', pid: 20 }]);
    w.advance(1000);
    w.burn(10, 1000);
    expect(await w.one(10, 'a')).toBeNull();
  });

  it('a failed tree lookup reads the root alone; a failed read gives no figure; neither throws', async () => {
    const w = world();
    w.spawn(10);
    w.spawn(11, 10);
    w.faults.descendants = true;
    await w.one();
    expect(w.calls.read.at(-1)).toEqual([10]);
    w.advance(1000);
    w.burn(10, 1000);
    w.burn(11, 1000);
    expect(await w.one()).toMatchObject({ processes: 1, machineCpuPercent: 25 });
    w.faults.read = true;
    w.advance(1000);
    expect(await w.one()).toBeNull();
  });

  it('a member that leaves the tree and comes back counts from its next reading, not its old one', async () => {
    const w = world();
    w.spawn(10);
    w.spawn(11, 10);
    await w.one();
    w.advance(1000);
    expect(await w.one()).toMatchObject({ processes: 2, machineCpuPercent: 0 });
    w.faults.descendants = true; // the child is missing from this call's tree
    w.advance(1000);
    w.burn(11, 4000);
    expect(await w.one()).toMatchObject({ processes: 1, machineCpuPercent: 0 });
    w.faults.descendants = false;
    w.advance(1000);
    expect(await w.one()).toMatchObject({ processes: 2, machineCpuPercent: 0 });
  });

  it('a tree listing a pid twice, the root itself, or a pid with no reading counts each process once', async () => {
    const w = world();
    w.spawn(10);
    w.spawn(11, 10);
    w.faults.extraTree = [11, 10, 99];
    await w.one();
    w.advance(1000);
    w.burn(10, 1000);
    w.burn(11, 1000);
    expect(await w.one()).toMatchObject({ processes: 2, rssBytes: 2000, machineCpuPercent: 50 });
  });

  it('a child pid reused by a new process counts from that process’s next reading', async () => {
    const w = world();
    w.spawn(10);
    w.spawn(11, 10);
    await w.one();
    w.kill(11);
    w.spawn(11, 10, 2); // same pid, another start, already 3 s of CPU
    w.burn(11, 3000);
    w.advance(1000);
    expect((await w.one())!.machineCpuPercent).toBe(0);
    w.advance(1000);
    w.burn(11, 1000);
    expect((await w.one())!.machineCpuPercent).toBe(25);
  });

  it('two readings at the same instant give 0 %, not a division by zero', async () => {
    const w = world({ minIntervalMs: 0 });
    w.spawn(10);
    await w.one();
    w.advance(1000);
    await w.one();
    expect((await w.one())!.machineCpuPercent).toBe(0);
  });
});
