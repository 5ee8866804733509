// The control loop in process: a scripted manager (snapshots the test writes, every call recorded) and a
// fake clock, so each decision of the governor (who it governs, pauses, resumes, knobs, notices) is pinned.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CPU_BUDGET, DEFAULT_PAUSE_RULES, type PauseRulesSettings } from '../../src/shared/contract';
import type { CpuBudgetSettings } from '../../src/shared/contract';
import type { KnobTarget, MinerControl, MinerSnapshot, PauseCause } from '../../src/shared/model';
import { minerConfigObject } from '../../src/shared/schemas';
import type { MinerManager, PauseRequest, ResumeRequest } from '../../src/main/core/manager';
import {
  Governor,
  type GovernorOptions,
  type SystemObservation,
} from '../../src/main/core/throttle/governor';
import { FakeClock } from '../../src/main/core/util/clock';

type Call =
  | { op: 'pause'; id: string; request: PauseRequest }
  | { op: 'resume'; id: string; request: ResumeRequest | undefined }
  | { op: 'knobs'; id: string; target: KnobTarget }
  | { op: 'control'; id: string; patch: Record<string, unknown> }
  | { op: 'sample' };

function control(patch: Partial<MinerControl> = {}): MinerControl {
  return {
    pauseKind: 'api',
    pausedBy: null,
    throttle: null,
    effective: null,
    usage: null,
    budget: null,
    mineAnywayUntil: null,
    pausedUntil: null,
    ...patch,
  };
}

function miner(id: string, patch: Partial<MinerSnapshot> = {}): MinerSnapshot {
  return {
    id,
    name: `Miner ${id}`,
    minerType: 'xmrig',
    profileId: null,
    state: 'running',
    reason: null,
    generation: 1,
    pid: 1000,
    startedAt: 0,
    paused: false,
    config: minerConfigObject.parse({ threads: 4 }),
    stats: null,
    apiError: null,
    lastExit: null,
    version: null,
    control: control(),
    ...patch,
  };
}

/** A manager whose miners are plain snapshots; pause/resume change them like the real one would. */
class FakeManager {
  miners: MinerSnapshot[] = [];
  calls: Call[] = [];
  demand = { rules: false, budget: false };
  usageCores: number | null = 4;
  failPause: Error | null = null;
  /** Pending knob changes: resolve them to end the "applying" state. */
  knobs: { id: string; target: KnobTarget; settle: (ok: boolean) => void }[] = [];
  /** Held pause/resume operations (when set, pause/resume wait until released). */
  hold: (() => void)[] | null = null;
  onSample: (() => void) | null = null;

  controlDemand() {
    return this.demand;
  }
  list() {
    return this.miners.map((m) => structuredClone(m));
  }
  async sampleUsage() {
    this.calls.push({ op: 'sample' });
    this.onSample?.();
  }
  get(id: string) {
    return this.miners.find((m) => m.id === id)!;
  }
  setControl(id: string, patch: Record<string, unknown>) {
    this.calls.push({ op: 'control', id, patch });
    const m = this.get(id);
    m.control = { ...m.control!, ...patch };
  }
  private async gate() {
    if (this.hold) await new Promise<void>((r) => this.hold!.push(r));
  }
  async pause(id: string, request: PauseRequest = {}) {
    this.calls.push({ op: 'pause', id, request });
    await this.gate();
    if (this.failPause) throw this.failPause;
    const m = this.get(id);
    m.paused = true;
    m.control = { ...m.control!, pausedBy: request.cause ?? { by: 'user' } };
    return m;
  }
  async resume(id: string, request?: ResumeRequest) {
    this.calls.push({ op: 'resume', id, request });
    await this.gate();
    const m = this.get(id);
    m.paused = false;
    m.control = { ...m.control!, pausedBy: null };
    return m;
  }
  applyKnobs(id: string, target: KnobTarget) {
    this.calls.push({ op: 'knobs', id, target });
    return new Promise<null>((resolve, reject) => {
      this.knobs.push({ id, target, settle: (ok) => (ok ? resolve(null) : reject(new Error('no'))) });
    });
  }
  ops<K extends Call['op']>(op: K): Extract<Call, { op: K }>[] {
    return this.calls.filter((c): c is Extract<Call, { op: K }> => c.op === op);
  }
}

function rules(patch: Partial<PauseRulesSettings> = {}): PauseRulesSettings {
  return structuredClone({ ...DEFAULT_PAUSE_RULES, ...patch });
}

interface World {
  manager: FakeManager;
  clock: FakeClock;
  governor: Governor;
  notices: [string, string][];
  settings: { cpuBudget: CpuBudgetSettings; pauseRules: PauseRulesSettings };
  system: SystemObservation;
  programs: Set<string> | Error;
  programCalls: number;
  observeCalls: number;
  step: (ms?: number) => Promise<void>;
}

