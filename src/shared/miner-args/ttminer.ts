// The TT-Miner allow-list: its parser is closed source, so nothing is expanded or guessed; only exact
// spellings of display flags pass, and the flags the app sets from the profile are named as such.
import { splitCliArgs, tokenCharacterProblem } from './text';

/**
 * Exact spellings users may add. Both only change how the console looks (the app shows the miner's
 * output in its log view): neither touches files, the API, the pool or the process.
 */
export const TTMINER_ALLOWED: Readonly<Record<string, string>> = {
  '-nocolor': 'plain console output without colour codes',
  '-notimestamp': "console lines without TT-Miner's own timestamp",
};

// Launch flags from ../shared/fixtures/tt-miner/PROTOCOL.md (and their aliases in TT-Miner's ReadMe, as
// the fake accepts them): all are written by the adapter from the profile's structured fields.
const MANAGED: Readonly<Record<string, string>> = {
  '-P': 'Pool',
  '-o': 'Pool',
  '-pool': 'Pool',
  '-url': 'Pool',
  '-u': 'Wallet',
  '-user': 'Wallet',
  '-wal': 'Wallet',
  '-p': 'Password',
  '-pass': 'Password',
  '-a': 'Algorithm',
  '-A': 'Algorithm',
  '-algo': 'Algorithm',
  '-coin': 'Algorithm',
  '-d': 'Devices',
  '-device': 'Devices',
  '-devices': 'Devices',
  '-gpus': 'Devices',
  '-i': 'Intensity',
  '-intensity': 'Intensity',
  '-b': 'API (loopback, chosen by the app)',
  '--api-bind': 'API (loopback, chosen by the app)',
  '--api-password': 'API (loopback, chosen by the app)',
  '--api-type': 'API (loopback, chosen by the app)',
};

export type TtminerArgsCheck = { ok: true; args: string[] } | { ok: false; errors: string[] };

function problemOf(token: string): string | null {
  const chars = tokenCharacterProblem(token);
  if (chars !== null) return chars;
  if (Object.hasOwn(TTMINER_ALLOWED, token)) return null;
  const managed = MANAGED[token];
  if (managed !== undefined)
    return `"${token}" is not allowed: the app sets it from the profile's ${managed}`;
  const allowed = Object.keys(TTMINER_ALLOWED).join(', ');
  return `"${token}" is not an argument the app allows for TT-Miner (only the exact spellings ${allowed})`;
}

/** Checks the extra-arguments text for TT-Miner; the accepted tokens are passed exactly as checked. */
export function checkTtminerArgs(cliArgs: string | undefined): TtminerArgsCheck {
  const tokens = splitCliArgs(cliArgs);
  const errors = tokens.map(problemOf).filter((p): p is string => p !== null);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, args: tokens.filter((t, i) => tokens.indexOf(t) === i) };
}
