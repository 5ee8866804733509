// Clock and date labels for chart axes, tooltips and log lines, in the user's locale (Intl).
// Kept separate from the pure formatters so tests of those stay timezone-free.
// The formatters are built once: toLocaleTimeString(…, options) builds a new Intl.DateTimeFormat per
// call (~70 µs), and the chart formats its labels on each 1 Hz update.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, options);
    formats.set(key, format);
  }
  return format;
}

export function formatClock(ms: number, withSeconds = true): string {
  const options: Intl.DateTimeFormatOptions = withSeconds
    ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    : { hour: '2-digit', minute: '2-digit' };
  return formatFor(withSeconds ? 'hms' : 'hm', options).format(ms);
}

/** A short date in the user's locale ("30 Nov", "Nov 30"). */
export function formatDay(ms: number): string {
  return formatFor('day', { day: 'numeric', month: 'short' }).format(ms);
}

/** Date and time with seconds, for tooltips and event lists. */
export function formatDateTime(ms: number): string {
  return formatFor('datetime', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(ms);
}