function world(options: Partial<GovernorOptions> = {}): World {
  const manager = new FakeManager();
  const clock = new FakeClock(1_000_000);
  const w = {
    manager,
    clock,
    notices: [] as [string, string][],
    settings: { cpuBudget: { ...DEFAULT_CPU_BUDGET }, pauseRules: rules() },
    system: { idleSeconds: 1000, onBattery: false } as SystemObservation,
    programs: new Set<string>() as Set<string> | Error,
    programCalls: 0,
    observeCalls: 0,
  } as World;
  w.governor = new Governor({
    manager: manager as unknown as MinerManager,
    settings: () => w.settings,
    observe: async () => {
      w.observeCalls++;
      return w.system;
    },
    programs: async () => {
      w.programCalls++;
      if (w.programs instanceof Error) throw w.programs;
      return w.programs;
    },
    localTime: () => ({ day: 1, minutes: 600 }),
    clock,
    notify: (level, message) => w.notices.push([level, message]),
    ...options,
  });
  w.step = async (ms = 1000) => {
    await clock.advance(ms);
    await w.governor.step();
    // let the ops' then/finally run
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return w;
}

const battery = () => rules({ onBattery: { enabled: true } });

describe('Governor: nothing to do', () => {
  it('builds no snapshot and samples nothing while no rule, no budget and no demand', async () => {
    const w = world();
    let listed = 0;
    const list = w.manager.list.bind(w.manager);
    w.manager.list = () => (listed++, list());
    w.manager.miners = [miner('a')];
    await w.step();
    expect(listed).toBe(0);
    expect(w.manager.calls).toEqual([]);
    expect(w.observeCalls).toBe(0);
  });

  it('rules demanded by a miner (a timed pause) run the rules but not the budget', async () => {
    const w = world();
    w.manager.demand = { rules: true, budget: false };
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.observeCalls).toBe(1);
    expect(w.manager.ops('sample')).toEqual([]);
  });

  it('a budget demanded by a miner samples usage but observes no system state', async () => {
    const w = world();
    w.manager.demand = { rules: false, budget: true };
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.observeCalls).toBe(0);
    expect(w.manager.ops('sample')).toHaveLength(1);
  });

  it('a processes rule without names is no rule at all', async () => {
    const w = world();
    w.settings.pauseRules = rules({ processes: { enabled: true, names: [] } });
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.observeCalls).toBe(0);
    w.settings.pauseRules = rules({ processes: { enabled: false, names: ['game'] } });
    await w.step();
    expect(w.observeCalls).toBe(0);
  });

  it.each([
    ['userActive', { userActive: { enabled: true, idleSeconds: 60 } }],
    ['onBattery', { onBattery: { enabled: true } }],
    ['schedule', { schedule: { enabled: true, windows: [] } }],
    ['processes', { processes: { enabled: true, names: ['game'] } }],
    ['gpuTemperature', { gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 60 } }],
  ] as const)('the %s rule alone turns the rules on', async (_name, patch) => {
    const w = world();
    w.settings.pauseRules = rules(patch as Partial<PauseRulesSettings>);
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.observeCalls).toBe(1);
    expect(w.manager.ops('sample')).toEqual([]);
  });
});

