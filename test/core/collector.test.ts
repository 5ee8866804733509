// The stats collector on its own: which miners a tick polls, per-thread detail every n-th poll (kept in
// between), history and pause state from each sample, API errors reported once, and the timer's life.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatsCollector, type CollectorOptions } from '../../src/main/core/stats/collector';
import { MinerInstance } from '../../src/main/core/instance';
import { MinerError } from '../../src/shared/errors';
import type { CpuUsage, MinerStats } from '../../src/shared/model';
import type { MinerProcess } from '../../src/main/core/process';
import { fakeStats } from '../support/fake-world';
import { realClock } from '../../src/main/core/util/clock';

afterEach(() => {
  vi.useRealTimers();
});

/** A running instance as the manager leaves it after a start (real class, no process behind it). */
function running(id: string, generation = 1): MinerInstance {
  const inst = new MinerInstance({
    id,
    name: id,
    minerType: 'simulated',
    profileId: null,
    config: {} as never,
  });
  inst.transition('starting');
  inst.transition('running');
  inst.generation = generation;
  inst.api = { kind: 'inproc', key: id };
  inst.apiState = 'verified';
  return inst;
}

function collector(targets: MinerInstance[], overrides: Partial<CollectorOptions> = {}) {
  const calls: { id: string; detail: boolean }[] = [];
  const batches: unknown[] = [];
  const errors: string[] = [];
  const c = new StatsCollector({
    intervalMs: 1000,
    timeoutMs: 500,
    clock: { ...realClock, now: () => 77 },
    targets: () => targets,
    fetch: async (inst, _signal, detail) => {
      calls.push({ id: inst.id, detail });
      return fakeStats(inst.generation);
    },
    onBatch: (b) => batches.push(b),
    // Called on every failure; `changed` says whether the message differs from the miner's last one.
    onError: (inst, _generation, message, changed) => {
      if (changed) errors.push(`${inst.id}: ${message}`);
    },
    ...overrides,
  });
  return { c, calls, batches, errors };
}

const withThreads = (generation: number, threads: number[]): MinerStats => ({
  ...fakeStats(generation),
  threads,
});

