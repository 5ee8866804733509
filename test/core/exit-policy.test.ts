// The lifecycle's pure rules: what an exit means in each state, how readiness is known per adapter, and the
// exact words a user reads for a failed start, a crash and a miner that daemonised.
import { describe, expect, it } from 'vitest';
import {
  classifyExit,
  crashReason,
  describeExit,
  describeStrays,
  launchFailureReason,
  readinessOf,
} from '../../src/main/core/lifecycle/exit-policy';
import type { MinerAdapter } from '../../src/main/core/miners/adapter';
import type { ExitInfo, MinerState } from '../../src/shared/model';

const exit = (over: Partial<ExitInfo> = {}): ExitInfo => ({ code: 1, signal: null, at: 0, ...over });

describe('classifyExit', () => {
  it('ignores any exit of a replaced process, whatever the state', () => {
    const states: MinerState[] = ['starting', 'running', 'stopping', 'stopped', 'crashed', 'errored'];
    for (const state of states) expect(classifyExit(false, state)).toBe('stale');
  });

  it('an exit before readiness is a failed start, after it a crash, during a stop part of the stop', () => {
    expect(classifyExit(true, 'starting')).toBe('launch-failed');
    expect(classifyExit(true, 'running')).toBe('crash');
    expect(classifyExit(true, 'stopping')).toBe('stopping');
    expect(classifyExit(true, 'stopped')).toBe('stopping');
  });
});

describe('readinessOf', () => {
  const inProcess: NonNullable<MinerAdapter['startInProcess']> = () => {
    throw new Error('never started here');
  };

  it('in-process miners and adapters with nothing to check are ready once spawned', () => {
    expect(readinessOf({ startInProcess: inProcess, apiCheck: 'log' })).toBe('spawned');
    expect(readinessOf({ apiCheck: 'none' })).toBe('spawned');
  });

  it('XMRig is ready on its bind line, TT-Miner when the OS says it owns its port', () => {
    expect(readinessOf({ apiCheck: 'log' })).toBe('bind-line');
    expect(readinessOf({ apiCheck: 'owner' })).toBe('port-owner');
  });
});

describe('exit wording', () => {
  it('names the signal, else the code, else says the code is unknown', () => {
    expect(describeExit(exit({ signal: 'SIGKILL', code: 137 }))).toBe('killed by SIGKILL');
    expect(describeExit(exit({ code: 3 }))).toBe('exited with code 3');
    expect(describeExit(exit({ code: null }))).toBe('exited with code unknown');
  });

  it('says nothing about strays when there were none, and names every pid when there were', () => {
    expect(describeStrays(exit())).toBeNull();
    expect(describeStrays(exit({ strays: [] }))).toBeNull();
    expect(describeStrays(exit({ strays: [41, 42] }))).toBe(
      'the miner had left its process group (daemonised): HashDeck found and killed 2 process(es) it left behind (pid 41, 42)',
    );
  });

  it('a failed start quotes the last line the miner printed, or only the exit when it printed none', () => {
    expect(launchFailureReason('cpu', exit({ code: 1 }), ['first', '[config] pool unreachable'])).toBe(
      'cpu exited with code 1 during start-up: [config] pool unreachable',
    );
    expect(launchFailureReason('cpu', exit({ code: 1 }), [])).toBe('cpu exited with code 1 during start-up');
  });

  it('a failed start of a miner that daemonised says so instead of quoting its output', () => {
    expect(launchFailureReason('cpu', exit({ code: 0, strays: [7] }), ['forked'])).toBe(
      'cpu exited with code 0 during start-up: the miner had left its process group (daemonised): ' +
        'HashDeck found and killed 1 process(es) it left behind (pid 7)',
    );
  });

  it('a crash quotes the line the miner printed last, if any', () => {
    expect(crashReason('gpu', exit({ signal: 'SIGSEGV' }), 'CUDA error')).toBe(
      'gpu killed by SIGSEGV: CUDA error',
    );
    expect(crashReason('gpu', exit({ code: 2 }), undefined)).toBe('gpu exited with code 2');
    expect(crashReason('gpu', exit({ code: 2 }), '')).toBe('gpu exited with code 2');
  });
});
