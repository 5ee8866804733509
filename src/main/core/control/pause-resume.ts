// Pause and resume of one miner, under its lock: through the miner's API (confirmed by its own summary)
// or, for miners without a pause (TT-Miner), by stopping and starting it. Causes rank user > rule > budget:
// a weaker cause never undoes a stronger one. A stop calls an API call in flight off (CANCELLED).
import { MinerError } from '../../../shared/errors';
import type { MinerSnapshot, PauseCause } from '../../../shared/model';
import type { MinerType } from '../../../shared/schemas';
import type { AdapterIo, MinerAdapter } from '../miners/adapter';
import type { MinerInstance, Startup } from '../instance';
import type { ProcessLifecycle } from '../lifecycle/process-lifecycle';
import type { HistoryEventKind } from '../../../shared/contract';

export const CAUSE_RANK: Record<PauseCause['by'], number> = { budget: 1, rule: 2, user: 3 };

export interface PauseHost {
  adapter(type: MinerType): MinerAdapter;
  readonly io: AdapterIo;
  readonly apiTimeoutMs: number;
  readonly lifecycle: ProcessLifecycle;
  note(inst: MinerInstance, text: string, generation?: number): void;
  emitState(inst: MinerInstance): void;
  record(inst: MinerInstance, kind: HistoryEventKind, text: string): void;
  /** A deliberate stop (the watchdog must not restart it). */
  deliberateStop(inst: MinerInstance): void;
}

export function byWhom(cause: PauseCause): string {
  if (cause.by === 'rule') return ` (${cause.detail})`;
  if (cause.by === 'budget') return ` (CPU budget: ${cause.detail})`;
  return '';
}

// A function, not an inline comparison: the state changes across the awaits.
function isVerified(inst: MinerInstance): boolean {
  return inst.apiState === 'verified';
}

/** Runs under the instance lock; a resume that starts a process returns its startup (awaited outside the lock). */
export async function pauseResume(
  host: PauseHost,
  inst: MinerInstance,
  pause: boolean,
  cause: PauseCause,
  quiet: boolean,
  /** Hand an existing pause to this cause even when it is weaker (a timed user pause ends under a rule). */
  takeOver = false,
): Promise<MinerSnapshot | Startup> {
  const current = inst.pauseCause ?? { by: 'user' as const };
  if (inst.pauseKind === 'stop') return pauseByStop(host, inst, pause, cause, current, takeOver);
  if (inst.state !== 'running' || !inst.api) {
    throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}, not running`);
  }
  if (!isVerified(inst)) {
    throw new MinerError(
      'INVALID_STATE',
      inst.apiState === 'failed'
        ? `${inst.name} has no API this run (${inst.statsError ?? 'its port was not its own'}); restart it`
        : `${inst.name} has not opened its API yet; try again in a moment`,
    );
  }
  if (pause && inst.paused) {
    // Already paused: a stronger cause takes it over (the user pauses what a rule paused).
    if (takeOver || CAUSE_RANK[cause.by] >= CAUSE_RANK[current.by]) {
      inst.pauseCause = cause;
      if (!quiet) host.emitState(inst);
    }
    return inst.snapshot();
  }
  // A resume (a pause of a paused miner returned above) from a weaker cause than the one that paused it.
  if (inst.paused && CAUSE_RANK[cause.by] < CAUSE_RANK[current.by]) return inst.snapshot();
  // Only the user's resume is sent blindly (the console may have paused it behind our back).
  if (!pause && !inst.paused && cause.by !== 'user') return inst.snapshot();
  const adapter = host.adapter(inst.minerType);
  const call = pause ? adapter.pause : adapter.resume;
  if (!call) throw new MinerError('UNSUPPORTED', `${inst.minerType} cannot be paused; stop it instead`);
  const generation = inst.generation;
  inst.pauseEpoch++;
  const op = inst.beginOperation(host.apiTimeoutMs);
  let sample;
  try {
    // Resolves once the miner itself reports the new state (XMRig: `paused` in /2/summary).
    sample = await call.call(adapter, inst.api, op.signal, host.io, { confirm: !quiet });
  } catch (err) {
    if (op.cancelled()) {
      throw new MinerError(
        'CANCELLED',
        `The ${pause ? 'pause' : 'resume'} of ${inst.name} was called off: the miner is being stopped`,
      );
    }
    throw err;
  }
  if (inst.generation === generation) inst.pauseEpoch++;
  // A crash while the call was in flight leaves nothing to be paused.
  if (inst.generation === generation && inst.state === 'running') {
    inst.paused = pause;
    inst.pauseCause = pause ? cause : null;
    if (!pause) inst.pausedUntil = null;
    if (sample) inst.stats = { ...sample, threads: inst.stats?.threads ?? sample.threads };
    else if (inst.stats) inst.stats = { ...inst.stats, paused: pause };
    if (!quiet) {
      const text = pause ? `paused${byWhom(cause)}` : 'resumed';
      host.note(inst, text, generation);
      host.record(inst, pause ? 'pause' : 'resume', `${inst.name} ${text}`);
      host.emitState(inst);
    }
  }
  return inst.snapshot();
}

/** Miners without a pause (TT-Miner): pausing stops the process and remembers it; resuming starts it. */
async function pauseByStop(
  host: PauseHost,
  inst: MinerInstance,
  pause: boolean,
  cause: PauseCause,
  current: PauseCause,
  takeOver: boolean,
): Promise<MinerSnapshot | Startup> {
  if (pause) {
    if (inst.paused) {
      if (takeOver || CAUSE_RANK[cause.by] >= CAUSE_RANK[current.by]) {
        inst.pauseCause = cause;
        host.emitState(inst);
      }
      return inst.snapshot();
    }
    if (inst.state !== 'running') {
      throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}, not running`);
    }
    inst.intent = 'stop';
    host.deliberateStop(inst);
    await host.lifecycle.stop(inst);
    inst.paused = true;
    inst.pauseCause = cause;
    const text = `paused by stopping it: ${inst.minerType} has no pause${byWhom(cause)}`;
    host.note(inst, text);
    host.record(inst, 'pause', `${inst.name} ${text}`);
    host.emitState(inst);
    return inst.snapshot();
  }
  if (!inst.paused) {
    if (cause.by !== 'user' || inst.state === 'running') return inst.snapshot();
    throw new MinerError('INVALID_STATE', `${inst.name} is ${inst.state}, not paused`);
  }
  if (CAUSE_RANK[cause.by] < CAUSE_RANK[current.by]) return inst.snapshot();
  inst.intent = 'run';
  host.record(inst, 'resume', `${inst.name} resumed (started again)`);
  return host.lifecycle.launch(inst, 'user');
}
