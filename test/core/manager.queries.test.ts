// The manager's read side and the control loop's hooks: history markers in a time window, the miners a
// resume at the next launch starts again, measured CPU per process generation, and the cheap demand check
// and snapshot annotations of the CPU budget and the pause rules. Scripted world, fake clock.
import { describe, expect, it } from 'vitest';
import type { CpuUsage, MinerSnapshot } from '../../src/shared/model';
import type { UsageSampler, UsageTarget } from '../../src/main/core/throttle/usage/sampler';
import { FakeClock } from '../../src/main/core/util/clock';
import { createSimulatedAdapter } from '../../src/main/core/miners/simulated/adapter';
import { FakeWorld, fakeStats, validStart } from '../support/fake-world';

const T0 = 1_700_000_000_000;

function setup(overrides: Parameters<FakeWorld['manager']>[0] = {}) {
  const clock = new FakeClock(T0);
  const world = new FakeWorld();
  const manager = world.manager({ clock, ...overrides });
  const states: MinerSnapshot[] = [];
  manager.on('state', (s) => states.push(s));
  return { clock, world, manager, states };
}

const usage = (at: number, machineCpuPercent: number): CpuUsage => ({
  machineCpuPercent,
  logicalCores: 8,
  rssBytes: 1 << 20,
  processes: 1,
  at,
});

/** A sampler whose answers the test scripts; it records what it was asked to measure. */
class ScriptedSampler {
  readonly cores = 8;
  readonly calls: UsageTarget[][] = [];
  next: (targets: readonly UsageTarget[]) => Promise<Map<string, CpuUsage | null>> = async () => new Map();
  sample(targets: readonly UsageTarget[]): Promise<Map<string, CpuUsage | null>> {
    this.calls.push(targets.map((t) => ({ key: t.key, pid: t.pid })));
    return this.next(targets);
  }
  asSampler(): UsageSampler {
    return this as unknown as UsageSampler;
  }
}

describe('history markers and the read side', () => {
  it('getEvents returns the markers inside [from, to] inclusive, oldest first, with their texts', async () => {
    const t = setup();
    await t.manager.start(validStart('Rig A'));
    await t.clock.advance(10_000);
    await t.manager.stop('rig-a');
    const started = { at: T0, kind: 'start', text: 'Rig A started' };
    const stopped = { at: T0 + 10_000, kind: 'stop', text: 'Rig A stopped' };
    expect(t.manager.getEvents('rig-a', T0, T0 + 10_000)).toEqual([started, stopped]);
    expect(t.manager.getEvents('rig-a', T0, T0)).toEqual([started]);
    expect(t.manager.getEvents('rig-a', T0 + 1, T0 + 10_000)).toEqual([stopped]);
    expect(t.manager.getEvents('rig-a', T0 + 10_000, T0 + 20_000)).toEqual([stopped]);
    expect(t.manager.getEvents('rig-a', T0 + 1, T0 + 9_999)).toEqual([]);
    expect(t.manager.getEvents('rig-a', T0 - 5, T0 - 1)).toEqual([]);
    expect(() => t.manager.getEvents('nope', T0, T0)).toThrow(/No miner with id "nope"/);
  });

  it('has, memorySince and the CPU history name the miner they were asked about', async () => {
    const t = setup();
    await t.clock.advance(5);
    await t.manager.start(validStart('a'));
    expect(t.manager.has('a')).toBe(true);
    expect(t.manager.has('b')).toBe(false);
    expect(t.manager.memorySince('a')).toBe(T0 + 5);
    expect(t.manager.getCpuHistory('a', 0, T0 + 10)).toEqual([]);
    expect(t.manager.cpuHistoryOf('a')).not.toBe(t.manager.historyOf('a'));
    expect(t.manager.cpuHistoryOf('a').add(T0 + 6, 12.5)).toBe(true);
    expect(t.manager.getCpuHistory('a', 0, T0 + 10)).toEqual([{ at: T0 + 6, value: 12.5 }]);
    expect(t.manager.getHistory('a', 0, T0 + 10)).toEqual([]);
  });

  it('intended lists exactly the miners the user wants running, with what starts them again', async () => {
    const t = setup();
    await t.manager.start({ ...validStart('a'), profileId: 'p1' });
    await t.manager.start(validStart('b', 'xmrig'));
    await t.manager.start(validStart('c'));
    await t.manager.stop('c');
    expect(t.manager.get('b').config).toMatchObject({ pool: 'stratum+tcp://127.0.0.1:3333' });
    expect(t.manager.intended()).toEqual([
      { id: 'a', name: 'a', minerType: 'simulated', profileId: 'p1', config: t.manager.get('a').config },
      { id: 'b', name: 'b', minerType: 'xmrig', profileId: null, config: t.manager.get('b').config },
    ]);
    await t.manager.stop('a');
    await t.manager.stop('b');
    expect(t.manager.intended()).toEqual([]);
  });
});