describe('StatsCollector.tick', () => {
  it('polls only running miners with an API and emits one batch stamped with now()', async () => {
    const a = running('a');
    const stopped = new MinerInstance({
      id: 's',
      name: 's',
      minerType: 'simulated',
      profileId: null,
      config: {} as never,
    });
    const noApi = running('n');
    noApi.api = null;
    const { c, calls, batches } = collector([a, stopped, noApi]);
    const batch = await c.tick();
    expect(calls.map((x) => x.id)).toEqual(['a']);
    // The emitted batch is stamped with the clock's now(); the tick returns the same entries.
    expect(batches).toEqual([{ at: 77, miners: [{ id: 'a', generation: 1, stats: a.stats }] }]);
    expect(batch.miners).toEqual([{ id: 'a', generation: 1, stats: a.stats }]);
    expect(a.stats).toMatchObject({ uptime: 1, hashrate: [100, null, null] });
  });

  it('emits nothing when no miner answered', async () => {
    const { c, batches } = collector([]);
    expect((await c.tick()).miners).toEqual([]);
    expect(batches).toEqual([]);
  });

  it('asks for per-thread detail on the first poll, then every 5th, and keeps the last threads between', async () => {
    const a = running('a');
    let n = 0;
    const { c, calls } = collector([a], {
      // detail replies carry threads; the cheap ones do not
      fetch: async (_inst, _signal, detail) => {
        calls.push({ id: 'a', detail });
        n++;
        return detail ? withThreads(1, [n]) : fakeStats(1);
      },
    });
    for (let i = 0; i < 11; i++) await c.tick();
    expect(calls.map((x) => x.detail)).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
    // after a cheap poll the threads of the last detailed one are still shown
    expect(a.stats?.threads).toEqual([11]);
    const { c: c2 } = collector([a], { fetch: async () => fakeStats(1), detailEvery: 5 });
    a.statsPolls = 1;
    await c2.tick();
    expect(a.stats?.threads).toEqual([11]);
  });

  it('asks for detail again while the miner has reported no threads yet', async () => {
    const a = running('a');
    const { c, calls } = collector([a], { detailEvery: 100 });
    await c.tick();
    await c.tick();
    expect(calls.map((x) => x.detail)).toEqual([true, true]);
  });

  it('records hashrate history and the pause state from each sample', async () => {
    const a = running('a');
    const samples: MinerStats[] = [
      { ...fakeStats(1), at: 1000, hashrate: [50, null, null], paused: true },
      { ...fakeStats(1), at: 2000, hashrate: [null, null, null], paused: false },
    ];
    const { c } = collector([a], { fetch: async () => samples.shift()! });
    await c.tick();
    expect(a.paused).toBe(true);
    await c.tick();
    expect(a.paused).toBe(false);
    expect(a.history.query(0, 10_000, 10_000)).toEqual([{ at: 1000, value: 50 }]);
  });

  it('skips a miner whose poll of the same generation is still in flight, but polls a new generation', async () => {
    const a = running('a');
    a.statsInFlight = 1;
    const { c, calls } = collector([a]);
    await c.tick();
    expect(calls).toEqual([]);
    a.generation = 2;
    await c.tick();
    expect(calls.map((x) => x.id)).toEqual(['a']);
    expect(a.statsInFlight).toBeNull();
  });

  it('drops a reply whose miner stopped while it was awaited, and does not record its error', async () => {
    const a = running('a');
    const { c, batches, errors } = collector([a], {
      fetch: async (inst) => {
        inst.transition('stopping');
        throw new Error('connection reset');
      },
    });
    await c.tick();
    expect([batches, errors, a.statsError]).toEqual([[], [], null]);
    const b = running('b');
    const { c: c2 } = collector([b], {
      fetch: async (inst) => {
        inst.transition('stopping');
        return fakeStats(1);
      },
    });
    expect((await c2.tick()).miners).toEqual([]);
    expect(b.stats).toBeNull();
  });

  it('reports an API error once per change and clears it on the next good sample', async () => {
    const a = running('a');
    const replies: (() => MinerStats)[] = [
      () => {
        throw new MinerError('MINER_API', 'HTTP 500');
      },
      () => {
        throw new MinerError('MINER_API', 'HTTP 500');
      },
      () => {
        throw new Error('socket hang up');
      },
      () => fakeStats(1),
    ];
    const { c, errors } = collector([a], { fetch: async () => replies.shift()!() });
    await c.tick();
    await c.tick();
    expect(errors).toEqual(['a: HTTP 500']);
    expect(a.statsError).toBe('HTTP 500');
    await c.tick();
    expect(errors).toEqual(['a: HTTP 500', 'a: socket hang up']);
    await c.tick();
    expect(a.statsError).toBeNull();
  });

  it('turns a timeout into a plain message naming the deadline', async () => {
    const a = running('a');
    const { c, errors } = collector([a], {
      timeoutMs: 20,
      fetch: (_inst, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        ),
    });
    await c.tick();
    expect(errors).toEqual(['a: Miner API did not answer within 20 ms']);
  });
});

