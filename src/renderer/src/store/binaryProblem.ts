// "This miner has no binary it may run", and what the user can do about it: read from an error's
// details (BINARY_MISSING, a quarantined SPAWN_FAILED) or from an errored miner and the trusted list.
import type { InstalledVersion, TrustedBinary } from '../../../shared/contract';
import type { MinerSnapshot } from '../../../shared/model';

export type BinaryMinerType = TrustedBinary['minerType'];
/** The buttons a UI may offer: install XMRig (verified), or choose / trust a binary the user has. */
export type BinaryAction = 'install' | 'choose';

export interface BinaryProblem {
  minerType: BinaryMinerType;
  actions: readonly BinaryAction[];
  /** The binary vanished or may not run after it was trusted: security software often does this. */
  quarantined: boolean;
  /** The miner's profile chose a binary that is no longer trusted: only the profile can fix that. */
  pinned: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isBinaryType = (v: unknown): v is BinaryMinerType => v === 'xmrig' || v === 'ttminer';

/** What the main process offers per type: only XMRig can be installed by HashDeck. */
export function actionsFor(minerType: BinaryMinerType): BinaryAction[] {
  return minerType === 'xmrig' ? ['install', 'choose'] : ['choose'];
}

/**
 * The binary problem an error reports, from its `details.actions` (what exists, so only those become
 * buttons) and `details.reason`; `minerType` names the miner when the details do not. null otherwise.
 */
export function binaryProblemOfError(err: unknown, minerType?: BinaryMinerType): BinaryProblem | null {
  if (!isRecord(err)) return null;
  const details = isRecord(err.details) ? err.details : {};
  // The profile names a binary that is no longer trusted: nothing to install, the profile must change.
  if (err.code === 'NOT_FOUND' && typeof details.binaryId === 'string' && minerType) {
    return { minerType, actions: [], quarantined: false, pinned: true };
  }
  const quarantined = details.reason === 'quarantined';
  const binaryError = err.code === 'BINARY_MISSING' || (err.code === 'SPAWN_FAILED' && quarantined);
  if (!binaryError) return null;
  const type = isBinaryType(details.minerType) ? details.minerType : minerType;
  if (!type) return null;
  const actions = Array.isArray(details.actions)
    ? details.actions.filter((a): a is BinaryAction => a === 'install' || a === 'choose')
    : [];
  if (actions.length === 0 && !quarantined) return null;
  return { minerType: type, actions, quarantined, pinned: false };
}

/**
 * Why an errored miner cannot run, judged from what is true now (its snapshot carries only a sentence):
 * no trusted binary of its type, the one its profile chose is no longer trusted, or the installed
 * version it uses is missing from disk. Once the user installs or chooses one, the problem is gone.
 */
export function binaryProblemOfMiner(
  miner: Pick<MinerSnapshot, 'state' | 'minerType' | 'config'>,
  binaries: readonly TrustedBinary[],
  versions: readonly InstalledVersion[] | undefined,
): BinaryProblem | null {
  if (miner.state !== 'errored' || !isBinaryType(miner.minerType)) return null;
  const type = miner.minerType;
  const chosen = miner.config.binaryId;
  const missing = versions?.find(
    (v) => v.health === 'missing' && (chosen ? v.binaryId === chosen : v.isDefault),
  );
  if (missing) return { minerType: type, actions: actionsFor(type), quarantined: true, pinned: false };
  const ofType = binaries.filter((b) => b.minerType === type);
  if (chosen && !ofType.some((b) => b.id === chosen)) {
    return { minerType: type, actions: [], quarantined: false, pinned: true };
  }
  if (!chosen && ofType.length === 0) {
    return { minerType: type, actions: actionsFor(type), quarantined: false, pinned: false };
  }
  return null;
}

/** The command that trusts a binary in headless mode (run on the machine itself, never via the API). */
export function trustCommand(minerType: BinaryMinerType): string {
  return `npm run headless -- trust add /path/to/${minerType === 'xmrig' ? 'xmrig' : 'TT-Miner'}`;
}

/**
 * The error's sentence to show next to the buttons. The main process spells out every way to get a
 * binary in both the desktop app and headless mode; where those ways are buttons, its first sentence
 * ("No trusted XMRig binary yet.") is enough. A vanished binary keeps its whole message: the advice.
 */
export function binaryMessage(message: string, problem: BinaryProblem | null): string {
  if (!problem || problem.quarantined || problem.pinned || problem.actions.length === 0) return message;
  const end = message.search(/\.\s/);
  return end > 0 ? message.slice(0, end + 1) : message;
}
