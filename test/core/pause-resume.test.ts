// Pause and resume of one miner against a scripted host: who may undo whose pause (user > rule > budget),
// the errors a user reads when a miner cannot be paused yet, what a stop does to a call in flight, and
// TT-Miner's pause by stopping. The integration tests drive the same code with real fake miners.
import { describe, expect, it, vi } from 'vitest';
import { byWhom, pauseResume, type PauseHost } from '../../src/main/core/control/pause-resume';
import { MinerInstance, type Startup } from '../../src/main/core/instance';
import type { AdapterIo, MinerAdapter } from '../../src/main/core/miners/adapter';
import type { ProcessLifecycle } from '../../src/main/core/lifecycle/process-lifecycle';
import type { MinerConfig } from '../../src/shared/schemas';
import type { MinerStats, PauseCause } from '../../src/shared/model';
import { fakeStats } from '../support/fake-world';

const USER: PauseCause = { by: 'user' };
const RULE: PauseCause = { by: 'rule', rule: 'onBattery', detail: 'on battery' };
const OTHER_RULE: PauseCause = { by: 'rule', rule: 'userActive', detail: 'the computer is in use' };
const BUDGET: PauseCause = { by: 'budget', detail: 'over 50 %' };

type Call = NonNullable<MinerAdapter['pause']>;

function setup(
  options: {
    pauseKind?: 'api' | 'stop';
    pause?: Call | null;
    resume?: Call | null;
  } = {},
) {
  const inst = new MinerInstance({
    id: 'a',
    name: 'A',
    minerType: options.pauseKind === 'stop' ? 'ttminer' : 'xmrig',
    profileId: null,
    config: {} as MinerConfig,
    pauseKind: options.pauseKind ?? 'api',
  });
  inst.state = 'running';
  inst.generation = 1;
  inst.api = { kind: 'http', host: '127.0.0.1', port: 1, token: 't' };
  inst.apiState = 'verified';
  const pause = vi.fn<Call>(options.pause === null ? undefined : (options.pause ?? (async () => undefined)));
  const resume = vi.fn<Call>(
    options.resume === null ? undefined : (options.resume ?? (async () => undefined)),
  );
  const adapter = {
    ...(options.pause === null ? {} : { pause }),
    ...(options.resume === null ? {} : { resume }),
  } as unknown as MinerAdapter;
  const startup: Startup = { generation: 2, outcome: Promise.resolve(inst.snapshot()) };
  const lifecycle = {
    stop: vi.fn(async (i: MinerInstance) => {
      i.state = 'stopped';
      i.process = null;
    }),
    launch: vi.fn(async () => startup),
  };
  const host = {
    adapter: () => adapter,
    io: {} as AdapterIo,
    apiTimeoutMs: 5_000,
    lifecycle: lifecycle as unknown as ProcessLifecycle,
    note: vi.fn(),
    emitState: vi.fn(),
    record: vi.fn(),
    deliberateStop: vi.fn(),
  } satisfies PauseHost;
  return { inst, host, pause, resume, lifecycle, startup };
}

describe('byWhom', () => {
  it('names a rule by its detail, the budget as the CPU budget, the user not at all', () => {
    expect(byWhom(RULE)).toBe(' (on battery)');
    expect(byWhom(BUDGET)).toBe(' (CPU budget: over 50 %)');
    expect(byWhom(USER)).toBe('');
  });
});

