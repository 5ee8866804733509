// Live knobs against a scripted host and adapter: what a user's change does to the saved config and the
// running process, what the CPU budget may touch (never the config), the pending -> applied | failed record
// and the words in the log, and when a read-back is abandoned. The integration tests use fake XMRig.
import { describe, expect, it, vi } from 'vitest';
import { LiveKnobs, type KnobHost } from '../../src/main/core/control/live-knobs';
import { MinerInstance } from '../../src/main/core/instance';
import type { AdapterIo, KnobReading, MinerAdapter, ThrottlePlan } from '../../src/main/core/miners/adapter';
import type { Clock } from '../../src/main/core/util/clock';
import type { KnobTarget } from '../../src/shared/model';
import type { MinerConfig } from '../../src/shared/schemas';

const BASE = { threads: 0, cpuMaxThreadsHint: 100 } as MinerConfig;

/** Time moves only when the code sleeps, so a confirmation deadline passes without waiting for it. */
function steppingClock(): Clock {
  let t = 1_000;
  return {
    now: () => t,
    sleep: async (ms) => void (t += ms),
    setTimeout: () => ({ cancel: () => {}, active: false }),
    setInterval: () => ({ cancel: () => {}, active: false }),
  };
}

function setup(
  options: {
    plan?: (config: MinerConfig) => Partial<ThrottlePlan>;
    readKnobs?: MinerAdapter['readKnobs'] | null;
    applyThrottle?: boolean;
  } = {},
) {
  const inst = new MinerInstance({
    id: 'a',
    name: 'A',
    minerType: 'xmrig',
    profileId: null,
    config: { ...BASE },
  });
  inst.state = 'running';
  inst.generation = 1;
  inst.api = { kind: 'http', host: '127.0.0.1', port: 1, token: 't' };
  inst.apiState = 'verified';
  inst.launch = {
    id: 'a',
    generation: 1,
    config: { ...BASE },
    workDir: '/w',
    binaryPath: '/b',
    apiPort: 1,
    apiToken: 't',
  };
  const planThrottle = vi.fn((ctx: { config: MinerConfig }, patch: Partial<MinerConfig>): ThrottlePlan => {
    const config = { ...ctx.config, ...patch };
    return {
      mode: 'live',
      config,
      files: [{ path: '/w/config.json', content: JSON.stringify(config) }],
      ...options.plan?.(config),
    };
  });
  const readKnobs = vi.fn<NonNullable<MinerAdapter['readKnobs']>>(
    // XMRig reads back priority -1 when none is set
    options.readKnobs ??
      (async (_api, target) => ({ threads: target.threads, priority: target.cpuPriority ?? -1 })),
  );
  const applyThrottle = vi.fn();
  const adapter = {
    planThrottle,
    ...(options.readKnobs === null ? {} : { readKnobs }),
    ...(options.applyThrottle ? { applyThrottle } : {}),
  } as unknown as MinerAdapter;
  const host = {
    adapter: () => adapter,
    io: {} as AdapterIo,
    clock: steppingClock(),
    apiTimeoutMs: 1_000,
    throttleConfirmMs: 5_000,
    throttleConfirmInitMs: 20_000,
    writeFile: vi.fn(async () => {}),
    note: vi.fn(),
    emitState: vi.fn(),
    record: vi.fn(),
  } satisfies KnobHost;
  return { inst, host, knobs: new LiveKnobs(host), planThrottle, readKnobs, applyThrottle };
}

const target = (threads: number | null, hint = 100, priority: number | null = null): KnobTarget => ({
  threads,
  cpuMaxThreadsHint: hint,
  cpuPriority: priority,
});

