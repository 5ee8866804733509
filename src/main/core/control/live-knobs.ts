// Threads, CPU hint and priority of one miner: the user's change (its config and the running process) and
// the CPU budget's (the running process only), applied live when the adapter can, then confirmed by
// reading the knobs back from the miner (XMRig /2/backends and /1/config) within a bounded wait.
import type { HistoryEventKind } from '../../../shared/contract';
import type { KnobTarget, ThrottleApply, ThrottleResult } from '../../../shared/model';
import type { MinerType, ThrottlePatch } from '../../../shared/schemas';
import type { AdapterIo, MinerAdapter, ThrottlePlan } from '../miners/adapter';
import type { MinerInstance } from '../instance';
import { confirmKnobs } from '../throttle/confirm';
import type { Clock } from '../util/clock';

type KnobPatch = Partial<Pick<ThrottlePatch, 'threads' | 'cpuMaxThreadsHint' | 'cpuPriority'>>;

export interface ConfirmJob {
  apply: ThrottleApply;
  generation: number;
}

export interface KnobStep {
  mode: ThrottleResult['mode'];
  apply: ThrottleApply | null;
  confirm: ConfirmJob | null;
}

export interface KnobHost {
  adapter(type: MinerType): MinerAdapter;
  readonly io: AdapterIo;
  readonly clock: Clock;
  readonly apiTimeoutMs: number;
  readonly throttleConfirmMs: number;
  readonly throttleConfirmInitMs: number;
  writeFile(path: string, content: string): Promise<void>;
  note(inst: MinerInstance, text: string, generation?: number): void;
  emitState(inst: MinerInstance): void;
  record(inst: MinerInstance, kind: HistoryEventKind, text: string): void;
}

function definedKnobs(patch: ThrottlePatch): KnobPatch {
  const out: KnobPatch = {};
  if (patch.threads !== undefined) out.threads = patch.threads;
  if (patch.cpuMaxThreadsHint !== undefined) out.cpuMaxThreadsHint = patch.cpuMaxThreadsHint;
  if (patch.cpuPriority !== undefined) out.cpuPriority = patch.cpuPriority;
  return out;
}

export function sameKnobs(a: KnobPatch, b: KnobPatch): boolean {
  return (
    a.threads === b.threads && a.cpuMaxThreadsHint === b.cpuMaxThreadsHint && a.cpuPriority === b.cpuPriority
  );
}

// A function, not an inline comparison: the state changes across the awaits.
function isVerified(inst: MinerInstance): boolean {
  return inst.apiState === 'verified';
}

export class LiveKnobs {
  private applySeq = 0;

  constructor(private readonly host: KnobHost) {}

  /** Under the lock: the user's change to the miner's config and the running process (over whatever the budget holds). */
  async userChange(inst: MinerInstance, patch: ThrottlePatch): Promise<KnobStep> {
    const none = { apply: null, confirm: null };
    // The miner's own CPU budget is the controller's business: nothing in the process changes.
    let budgetChanged = false;
    if (patch.cpuBudgetPercent !== undefined) {
      const value = patch.cpuBudgetPercent > 0 ? patch.cpuBudgetPercent : undefined;
      if (value !== inst.config.cpuBudgetPercent) {
        inst.config = { ...inst.config, cpuBudgetPercent: value };
        budgetChanged = true;
      }
    }
    const change = definedKnobs(patch);
    const next = { ...inst.config, ...change };
    if (sameKnobs(next, inst.config)) {
      if (!budgetChanged) return { mode: 'unchanged', ...none };
      this.host.emitState(inst);
      return { mode: 'live', ...none };
    }
    if (inst.state !== 'running' || !inst.launch) {
      inst.config = next;
      this.host.emitState(inst);
      return { mode: 'restart', ...none };
    }
    // Planned over the running knobs (the budget may hold some) but the user's own thread choice, so a hint
    // hands back the user's fixed count, not one the budget set; the budget re-applies its hold next second.
    const plan = this.host
      .adapter(inst.minerType)
      .planThrottle(
        { ...inst.launch, config: { ...inst.launch.config, threads: inst.config.threads } },
        patch,
      );
    const applied = plan.patch ?? change;
    if (plan.mode !== 'live') {
      inst.config = { ...inst.config, ...applied };
      this.host.note(inst, `throttle ${JSON.stringify(patch)} (applies on restart)`, inst.generation);
      this.host.emitState(inst);
      return { mode: 'restart', ...none };
    }
    return this.applyPlan(inst, plan, 'user', applied);
  }