describe('StatsCollector races and edge replies', () => {
  it('leaves out a reply whose miner stopped while a slower reply was awaited', async () => {
    const a = running('a');
    const b = running('b');
    let releaseB!: () => void;
    const heldB = new Promise<void>((r) => (releaseB = r));
    let aAnswered!: () => void;
    const answeredA = new Promise<void>((r) => (aAnswered = r));
    const { c } = collector([a, b], {
      fetch: async (inst) => {
        if (inst.id === 'b') await heldB;
        else aAnswered();
        return fakeStats(1);
      },
    });
    const tick = c.tick();
    await answeredA;
    while (a.stats === null) await Promise.resolve(); // a's reply has been taken in
    a.transition('stopping');
    releaseB();
    expect((await tick).miners.map((m) => m.id)).toEqual(['b']);
  });

  it('shows fresh thread rates from a cheap poll, and none from a detailed poll that had none', async () => {
    const a = running('a');
    const replies = [withThreads(1, [5, 6]), withThreads(1, [7]), withThreads(1, [])];
    const { c } = collector([a], { detailEvery: 2, fetch: async () => replies.shift()! });
    await c.tick(); // detailed (first)
    await c.tick(); // cheap, with its own threads
    expect(a.stats?.threads).toEqual([7]);
    await c.tick(); // detailed, without threads
    expect(a.stats?.threads).toEqual([]);
  });

  it('does not pin the error of a replaced process on its successor', async () => {
    const a = running('a');
    let fail!: (e: Error) => void;
    const { c, errors } = collector([a], {
      fetch: () => new Promise<MinerStats>((_resolve, reject) => (fail = reject)),
    });
    const tick = c.tick();
    a.generation = 2; // replaced while the request was out; the new process is running
    fail(new Error('connection refused'));
    await tick;
    expect([a.statsError, errors]).toEqual([null, []]);
  });

  it('words an AbortError like a timeout, and works without an error listener', async () => {
    const a = running('a');
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const { c, errors } = collector([a], { fetch: async () => Promise.reject(abort) });
    await c.tick();
    expect(errors).toEqual(['a: Miner API did not answer within 500 ms']);
    const quiet = new StatsCollector({
      intervalMs: 1000,
      timeoutMs: 500,
      clock: { ...realClock, now: () => 1 },
      targets: () => [a],
      fetch: async () => Promise.reject(new Error('other')),
      onBatch: () => undefined,
    });
    await expect(quiet.tick()).resolves.toEqual({ at: 1, miners: [] });
    expect(a.statsError).toBe('other');
  });

  it("keeps a new process single-flight when the old process's request finishes late", async () => {
    const a = running('a');
    const releases: (() => void)[] = [];
    let calls = 0;
    const { c } = collector([a], {
      fetch: async (inst) => {
        calls++;
        const generation = inst.generation;
        await new Promise<void>((r) => releases.push(r));
        return fakeStats(generation);
      },
    });
    const first = c.tick(); // generation 1 in flight
    a.generation = 2;
    const second = c.tick(); // generation 2 in flight
    releases[0]!(); // the old request ends
    await first;
    await c.tick(); // must not start another request for generation 2
    expect(calls).toBe(2);
    releases[1]!();
    await second;
  });
});

describe('StatsCollector timer', () => {
  it('ticks every interval once started, once per start, until stopped', async () => {
    vi.useFakeTimers();
    const a = running('a');
    const { c, calls } = collector([a]);
    c.start();
    c.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toHaveLength(3);
    c.stop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toHaveLength(3);
  });

  it('applies a new interval at once when running, and on the next start when stopped', async () => {
    vi.useFakeTimers();
    const { c, calls } = collector([running('a')]);
    c.setInterval(250);
    expect(c.interval).toBe(250);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(0); // not started
    c.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(4);
    c.setInterval(500);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(6);
    c.stop();
  });
});

