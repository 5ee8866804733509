// The control loop over the running miners, once a second: the pause rules (pure engine) decide who may
// mine, the CPU budget (pure controller) sets threads, priority and pulses for the rest. Everything it does
// goes through the manager (live knobs, pauses with a cause), so the snapshot always says who did what.
import type { CpuBudgetSettings, PauseRulesSettings } from '../../../shared/contract';
import type { KnobTarget, MinerSnapshot, PauseRuleId } from '../../../shared/model';
import type { MinerManager } from '../manager';
import { allocateBudget, type Claim } from './budget/allocate';
import {
  DEFAULT_PARAMS,
  stepBudget,
  type BudgetObservation,
  type BudgetState,
  type ControllerParams,
} from './budget/controller';
import { Pulser } from './budget/pulser';
import { evaluateRules, type LocalTime, type RuleMiner } from './rules/engine';
import { realClock, type Clock, type TimerHandle } from '../util/clock';

export interface SystemObservation {
  /** Seconds since the last keyboard or mouse input; null where it cannot be known (headless). */
  idleSeconds: number | null;
  /** null where the power source cannot be read. */
  onBattery: boolean | null;
}

export interface ControlSettings {
  cpuBudget: CpuBudgetSettings;
  pauseRules: PauseRulesSettings;
}

export interface GovernorOptions {
  manager: MinerManager;
  settings: () => ControlSettings;
  observe?: () => Promise<SystemObservation>;
  /** Lower-case names of running programs (the "while these programs run" rule). */
  programs?: () => Promise<Set<string>>;
  now?: () => number;
  localTime?: (now: number) => LocalTime;
  periodMs?: number;
  /** Duty-cycle period of the budget's pulses; equal to the sampling period, each sample sees whole cycles. */
  pulsePeriodMs?: number;
  programsEveryMs?: number;
  schedule?: (fn: () => void, ms: number) => () => void;
  notify?: (level: 'info' | 'warning', message: string) => void;
  params?: Partial<Omit<ControllerParams, 'cores'>>;
  /** The engine's clock: the loop's timer, and `now` / `schedule` unless given. */
  clock?: Clock;
}

const HEADLESS: SystemObservation = { idleSeconds: null, onBattery: null };
/** No program listing (the rule is off, or was): the next one is due at once. Never mutated. */
const NO_PROGRAMS: { at: number; names: Set<string> | null } = { at: -Infinity, names: null };

function scheduleOn(clock: Clock): (fn: () => void, ms: number) => () => void {
  return (fn, ms) => {
    const t = clock.setTimeout(fn, ms);
    return () => t.cancel();
  };
}

function localTimeOf(now: number): LocalTime {
  const d = new Date(now);
  return { day: d.getDay(), minutes: d.getHours() * 60 + d.getMinutes() };
}

function anyRule(r: PauseRulesSettings): boolean {
  return (
    r.userActive.enabled ||
    r.onBattery.enabled ||
    r.schedule.enabled ||
    (r.processes.enabled && r.processes.names.length > 0) ||
    r.gpuTemperature.enabled
  );
}

export class Governor {
  private readonly o: Required<Omit<GovernorOptions, 'params'>> & Pick<GovernorOptions, 'params'>;
  private timer: TimerHandle | null = null;
  private stepping: Promise<void> | null = null;
  private budget: BudgetState = new Map();
  private readonly pulser: Pulser;
  /** Miners with a budget knob change in flight. */
  private readonly applying = new Set<string>();
  /** `usage.at` of the sample each miner's budget last used (a repeated sample is not new information). */
  private readonly usageAt = new Map<string, number>();
  /** XMRig's own thread count, seen while it chose it (the budget's ceiling when the profile says auto). */
  private readonly autoThreads = new Map<string, number>();
  private readonly rulePausedAt = new Map<string, number>();
  private programs = NO_PROGRAMS;
  private system: SystemObservation = HEADLESS;

