// Human-readable hashrates: picks H/s, kH/s, MH/s or GH/s so the number stays short.
// null (no data yet, e.g. warming up) is shown as an em dash, never as 0 H/s.

const UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s'] as const;

export const NO_VALUE = '—';

/** Formats a hashrate in H/s; null, negative or non-finite values render as "—". */
export function formatHashrate(hs: number | null | undefined): string {
  if (hs == null || !Number.isFinite(hs) || hs < 0) return NO_VALUE;
  let value = hs;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // Rounding can carry 999.995 kH/s up to "1000.00 kH/s"; move to the next unit instead.
  if (unit > 0 && Number(value.toFixed(2)) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