describe("a user's change", () => {
  it('changes nothing when every knob already has the asked value', async () => {
    const { inst, host, knobs, planThrottle } = setup();
    const step = await knobs.userChange(inst, { threads: 0, cpuMaxThreadsHint: 100 });
    expect(step).toEqual({ mode: 'unchanged', apply: null, confirm: null });
    expect(planThrottle).not.toHaveBeenCalled();
    expect(host.emitState).not.toHaveBeenCalled();
  });

  it("a new CPU budget is the controller's business: kept in the config, nothing in the process", async () => {
    const { inst, host, knobs, planThrottle } = setup();
    expect(await knobs.userChange(inst, { cpuBudgetPercent: 40 })).toEqual({
      mode: 'live',
      apply: null,
      confirm: null,
    });
    expect(inst.config.cpuBudgetPercent).toBe(40);
    expect(host.emitState).toHaveBeenCalledTimes(1);
    // the same budget again is no change; 0 means "no budget of its own"
    expect((await knobs.userChange(inst, { cpuBudgetPercent: 40 })).mode).toBe('unchanged');
    expect((await knobs.userChange(inst, { cpuBudgetPercent: 0 })).mode).toBe('live');
    expect(inst.config.cpuBudgetPercent).toBeUndefined();
    expect(planThrottle).not.toHaveBeenCalled();
  });

  it('only the knobs the patch names change (a missing priority or budget stays as it was)', async () => {
    const { inst, knobs } = setup();
    inst.config = { ...BASE, cpuPriority: 2, cpuBudgetPercent: 40 };
    await knobs.userChange(inst, { threads: 3 });
    expect(inst.config).toMatchObject({ threads: 3, cpuPriority: 2, cpuBudgetPercent: 40 });
  });

  it('a stopped miner keeps the change for its next start', async () => {
    const { inst, host, knobs, planThrottle } = setup();
    inst.state = 'stopped';
    expect((await knobs.userChange(inst, { threads: 2 })).mode).toBe('restart');
    expect(inst.config.threads).toBe(2);
    expect(host.emitState).toHaveBeenCalledTimes(1);
    expect(planThrottle).not.toHaveBeenCalled();
  });

  it('a change the miner can only take on restart is saved and said so', async () => {
    const { inst, host, knobs } = setup({ plan: () => ({ mode: 'restart', files: [] }) });
    expect((await knobs.userChange(inst, { cpuPriority: 4 })).mode).toBe('restart');
    expect(inst.config.cpuPriority).toBe(4);
    expect(host.note).toHaveBeenCalledWith(inst, 'throttle {"cpuPriority":4} (applies on restart)', 1);
    expect(host.writeFile).not.toHaveBeenCalled();
  });

  it('applied live: the file written, the config saved, pending until the miner confirms, in the history', async () => {
    const { inst, host, knobs } = setup({ plan: (config) => ({ target: target(config.threads) }) });
    const step = await knobs.userChange(inst, { threads: 2 });
    expect(host.writeFile).toHaveBeenCalledWith('/w/config.json', expect.stringContaining('"threads":2'));
    expect(inst.config.threads).toBe(2);
    expect(inst.launch?.config.threads).toBe(2);
    expect(step.apply).toMatchObject({
      id: 1,
      by: 'user',
      state: 'pending',
      target: target(2),
      requestedAt: 1_000,
      settledAt: null,
      message: null,
    });
    expect(step.confirm).toEqual({ apply: step.apply, generation: 1 });
    expect(inst.throttleApply).toBe(step.apply);
    expect(host.note).toHaveBeenCalledWith(
      inst,
      'throttle {"threads":2} (applied live, waiting for the miner to confirm)',
    );
    expect(host.record).toHaveBeenCalledWith(inst, 'throttle', 'A: throttle {"threads":2}');
    expect((await knobs.userChange(inst, { threads: 3 })).apply?.id).toBe(2);
  });

  it('a live change nothing can read back is applied at once, its target taken from the config', async () => {
    const { inst, host, knobs } = setup({
      readKnobs: null,
      plan: () => ({ message: 'hint replaces count' }),
    });
    const step = await knobs.userChange(inst, { threads: 2, cpuPriority: 3 });
    expect(step.apply).toMatchObject({
      state: 'applied',
      settledAt: 1_000,
      target: target(2, 100, 3),
      message: 'hint replaces count',
    });
    expect(step.confirm).toBeNull();
    expect(host.note).toHaveBeenCalledWith(inst, 'throttle {"threads":2,"cpuPriority":3} (applied live)');
    // automatic threads and no priority read as null, not 0 / undefined
    const auto = await knobs.userChange(inst, { threads: 0, cpuMaxThreadsHint: 50 });
    expect(auto.apply?.target).toEqual(target(null, 50, 3));
  });

  it('a target the adapter cannot read back is applied at once, not left pending', async () => {
    const { inst, knobs } = setup({
      readKnobs: null,
      plan: (config) => ({ target: target(config.threads) }),
    });
    const step = await knobs.userChange(inst, { threads: 2 });
    expect(step.apply).toMatchObject({ state: 'applied', target: target(2) });
    expect(step.confirm).toBeNull();
  });

  it("the plan is made over the user's own thread count, and its normalised patch is what is saved", async () => {
    const { inst, knobs, planThrottle } = setup({
      plan: (config) => ({ patch: { cpuMaxThreadsHint: config.cpuMaxThreadsHint, threads: 0 } }),
    });
    inst.config = { ...BASE, threads: 4 };
    inst.launch = { ...inst.launch!, config: { ...BASE, threads: 1 } }; // the budget holds one thread
    await knobs.userChange(inst, { cpuMaxThreadsHint: 50 });
    expect(planThrottle.mock.calls[0]![0].config.threads).toBe(4);
    expect(inst.config).toMatchObject({ threads: 0, cpuMaxThreadsHint: 50 });
  });

  it('an adapter that applies changes itself is handed the new config', async () => {
    const { inst, knobs, applyThrottle } = setup({ applyThrottle: true });
    await knobs.userChange(inst, { threads: 2 });
    expect(applyThrottle).toHaveBeenCalledWith(inst.api, expect.objectContaining({ threads: 2 }));
  });
});

