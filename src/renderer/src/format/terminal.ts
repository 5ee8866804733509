// Removes every terminal control sequence from a miner's output line except SGR colours: OSC (window
// titles, OSC 8 hyperlinks), DCS/APC/PM/SOS strings, cursor and erase CSI, charset escapes, C0/C1 codes.

const ESC = 0x1b;
const BEL = 0x07;
/** 8-bit forms of CSI and the string introducers (OSC, DCS, SOS, PM, APC) and of ST. */
const C1_CSI = 0x9b;
const C1_STRINGS = new Set([0x9d, 0x90, 0x98, 0x9e, 0x9f]);
const C1_ST = 0x9c;
/** After ESC: the string introducers ] (OSC), P (DCS), X (SOS), ^ (PM), _ (APC). */
const STRING_INTRODUCERS = new Set([']', 'P', 'X', '^', '_']);

// eslint-disable-next-line no-control-regex -- the fast path looks for exactly these characters
const HAS_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
const SGR_PARAMS = /^[0-9;:]*$/;

const inRange = (c: number, lo: number, hi: number): boolean => c >= lo && c <= hi;

/** Index after a CSI body starting at `i` (parameters, intermediates, final byte), and whether it is SGR. */
function scanCsi(text: string, i: number): { end: number; keep: boolean } {
  let j = i;
  while (j < text.length && inRange(text.charCodeAt(j), 0x30, 0x3f)) j += 1;
  const params = text.slice(i, j);
  const afterParams = j;
  while (j < text.length && inRange(text.charCodeAt(j), 0x20, 0x2f)) j += 1;
  const final = text.charCodeAt(j);
  // An unterminated or malformed CSI is dropped up to where it stopped making sense.
  if (!inRange(final, 0x40, 0x7e)) return { end: j, keep: false };
  const keep = final === 0x6d /* m */ && j === afterParams && SGR_PARAMS.test(params);
  return { end: j + 1, keep };
}

/** Index after a control string starting at `i`: up to BEL, ESC \ or 8-bit ST, or the end of the line. */
function scanString(text: string, i: number): number {
  for (let j = i; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (c === BEL || c === C1_ST) return j + 1;
    if (c === ESC && text[j + 1] === '\\') return j + 2;
  }
  return text.length;
}

/**
 * The line with colours (SGR: ESC [ … m) kept and every other control sequence or control character
 * removed, tabs excepted. Text is never interpreted as markup here or later (React renders it as text).
 */
export function stripNonColourSequences(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === ESC || c === C1_CSI || C1_STRINGS.has(c)) {
      const next = c === ESC ? text[i + 1] : undefined;
      if (c === C1_CSI || next === '[') {
        const start = c === C1_CSI ? i + 1 : i + 2;
        const { end, keep } = scanCsi(text, start);
        if (keep) out += `\u001b[${text.slice(start, end)}`;
        i = end;
      } else if (C1_STRINGS.has(c) || (next !== undefined && STRING_INTRODUCERS.has(next))) {
        i = scanString(text, c === ESC ? i + 2 : i + 1);
      } else {
        // Two-character and nF escapes (ESC 7, ESC =, ESC ( B …): intermediates, then one final byte.
        let j = i + 1;
        while (j < text.length && inRange(text.charCodeAt(j), 0x20, 0x2f)) j += 1;
        i = j < text.length && inRange(text.charCodeAt(j), 0x30, 0x7e) ? j + 1 : j;
      }
      continue;
    }
    if (c === 0x09 || !(c < 0x20 || inRange(c, 0x7f, 0x9f))) out += text[i];
    i += 1;
  }
  return out;
}
