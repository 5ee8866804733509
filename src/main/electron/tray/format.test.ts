import { describe, expect, it } from 'vitest';
import { countOf, formatHashrate, truncate } from './format';

describe('formatHashrate', () => {
  it.each([
    [0, '0.0 H/s'],
    [512.34, '512.3 H/s'],
    [1234, '1.23 kH/s'],
    [2_500_000, '2.50 MH/s'],
    [3.2e9, '3.20 GH/s'],
    [7e12, '7.00 TH/s'],
    [9e15, '9000.00 TH/s'],
  ])('formats %d H/s as %s', (hs, text) => {
    expect(formatHashrate(hs)).toBe(text);
  });

  it('moves to the next unit when rounding would show 1000', () => {
    expect(formatHashrate(999.96)).toBe('1.00 kH/s');
    expect(formatHashrate(999_996)).toBe('1.00 MH/s');
  });

  it.each([null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'shows %s as a dash, never 0 H/s',
    (v) => {
      expect(formatHashrate(v)).toBe('—');
    },
  );
});

describe('countOf', () => {
  it('uses the singular for exactly one', () => {
    expect(countOf(1, 'miner')).toBe('1 miner');
    expect(countOf(0, 'miner')).toBe('0 miners');
    expect(countOf(3, 'miner')).toBe('3 miners');
  });
});

describe('truncate', () => {
  it('keeps short text and cuts long text with an ellipsis within the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}…`);
    expect(truncate('a'.repeat(20), 10)).toHaveLength(10);
  });
});