  constructor(options: GovernorOptions) {
    const clock = options.clock ?? realClock;
    this.o = {
      observe: async () => HEADLESS,
      programs: async () => new Set<string>(),
      now: () => clock.now(),
      localTime: localTimeOf,
      periodMs: 1000,
      pulsePeriodMs: 1000,
      programsEveryMs: 5000,
      schedule: scheduleOn(clock),
      clock,
      ...options,
      // (after the spread: an explicit `notify: undefined` still gets the no-op)
      notify: options.notify ?? (() => {}),
    };
    const manager = this.o.manager;
    this.pulser = new Pulser({
      periodMs: this.o.pulsePeriodMs,
      now: this.o.now,
      schedule: this.o.schedule,
      setPaused: async (id, paused) => {
        if (paused) {
          await manager.pause(id, { cause: { by: 'budget', detail: 'pausing in pulses' }, quiet: true });
        } else await manager.resume(id, { by: 'budget', quiet: true });
      },
    });
  }

  start(): void {
    if (this.timer) return;
    this.observeOnce();
    this.timer = this.o.clock.setInterval(() => void this.step(), this.o.periodMs);
  }

  /** One observation now, so the settings view can say which rules work here before any is enabled. */
  observeOnce(): void {
    void this.o.observe().then(
      (obs) => (this.system = obs),
      () => {},
    );
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.pulser.dispose();
  }

  /** What the last observation said (for the settings view: which rules can act here). */
  get lastSystem(): SystemObservation {
    return this.system;
  }

  /** "Mine anyway": pause rules (not GPU temperature) are ignored for this miner until then. */
  mineAnyway(id: string, minutes: number): number | null {
    const until = minutes > 0 ? this.o.now() + minutes * 60_000 : null;
    this.o.manager.setControl(id, { mineAnywayUntil: until });
    return until;
  }

  /**
   * The user's timed pause ("pause for an hour"): the miner resumes by itself then, unless a pause rule
   * wants it paused at that moment (the rule takes the pause over). null: the pause has no end.
   */
  pauseFor(id: string, minutes: number | null): number | null {
    const length = minutes ?? 0;
    const until = length > 0 ? this.o.now() + length * 60_000 : null;
    this.o.manager.setControl(id, { pausedUntil: until });
    return until;
  }

  /** One evaluation; concurrent calls share it. */
  step(): Promise<void> {
    this.stepping ??= this.evaluate().finally(() => (this.stepping = null));
    return this.stepping;
  }

  private async evaluate(): Promise<void> {
    const settings = this.o.settings();
    const manager = this.o.manager;
    // Decided before any snapshot is built: with nothing enabled this runs every second for nothing.
    const demand = manager.controlDemand();
    const rulesOn = anyRule(settings.pauseRules) || demand.rules;
    const budgetOn = settings.cpuBudget.enabled || this.budget.size > 0 || demand.budget;
    if (!rulesOn && !budgetOn) return;
    let miners = manager.list();
    const now = this.o.now();

    if (rulesOn) {
      this.system = await this.o.observe().catch(() => HEADLESS);
      await this.refreshPrograms(settings.pauseRules, now);
      // Awaited: a rule's pause (a TT-Miner stopping) is done before the budget looks at the miners.
      await Promise.allSettled(this.applyRules(settings.pauseRules, miners, now));
    }
    if (budgetOn) {
      await manager.sampleUsage();
      miners = manager.list();
      this.applyBudget(settings.cpuBudget, miners, now);
    }
  }

  private async refreshPrograms(rules: PauseRulesSettings, now: number): Promise<void> {
    if (!rules.processes.enabled || rules.processes.names.length === 0) {
      this.programs = NO_PROGRAMS;
      return;
    }
    if (now - this.programs.at < this.o.programsEveryMs) return;
    // Stryker disable next-line ArrowFunction: equivalent, the engine reads undefined like null (no listing)
    const names = await this.o.programs().catch(() => null);
    this.programs = { at: now, names };
  }