  /** Under the lock: the CPU budget sets the running process's knobs (never the miner's own config). */
  async budgetChange(inst: MinerInstance, target: KnobTarget): Promise<KnobStep | null> {
    if (inst.state !== 'running' || !inst.launch) return null;
    const current = inst.launch.config;
    const config = {
      ...current,
      threads: target.threads ?? 0,
      cpuMaxThreadsHint: target.cpuMaxThreadsHint,
      cpuPriority: target.cpuPriority ?? undefined,
    };
    if (sameKnobs(config, current)) return null;
    const plan = this.host.adapter(inst.minerType).planThrottle({ ...inst.launch, config }, {});
    if (plan.mode !== 'live') return null;
    return this.applyPlan(inst, plan, 'budget', {});
  }

  /** Writes a live plan (XMRig: the watched config), records it pending (or applied when it cannot be read back). */
  private async applyPlan(
    inst: MinerInstance,
    plan: ThrottlePlan,
    by: 'user' | 'budget',
    applied: KnobPatch,
  ): Promise<KnobStep> {
    const adapter = this.host.adapter(inst.minerType);
    for (const file of plan.files) await this.host.writeFile(file.path, file.content);
    if (adapter.applyThrottle && inst.api) adapter.applyThrottle(inst.api, plan.config);
    inst.launch = { ...inst.launch!, config: plan.config };
    // Stryker disable next-line ConditionalExpression: equivalent, the budget always passes an empty patch; the check says it never touches the config
    if (by === 'user') inst.config = { ...inst.config, ...applied };
    const target: KnobTarget = plan.target ?? {
      threads: plan.config.threads > 0 ? plan.config.threads : null,
      cpuMaxThreadsHint: plan.config.cpuMaxThreadsHint,
      cpuPriority: plan.config.cpuPriority ?? null,
    };
    const confirmable = plan.target !== undefined && adapter.readKnobs !== undefined;
    const now = this.host.clock.now();
    const apply: ThrottleApply = {
      id: ++this.applySeq,
      by,
      state: confirmable ? 'pending' : 'applied',
      target,
      requestedAt: now,
      settledAt: confirmable ? null : now,
      message: plan.message ?? null,
    };
    inst.throttleApply = apply;
    const what =
      by === 'budget'
        ? `CPU budget: ${target.threads ?? 'automatic'} thread(s), priority ${target.cpuPriority ?? 'default'}`
        : `throttle ${JSON.stringify(applied)}`;
    this.host.note(inst, `${what} (applied live${confirmable ? ', waiting for the miner to confirm' : ''})`);
    if (by === 'user') this.host.record(inst, 'throttle', `${inst.name}: ${what}`);
    this.host.emitState(inst);
    return { mode: 'live', apply, confirm: confirmable ? { apply, generation: inst.generation } : null };
  }

  /** Outside the lock: reads the knobs back until the miner shows the change; records applied or failed. Never throws. */
  async confirm(inst: MinerInstance, job: ConfirmJob): Promise<ThrottleApply> {
    const adapter = this.host.adapter(inst.minerType);
    const api = inst.api;
    const stillWanted = () =>
      inst.generation === job.generation &&
      inst.throttleApply?.id === job.apply.id &&
      inst.api !== null &&
      inst.apiState !== 'failed';
    if (!api || !adapter.readKnobs) return job.apply;
    const readKnobs = adapter.readKnobs.bind(adapter);
    const clock = this.host.clock;
    const outcome = await confirmKnobs({
      // Nothing (the token included) goes to the port before it is known to be the miner's.
      read: (signal) =>
        isVerified(inst)
          ? readKnobs(api, job.apply.target, signal, this.host.io)
          : // A plain Error: confirmKnobs keeps only the message, for the "not confirmed" reason.
            Promise.reject(new Error(`${inst.name} has not opened its API yet`)),
      target: job.apply.target,
      timeoutMs: this.host.throttleConfirmMs,
      initTimeoutMs: this.host.throttleConfirmInitMs,
      intervalMs: 100,
      readTimeoutMs: this.host.apiTimeoutMs,
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms),
      stillWanted,
    });
    if (outcome.kind === 'abandoned') {
      return {
        ...job.apply,
        message: 'Replaced by a newer change (or a restart) before the miner confirmed it',
      };
    }
    const settled: ThrottleApply =
      outcome.kind === 'applied'
        ? { ...job.apply, state: 'applied', settledAt: clock.now() }
        : { ...job.apply, state: 'failed', settledAt: clock.now(), message: outcome.message };
    inst.throttleApply = settled;
    if (outcome.kind === 'failed')
      this.host.note(inst, `throttle not confirmed: ${outcome.message}`, job.generation);
    this.host.emitState(inst);
    return settled;
  }
}