describe('Governor: pause rules', () => {
  it('pauses a running miner with the rule as cause, tells, and resumes it when the rule ends', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.manager.ops('pause')).toEqual([
      {
        op: 'pause',
        id: 'a',
        request: { cause: { by: 'rule', rule: 'onBattery', detail: 'running on battery' } },
      },
    ]);
    expect(w.notices).toEqual([['info', 'Miner a paused: running on battery']]);
    // still on battery: no second pause
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(1);
    w.system = { idleSeconds: 1000, onBattery: false };
    await w.step();
    expect(w.manager.ops('resume')).toEqual([{ op: 'resume', id: 'a', request: { by: 'rule' } }]);
    expect(w.notices[1]).toEqual(['info', 'Miner a resumed: running on battery no longer applies']);
    expect(w.manager.get('a').paused).toBe(false);
  });

  it.each([
    [
      'userActive',
      { userActive: { enabled: true, idleSeconds: 60 } },
      { idleSeconds: 5, onBattery: false },
      'using the computer',
    ],
    [
      'schedule',
      { schedule: { enabled: true, windows: [{ days: [1], start: '00:00', end: '01:00' }] } },
      null,
      'the schedule',
    ],
    ['processes', { processes: { enabled: true, names: ['Game.exe'] } }, null, 'a listed program'],
  ] as const)('names the %s rule when it no longer applies', async (_id, patch, sys, words) => {
    const w = world();
    w.settings.pauseRules = rules(patch as Partial<PauseRulesSettings>);
    if (sys) w.system = sys;
    w.programs = new Set(['game']);
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(1);
    w.settings.pauseRules = rules();
    w.manager.demand = { rules: true, budget: false };
    await w.step();
    expect(w.notices.at(-1)).toEqual(['info', `Miner a resumed: ${words} no longer applies`]);
  });

  it('a hot GPU pauses, and the notice names the GPU temperature when it resumes', async () => {
    const w = world();
    w.settings.pauseRules = rules({ gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 30 } });
    const stats = (temps: (number | null)[], at: number) =>
      ({
        at,
        threads: [],
        cpu: null,
        gpus: temps.map((t, index) => ({ index, hashrate: 1, temperature: t, fan: null, power: null })),
      }) as unknown as MinerSnapshot['stats'];
    // the hottest of the GPUs counts, unknown readings are skipped
    w.manager.miners = [miner('g', { minerType: 'ttminer', stats: stats([null, 85, 60], w.clock.now()) })];
    await w.step();
    expect(w.manager.ops('pause')[0]).toMatchObject({
      request: { cause: { by: 'rule', rule: 'gpuTemperature', detail: 'GPU at 85 °C (limit 80 °C)' } },
    });
    // a fresh reading still hot (above 70) keeps it paused; a cool fresh one resumes it
    w.manager.get('g').stats = stats([75], w.clock.now() + 1000);
    await w.step();
    expect(w.manager.ops('resume')).toEqual([]);
    w.manager.get('g').stats = stats([65, null], w.clock.now() + 1000);
    await w.step();
    expect(w.manager.ops('resume')).toHaveLength(1);
    expect(w.notices.at(-1)).toEqual(['info', 'Miner g resumed: the GPU temperature no longer applies']);
  });

  it('a stale GPU reading from before the pause does not count as cooled (cool-down instead)', async () => {
    const w = world();
    w.settings.pauseRules = rules({ gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 30 } });
    const hot = {
      at: w.clock.now(),
      threads: [],
      cpu: null,
      gpus: [{ index: 0, hashrate: 1, temperature: 90, fan: null, power: null }],
    };
    w.manager.miners = [miner('g', { stats: hot as unknown as MinerSnapshot['stats'] })];
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(1);
    // the same (old) reading turned cool: not fresh, so the cool-down holds it
    w.manager.get('g').stats!.gpus[0]!.temperature = 50;
    await w.step();
    expect(w.manager.ops('resume')).toEqual([]);
    await w.step(31_000);
    expect(w.manager.ops('resume')).toHaveLength(1);
  });

  it('never touches a miner the user paused or stopped, and takes back a TT-Miner it stopped', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [
      miner('user', { paused: true, control: control({ pausedBy: { by: 'user' } }) }),
      miner('stopped', { state: 'stopped', pid: null }),
      miner('budget', { paused: true, control: control({ pausedBy: { by: 'budget', detail: 'x' } }) }),
      miner('tt', {
        state: 'stopped',
        pid: null,
        paused: true,
        control: control({ pauseKind: 'stop', pausedBy: { by: 'rule', rule: 'onBattery', detail: 'x' } }),
      }),
    ];
    await w.step();
    // the user's pause stands; a stopped miner is no subject; the TT-Miner already paused by this rule stays
    expect(w.manager.ops('pause').map((c) => c.id)).toEqual(['budget']);
    w.system = { idleSeconds: 1000, onBattery: false };
    await w.step();
    expect(
      w.manager
        .ops('resume')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['budget', 'tt']);
  });

  it('snapshots with a missing or lingering cause: only running miners and rule-paused ones are ruled', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    const lingering = { by: 'rule' as const, rule: 'onBattery' as const, detail: 'x' };
    w.manager.miners = [
      // running, paused without a recorded cause: the rule takes it
      miner('causeless', { paused: true }),
      // running, not paused, a cause left over from an earlier pause: paused again
      miner('lingering', { control: control({ pausedBy: lingering }) }),
      // not running and not paused by a rule: left alone whatever they say
      miner('stopped-budget', {
        state: 'stopped',
        pid: null,
        paused: true,
        control: control({ pausedBy: { by: 'budget', detail: 'x' } }),
      }),
      miner('stopped-lingering', { state: 'stopped', pid: null, control: control({ pausedBy: lingering }) }),
      miner('stopped-causeless', { state: 'stopped', pid: null, paused: true }),
      miner('stopped-bare', { state: 'stopped', pid: null, paused: true, control: undefined }),
    ];
    await w.step();
    expect(w.manager.ops('pause').map((c) => c.id)).toEqual(['causeless', 'lingering']);
    // off battery: nothing to resume among miners no rule paused
    w.manager.calls = [];
    w.manager.get('causeless').control = control();
    w.manager.get('lingering').paused = false;
    w.manager.get('lingering').control = control({ pausedBy: lingering });
    w.system = { idleSeconds: 1000, onBattery: false };
    await w.step();
    expect(w.manager.calls.filter((c) => c.op === 'pause' || c.op === 'resume')).toEqual([]);
  });

  it('a rule pause left on a running miner is not the cool-down of a GPU pause', async () => {
    const w = world();
    w.settings.pauseRules = rules({
      gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 300 },
    });
    w.manager.miners = [
      miner('g', {
        stats: {
          at: w.clock.now(),
          threads: [],
          cpu: null,
          gpus: [{ index: 0, hashrate: 1, temperature: 50, fan: null, power: null }],
        } as never,
        control: control({ pausedBy: { by: 'rule', rule: 'gpuTemperature', detail: 'x' } }),
      }),
    ];
    await w.step();
    expect(w.manager.ops('pause')).toEqual([]);
  });

  it('a GPU that stops reporting temperatures after a heat pause gets the cool-down, not a resume', async () => {
    const w = world();
    w.settings.pauseRules = rules({ gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 30 } });
    const stats = (temps: (number | null)[], at: number) =>
      ({
        at,
        threads: [],
        cpu: null,
        gpus: temps.map((t, index) => ({ index, hashrate: 1, temperature: t, fan: null, power: null })),
      }) as never;
    w.manager.miners = [miner('g', { stats: stats([90], w.clock.now()) })];
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(1);
    w.manager.get('g').stats = stats([null, null], w.clock.now() + 1000);
    await w.step();
    expect(w.manager.ops('resume')).toEqual([]);
    w.manager.get('g').stats = stats([], w.clock.now() + 1000);
    await w.step();
    expect(w.manager.ops('resume')).toEqual([]);
  });

  it('a rule other than the one holding the pause takes it over', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [
      miner('a', {
        paused: true,
        control: control({ pausedBy: { by: 'rule', rule: 'schedule', detail: 'x' } }),
      }),
    ];
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(1);
    expect(w.manager.get('a').control!.pausedBy).toMatchObject({ rule: 'onBattery' });
  });

  it('does not resume a paused miner no rule paused when the rules say mine', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.manager.miners = [
      miner('u', { paused: true, control: control({ pausedBy: { by: 'user' } }) }),
      miner('b', { paused: true, control: control({ pausedBy: { by: 'budget', detail: 'pulse' } }) }),
      miner('r', {
        paused: false,
        control: control({ pausedBy: { by: 'rule', rule: 'onBattery', detail: 'x' } }),
      }),
    ];
    await w.step();
    expect(w.manager.ops('resume')).toEqual([]);
    expect(w.manager.ops('pause')).toEqual([]);
  });

  it('concurrent steps share one evaluation, which waits for the rule operations it started', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [miner('a')];
    w.manager.hold = [];
    const first = w.governor.step();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(w.manager.ops('pause')).toHaveLength(1);
    expect(w.governor.step()).toBe(first);
    let done = false;
    void first.then(() => (done = true));
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(done).toBe(false);
    const releases = w.manager.hold;
    w.manager.hold = null;
    releases.forEach((r) => r());
    await first;
    expect(w.notices).toEqual([['info', 'Miner a paused: running on battery']]);
    // the next step is a new evaluation
    expect(w.governor.step()).not.toBe(first);
  });

  it('warns with the error when the manager refuses a rule pause, and tries again next time', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [miner('a')];
    w.manager.failPause = new Error('the miner is busy');
    await w.step();
    expect(w.notices).toEqual([['warning', 'Could not apply a pause rule to a: the miner is busy']]);
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(2);
    w.manager.failPause = 'plain' as unknown as Error;
    await w.step();
    expect(w.notices.at(-1)).toEqual(['warning', 'Could not apply a pause rule to a: plain']);
  });

  it('works without a notify callback', async () => {
    const w = world({ notify: undefined });
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [miner('a')];
    await w.step();
    w.system = { idleSeconds: 1000, onBattery: false };
    await w.step();
    w.manager.failPause = new Error('x');
    w.system = { idleSeconds: 1000, onBattery: true };
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(2);
    expect(w.manager.ops('resume')).toHaveLength(1);
    // timed pauses that end, into a rule and not
    w.manager.failPause = null;
    w.manager.miners = [
      miner('b', {
        paused: true,
        control: control({ pausedBy: { by: 'user' }, pausedUntil: w.clock.now() }),
      }),
    ];
    await w.step();
    expect(w.manager.get('b').control!.pausedUntil).toBeNull();
    w.system = { idleSeconds: 1000, onBattery: false };
    w.manager.miners = [
      miner('c', {
        paused: true,
        control: control({ pausedBy: { by: 'user' }, pausedUntil: w.clock.now() }),
      }),
    ];
    await w.step();
    expect(w.manager.get('c').control!.pausedUntil).toBeNull();
    expect(w.manager.get('c').paused).toBe(false);
  });

  it('an observation that fails counts as headless (no battery, no idle time)', async () => {
    const w = world({
      observe: async () => {
        throw new Error('no session');
      },
    });
    w.settings.pauseRules = battery();
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.governor.lastSystem).toEqual({ idleSeconds: null, onBattery: null });
    expect(w.manager.ops('pause')).toEqual([]);
  });
});

