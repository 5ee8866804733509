// @vitest-environment jsdom
// Pure formatters: hashrate unit scaling, durations, ANSI segments.
import { describe, expect, it } from 'vitest';
import { ansiSegments, paletteRgb } from './ansi';
import { formatDuration } from './duration';
import { formatHashrate } from './hashrate';

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
