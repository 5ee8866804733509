// Short texts for the tray: hashrates that pick their own unit and counted nouns ("1 miner", "2 miners").
// The renderer has its own formatter; main may not import renderer code.

const UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s'] as const;

/** Formats H/s with 1 decimal below 1 kH/s and 2 above; null, negative or non-finite give "—". */
export function formatHashrate(hs: number | null | undefined): string {
  if (hs == null || !Number.isFinite(hs) || hs < 0) return '—';
  let value = hs;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 1 : 2;
  // Rounding can carry 999.996 up to "1000.00"; show it in the next unit instead.
  if (Number(value.toFixed(digits)) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 1 : 2)} ${UNITS[unit]}`;
}

export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** Cuts text to `max` characters with an ellipsis (Windows rejects tray tooltips over 127). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}