describe('Governor: programs rule', () => {
  it('lists programs at most every programsEveryMs, and a failed listing pauses nothing', async () => {
    const w = world({ programsEveryMs: 5000 });
    w.settings.pauseRules = rules({ processes: { enabled: true, names: ['game'] } });
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.programCalls).toBe(1);
    await w.step(4999);
    expect(w.programCalls).toBe(1);
    await w.step(1);
    expect(w.programCalls).toBe(2);
    w.programs = new Set(['game']);
    await w.step(5000);
    expect(w.manager.ops('pause')).toHaveLength(1);
    w.programs = new Error('ps failed');
    await w.step(5000);
    // unknown programs: the rule cannot say pause any more
    expect(w.manager.ops('resume')).toHaveLength(1);
  });

  it('switching the rule off forgets the last listing: on again it lists at once', async () => {
    const w = world({ programsEveryMs: 60_000 });
    w.settings.pauseRules = rules({ processes: { enabled: true, names: ['game'] } });
    w.programs = new Set(['game']);
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(1);
    w.settings.pauseRules = rules({
      processes: { enabled: false, names: ['game'] },
      onBattery: { enabled: true },
    });
    await w.step();
    expect(w.manager.ops('resume')).toHaveLength(1);
    w.settings.pauseRules = rules({ processes: { enabled: true, names: [] }, onBattery: { enabled: true } });
    await w.step();
    expect(w.programCalls).toBe(1);
    w.settings.pauseRules = rules({ processes: { enabled: true, names: ['game'] } });
    await w.step();
    expect(w.programCalls).toBe(2);
    expect(w.manager.ops('pause')).toHaveLength(2);
  });
});

describe('Governor: mine anyway and timed pauses', () => {
  it('mine anyway sets an end in minutes, and 0 clears it', () => {
    const w = world();
    w.manager.miners = [miner('a')];
    const now = w.clock.now();
    expect(w.governor.mineAnyway('a', 30)).toBe(now + 30 * 60_000);
    expect(w.manager.get('a').control!.mineAnywayUntil).toBe(now + 30 * 60_000);
    expect(w.governor.mineAnyway('a', 0)).toBeNull();
    expect(w.manager.get('a').control!.mineAnywayUntil).toBeNull();
  });

  it('pauseFor sets an end in minutes; 0 or null means no end', () => {
    const w = world();
    w.manager.miners = [miner('a')];
    const now = w.clock.now();
    expect(w.governor.pauseFor('a', 60)).toBe(now + 3_600_000);
    expect(w.manager.get('a').control!.pausedUntil).toBe(now + 3_600_000);
    expect(w.governor.pauseFor('a', 0)).toBeNull();
    expect(w.manager.get('a').control!.pausedUntil).toBeNull();
    w.governor.pauseFor('a', 1);
    expect(w.governor.pauseFor('a', null)).toBeNull();
    expect(w.manager.get('a').control!.pausedUntil).toBeNull();
  });

  it('mine anyway holds the rule off until it ends (inclusive), then the rule pauses', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [miner('a')];
    const until = w.clock.now() + 2000;
    w.manager.get('a').control!.mineAnywayUntil = until;
    await w.step(1000);
    expect(w.manager.ops('pause')).toEqual([]);
    expect(w.manager.ops('control')).toEqual([]);
    await w.step(1000); // now === until: the override is over
    expect(w.manager.ops('control')).toEqual([{ op: 'control', id: 'a', patch: { mineAnywayUntil: null } }]);
    expect(w.manager.ops('pause')).toHaveLength(1);
  });

  it('a timed pause ends on time (inclusive) and resumes with the user as cause', async () => {
    const w = world();
    w.manager.demand = { rules: true, budget: false };
    const until = w.clock.now() + 2000;
    w.manager.miners = [
      miner('a', { paused: true, control: control({ pausedBy: { by: 'user' }, pausedUntil: until }) }),
    ];
    await w.step(1000);
    expect(w.manager.ops('resume')).toEqual([]);
    expect(w.manager.ops('control')).toEqual([]);
    await w.step(1000);
    expect(w.manager.ops('resume')).toEqual([{ op: 'resume', id: 'a', request: undefined }]);
    expect(w.manager.get('a').control!.pausedUntil).toBeNull();
    expect(w.notices).toEqual([['info', 'Miner a resumed: the timed pause ended']]);
  });

  it('a timed pause that ends under a rule hands the pause over to the rule', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [
      miner('a', {
        paused: true,
        control: control({ pausedBy: { by: 'user' }, pausedUntil: w.clock.now() }),
      }),
    ];
    await w.step();
    expect(w.manager.ops('pause')).toEqual([
      {
        op: 'pause',
        id: 'a',
        request: { cause: { by: 'rule', rule: 'onBattery', detail: 'running on battery' }, takeOver: true },
      },
    ]);
    expect(w.manager.ops('resume')).toEqual([]);
    expect(w.manager.get('a').control!.pausedUntil).toBeNull();
    expect(w.notices).toEqual([['info', 'Miner a: the timed pause ended, still paused: running on battery']]);
    // the rule ends: it resumes the miner it now holds
    w.system = { idleSeconds: 1000, onBattery: false };
    await w.step();
    expect(w.manager.ops('resume')).toEqual([{ op: 'resume', id: 'a', request: { by: 'rule' } }]);
  });

  it('drops the timer of a miner no longer paused by the user', async () => {
    const w = world();
    w.manager.demand = { rules: true, budget: false };
    const later = w.clock.now() + 600_000;
    w.manager.miners = [
      miner('running', { control: control({ pausedUntil: later }) }),
      miner('rule', {
        paused: true,
        control: control({ pausedBy: { by: 'rule', rule: 'schedule', detail: 'x' }, pausedUntil: later }),
      }),
      miner('user', { paused: true, control: control({ pausedBy: { by: 'user' }, pausedUntil: later }) }),
      miner('none', { control: undefined }),
      miner('causeless', { paused: true, control: control({ pausedUntil: later }) }),
    ];
    await w.step();
    expect(w.manager.ops('control').map((c) => c.id)).toEqual(['running', 'rule', 'causeless']);
    expect(w.manager.get('running').control!.pausedUntil).toBeNull();
    expect(w.manager.get('causeless').control!.pausedUntil).toBeNull();
    expect(w.manager.get('user').control!.pausedUntil).toBe(later);
    expect(w.manager.ops('resume').map((c) => c.id)).toEqual(['rule']);
  });

  it('a miner without control state is still ruled', async () => {
    const w = world();
    w.settings.pauseRules = battery();
    w.system = { idleSeconds: 1000, onBattery: true };
    w.manager.miners = [miner('a', { control: undefined })];
    await w.step();
    expect(w.manager.ops('pause')).toHaveLength(1);
  });
});