describe('pause through the miner API', () => {
  it('pauses, says who did it in the log and history, and keeps the threads the miner last reported', async () => {
    const sample: MinerStats = { ...fakeStats(1), paused: true, threads: [] };
    const { inst, host, pause } = setup({ pause: async () => sample });
    inst.stats = { ...fakeStats(1), threads: [5, null] };
    await pauseResume(host, inst, true, RULE, false);
    expect(pause).toHaveBeenCalledWith(inst.api, expect.any(AbortSignal), host.io, { confirm: true });
    expect(inst).toMatchObject({ paused: true, pauseCause: RULE });
    expect(inst.stats?.paused).toBe(true);
    expect(inst.stats?.threads).toEqual([5, null]);
    expect(host.note).toHaveBeenCalledWith(inst, 'paused (on battery)', 1);
    expect(host.record).toHaveBeenCalledWith(inst, 'pause', 'A paused (on battery)');
    expect(host.emitState).toHaveBeenCalledTimes(1);
  });

  it("takes the sample's threads when there were no stats yet, and marks stats paused without a sample", async () => {
    const sample: MinerStats = { ...fakeStats(1), paused: true, threads: [1] };
    const first = setup({ pause: async () => sample });
    await pauseResume(first.host, first.inst, true, USER, false);
    expect(first.inst.stats?.threads).toEqual([1]);

    const second = setup();
    second.inst.stats = fakeStats(1);
    await pauseResume(second.host, second.inst, true, USER, false);
    expect(second.inst.stats).toMatchObject({ paused: true, uptime: 1 });
  });

  it('a quiet call (the CPU budget) skips the read-back and tells nobody', async () => {
    const { inst, host, pause } = setup();
    await pauseResume(host, inst, true, BUDGET, true);
    expect(pause).toHaveBeenCalledWith(inst.api, expect.any(AbortSignal), host.io, { confirm: false });
    expect(inst.paused).toBe(true);
    expect(host.note).not.toHaveBeenCalled();
    expect(host.record).not.toHaveBeenCalled();
    expect(host.emitState).not.toHaveBeenCalled();
  });

  it('resumes with "resumed" and ends a timed pause', async () => {
    const { inst, host, resume } = setup();
    Object.assign(inst, { paused: true, pauseCause: USER, pausedUntil: 123 });
    await pauseResume(host, inst, false, USER, false);
    expect(resume).toHaveBeenCalledTimes(1);
    expect(inst).toMatchObject({ paused: false, pauseCause: null, pausedUntil: null });
    expect(host.note).toHaveBeenCalledWith(inst, 'resumed', 1);
    expect(host.record).toHaveBeenCalledWith(inst, 'resume', 'A resumed');
  });

  it('a pause keeps the end of a timed pause', async () => {
    const { inst, host } = setup();
    inst.pausedUntil = 999;
    await pauseResume(host, inst, true, USER, false);
    expect(inst.pausedUntil).toBe(999);
  });

  it('moves the pause epoch on before and after the call, so a sample taken across it is dropped', async () => {
    let during = -1;
    const { inst, host } = setup({
      pause: async () => {
        during = inst.pauseEpoch;
      },
    });
    await pauseResume(host, inst, true, USER, false);
    expect([during, inst.pauseEpoch]).toEqual([1, 2]);
  });

  it('a miner that crashed or was replaced during the call is not marked paused', async () => {
    const replaced = setup({ pause: async () => void (replaced.inst.generation = 2) });
    await pauseResume(replaced.host, replaced.inst, true, USER, false);
    expect(replaced.inst.paused).toBe(false);
    expect(replaced.inst.pauseEpoch).toBe(1); // the new generation's epoch is not moved by the old call
    expect(replaced.host.note).not.toHaveBeenCalled();

    const crashed = setup({ pause: async () => void (crashed.inst.state = 'crashed') });
    await pauseResume(crashed.host, crashed.inst, true, USER, false);
    expect(crashed.inst.paused).toBe(false);
    expect(crashed.host.emitState).not.toHaveBeenCalled();
  });
});

