// Clock labels for chart axes and log lines, in the user's locale.
// Kept separate from the pure formatters so tests of those stay timezone-free.

export function formatClock(ms: number, withSeconds = true): string {
  return new Date(ms).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });
}
