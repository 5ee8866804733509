// Why a miner is paused, in the user's words: by them (until when, for a timed pause), by which pause
// rule, or by the CPU budget; whether "mine anyway" can override it; and what the CPU budget holds.
import type { MinerSnapshot, PauseCause, PauseRuleId } from '../../../shared/model';
import { displayStateOf, pausesByStopping } from './minerView';

export const RULE_PAUSE_TEXT: Record<PauseRuleId, string> = {
  userActive: 'Paused: you are using the computer',
  onBattery: 'Paused: on battery',
  schedule: 'Paused: outside the mining schedule',
  processes: 'Paused: a listed program is running',
  gpuTemperature: 'Paused: the GPU is too hot',
};

export interface PauseView {
  cause: PauseCause['by'];
  rule: PauseRuleId | null;
  text: string;
  /** The rule's own account from the main process ("steam is running"); null when it adds nothing. */
  detail: string | null;
  /** "Mine anyway" overrides every rule except the GPU temperature (that one protects the hardware). */
  canMineAnyway: boolean;
  /** When the user's timed pause ends by itself; null for a pause without an end. */
  until: number | null;
  /** TT-Miner: paused by stopping it; resuming starts it again. */
  stopped: boolean;
}

/** Why `m` is paused; null unless it shows as paused. */
export function pauseViewOf(m: MinerSnapshot): PauseView | null {
  if (displayStateOf(m) !== 'paused') return null;
  // A pause with no recorded cause was typed into the miner's console, which is the user too.
  const cause: PauseCause = m.control?.pausedBy ?? { by: 'user' };
  const stopped = pausesByStopping(m);
  if (cause.by === 'rule') {
    return {
      cause: 'rule',
      rule: cause.rule,
      text: RULE_PAUSE_TEXT[cause.rule],
      detail: cause.detail && cause.detail !== cause.rule ? cause.detail : null,
      canMineAnyway: cause.rule !== 'gpuTemperature',
      until: null,
      stopped,
    };
  }
  if (cause.by === 'budget') {
    return {
      cause: 'budget',
      rule: null,
      text: 'Paused by the CPU budget',
      detail: cause.detail || null,
      canMineAnyway: false,
      until: null,
      stopped,
    };
  }
  return {
    cause: 'user',
    rule: null,
    text: 'Paused by you',
    detail: null,
    canMineAnyway: false,
    until: m.control?.pausedUntil ?? null,
    stopped,
  };
}

/** Until when pause rules are ignored for a miner that mines anyway; null when no override holds. */
export function mineAnywayUntilOf(m: MinerSnapshot): number | null {
  if (m.state !== 'running' || displayStateOf(m) === 'paused') return null;
  return m.control?.mineAnywayUntil ?? null;
}

/** What the CPU budget holds the miner to, when it holds anything ("2 of 4 threads", pulses). */
export function budgetHoldText(m: MinerSnapshot): string | null {
  const hold = m.control?.budget;
  if (!hold || hold.stage === 'within' || m.state !== 'running') return null;
  const target = `budget ${Math.round(hold.targetPercent)} %`;
  const threads = `${hold.threads} thread${hold.threads === 1 ? '' : 's'}`;
  switch (hold.stage) {
    case 'threads':
      return `CPU budget (${target}): held to ${threads}`;
    case 'priority':
      return `CPU budget (${target}): ${threads} at idle priority`;
    case 'pulse':
      return `CPU budget (${target}): ${threads}, mining ${Math.round(hold.duty * 100)} % of the time`;
  }
}
