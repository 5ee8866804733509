// One miner instance's state machine: the legal transitions (anything else throws), which states count
// as live (holding the name), and the snapshot the UI sees.
import { describe, expect, it } from 'vitest';
import { MinerInstance } from '../../src/main/core/instance';
import type { MinerState } from '../../src/shared/model';
import { FakeProcess, immediate } from '../support/fake-world';

const STATES: MinerState[] = [
  'stopped',
  'starting',
  'running',
  'stopping',
  'crashed',
  'errored',
  'backoff',
  'crash-loop',
];
// Written out here, not imported: a change to the table must be a deliberate change to this test too.
// An exit before the miner is ready is a failed start (errored), never a crash of a running miner.
const LEGAL: Record<MinerState, MinerState[]> = {
  stopped: ['starting'],
  crashed: ['starting', 'backoff', 'crash-loop'],
  errored: ['starting', 'backoff', 'crash-loop'],
  backoff: ['starting', 'stopped', 'crash-loop'],
  'crash-loop': ['starting', 'stopped'],
  starting: ['running', 'errored', 'stopping'],
  running: ['stopping', 'crashed'],
  stopping: ['stopped', 'backoff', 'crash-loop'],
};

function instanceIn(state: MinerState): MinerInstance {
  const inst = new MinerInstance({
    id: 'a',
    name: 'A',
    minerType: 'xmrig',
    profileId: 'p',
    config: {} as never,
  });
  inst.state = state;
  return inst;
}

describe('MinerInstance', () => {
  it('allows exactly the lifecycle transitions and throws on any other', () => {
    for (const from of STATES) {
      for (const to of STATES) {
        const inst = instanceIn(from);
        if (LEGAL[from].includes(to)) {
          inst.transition(to, 'why');
          expect([inst.state, inst.reason]).toEqual([to, 'why']);
        } else {
          expect(() => inst.transition(to), `${from} -> ${to}`).toThrow(
            `illegal miner transition ${from} -> ${to} (a)`,
          );
          expect(inst.state).toBe(from);
        }
      }
    }
  });

  it('clears the reason on a transition without one', () => {
    const inst = instanceIn('starting');
    inst.transition('errored', 'bad config');
    inst.transition('starting');
    expect(inst.reason).toBeNull();
  });

  it('counts starting, running and stopping as live', () => {
    expect(STATES.filter((s) => instanceIn(s).isLive)).toEqual(['starting', 'running', 'stopping']);
  });

  it('snapshots its fields, with the pid of its current process or null', () => {
    const inst = instanceIn('running');
    expect(inst.snapshot()).toMatchObject({
      id: 'a',
      name: 'A',
      minerType: 'xmrig',
      profileId: 'p',
      state: 'running',
      generation: 0,
      pid: null,
      paused: false,
      stats: null,
      apiError: null,
      lastExit: null,
      version: null,
    });
    inst.process = new FakeProcess(4321, '/w', immediate);
    expect(inst.snapshot().pid).toBe(4321);
  });

  it('keeps a bounded log and history of its own', () => {
    const inst = new MinerInstance({
      id: 'b',
      name: 'B',
      minerType: 'simulated',
      profileId: null,
      config: {} as never,
      logLines: 2,
    });
    for (const t of ['1', '2', '3']) inst.logs.push('stdout', t, 1);
    expect(inst.logs.since(0).map((l) => l.text)).toEqual(['2', '3']);
  });

  it('a snapshot carries a binary id and supervision only when there are some', () => {
    const inst = instanceIn('running');
    const bare = inst.snapshot();
    expect(bare).not.toHaveProperty('binaryId');
    expect(bare).not.toHaveProperty('supervision');
    expect(bare.control).toMatchObject({ pauseKind: 'api', pausedBy: null });
    inst.binaryId = 'xmrig-6.26.0';
    inst.supervisionOf = () => ({ restarts: 1 }) as never;
    expect(inst.snapshot()).toMatchObject({ binaryId: 'xmrig-6.26.0', supervision: { restarts: 1 } });
  });

  it('a pause with no recorded cause reads as the user (someone typed p in the console)', () => {
    const inst = instanceIn('running');
    inst.paused = true;
    expect(inst.snapshot().control?.pausedBy).toEqual({ by: 'user' });
  });

  it('cancelling calls off what is in flight with an AbortError naming the reason, not what comes after', () => {
    const inst = instanceIn('running');
    const op = inst.beginOperation(60_000);
    inst.cancelOperations('the miner is being stopped');
    expect(op.cancelled()).toBe(true);
    expect(op.signal.reason).toMatchObject({ name: 'AbortError', message: 'the miner is being stopped' });
    expect(inst.beginOperation(60_000).cancelled()).toBe(false);
  });

  it("its raw history keeps the whole window at the miner's fastest sample rate (250 ms unless told)", () => {
    const fast = new MinerInstance({
      id: 'f',
      name: 'F',
      minerType: 'simulated',
      profileId: null,
      config: {} as never,
      minSampleIntervalMs: 100,
    });
    // five minutes of raw points: 300 000 ms / interval, plus one
    expect([fast.history.raw.capacity, fast.cpuHistory.raw.capacity]).toEqual([3001, 3001]);
    const usual = instanceIn('stopped');
    expect([usual.history.raw.capacity, usual.cpuHistory.raw.capacity]).toEqual([1201, 1201]);
  });
});