describe('who may undo whose pause', () => {
  it('a stronger or equal cause takes over an existing pause without calling the miner again', async () => {
    const { inst, host, pause } = setup();
    Object.assign(inst, { paused: true, pauseCause: RULE });
    await pauseResume(host, inst, true, OTHER_RULE, false); // equal rank: the newer rule is named
    expect(inst.pauseCause).toEqual(OTHER_RULE);
    expect(host.emitState).toHaveBeenCalledTimes(1);
    await pauseResume(host, inst, true, USER, true); // stronger, quietly
    expect(inst.pauseCause).toEqual(USER);
    expect(host.emitState).toHaveBeenCalledTimes(1);
    expect(pause).not.toHaveBeenCalled();
  });

  it('a weaker cause neither takes over nor undoes a pause, unless told to take it over', async () => {
    const { inst, host, resume } = setup();
    Object.assign(inst, { paused: true, pauseCause: USER });
    await pauseResume(host, inst, true, BUDGET, false);
    expect(inst.pauseCause).toEqual(USER);
    await pauseResume(host, inst, false, RULE, false);
    expect(inst).toMatchObject({ paused: true, pauseCause: USER });
    expect(resume).not.toHaveBeenCalled();
    await pauseResume(host, inst, true, RULE, false, true); // a timed user pause ending under a rule
    expect(inst.pauseCause).toEqual(RULE);
  });

  it('a paused miner with no recorded cause counts as paused by the user (the console)', async () => {
    const { inst, host, resume } = setup();
    inst.paused = true;
    await pauseResume(host, inst, false, RULE, false);
    expect(resume).not.toHaveBeenCalled();
    expect(inst.paused).toBe(true);
  });

  it('only the user resumes a miner that is not paused (it may have been paused from its console)', async () => {
    const { inst, host, resume } = setup();
    await pauseResume(host, inst, false, RULE, false);
    await pauseResume(host, inst, false, BUDGET, false);
    expect(resume).not.toHaveBeenCalled();
    await pauseResume(host, inst, false, USER, false);
    expect(resume).toHaveBeenCalledTimes(1);
  });
});

