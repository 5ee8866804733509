// @vitest-environment jsdom
// Pure formatters: hashrate unit scaling, durations, ANSI segments.
import { describe, expect, it } from 'vitest';
import { ansiSegments, paletteRgb } from './ansi';
import { formatDuration } from './duration';
import { formatHashrate } from './hashrate';
import { stripNonColourSequences } from './terminal';

describe('formatHashrate', () => {
  it('shows an em dash for null, undefined, negative and non-finite values', () => {
    expect(formatHashrate(null)).toBe('—');
    expect(formatHashrate(undefined)).toBe('—');
    expect(formatHashrate(-1)).toBe('—');
    expect(formatHashrate(Number.NaN)).toBe('—');
    expect(formatHashrate(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('keeps values below 1000 in H/s with one decimal', () => {
    expect(formatHashrate(0)).toBe('0.0 H/s');
    expect(formatHashrate(999.4)).toBe('999.4 H/s');
  });

  it('scales to kH/s, MH/s and GH/s', () => {
    expect(formatHashrate(1000)).toBe('1.00 kH/s');
    expect(formatHashrate(1234.5)).toBe('1.23 kH/s');
    expect(formatHashrate(2_500_000)).toBe('2.50 MH/s');
    expect(formatHashrate(7_300_000_000)).toBe('7.30 GH/s');
  });

  it('stays in GH/s above the largest unit', () => {
    expect(formatHashrate(4_000_000_000_000)).toBe('4000.00 GH/s');
  });

  it('moves to the next unit when rounding would print 1000.00', () => {
    expect(formatHashrate(999_999)).toBe('1.00 MH/s');
  });
});

describe('formatDuration', () => {
  it('shows an em dash for null and invalid input', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
  });

  it('formats seconds, minutes, hours and days compactly', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45.9)).toBe('45s');
    expect(formatDuration(725)).toBe('12m 05s');
    expect(formatDuration(3 * 3600 + 4 * 60 + 59)).toBe('3h 04m');
    expect(formatDuration(2 * 86_400 + 3 * 3600)).toBe('2d 03h');
  });
});

describe('ansiSegments', () => {
  it('turns SGR colours into classes and keeps markup as plain text', () => {
    const segs = ansiSegments('\u001b[1;32mok\u001b[0m <b>&');
    expect(segs).toEqual([
      { text: 'ok', className: 'ansi-green-fg ansi-bold' },
      { text: ' <b>&', className: '' },
    ]);
  });

  it('maps 256-colour and truecolor codes to inline rgb()', () => {
    const [pal, tc] = ansiSegments('\u001b[38;5;196mred\u001b[38;2;10;20;30mtc');
    expect(pal?.color).toBe('rgb(255, 0, 0)');
    expect(tc?.color).toBe('rgb(10, 20, 30)');
    expect(paletteRgb(232)).toBe('8, 8, 8');
  });
});

describe('stripNonColourSequences', () => {
  const ESC = '\u001b';
  const BEL = '\u0007';

  it('removes an OSC 8 hyperlink but keeps its visible text', () => {
    const line = `see ${ESC}]8;;javascript:alert(1)${BEL}this link${ESC}]8;;${BEL} now`;
    expect(stripNonColourSequences(line)).toBe('see this link now');
  });

  it('removes OSC window titles ended by BEL or ST, and an unterminated OSC to the end', () => {
    expect(stripNonColourSequences(`${ESC}]0;pwned${BEL}a${ESC}]2;t${ESC}\\b`)).toBe('ab');
    expect(stripNonColourSequences(`ok${ESC}]0;never ends`)).toBe('ok');
  });

  it('removes cursor, erase and private-mode CSI but keeps SGR colours', () => {
    const line = `${ESC}[2K${ESC}[1A${ESC}[?25l${ESC}[1;32mgreen${ESC}[0m${ESC}[10;5H!`;
    expect(stripNonColourSequences(line)).toBe(`${ESC}[1;32mgreen${ESC}[0m!`);
  });

  it('removes DCS/APC strings, charset and two-character escapes, and stray control characters', () => {
    const line = `a${ESC}P1$r${ESC}\\b${ESC}_apc${ESC}\\c${ESC}(B${ESC}7d\r\u0000\u0008${BEL}\u009b2Je\tf${ESC}`;
    expect(stripNonColourSequences(line)).toBe('abcde\tf');
  });

  it('returns plain text untouched', () => {
    const text = '[2026-11-26 14:00:03.551]  randomx  init dataset <b>&amp;</b>';
    expect(stripNonColourSequences(text)).toBe(text);
  });

  it('lets ansiSegments show a hostile line as plain text with its colours', () => {
    const segs = ansiSegments(
      `${ESC}]0;title${BEL}${ESC}[31mred${ESC}[0m ${ESC}]8;;javascript:x${BEL}<a>${ESC}]8;;${BEL}`,
    );
    expect(segs.map((s) => s.text).join('')).toBe('red <a>');
    expect(segs[0]).toEqual({ text: 'red', className: 'ansi-red-fg' });
    expect(segs.some((s) => [...s.text].some((ch) => ch.charCodeAt(0) < 0x20))).toBe(false);
  });
});