  private applyRules(rules: PauseRulesSettings, miners: MinerSnapshot[], now: number): Promise<void>[] {
    // Stryker disable next-line ArrayDeclaration: equivalent, Promise.allSettled settles a non-promise at once
    const ops: Promise<void>[] = [];
    const manager = this.o.manager;
    // The user's timed pauses that end now; a timer left on a miner no longer paused by the user is dropped.
    const timedOut = new Set<string>();
    for (const m of miners) {
      const until = m.control?.pausedUntil ?? null;
      if (until === null) continue;
      // (a pausedUntil means the snapshot has control state)
      if (!m.paused || m.control!.pausedBy?.by !== 'user') manager.setControl(m.id, { pausedUntil: null });
      else if (until <= now) timedOut.add(m.id);
    }
    // Running miners, and those a rule stopped to pause (TT-Miner): never one the user stopped.
    const subjects = miners.filter(
      (m) => m.state === 'running' || (m.paused && m.control?.pausedBy?.by === 'rule') || timedOut.has(m.id),
    );
    for (const m of subjects) {
      const until = m.control?.mineAnywayUntil ?? null;
      if (until !== null && until <= now) manager.setControl(m.id, { mineAnywayUntil: null });
    }
    const ruleMiners: RuleMiner[] = subjects.map((m) => {
      const cause = m.control?.pausedBy;
      const temps = m.stats
        ? m.stats.gpus.map((g) => g.temperature).filter((t): t is number => t !== null)
        : [];
      const gpu = temps.length > 0 ? { celsius: Math.max(...temps), at: m.stats!.at } : null;
      return {
        id: m.id,
        gpuMaxCelsius: gpu?.celsius ?? null,
        gpuReadingAt: gpu?.at ?? null,
        mineAnywayUntil: m.control?.mineAnywayUntil ?? null,
        pausedByRule: m.paused && cause?.by === 'rule' ? cause.rule : null,
        pausedAt: this.rulePausedAt.get(m.id) ?? null,
      };
    });
    const decisions = evaluateRules(rules, {
      now,
      local: this.o.localTime(now),
      idleSeconds: this.system.idleSeconds,
      onBattery: this.system.onBattery,
      programs: this.programs.names,
      miners: ruleMiners,
    });
    // A decision names its rule exactly when it says pause.
    for (const d of decisions) {
      const m = subjects.find((x) => x.id === d.id)!;
      const cause = m.control?.pausedBy ?? null;
      if (timedOut.has(m.id)) {
        ops.push(this.endTimedPause(m, d.rule ? { rule: d.rule, detail: d.detail } : null, now));
        continue;
      }
      if (d.rule) {
        if (cause?.by === 'user') continue; // the user's pause stands
        if (m.paused && cause?.by === 'rule' && cause.rule === d.rule) continue;
        this.pulser.forget(m.id);
        this.rulePausedAt.set(m.id, now);
        const byRule = { by: 'rule' as const, rule: d.rule, detail: d.detail ?? d.rule };
        ops.push(
          this.run(m.id, manager.pause(m.id, { cause: byRule }), () =>
            this.o.notify('info', `${m.name} paused: ${byRule.detail}`),
          ),
        );
      } else if (m.paused && cause?.by === 'rule') {
        const rule: PauseRuleId = cause.rule;
        this.rulePausedAt.delete(m.id);
        ops.push(
          this.run(m.id, manager.resume(m.id, { by: 'rule' }), () =>
            this.o.notify('info', `${m.name} resumed: ${ruleName(rule)} no longer applies`),
          ),
        );
      }
    }
    return ops;
  }

  /** A timed pause ran out: resume, or hand the pause to the rule that wants it paused now (no blip). */
  private endTimedPause(
    m: MinerSnapshot,
    rule: { rule: PauseRuleId; detail: string | null } | null,
    now: number,
  ): Promise<void> {
    const manager = this.o.manager;
    const clear = () => manager.setControl(m.id, { pausedUntil: null });
    if (rule) {
      this.rulePausedAt.set(m.id, now);
      const byRule = { by: 'rule' as const, rule: rule.rule, detail: rule.detail ?? rule.rule };
      return this.run(m.id, manager.pause(m.id, { cause: byRule, takeOver: true }), () => {
        clear();
        this.o.notify('info', `${m.name}: the timed pause ended, still paused: ${byRule.detail}`);
      });
    }
    return this.run(m.id, manager.resume(m.id), () => {
      clear();
      this.o.notify('info', `${m.name} resumed: the timed pause ended`);
    });
  }