describe('measured CPU usage', () => {
  it('measures only running miners with a process, keyed by id and generation, and keeps the figure', async () => {
    const sampler = new ScriptedSampler();
    const t = setup({ usage: sampler.asSampler() });
    expect(t.manager.usageCores).toBe(8);
    await t.manager.start(validStart('a'));
    await t.manager.start(validStart('b'));
    await t.manager.stop('b');
    sampler.next = async () => new Map([['a#1', usage(T0 + 1, 25)]]);
    await t.manager.sampleUsage();
    expect(sampler.calls).toEqual([[{ key: 'a#1', pid: 1000 }]]);
    expect(t.manager.get('a').control?.usage).toEqual(usage(T0 + 1, 25));
    expect(t.manager.getCpuHistory('a', 0, T0 + 10)).toEqual([{ at: T0 + 1, value: 25 }]);

    // A new figure adds a point; a call without a figure for it keeps the last one.
    sampler.next = async () => new Map([['a#1', usage(T0 + 2, 30)]]);
    await t.manager.sampleUsage();
    sampler.next = async () => new Map();
    await t.manager.sampleUsage();
    expect(t.manager.get('a').control?.usage).toEqual(usage(T0 + 2, 30));
    expect(t.manager.getCpuHistory('a', 0, T0 + 10)).toEqual([
      { at: T0 + 1, value: 25 },
      { at: T0 + 2, value: 30 },
    ]);
    // The sampler saying "gone" (null) clears it and adds no point.
    sampler.next = async () => new Map([['a#1', null]]);
    await t.manager.sampleUsage();
    expect(t.manager.get('a').control?.usage).toBeNull();
    expect(t.manager.getCpuHistory('a', 0, T0 + 10)).toHaveLength(2);
  });

  it('asks the sampler nothing while no miner runs, and reads no cores without a sampler', async () => {
    const sampler = new ScriptedSampler();
    const t = setup({ usage: sampler.asSampler() });
    await t.manager.sampleUsage();
    await t.manager.start(validStart('a'));
    await t.manager.stop('a');
    await t.manager.sampleUsage();
    expect(sampler.calls).toEqual([]);

    const bare = setup();
    expect(bare.manager.usageCores).toBeNull();
    await bare.manager.start(validStart('a'));
    await bare.manager.sampleUsage();
    expect(bare.manager.get('a').control?.usage).toBeNull();
  });

  it('measures neither a miner still starting nor an in-process one (no process tree to read)', async () => {
    const sampler = new ScriptedSampler();
    const clock = new FakeClock(T0);
    const world = new FakeWorld({ readinessLine: 'ready' });
    const manager = world.manager({
      clock,
      usage: sampler.asSampler(),
      adapters: {
        simulated: createSimulatedAdapter({ warmupMs: 10 }),
        xmrig: world.adapter('xmrig'),
        ttminer: world.adapter('ttminer'),
      },
    });
    const starting = manager.start(validStart('x', 'xmrig'));
    await clock.advance(0);
    expect(manager.get('x').state).toBe('starting');
    expect(await manager.start(validStart('s'))).toMatchObject({ state: 'running', pid: null });
    await manager.sampleUsage();
    expect(sampler.calls).toEqual([]);
    world.processes[0]!.emitLine('ready');
    await starting;
    await manager.sampleUsage();
    expect(sampler.calls).toEqual([[{ key: 'x#1', pid: 1000 }]]);
    await manager.shutdown();
  });

  it('a process replaced while it was measured does not inherit the old figure', async () => {
    const sampler = new ScriptedSampler();
    const t = setup({ usage: sampler.asSampler() });
    await t.manager.start(validStart('a'));
    let answer!: () => void;
    sampler.next = (targets) =>
      new Promise((resolve) => {
        answer = () => resolve(new Map(targets.map((x) => [x.key, usage(T0 + 3, 40)])));
      });
    const measuring = t.manager.sampleUsage();
    await t.manager.restart('a');
    answer();
    await measuring;
    expect(t.manager.get('a')).toMatchObject({ generation: 2, control: { usage: null } });
    expect(t.manager.getCpuHistory('a', 0, T0 + 10)).toEqual([]);
  });

  it('the collector measures running miners on each tick when a sampler is given', async () => {
    const sampler = new ScriptedSampler();
    const t = setup({ usage: sampler.asSampler() });
    await t.manager.start(validStart('a'));
    sampler.next = async () => new Map([['a#1', usage(T0 + 1, 10)]]);
    await t.manager.tick();
    expect(sampler.calls).toEqual([[{ key: 'a#1', pid: 1000 }]]);
    expect(t.manager.get('a').control?.usage?.machineCpuPercent).toBe(10);
  });
});

