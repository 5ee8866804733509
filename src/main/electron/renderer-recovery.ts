// What to do when the window's renderer process dies (`render-process-gone`): reload it, build a fresh
// window, or stop trying when it keeps dying; and the words that tell the user it happened.

/** Electron's RenderProcessGoneDetails, reduced to what the decision and the message use. */
export interface GoneDetails {
  reason: string;
  exitCode?: number;
}

/**
 * - `reload`: the first crash in a while; the same window loads the UI again.
 * - `recreate`: it crashed again soon after; a new window replaces it, in case the old one is the problem.
 * - `discard`: the window was hidden; it is closed now and built again when the user asks for it.
 * - `give-up`: it keeps crashing; close it and say so rather than loop. Mining goes on regardless.
 */
export type Recovery = 'reload' | 'recreate' | 'discard' | 'give-up';

export interface RecoveryPolicyOptions {
  /** Crashes older than this are forgotten. */
  windowMs?: number;
  /** Recoveries allowed within windowMs before giving up. */
  maxRecoveries?: number;
  now?: () => number;
}

export interface RecoveryPolicy {
  decide(state: { visible: boolean }): Recovery;
}

export const RECOVERY_WINDOW_MS = 60_000;
export const MAX_RECOVERIES = 2;

export function createRecoveryPolicy(options: RecoveryPolicyOptions = {}): RecoveryPolicy {
  const windowMs = options.windowMs ?? RECOVERY_WINDOW_MS;
  const maxRecoveries = options.maxRecoveries ?? MAX_RECOVERIES;
  const now = options.now ?? Date.now;
  let crashes: number[] = [];
  return {
    decide({ visible }) {
      const at = now();
      crashes = [...crashes.filter((t) => at - t < windowMs), at];
      if (crashes.length > maxRecoveries) return 'give-up';
      if (!visible) return 'discard';
      return crashes.length === 1 ? 'reload' : 'recreate';
    },
  };
}

export function describeGone(details: GoneDetails): string {
  const code = details.exitCode ? `, exit code ${details.exitCode}` : '';
  return `${details.reason}${code}`;
}

/** The notice shown in the window once it works again. */
export function recoveryNotice(action: 'reload' | 'recreate' | 'discard', details: GoneDetails): string {
  const what = describeGone(details);
  switch (action) {
    case 'reload':
      return `The window stopped unexpectedly (${what}) and was reloaded. Mining was not affected.`;
    case 'recreate':
      return `The window stopped unexpectedly again (${what}) and was opened anew. Mining was not affected.`;
    case 'discard':
      return `The window stopped unexpectedly while hidden (${what}) and was opened anew. Mining was not affected.`;
  }
}

/** Title and body of the tray notification when HashDeck stops rebuilding the window. */
export function giveUpNotice(details: GoneDetails): { title: string; body: string } {
  return {
    title: 'The HashDeck window keeps crashing',
    body: `It stopped again (${describeGone(details)}), so HashDeck closed it. Mining continues; choose "Show window" in the tray to open it again.`,
  };
}