describe('StatsCollector: which miners, what each sample carries', () => {
  it('polls neither a miner whose API failed verification nor one that is not running (even with an API)', async () => {
    const failed = running('f');
    failed.apiState = 'failed';
    const stopping = running('s');
    stopping.transition('stopping');
    const verified: string[] = [];
    const { c, calls } = collector([failed, stopping, running('a')], {
      verify: async (i) => (verified.push(i.id), true),
    });
    await c.tick();
    expect(calls.map((x) => x.id)).toEqual(['a']);
    expect(verified).toEqual([]); // not even asked again once verification failed
  });

  it('an unverified API is polled only once verify() says it is the miner’s own; no verifier, no poll', async () => {
    const yes = running('yes');
    const no = running('no');
    for (const i of [yes, no]) i.apiState = 'pending';
    const { c, calls, errors } = collector([yes, no], { verify: async (i) => i.id === 'yes' });
    await c.tick();
    expect(calls.map((x) => x.id)).toEqual(['yes']);
    const { c: c2, calls: calls2, errors: errors2 } = collector([no]);
    await c2.tick();
    expect([calls2, errors2, errors, no.statsError]).toEqual([[], [], [], null]);
  });

  it('the tick reports the time of its first sample (now() only when there is none)', async () => {
    const a = running('a');
    const { c } = collector([a], { fetch: async () => ({ ...fakeStats(1), at: 123_456 }) });
    expect((await c.tick()).at).toBe(123_456);
  });

  it('a sample that shows the miner running clears who paused it; a paused one keeps the cause', async () => {
    const a = running('a');
    const replies = [
      { ...fakeStats(1), paused: true },
      { ...fakeStats(1), paused: false },
    ];
    const { c } = collector([a], { fetch: async () => replies.shift()! });
    a.pauseCause = { by: 'budget', detail: 'over 50 %' };
    await c.tick();
    expect([a.paused, a.pauseCause]).toEqual([true, { by: 'budget', detail: 'over 50 %' }]);
    await c.tick();
    expect([a.paused, a.pauseCause]).toEqual([false, null]);
  });

  it('samples usage of the running miners with a process, attaches it to their entries, survives its failure', async () => {
    const a = running('a');
    a.process = { pid: 4242 } as unknown as MinerProcess;
    const inproc = running('b'); // no OS process: nothing to measure
    const gone = running('c');
    gone.process = { pid: 4343 } as unknown as MinerProcess;
    gone.transition('stopping');
    const figure: CpuUsage = { machineCpuPercent: 12.5, logicalCores: 8, rssBytes: 1, processes: 1, at: 5 };
    const measured: string[][] = [];
    const { c } = collector([a, inproc, gone], {
      sampleUsage: async (list) => {
        measured.push(list.map((i) => i.id));
        for (const i of list) i.usage = figure;
      },
    });
    const batch = await c.tick();
    expect(measured).toEqual([['a']]);
    expect(batch.miners.map((m) => [m.id, m.stats.usage ?? null])).toEqual([
      ['a', figure],
      ['b', null],
    ]);
    const { c: c2 } = collector([a], { sampleUsage: async () => Promise.reject(new Error('no /proc')) });
    expect((await c2.tick()).miners.map((m) => m.id)).toEqual(['a']);
  });

  it('without a usage sampler a sample carries no usage figure at all', async () => {
    const a = running('a');
    a.usage = { machineCpuPercent: 1, logicalCores: 1, rssBytes: 1, processes: 1, at: 1 };
    const { c } = collector([a]);
    const batch = await c.tick();
    expect('usage' in batch.miners[0]!.stats).toBe(false);
  });

  it('many miners at once raise no MaxListenersExceeded warning on the shared deadline signal', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const miners = Array.from({ length: 24 }, (_, i) => running(`m${i}`));
      const { c } = collector(miners, {
        // like XMRig's adapter: two requests (summary + backends), each listening to the signal
        fetch: async (inst, signal) => {
          const listeners = [() => undefined, () => undefined];
          for (const l of listeners) signal.addEventListener('abort', l);
          await new Promise((r) => setImmediate(r));
          for (const l of listeners) signal.removeEventListener('abort', l);
          return fakeStats(inst.generation);
        },
      });
      expect((await c.tick()).miners).toHaveLength(24);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('StatsCollector: first-batch wait and state', () => {
  const recordingClock = (waits: number[]) => ({
    ...realClock,
    now: () => 77,
    sleep: (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      return realClock.sleep(ms, signal);
    },
  });

  it('the first batch waits a quarter of the interval, at most 250 ms, unless told otherwise', async () => {
    const waits: number[] = [];
    const { c } = collector([running('a')], { clock: recordingClock(waits), intervalMs: 400 });
    await c.tick();
    c.setInterval(4000);
    await c.tick();
    const { c: c2 } = collector([running('b')], { clock: recordingClock(waits), batchWaitMs: 30 });
    await c2.tick();
    expect(waits).toEqual([100, 250, 30]);
  });

  it('running says whether the timer is on', () => {
    const { c } = collector([]);
    expect(c.running).toBe(false);
    c.start();
    expect(c.running).toBe(true);
    c.stop();
    expect(c.running).toBe(false);
  });
});