  /** One rule operation; evaluate() awaits them all, so no two ever overlap on a miner. */
  private run(id: string, op: Promise<unknown>, done: () => void): Promise<void> {
    return op.then(done, (err: unknown) =>
      this.o.notify(
        'warning',
        `Could not apply a pause rule to ${id}: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  }

  private applyBudget(settings: CpuBudgetSettings, miners: MinerSnapshot[], now: number): void {
    const manager = this.o.manager;
    const cores = manager.usageCores ?? 1;
    const fullThread = 100 / cores;
    const eligible: MinerSnapshot[] = [];
    let uncontrolled = 0;
    for (const m of miners) {
      if (m.state !== 'running') continue;
      const cause = m.control?.pausedBy;
      const held = m.control?.pauseKind === 'api' && m.pid !== null && (!m.paused || cause?.by === 'budget');
      if (held) eligible.push(m);
      else uncontrolled += m.control?.usage?.machineCpuPercent ?? 0;
    }
    const eligibleIds = new Set(eligible.map((m) => m.id));
    for (const m of miners) {
      if (eligibleIds.has(m.id)) continue;
      // Paused by the user or a rule, stopped, or beyond the budget's reach: let go of it.
      this.pulser.forget(m.id);
      if (m.control?.budget) manager.setControl(m.id, { budget: null });
      this.budget.delete(m.id);
    }

    const claims: Claim[] = eligible.map((m) => ({
      id: m.id,
      ownPercent: m.config.cpuBudgetPercent ?? null,
      maxUsePercent: this.maxThreads(m, cores) * (this.budget.get(m.id)?.costPerThread ?? fullThread),
    }));
    const targets = allocateBudget(claims, settings.enabled ? settings.machinePercent : null, uncontrolled);

    const observations: BudgetObservation[] = eligible.map((m) => {
      // (an eligible miner has control state: its pause kind made it eligible)
      const usage = m.control!.usage;
      const prevAt = this.usageAt.get(m.id);
      if (usage) this.usageAt.set(m.id, usage.at);
      // A measurement is a new sample after an earlier one (the first has no interval, a repeat is no news).
      // One condition for both fields: the controller reads onFraction only along with usagePercent.
      const measured =
        usage !== null && prevAt !== undefined && usage.at !== prevAt ? { usage, from: prevAt } : null;
      return {
        id: m.id,
        generation: m.generation,
        targetPercent: targets.get(m.id) ?? null,
        usagePercent: measured?.usage.machineCpuPercent ?? null,
        onFraction: measured ? this.pulser.onFraction(m.id, measured.from, measured.usage.at) : 1,
        threads: m.control!.effective?.threads ?? this.autoCount(m, cores),
        maxThreads: this.maxThreads(m, cores),
        applying: this.applying.has(m.id),
      };
    });
    const { state, actions } = stepBudget(this.budget, now, observations, {
      ...DEFAULT_PARAMS,
      ...this.o.params,
      cores,
    });
    this.budget = state;
    for (const a of actions) {
      const m = eligible.find((x) => x.id === a.id)!;
      if (a.knobs !== undefined) {
        const own: KnobTarget = {
          threads: m.config.threads > 0 ? m.config.threads : null,
          cpuMaxThreadsHint: m.config.cpuMaxThreadsHint,
          cpuPriority: m.config.cpuPriority ?? null,
        };
        const target: KnobTarget =
          a.knobs === 'baseline'
            ? own
            : { ...own, threads: a.knobs.threads, cpuPriority: a.knobs.lowPriority ? 0 : own.cpuPriority };
        this.applying.add(m.id);
        manager
          .applyKnobs(m.id, target)
          // (a failure shows in the miner's throttle state; the budget tries again later)
          .catch(() => {})
          .finally(() => this.applying.delete(m.id));
      }
      this.pulser.set(m.id, a.duty);
      manager.setControl(m.id, { budget: a.hold });
    }
  }

  /** The most threads the miner may run: its profile's count, or the count XMRig picks by itself. */
  private maxThreads(m: MinerSnapshot, cores: number): number {
    return m.config.threads > 0 ? m.config.threads : this.autoCount(m, cores);
  }

  private autoCount(m: MinerSnapshot, cores: number): number {
    const running = m.stats?.threads.length ?? 0;
    if ((m.control!.effective?.threads ?? null) === null && running > 0) this.autoThreads.set(m.id, running);
    const hwThreads = m.stats?.cpu?.threads ?? cores;
    return (
      this.autoThreads.get(m.id) ?? Math.max(1, Math.round((hwThreads * m.config.cpuMaxThreadsHint) / 100))
    );
  }
}

function ruleName(rule: PauseRuleId): string {
  return {
    userActive: 'using the computer',
    onBattery: 'running on battery',
    schedule: 'the schedule',
    processes: 'a listed program',
    gpuTemperature: 'the GPU temperature',
  }[rule];
}
