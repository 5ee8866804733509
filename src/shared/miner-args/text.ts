// Splitting the "extra arguments" text into argv tokens and refusing characters no miner option needs:
// look-alike dashes and letters, control characters and shell metacharacters.

/** ASCII whitespace only: a no-break or other Unicode space stays inside a token and is refused there. */
const ASCII_SPACE = /[ \t\n\r\f\v]+/;

/** Splits on ASCII whitespace; quoting is deliberately unsupported (no shell is involved). */
export function splitCliArgs(cliArgs: string | undefined): string[] {
  if (!cliArgs) return [];
  return cliArgs.split(ASCII_SPACE).filter((a) => a.length > 0);
}

// Dash punctuation (en/em dash, hyphen, figure dash...) plus the minus signs and fullwidth hyphens that
// are not in that category. HYPHEN-MINUS itself is Pd too, so it is excluded by the caller.
const DASH_LIKE = /[\p{Pd}\u2212\u2796\u02d7\u2043\u00ad\ufe63\uff0d]/u;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const SHELL_META = /[;&|`$<>(){}[\]\\'"!*?~#]/;

const codePoint = (ch: string): string =>
  `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a token cannot be an argument, or null when its characters are fine. */
export function tokenCharacterProblem(token: string): string | null {
  for (const ch of token) {
    if (ch === '-' || ch.charCodeAt(0) < 0x80) continue;
    if (DASH_LIKE.test(ch)) {
      return `"${token}" contains "${ch}" (${codePoint(ch)}), not a plain hyphen: use a plain ASCII hyphen "-"`;
    }
    if (/\s/u.test(ch)) {
      return `"${token}" contains a Unicode space (${codePoint(ch)}): separate arguments with plain spaces`;
    }
    return `"${token}" contains "${ch}" (${codePoint(ch)}), which is not plain ASCII: type options and values in plain ASCII`;
  }
  if (CONTROL.test(token)) return `Extra argument ${JSON.stringify(token)} contains a control character`;
  const meta = SHELL_META.exec(token);
  if (meta) return `Extra argument "${token}" contains a shell metacharacter (${meta[0]})`;
  return null;
}