describe('Governor: start, stop, observe', () => {
  it('steps once a period after start, only one timer however often started, none after stop', async () => {
    const w = world({ periodMs: 1000 });
    w.settings.pauseRules = battery();
    w.manager.miners = [miner('a')];
    w.governor.start();
    w.governor.start();
    await Promise.resolve();
    expect(w.observeCalls).toBe(1); // the observation at start
    await w.clock.advance(1000);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.observeCalls).toBe(2);
    await w.clock.advance(3000);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.observeCalls).toBe(5);
    w.governor.stop();
    w.governor.stop();
    await w.clock.advance(5000);
    expect(w.observeCalls).toBe(5);
    expect(w.clock.pending).toBe(0);
    // a stopped governor starts again
    w.governor.start();
    await w.clock.advance(1000);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(w.observeCalls).toBe(7);
    w.governor.stop();
  });

  it('observeOnce keeps what the system said, and ignores a failure', async () => {
    const w = world();
    expect(w.governor.lastSystem).toEqual({ idleSeconds: null, onBattery: null });
    w.system = { idleSeconds: 12, onBattery: true };
    w.governor.observeOnce();
    await Promise.resolve();
    await Promise.resolve();
    expect(w.governor.lastSystem).toEqual({ idleSeconds: 12, onBattery: true });
    const failing = world({ observe: () => Promise.reject(new Error('x')) });
    failing.governor.observeOnce();
    await Promise.resolve();
    await Promise.resolve();
    expect(failing.governor.lastSystem).toEqual({ idleSeconds: null, onBattery: null });
  });

  it('defaults: headless observation, no programs, the clock for now and timers', async () => {
    const manager = new FakeManager();
    const clock = new FakeClock(5_000_000);
    const g = new Governor({
      manager: manager as unknown as MinerManager,
      settings: () => ({
        cpuBudget: DEFAULT_CPU_BUDGET,
        pauseRules: rules({ processes: { enabled: true, names: ['game'] }, onBattery: { enabled: true } }),
      }),
      clock,
    });
    manager.miners = [miner('a')];
    expect(g.pauseFor('a', 1)).toBe(5_060_000);
    g.observeOnce();
    await g.step();
    expect(g.lastSystem).toEqual({ idleSeconds: null, onBattery: null });
    expect(manager.ops('pause')).toEqual([]);
    g.start();
    expect(clock.pending).toBe(1);
    g.stop();
    expect(clock.pending).toBe(0);
  });

  it('the default local time is the clock time in this time zone', async () => {
    const manager = new FakeManager();
    const at = new Date(2026, 0, 5, 10, 30).getTime(); // a Monday, 10:30 local
    const clock = new FakeClock(at);
    const schedule = (start: string, end: string) =>
      rules({ schedule: { enabled: true, windows: [{ days: [1], start, end }] } });
    let pauseRules = schedule('10:29', '10:31');
    const g = new Governor({
      manager: manager as unknown as MinerManager,
      settings: () => ({ cpuBudget: DEFAULT_CPU_BUDGET, pauseRules }),
      clock,
    });
    manager.miners = [miner('a')];
    await g.step();
    expect(manager.ops('pause')).toEqual([]);
    pauseRules = schedule('10:31', '10:40');
    await g.step();
    expect(manager.ops('pause')[0]).toMatchObject({
      request: { cause: { detail: 'outside the mining schedule (Monday 10:30)' } },
    });
  });
});

