// What a throttle change did, in words: live and confirmed, waiting for the miner, failed (why), or
// applied at the next start (TT-Miner has no live settings); only for this run or saved to the profile.
import type { CommandOutput } from '../../../shared/contract';
import type { KnobTarget, MinerSnapshot, ThrottleApply, ThrottleMode } from '../../../shared/model';
import type { MinerConfig } from '../../../shared/schemas';
import { MINER_TYPE_LABELS } from '../format/minerType';

export type ThrottleState = 'pending' | 'applied' | 'failed' | 'next-start' | 'unchanged' | 'set';

export interface ThrottleOutcome {
  mode: ThrottleMode;
  persist: boolean;
  /** The live change's id, to follow its confirmation in the snapshot. */
  applyId: number | null;
  apply: ThrottleApply | null;
  savedToProfile: string | null | undefined;
  message: string | null;
}

export function outcomeOf(res: CommandOutput<'setThrottle'>, persist: boolean): ThrottleOutcome {
  return {
    mode: res.mode,
    persist,
    applyId: res.apply?.id ?? null,
    apply: res.apply ?? null,
    savedToProfile: res.savedToProfile,
    message: res.message ?? null,
  };
}

export interface StatusLine {
  state: ThrottleState;
  text: string;
}

/** The apply as the snapshot has it now when it is the same change (its confirmation may come later). */
function currentApply(outcome: ThrottleOutcome, live: ThrottleApply | null): ThrottleApply | null {
  if (outcome.applyId === null) return null;
  return live?.id === outcome.applyId ? live : outcome.apply;
}

export function applyLine(apply: ThrottleApply, miner: Pick<MinerSnapshot, 'minerType'>): StatusLine {
  const type = MINER_TYPE_LABELS[miner.minerType];
  switch (apply.state) {
    case 'pending':
      return { state: 'pending', text: `Applying live: waiting for ${type} to confirm it…` };
    case 'applied':
      // The simulated miner runs inside the app: applied is certain, nothing to confirm.
      return miner.minerType === 'simulated'
        ? { state: 'applied', text: 'Applied live.' }
        : { state: 'applied', text: `Applied live: ${type} confirmed it.` };
    case 'failed':
      return {
        state: 'failed',
        text: `Not applied: ${apply.message ?? `${type} did not confirm the change`}`,
      };
  }
}

/** The result line: what happened to the running miner. */
export function resultLine(
  outcome: ThrottleOutcome,
  live: ThrottleApply | null,
  miner: Pick<MinerSnapshot, 'minerType'>,
): StatusLine {
  const apply = currentApply(outcome, live);
  if (apply) return applyLine(apply, miner);
  switch (outcome.mode) {
    case 'live':
      return { state: 'set', text: 'Applied.' };
    case 'restart':
      return miner.minerType === 'ttminer'
        ? {
            state: 'next-start',
            text: 'TT-Miner has no live settings: this applies when it starts next.',
          }
        : { state: 'next-start', text: 'This applies when the miner starts next.' };
    case 'unchanged':
      return { state: 'unchanged', text: 'Nothing changed.' };
  }
}

/** The scope line: only for this run, or saved to the profile (and if not, why not). */
export function scopeLine(outcome: ThrottleOutcome, profileName: string | null): string {
  if (outcome.persist) {
    if (outcome.savedToProfile) {
      return `Also saved to the profile “${profileName ?? outcome.savedToProfile}”: the next start uses it too.`;
    }
    return outcome.message ?? 'Applied for this run only: it could not be saved to a profile.';
  }
  return profileName
    ? `Only for this run: the profile “${profileName}” keeps its own settings.`
    : 'Only for this run.';
}

/** A note of the main process that the lines above do not already say (a hint replacing a fixed count). */
export function extraMessage(outcome: ThrottleOutcome, live: ThrottleApply | null): string | null {
  const message = outcome.message;
  if (!message) return null;
  if (outcome.persist && !outcome.savedToProfile) return null; // it is the scope line
  if (currentApply(outcome, live)?.state === 'failed') return null; // it is the failure
  return message;
}

/** The knobs of a config, for "running now" vs "the profile". */
export function knobsOfConfig(config: MinerConfig): KnobTarget {
  return {
    threads: config.threads > 0 ? config.threads : null,
    cpuMaxThreadsHint: config.cpuMaxThreadsHint,
    cpuPriority: config.cpuPriority ?? null,
  };
}

export function knobsText(k: KnobTarget): string {
  const threads =
    k.threads === null ? 'threads: automatic' : `${k.threads} thread${k.threads === 1 ? '' : 's'}`;
  return `${threads} · CPU hint ${k.cpuMaxThreadsHint} % · priority ${k.cpuPriority ?? 'default'}`;
}

export function sameKnobs(a: KnobTarget, b: KnobTarget): boolean {
  return (
    a.threads === b.threads && a.cpuMaxThreadsHint === b.cpuMaxThreadsHint && a.cpuPriority === b.cpuPriority
  );
}