describe("the CPU budget's change", () => {
  it('sets the running knobs only, with its own words and no history entry', async () => {
    const { inst, host, knobs, planThrottle } = setup({
      plan: (config) => ({
        target: target(config.threads || null, config.cpuMaxThreadsHint, config.cpuPriority ?? null),
      }),
    });
    const step = await knobs.budgetChange(inst, target(1, 100, 1));
    expect(planThrottle.mock.calls[0]![0].config).toMatchObject({ threads: 1, cpuPriority: 1 });
    expect(inst.config).toEqual(BASE);
    expect(inst.launch?.config.threads).toBe(1);
    expect(step?.apply).toMatchObject({ by: 'budget', state: 'pending' });
    expect(host.note).toHaveBeenCalledWith(
      inst,
      'CPU budget: 1 thread(s), priority 1 (applied live, waiting for the miner to confirm)',
    );
    expect(host.record).not.toHaveBeenCalled();
  });

  it('automatic threads and the default priority are named as such', async () => {
    const { inst, host, knobs } = setup();
    inst.launch = { ...inst.launch!, config: { ...BASE, threads: 2 } };
    await knobs.budgetChange(inst, target(null, 60, null));
    expect(inst.launch.config).toMatchObject({ threads: 0, cpuMaxThreadsHint: 60 });
    expect(inst.launch.config.cpuPriority).toBeUndefined();
    expect(host.note).toHaveBeenCalledWith(
      inst,
      'CPU budget: automatic thread(s), priority default (applied live)',
    );
  });

  it('does nothing to a miner that is not running, has not launched, already has the knobs, or needs a restart', async () => {
    const stopped = setup();
    stopped.inst.state = 'stopping';
    expect(await stopped.knobs.budgetChange(stopped.inst, target(1))).toBeNull();
    const unlaunched = setup();
    unlaunched.inst.launch = null;
    expect(await unlaunched.knobs.budgetChange(unlaunched.inst, target(1))).toBeNull();
    const same = setup();
    expect(await same.knobs.budgetChange(same.inst, target(null, 100, null))).toBeNull();
    const restart = setup({ plan: () => ({ mode: 'restart' }) });
    expect(await restart.knobs.budgetChange(restart.inst, target(1))).toBeNull();
    for (const s of [stopped, unlaunched, same, restart]) expect(s.host.writeFile).not.toHaveBeenCalled();
    expect(stopped.planThrottle).not.toHaveBeenCalled();
    expect(same.planThrottle).not.toHaveBeenCalled();
  });
});