describe('Governor: CPU budget', () => {
  const usage = (percent: number, at: number) => ({
    machineCpuPercent: percent,
    logicalCores: 4,
    rssBytes: 1,
    processes: 1,
    at,
  });

  function budgetWorld(machinePercent: number, options: Partial<GovernorOptions> = {}) {
    const w = world({ pulsePeriodMs: 1000, ...options });
    w.settings.cpuBudget = { enabled: true, machinePercent };
    return w;
  }

  it('cuts the threads of a miner over budget, keeping its own hint and priority', async () => {
    const w = budgetWorld(50);
    w.manager.miners = [
      miner('a', {
        config: minerConfigObject.parse({ threads: 4, cpuMaxThreadsHint: 70, cpuPriority: 3 }),
        control: control({ effective: { threads: 4, cpuMaxThreadsHint: 70, cpuPriority: 3 } }),
      }),
    ];
    await w.step();
    expect(w.manager.ops('knobs')).toEqual([
      { op: 'knobs', id: 'a', target: { threads: 2, cpuMaxThreadsHint: 70, cpuPriority: 3 } },
    ]);
    expect(w.manager.get('a').control!.budget).toEqual({
      targetPercent: 50,
      threads: 2,
      duty: 1,
      stage: 'threads',
    });
  });

  it('uses 1 core when usage is not measured, and the idle priority for a thread costing too much', async () => {
    const w = budgetWorld(10);
    w.manager.usageCores = null;
    w.manager.miners = [miner('a', { config: minerConfigObject.parse({ threads: 2 }) })];
    await w.step();
    // 1 core: one thread costs 100 %, far over 10 %: one thread at the idle priority
    expect(w.manager.ops('knobs')).toEqual([
      { op: 'knobs', id: 'a', target: { threads: 1, cpuMaxThreadsHint: 100, cpuPriority: 0 } },
    ]);
  });

  it('governs only running miners paused in place and not held by the user or a rule', async () => {
    const w = budgetWorld(10);
    const paused = (by: PauseCause) => ({ paused: true, control: control({ pausedBy: by }) });
    w.manager.miners = [
      miner('ok'),
      miner('budget-paused', paused({ by: 'budget', detail: 'pulse' })),
      miner('user', paused({ by: 'user' })),
      miner('rule', paused({ by: 'rule', rule: 'schedule', detail: 'x' })),
      miner('tt', { control: control({ pauseKind: 'stop' }) }),
      miner('nopid', { pid: null }),
      miner('stopped', { state: 'stopped' }),
      miner('bare', { control: undefined }),
      miner('causeless', { paused: true }),
    ];
    await w.step();
    expect(w.manager.ops('knobs').map((c) => c.id)).toEqual(['ok', 'budget-paused']);
  });

  it('counts what the miners it cannot govern use against the budget', async () => {
    const w = budgetWorld(60);
    w.manager.miners = [
      miner('a'),
      miner('tt', { control: control({ pauseKind: 'stop', usage: usage(40, 1) }) }),
      miner('tt2', { control: control({ pauseKind: 'stop' }) }),
      miner('tt3', { control: undefined }),
    ];
    await w.step();
    // 60 - 40 = 20 % left for a: one thread of 25 % is too much
    expect(w.manager.get('a').control!.budget).toMatchObject({ targetPercent: 20 });
  });

  it('a miner that leaves the budget is let go: its hold cleared, its pulses stopped', async () => {
    const w = budgetWorld(50);
    w.manager.miners = [miner('a'), miner('b')];
    await w.step();
    expect(w.manager.get('a').control!.budget).not.toBeNull();
    const before = w.manager.ops('control').length;
    w.manager.get('a').state = 'stopped';
    await w.step();
    expect(w.manager.get('a').control!.budget).toBeNull();
    // b held nothing to clear once a is gone? it still has its hold; the second step does not clear b
    expect(w.manager.get('b').control!.budget).not.toBeNull();
    const cleared = w.manager
      .ops('control')
      .slice(before)
      .filter((c) => c.patch.budget === null);
    expect(cleared.map((c) => c.id)).toEqual(['a']);
    // a miner with nothing held is not written again
    await w.step();
    expect(
      w.manager
        .ops('control')
        .slice(before)
        .filter((c) => c.id === 'a'),
    ).toHaveLength(1);
  });

  it('the budget switched off gives the knobs back, then stops looking', async () => {
    const w = budgetWorld(50);
    w.manager.miners = [
      miner('a', { config: minerConfigObject.parse({ threads: 4, cpuMaxThreadsHint: 80 }) }),
    ];
    await w.step();
    w.manager.knobs.shift()!.settle(true);
    w.manager.get('a').control!.effective = { threads: 2, cpuMaxThreadsHint: 80, cpuPriority: null };
    await w.step(3000);
    expect(w.manager.ops('knobs')).toHaveLength(1);
    w.settings.cpuBudget = { enabled: false, machinePercent: 50 };
    await w.step(3000);
    // the budget still holds state: it runs once more and restores the miner's own knobs
    expect(w.manager.ops('knobs').at(-1)).toEqual({
      op: 'knobs',
      id: 'a',
      target: { threads: 4, cpuMaxThreadsHint: 80, cpuPriority: null },
    });
    expect(w.manager.get('a').control!.budget).toBeNull();
    const samples = w.manager.ops('sample').length;
    await w.step();
    expect(w.manager.ops('sample')).toHaveLength(samples);
  });

  it('an automatic thread count is given back as automatic', async () => {
    const w = budgetWorld(50);
    w.manager.miners = [
      miner('a', {
        config: minerConfigObject.parse({ threads: 0, cpuMaxThreadsHint: 100 }),
        stats: { at: 0, threads: [1, 1, 1, 1], cpu: { brand: 'x', threads: 4 }, gpus: [] } as never,
      }),
    ];
    await w.step();
    expect(w.manager.ops('knobs')[0]).toMatchObject({ target: { threads: 2, cpuMaxThreadsHint: 100 } });
    w.manager.knobs.shift()!.settle(false);
    w.settings.cpuBudget = { enabled: false, machinePercent: 50 };
    await w.step(3000);
    expect(w.manager.ops('knobs')[1]).toEqual({
      op: 'knobs',
      id: 'a',
      target: { threads: null, cpuMaxThreadsHint: 100, cpuPriority: null },
    });
  });

  it.each([
    ['its profile count', { threads: 3 }, null, null, 3],
    ['the hint over the hardware threads', { threads: 0, cpuMaxThreadsHint: 50 }, [], 6, 3],
    ['the hint over a quarter of them', { threads: 0, cpuMaxThreadsHint: 25 }, [], 6, 2],
    [
      'the hint over the usage cores without a CPU reading',
      { threads: 0, cpuMaxThreadsHint: 50 },
      [],
      null,
      4,
    ],
    ['the hint over the usage cores without stats', { threads: 0, cpuMaxThreadsHint: 25 }, null, null, 2],
    ['at least one thread', { threads: 0, cpuMaxThreadsHint: 1 }, [], 6, 1],
    ['the threads XMRig runs by itself', { threads: 0, cpuMaxThreadsHint: 100 }, [1, 1], 8, 2],
  ] as const)('the most a miner can use follows %s', async (_what, config, running, hw, ceiling) => {
    // 8 cores: a thread is 12.5 %; 100 % split between this miner (capped at what it can use) and a big one
    const w = budgetWorld(100);
    w.manager.usageCores = 8;
    const stats =
      running === null
        ? null
        : ({
            at: 0,
            threads: [...running],
            cpu: hw === null ? null : { brand: 'x', threads: hw },
            gpus: [],
          } as never);
    w.manager.miners = [
      miner('auto', { config: minerConfigObject.parse(config), stats }),
      miner('big', { config: minerConfigObject.parse({ threads: 16 }) }),
    ];
    await w.step();
    expect(w.manager.get('big').control!.budget).toMatchObject({
      targetPercent: 100 - Math.min(ceiling * 12.5, 50),
    });
  });

  it('keeps the count XMRig chose by itself once the budget sets the threads', async () => {
    const w = budgetWorld(100);
    w.manager.usageCores = 8;
    const stats = (n: number) =>
      ({ at: 0, threads: Array(n).fill(1), cpu: { brand: 'x', threads: 8 }, gpus: [] }) as never;
    w.manager.miners = [
      miner('auto', { config: minerConfigObject.parse({ threads: 0 }), stats: stats(2) }),
      miner('big', { config: minerConfigObject.parse({ threads: 16 }) }),
    ];
    await w.step();
    expect(w.manager.get('big').control!.budget).toMatchObject({ targetPercent: 75 });
    // the budget now runs it at 1 thread: what it runs now is the budget's, not XMRig's own choice
    const auto = w.manager.get('auto');
    auto.control!.effective = { threads: 1, cpuMaxThreadsHint: 100, cpuPriority: null };
    auto.stats = stats(1);
    await w.step();
    expect(w.manager.get('big').control!.budget).toMatchObject({ targetPercent: 75 });
  });

  it('without any reading an automatic count comes from the hint alone', async () => {
    const w = budgetWorld(100);
    w.manager.usageCores = 8;
    w.manager.miners = [
      miner('auto', {
        config: minerConfigObject.parse({ threads: 0, cpuMaxThreadsHint: 100 }),
        stats: { at: 0, threads: [1, 1], cpu: { brand: 'x', threads: 8 }, gpus: [] } as never,
        control: control({ effective: { threads: 1, cpuMaxThreadsHint: 100, cpuPriority: null } }),
      }),
      miner('big', { config: minerConfigObject.parse({ threads: 16 }) }),
    ];
    await w.step();
    // the running threads are the budget's (effective is set): 8 hardware threads at 100 % it is
    expect(w.manager.get('big').control!.budget).toMatchObject({ targetPercent: 50 });
  });

  it('a knob change in flight holds further changes until it settles', async () => {
    const w = budgetWorld(50);
    w.manager.miners = [miner('a')];
    await w.step();
    expect(w.manager.ops('knobs')).toHaveLength(1);
    // budget now much lower: while applying, no new change
    w.settings.cpuBudget = { enabled: true, machinePercent: 5 };
    await w.step(3000);
    expect(w.manager.ops('knobs')).toHaveLength(1);
    w.manager.knobs.shift()!.settle(false); // a failed change settles too
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await w.step(3000);
    expect(w.manager.ops('knobs')).toHaveLength(2);
  });

  it('a miner with its own budget is governed with the budget off', async () => {
    const w = world();
    w.manager.demand = { rules: false, budget: true };
    w.manager.miners = [
      miner('a', { config: minerConfigObject.parse({ threads: 4, cpuBudgetPercent: 25 }) }),
    ];
    await w.step();
    expect(w.manager.ops('knobs')[0]).toMatchObject({ target: { threads: 1 } });
    expect(w.manager.get('a').control!.budget).toMatchObject({ targetPercent: 25 });
  });

  it('learns from new usage samples only, and pulses a single thread that costs too much', async () => {
    const w = budgetWorld(10);
    const m = miner('a', { config: minerConfigObject.parse({ threads: 1 }) });
    w.manager.miners = [m];
    let t = 0;
    w.manager.onSample = () => {
      t += 1000;
      w.manager.get('a').control!.usage = usage(25, t);
    };
    await w.step();
    // one thread, idle priority first
    expect(w.manager.ops('knobs')[0]).toMatchObject({ target: { threads: 1, cpuPriority: 0 } });
    w.manager.knobs.shift()!.settle(true);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    for (let i = 0; i < 6; i++) await w.step(1000);
    // still measured at 25 %: pulses (the budget pauses it quietly)
    const pauses = w.manager.ops('pause');
    expect(pauses.length).toBeGreaterThan(0);
    expect(pauses[0]).toEqual({
      op: 'pause',
      id: 'a',
      request: { cause: { by: 'budget', detail: 'pausing in pulses' }, quiet: true },
    });
    expect(w.manager.get('a').control!.budget).toMatchObject({ stage: 'pulse' });
    expect(w.manager.ops('resume')[0]).toEqual({
      op: 'resume',
      id: 'a',
      request: { by: 'budget', quiet: true },
    });
    expect(w.clock.pending).toBeGreaterThan(0);
    w.governor.stop();
    // the pulses' timers go with the governor
    expect(w.clock.pending).toBe(0);
  });

  it('measures only a new usage sample, and only from the second one (the first has no interval)', async () => {
    // 4 cores, 30 %: two threads should cost 50 %, 1.2 of them fit; measured at 60 % it gets pulsed
    const w = budgetWorld(30);
    w.manager.miners = [
      miner('a', {
        config: minerConfigObject.parse({ threads: 2 }),
        control: control({ effective: { threads: 2, cpuMaxThreadsHint: 100, cpuPriority: null } }),
      }),
    ];
    let at = 1;
    w.manager.onSample = () => {
      w.manager.get('a').control!.usage = usage(60, at);
    };
    await w.step(); // the first sample
    expect(w.manager.get('a').control!.budget).toMatchObject({ duty: 1, stage: 'within' });
    await w.step(); // the same sample again: nothing new
    expect(w.manager.get('a').control!.budget).toMatchObject({ duty: 1 });
    at = 2;
    await w.step();
    expect(w.manager.get('a').control!.budget).toMatchObject({ stage: 'pulse' });
    expect(w.manager.get('a').control!.budget!.duty).toBeLessThan(1);
    expect(w.manager.ops('knobs')).toEqual([]);
    w.governor.stop();
  });

  /**
   * A miner as the usage sampler sees it under the budget's pulses: each thread it runs costs `perThread` %
   * of the machine while it mines and nothing while paused; each sample covers the time since the last one.
   * Knob changes take effect at once (settled after each step).
   */
  function simulated(w: World, id: string, perThread: number) {
    let paused = false;
    let since = w.clock.now();
    let onMs = 0;
    const mark = (next: boolean) => {
      const now = w.clock.now();
      if (!paused) onMs += now - since;
      since = now;
      paused = next;
    };
    const pause = w.manager.pause.bind(w.manager);
    const resume = w.manager.resume.bind(w.manager);
    w.manager.pause = async (mid, request) => {
      const m = await pause(mid, request);
      if (mid === id) mark(true);
      return m;
    };
    w.manager.resume = async (mid, request) => {
      const m = await resume(mid, request);
      if (mid === id) mark(false);
      return m;
    };
    let lastAt = w.clock.now();
    let lastOn = 0;
    const measured: number[] = [];
    // 'lost': the sampler has no figure (the process could not be read); 'repeat': it hands out its last one
    // again (sampled too soon after it). The next figure covers the time since the last one it gave.
    const sampler = { reading: 'figure' as 'figure' | 'lost' | 'repeat' };
    w.manager.onSample = () => {
      if (sampler.reading === 'repeat') return;
      if (sampler.reading === 'lost') {
        w.manager.get(id).control!.usage = null;
        return;
      }
      const now = w.clock.now();
      const on = onMs + (paused ? 0 : now - since);
      const m = w.manager.get(id);
      const threads = m.control!.effective?.threads ?? m.config.threads;
      const percent = (perThread * threads * (on - lastOn)) / (now - lastAt);
      measured.push(percent);
      m.control!.usage = usage(percent, now);
      lastAt = now;
      lastOn = on;
    };
    const step = async () => {
      await w.step();
      for (const k of w.manager.knobs.splice(0)) {
        k.settle(true);
        w.manager.get(k.id).control!.effective = {
          threads: k.target.threads,
          cpuMaxThreadsHint: k.target.cpuMaxThreadsHint,
          cpuPriority: k.target.cpuPriority,
        };
      }
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    return { measured, step, sampler };
  }

  it("reads a pulsed miner's usage over the share of the interval it mined: the duty holds the budget", async () => {
    // 4 cores, 10 %: one thread (25 %) at the idle priority, mining 40 % of each second
    const w = budgetWorld(10);
    w.manager.miners = [miner('a', { config: minerConfigObject.parse({ threads: 2 }) })];
    const sim = simulated(w, 'a', 25);
    const duties: number[] = [];
    for (let i = 0; i < 8; i++) {
      await sim.step();
      duties.push(w.manager.get('a').control!.budget!.duty);
    }
    // mining 40 % of each second on one thread: 10 % measured, read as a thread of 25 % pulsed at 0.4
    expect(duties).toEqual(Array(8).fill(0.4));
    expect(sim.measured[0]).toBe(50); // its own two threads before the budget's first step
    for (const percent of sim.measured.slice(1)) expect(percent).toBeCloseTo(10, 9);
    expect(w.manager.ops('knobs')).toEqual([
      { op: 'knobs', id: 'a', target: { threads: 1, cpuMaxThreadsHint: 100, cpuPriority: 0 } },
    ]);
    expect(w.manager.get('a').control!.budget).toMatchObject({ threads: 1, stage: 'pulse' });
    w.governor.stop();
  });

  it('a usage reading lost or repeated while pulsing measures nothing: the tick goes on, the duty holds', async () => {
    const w = budgetWorld(10);
    w.manager.miners = [miner('a', { config: minerConfigObject.parse({ threads: 2 }) })];
    const sim = simulated(w, 'a', 25);
    for (let i = 0; i < 3; i++) await sim.step();
    expect(w.manager.get('a').control!.budget).toMatchObject({ duty: 0.4, stage: 'pulse' });
    const pauses = w.manager.ops('pause').length;
    for (const reading of ['lost', 'repeat', 'lost', 'figure', 'repeat', 'figure'] as const) {
      sim.sampler.reading = reading;
      await expect(sim.step()).resolves.toBeUndefined();
      expect(w.manager.get('a').control!.budget).toEqual({
        targetPercent: 10,
        threads: 1,
        duty: 0.4,
        stage: 'pulse',
      });
    }
    // the pulses went on all along, one pause a second
    expect(w.manager.ops('pause').length - pauses).toBe(6);
    expect(sim.measured.slice(-2)).toEqual([expect.closeTo(10, 9), expect.closeTo(10, 9)]);
    w.governor.stop();
  });

  it('a miner restarted (no usage for its new process yet) is budgeted afresh in the same tick as the others', async () => {
    // 4 cores, 50 % for two miners of 4 threads: 25 % each, one thread at full speed
    const w = budgetWorld(50);
    w.manager.miners = [miner('a'), miner('b')];
    let t = 0;
    w.manager.onSample = () => {
      t += 1000;
      for (const m of w.manager.miners) if (m.generation === 1) m.control!.usage = usage(25, t);
    };
    const settle = async () => {
      for (const k of w.manager.knobs.splice(0)) {
        k.settle(true);
        w.manager.get(k.id).control!.effective = {
          threads: k.target.threads,
          cpuMaxThreadsHint: k.target.cpuMaxThreadsHint,
          cpuPriority: k.target.cpuPriority,
        };
      }
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    await w.step();
    expect(w.manager.ops('knobs').map((k) => [k.id, k.target.threads])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    await settle();
    await w.step(3000);
    expect(w.manager.ops('knobs')).toHaveLength(2);
    // a restarts: a new process with its own four threads, not measured yet
    Object.assign(w.manager.get('a'), { generation: 2 });
    w.manager.get('a').control = control();
    const before = w.manager.calls.length;
    await expect(w.step(3000)).resolves.toBeUndefined();
    const tick = w.manager.calls.slice(before);
    // its threads are cut again at once, and b (unchanged, on target) still gets its hold written
    expect(tick.filter((c) => c.op === 'knobs')).toEqual([
      { op: 'knobs', id: 'a', target: { threads: 1, cpuMaxThreadsHint: 100, cpuPriority: null } },
    ]);
    expect(tick.filter((c) => c.op === 'control').map((c) => c.id)).toEqual(['a', 'b']);
    expect(w.manager.get('a').control!.budget).toEqual({
      targetPercent: 25,
      threads: 1,
      duty: 1,
      stage: 'threads',
    });
    expect(w.manager.get('b').control!.budget).toMatchObject({ targetPercent: 25, threads: 1 });
  });
});