describe('when a miner cannot be paused', () => {
  it('refuses a miner that is not running, or running without an API', async () => {
    const starting = setup();
    starting.inst.state = 'starting';
    await expect(pauseResume(starting.host, starting.inst, true, USER, false)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'A is starting, not running',
    });
    const noApi = setup();
    noApi.inst.api = null;
    await expect(pauseResume(noApi.host, noApi.inst, true, USER, false)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'A is running, not running',
    });
    expect(starting.pause).not.toHaveBeenCalled();
  });

  it('says why the API cannot be used: failed this run (with the reason) or not open yet', async () => {
    const failed = setup();
    Object.assign(failed.inst, { apiState: 'failed', statsError: 'address already in use' });
    await expect(pauseResume(failed.host, failed.inst, true, USER, false)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'A has no API this run (address already in use); restart it',
    });
    failed.inst.statsError = null;
    await expect(pauseResume(failed.host, failed.inst, true, USER, false)).rejects.toThrow(
      'A has no API this run (its port was not its own); restart it',
    );
    const pending = setup();
    pending.inst.apiState = 'pending';
    await expect(pauseResume(pending.host, pending.inst, true, USER, false)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'A has not opened its API yet; try again in a moment',
    });
    expect(failed.pause).not.toHaveBeenCalled();
    expect(pending.pause).not.toHaveBeenCalled();
  });

  it('an adapter without the call is UNSUPPORTED, with what to do instead', async () => {
    const { inst, host } = setup({ pause: null });
    await expect(pauseResume(host, inst, true, USER, false)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: 'xmrig cannot be paused; stop it instead',
    });
  });

  it('a stop during the call calls it off (CANCELLED, naming the operation); other failures pass through', async () => {
    const held = setup({
      resume: (_api, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    Object.assign(held.inst, { paused: true, pauseCause: USER });
    const resuming = pauseResume(held.host, held.inst, false, USER, false);
    held.inst.cancelOperations('stopping');
    await expect(resuming).rejects.toMatchObject({
      code: 'CANCELLED',
      message: 'The resume of A was called off: the miner is being stopped',
    });
    expect(held.inst.paused).toBe(true);

    const pausing = setup({
      pause: (_api, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const called = pauseResume(pausing.host, pausing.inst, true, USER, false);
    pausing.inst.cancelOperations('stopping');
    await expect(called).rejects.toThrow('The pause of A was called off: the miner is being stopped');

    const boom = new Error('connection refused');
    const failing = setup({ pause: async () => Promise.reject(boom) });
    await expect(pauseResume(failing.host, failing.inst, true, USER, false)).rejects.toBe(boom);
  });
});

describe('TT-Miner: pause by stopping', () => {
  it('stops the miner deliberately, remembers the pause and says why it was stopped', async () => {
    const { inst, host, lifecycle } = setup({ pauseKind: 'stop' });
    await pauseResume(host, inst, true, RULE, false);
    expect(host.deliberateStop).toHaveBeenCalledWith(inst);
    expect(lifecycle.stop).toHaveBeenCalledWith(inst);
    expect(inst).toMatchObject({ intent: 'stop', paused: true, pauseCause: RULE, state: 'stopped' });
    const text = 'paused by stopping it: ttminer has no pause (on battery)';
    expect(host.note).toHaveBeenCalledWith(inst, text);
    expect(host.record).toHaveBeenCalledWith(inst, 'pause', `A ${text}`);
    expect(host.emitState).toHaveBeenCalledTimes(1);
  });

  it('refuses to pause a miner that is not running', async () => {
    const { inst, host, lifecycle } = setup({ pauseKind: 'stop' });
    inst.state = 'crashed';
    await expect(pauseResume(host, inst, true, USER, false)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'A is crashed, not running',
    });
    expect(lifecycle.stop).not.toHaveBeenCalled();
  });

  it('a stopped-paused miner is taken over by a stronger or equal cause, or when told to', async () => {
    const { inst, host, lifecycle } = setup({ pauseKind: 'stop' });
    Object.assign(inst, { state: 'stopped', paused: true, pauseCause: USER });
    await pauseResume(host, inst, true, RULE, false);
    expect(inst.pauseCause).toEqual(USER);
    expect(host.emitState).not.toHaveBeenCalled();
    await pauseResume(host, inst, true, RULE, false, true);
    expect(inst.pauseCause).toEqual(RULE);
    await pauseResume(host, inst, true, OTHER_RULE, false);
    expect(inst.pauseCause).toEqual(OTHER_RULE);
    expect(host.emitState).toHaveBeenCalledTimes(2);
    expect(lifecycle.stop).not.toHaveBeenCalled();
  });

  it('resumes by starting it again, for an equal or stronger cause only', async () => {
    const { inst, host, lifecycle, startup } = setup({ pauseKind: 'stop' });
    Object.assign(inst, { state: 'stopped', intent: 'stop', paused: true, pauseCause: RULE });
    expect(await pauseResume(host, inst, false, BUDGET, false)).toMatchObject({ id: 'a', paused: true });
    expect(lifecycle.launch).not.toHaveBeenCalled();
    expect(await pauseResume(host, inst, false, OTHER_RULE, false)).toBe(startup);
    expect(lifecycle.launch).toHaveBeenCalledWith(inst, 'user');
    expect(inst.intent).toBe('run');
    expect(host.record).toHaveBeenCalledWith(inst, 'resume', 'A resumed (started again)');
  });

  it('a resume of a miner that is not paused: nothing for a rule or a running miner, an error otherwise', async () => {
    const { inst, host, lifecycle } = setup({ pauseKind: 'stop' });
    expect(await pauseResume(host, inst, false, USER, false)).toMatchObject({ state: 'running' });
    inst.state = 'stopped';
    expect(await pauseResume(host, inst, false, RULE, false)).toMatchObject({ state: 'stopped' });
    await expect(pauseResume(host, inst, false, USER, false)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: 'A is stopped, not paused',
    });
    expect(lifecycle.launch).not.toHaveBeenCalled();
  });
});