describe('confirming a live change', () => {
  async function pending(options: Parameters<typeof setup>[0] = {}) {
    const s = setup({ plan: (config) => ({ target: target(config.threads) }), ...options });
    const step = await s.knobs.userChange(s.inst, { threads: 2 });
    return { ...s, job: step.confirm! };
  }

  it('records applied once the miner reads back the target', async () => {
    const { inst, host, knobs, job, readKnobs } = await pending();
    const settled = await knobs.confirm(inst, job);
    expect(settled).toMatchObject({ id: 1, state: 'applied', settledAt: 1_000 });
    expect(inst.throttleApply).toEqual(settled);
    expect(readKnobs).toHaveBeenCalledWith(inst.api, target(2), expect.any(AbortSignal), host.io);
    expect(host.note).not.toHaveBeenCalledWith(inst, expect.stringContaining('not confirmed'), 1);
  });

  it('records failed with the reason when the miner never shows it, and says so in the log', async () => {
    const { inst, host, knobs, job } = await pending({
      readKnobs: async (): Promise<KnobReading> => ({ threads: 4, priority: null }),
    });
    const settled = await knobs.confirm(inst, job);
    expect(settled).toMatchObject({ state: 'failed', message: expect.stringContaining('did not confirm') });
    expect(settled.settledAt).toBeGreaterThanOrEqual(6_000);
    expect(host.note).toHaveBeenCalledWith(inst, `throttle not confirmed: ${settled.message}`, 1);
    expect(host.emitState).toHaveBeenLastCalledWith(inst);
  });

  it('never sends a read to a port not yet known to be the miner’s', async () => {
    const { inst, knobs, job, readKnobs } = await pending();
    inst.apiState = 'pending';
    const settled = await knobs.confirm(inst, job);
    expect(readKnobs).not.toHaveBeenCalled();
    expect(settled).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('has not opened its API yet'),
    });
  });

  it('is abandoned, leaving the record alone, when a newer change, a restart or a lost API replaces it', async () => {
    for (const replace of [
      (i: MinerInstance) => void (i.generation = 2),
      (i: MinerInstance) => void (i.throttleApply = { ...i.throttleApply!, id: 99 }),
      (i: MinerInstance) => void (i.apiState = 'failed'),
      (i: MinerInstance) => void (i.api = null),
      (i: MinerInstance) => void (i.throttleApply = null),
    ]) {
      const { inst, knobs, job } = await pending({
        readKnobs: async () => {
          replace(inst);
          return { threads: 4, priority: null };
        },
      });
      const result = await knobs.confirm(inst, job);
      expect(result).toMatchObject({
        state: 'pending',
        message: 'Replaced by a newer change (or a restart) before the miner confirmed it',
      });
      expect(inst.throttleApply?.state ?? 'pending').toBe('pending');
    }
  });

  it('without an API or a way to read back, the change stays as it was recorded', async () => {
    const noApi = await pending();
    noApi.inst.api = null;
    expect(await noApi.knobs.confirm(noApi.inst, noApi.job)).toBe(noApi.job.apply);
    expect(noApi.readKnobs).not.toHaveBeenCalled();
  });
});
