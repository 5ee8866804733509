// Pins how the real manager handles misbehaving XMRig processes: a crash after start, a config error at
// start, a SIGTERM-ignoring miner with a grandchild, an output flood and over-long lines.
import { describe, expect, it } from 'vitest';
import type { LogLine, MinerSnapshot } from '../../src/shared/model';
import { MinerError } from '../../src/shared/errors';
import {
  DEFAULT_OPTIONS,
  grandchildPid,
  isAlive,
  harnessPerTest,
  tickUntil,
  waitFor,
  xmrigRequest,
} from './helpers';

const harness = harnessPerTest();

// no share or speed lines, so the crash line is surely the last thing the process prints
const QUIET = { FAKE_SHARE_MS: '0', FAKE_XMRIG_PRINT_MS: '0' };

describe('xmrig process faults', () => {
  it('a miner that dies 800 ms after starting is crashed, with the exit code and its last line', async () => {
    const h = await harness();
    const { manager } = h;
    const states: MinerSnapshot[] = [];
    manager.on('state', (s) => states.push(s));
    const bin = await h.fakeBinary('xmrig-crash', 'xmrig', {
      ...QUIET,
      FAKE_CRASH_AFTER_MS: '800',
      FAKE_CRASH_CODE: '3',
    });
    const started = await manager.start(xmrigRequest('crash', bin));
    expect(started.state).toBe('running');

    await waitFor(() => manager.get('crash').state === 'crashed', 'the crash', 5000);
    const snap = manager.get('crash');
    expect(snap.reason).toContain('exited with code 3');
    expect(snap.reason).toContain('thread #0 crashed: illegal instruction');
    expect(snap.pid).toBeNull();
    expect(snap.lastExit).toMatchObject({ code: 3, signal: null });
    expect(isAlive(started.pid!)).toBe(false);
    const crashedEvent = states.find((s) => s.state === 'crashed');
    expect(crashedEvent).toBeDefined();
    expect(crashedEvent!.reason).toBe(snap.reason);
    expect(crashedEvent!.generation).toBe(started.generation);

    // a crashed miner is not polled and can be started again under the same name
    expect((await manager.tick()).miners).toHaveLength(0);
    const again = await manager.start(xmrigRequest('crash', bin));
    expect(again).toMatchObject({ state: 'running', generation: started.generation + 1 });
  });

  it('a miner killed by a signal is crashed with the signal in the reason', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-segv', 'xmrig', {
      ...QUIET,
      FAKE_CRASH_AFTER_MS: '700',
      FAKE_CRASH_SIGNAL: 'SIGSEGV',
    });
    await manager.start(xmrigRequest('segv', bin));
    await waitFor(() => manager.get('segv').state === 'crashed', 'the crash', 5000);
    expect(manager.get('segv').reason).toContain('killed by SIGSEGV');
    expect(manager.get('segv').lastExit).toMatchObject({ signal: 'SIGSEGV' });
  });

  it('a config error (exit 2 at once) rejects start with SPAWN_FAILED and leaves the miner errored', async () => {
    // The fake exits before it opens its API: a failed start however long node takes to boot.
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-cfg', 'xmrig', { FAKE_CONFIG_ERROR: '1' });
    const err = await manager.start(xmrigRequest('cfg', bin)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MinerError);
    expect((err as MinerError).code).toBe('SPAWN_FAILED');
    expect((err as MinerError).message).toContain('exited with code 2');
    expect((err as MinerError).message).toContain('no valid configuration found');
    const snap = manager.get('cfg');
    expect(snap.state).toBe('errored');
    expect(snap.pid).toBeNull();
    expect(snap.reason).toContain('no valid configuration');
    expect(snap.lastExit).toMatchObject({ code: 2 });
    expect((await manager.tick()).miners).toHaveLength(0);
  });

  it('stopping a SIGTERM-ignoring miner waits stopTimeoutMs, then SIGKILLs it and its grandchild', async () => {
    const h = await harness();
    const { manager } = h;
    const bin = await h.fakeBinary('xmrig-stubborn', 'xmrig', {
      FAKE_IGNORE_SIGTERM: '1',
      FAKE_SPAWN_CHILD: '1',
    });
    const started = await manager.start(xmrigRequest('stubborn', bin));
    await waitFor(() => grandchildPid(manager, 'stubborn') !== null, 'the child pid line', 5000);
    const child = grandchildPid(manager, 'stubborn')!;
    expect(isAlive(started.pid!)).toBe(true);
    expect(isAlive(child)).toBe(true);

    const t0 = Date.now();
    const stopped = await manager.stop('stubborn');
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(DEFAULT_OPTIONS.stopTimeoutMs - 20);
    expect(took).toBeLessThan(DEFAULT_OPTIONS.stopTimeoutMs * 2 + 1500);
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastExit).toMatchObject({ signal: 'SIGKILL' });
    const logs = manager.getLogs('stubborn').map((l) => l.text);
    expect(logs.some((t) => t.includes('SIGTERM received, exiting'))).toBe(true);
    expect(logs.some((t) => t.includes('killing the process tree'))).toBe(true);
    expect(isAlive(started.pid!)).toBe(false);
    await waitFor(() => !isAlive(child), `grandchild ${child} to die`, 3000);
  });

  it('an output flood keeps at most 1000 lines, log events stay bounded, ticks stay fast', async () => {
    const h = await harness();
    const { manager } = h;
    const batches: LogLine[][] = [];
    manager.on('log', (b) => batches.push(b.lines));
    const bin = await h.fakeBinary('xmrig-flood', 'xmrig', {
      ...QUIET,
      FAKE_FLOOD: '1',
      FAKE_FLOOD_LINES: '400000',
    });
    // event-loop lag while ~40 MB of lines pour in
    let maxLag = 0;
    let last = Date.now();
    const probe = setInterval(() => {
      maxLag = Math.max(maxLag, Date.now() - last - 20);
      last = Date.now();
    }, 20);
    try {
      await manager.start(xmrigRequest('flood', bin));
      const done = () => manager.getLogs('flood').some((l) => l.text.includes('(flood 400000/400000)'));
      // stats ticks while the flood runs (it lasts about a second here) complete in bounded time
      let ticks = 0;
      while (!done() || ticks < 2) {
        const t0 = Date.now();
        await manager.tick();
        expect(Date.now() - t0).toBeLessThan(DEFAULT_OPTIONS.statsTimeoutMs + 1000);
        ticks++;
        if (ticks > 200) throw new Error('the flood did not end within 200 ticks');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      clearInterval(probe);
    }
    expect(maxLag).toBeLessThan(2000);
    // (the very first ticks may come before the API listens; by now it answers)
    await tickUntil(manager, 'flood', (s) => s.stats !== null, 'stats after the flood', 3000, 50);

    const logs = manager.getLogs('flood');
    expect(logs.length).toBe(1000);
    // the ring keeps the newest lines, in order, including the flood's last line
    const seqs = logs.map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(logs.some((l) => l.text.includes('(flood 400000/400000)'))).toBe(true);
    expect(logs.at(-1)!.seq).toBeGreaterThan(400_000);
    // the pending queue of log events never grows past what the buffer keeps
    expect(batches.length).toBeGreaterThan(0);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(1000);
    expect(manager.get('flood')).toMatchObject({ state: 'running', apiError: null });
  });

  it('clips over-long output lines to 2000 characters (plus an ellipsis)', async () => {
    const h = await harness();
    const { manager } = h;
    // one 50 000-character line without a break, and one of 3000 characters, before the fake starts
    const preamble = "process.stdout.write('A'.repeat(50000) + '\\n' + 'B'.repeat(3000) + '\\n');";
    const bin = await h.fakeBinary('xmrig-long', 'xmrig', QUIET, preamble);
    await manager.start(xmrigRequest('long', bin));
    await waitFor(() => manager.getLogs('long').some((l) => l.text.startsWith('B')), 'the long lines', 5000);
    const logs = manager.getLogs('long');
    expect(Math.max(...logs.map((l) => l.text.length))).toBeLessThanOrEqual(2001);
    const a = logs.filter((l) => l.text.startsWith('A'));
    expect(a.length).toBeGreaterThanOrEqual(1);
    expect(a.every((l) => l.text.length === 2001 && l.text.endsWith('…'))).toBe(true);
    const b = logs.find((l) => l.text.startsWith('B'))!;
    expect(b.text).toBe(`${'B'.repeat(2000)}…`);
    expect(manager.get('long').state).toBe('running');
  });
});