describe('what the control loop looks after', () => {
  it('controlDemand: rules for a mine-anyway, a timed pause or a rule pause; budget for a budgeted miner', async () => {
    const t = setup();
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });
    await t.manager.start(validStart('a'));
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });

    t.manager.setControl('a', { mineAnywayUntil: T0 + 60_000 });
    expect(t.manager.controlDemand()).toEqual({ rules: true, budget: false });
    t.manager.setControl('a', { mineAnywayUntil: null, pausedUntil: T0 + 60_000 });
    expect(t.manager.controlDemand()).toEqual({ rules: true, budget: false });
    t.manager.setControl('a', { pausedUntil: null });
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });

    await t.manager.pause('a');
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });
    await t.manager.pause('a', { cause: { by: 'rule', rule: 'onBattery', detail: 'on battery' } });
    expect(t.manager.get('a').control?.pausedBy).toEqual({ by: 'user' });
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });
    await t.manager.resume('a');
    await t.manager.pause('a', { cause: { by: 'rule', rule: 'onBattery', detail: 'on battery' } });
    expect(t.manager.controlDemand()).toEqual({ rules: true, budget: false });
    await t.manager.resume('a', { by: 'rule' });
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });

    t.manager.setControl('a', {
      budget: { targetPercent: 50, threads: 2, duty: 1, stage: 'threads' },
    });
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: true });
    t.manager.setControl('a', { budget: null });
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });
  });

  it('controlDemand: a miner paused from its own console (no known cause) is no rule’s business', async () => {
    const world = new FakeWorld();
    const base = world.adapter('simulated');
    const simulated = {
      ...base,
      fetchStats: async () => ({ ...fakeStats(1), paused: true }),
    };
    const manager = world.manager({
      clock: new FakeClock(T0),
      adapters: { simulated, xmrig: world.adapter('xmrig'), ttminer: world.adapter('ttminer') },
    });
    await manager.start(validStart('a'));
    await manager.tick();
    expect(manager.get('a')).toMatchObject({ paused: true, control: { pausedBy: { by: 'user' } } });
    expect(manager.controlDemand()).toEqual({ rules: false, budget: false });
  });

  it('controlDemand: a miner with its own CPU budget needs the budget only while it runs', async () => {
    const t = setup();
    await t.manager.start({ ...validStart('a'), config: { cpuBudgetPercent: 40 } });
    await t.manager.start(validStart('b'));
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: true });
    await t.manager.stop('a');
    expect(t.manager.controlDemand()).toEqual({ rules: false, budget: false });
  });

  it('setControl annotates the snapshot and emits a state event only when something changed', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    t.states.length = 0;
    const hold = { targetPercent: 50, threads: 2, duty: 1, stage: 'threads' as const };

    t.manager.setControl('nope', { mineAnywayUntil: 1 }); // unknown: ignored, no throw
    t.manager.setControl('a', {}); // nothing given
    t.manager.setControl('a', { budget: null, mineAnywayUntil: null, pausedUntil: null }); // as it is
    expect(t.states).toEqual([]);

    t.manager.setControl('a', { budget: hold });
    expect(t.states.map((s) => s.control?.budget)).toEqual([hold]);
    t.manager.setControl('a', { budget: { ...hold } }); // equal by value
    expect(t.states).toHaveLength(1);

    t.manager.setControl('a', { mineAnywayUntil: T0 + 1 });
    expect(t.states.at(-1)).toMatchObject({
      control: { budget: hold, mineAnywayUntil: T0 + 1, pausedUntil: null },
    });
    t.manager.setControl('a', { mineAnywayUntil: T0 + 1 });
    expect(t.states).toHaveLength(2);

    t.manager.setControl('a', { pausedUntil: T0 + 2 });
    expect(t.states.at(-1)).toMatchObject({ control: { mineAnywayUntil: T0 + 1, pausedUntil: T0 + 2 } });
    t.manager.setControl('a', { pausedUntil: T0 + 2 });
    expect(t.states).toHaveLength(3);

    // Leaving a field out keeps it.
    t.manager.setControl('a', { budget: null });
    expect(t.states.at(-1)).toMatchObject({
      control: { budget: null, mineAnywayUntil: T0 + 1, pausedUntil: T0 + 2 },
    });
    expect(t.manager.get('a')).toMatchObject({
      control: { budget: null, mineAnywayUntil: T0 + 1, pausedUntil: T0 + 2 },
    });
  });

  it('applyKnobs sets the running process’s knobs (not the config), null when nothing has to change', async () => {
    const t = setup();
    await t.manager.start(validStart('a'));
    await t.manager.start(validStart('b'));
    await t.manager.stop('b');
    const target = { threads: 2, cpuMaxThreadsHint: 50, cpuPriority: null };
    expect(await t.manager.applyKnobs('b', target)).toBeNull();
    const applied = await t.manager.applyKnobs('a', target);
    expect(applied).toMatchObject({ by: 'budget', state: 'applied', target, requestedAt: T0, settledAt: T0 });
    expect(t.manager.get('a')).toMatchObject({ config: { threads: 0 }, control: { effective: target } });
    expect(await t.manager.applyKnobs('a', target)).toBeNull();
    await expect(t.manager.applyKnobs('nope', target)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('applyKnobs resolves once the miner confirmed the knobs it can read back', async () => {
    const world = new FakeWorld();
    const base = world.adapter('simulated');
    let reading = { threads: 4, priority: -1 };
    const simulated = {
      ...base,
      planThrottle: (ctx: Parameters<typeof base.planThrottle>[0]) => ({
        mode: 'live' as const,
        config: ctx.config,
        files: [],
        target: {
          threads: ctx.config.threads > 0 ? ctx.config.threads : null,
          cpuMaxThreadsHint: ctx.config.cpuMaxThreadsHint,
          cpuPriority: ctx.config.cpuPriority ?? null,
        },
      }),
      readKnobs: async () => reading,
    };
    const clock = new FakeClock(T0);
    const manager = world.manager({
      clock,
      adapters: { simulated, xmrig: world.adapter('xmrig'), ttminer: world.adapter('ttminer') },
    });
    await manager.start(validStart('a'));
    const applying = manager.applyKnobs('a', { threads: 2, cpuMaxThreadsHint: 50, cpuPriority: null });
    await clock.advance(0);
    expect(manager.get('a').control?.throttle).toMatchObject({ by: 'budget', state: 'pending' });
    reading = { threads: 2, priority: -1 };
    await clock.advance(500);
    const settled = await applying;
    expect(settled).toMatchObject({ by: 'budget', state: 'applied', settledAt: expect.any(Number) });
    expect(manager.get('a').control?.throttle).toMatchObject({ state: 'applied' });
  });
});
