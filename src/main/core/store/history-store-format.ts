// The on-disk format of the lasting history: one JSON value per line, `[at,hashrate,cpu,accepted,rejected]`
// for a minute point and `{"at","kind","text"}` for an event; parsing skips a torn tail and finds bad lines.

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** One minute of one miner. Null means "not measured" (warming up, no CPU sampler), never 0. */
export interface HistoryPoint {
  /** Start of the minute, ms since the epoch. */
  at: number;
  /** Mean H/s over the minute's samples. */
  hashrate: number | null;
  /** Mean CPU % of the miner's process tree (100 = one core). */
  cpu: number | null;
  /** Shares accepted / rejected during this minute. */
  accepted: number | null;
  rejected: number | null;
}

export const HISTORY_EVENT_KINDS = [
  'start',
  'stop',
  'crash',
  'error',
  'pause',
  'resume',
  'restart',
  'throttle',
  'watchdog',
] as const;
export type HistoryEventKind = (typeof HISTORY_EVENT_KINDS)[number];

/** A state change or a watchdog action: a marker on the chart. */
export interface HistoryEvent {
  at: number;
  kind: HistoryEventKind;
  text: string;
}

export const MAX_EVENT_TEXT = 500;
const KINDS: ReadonlySet<unknown> = new Set<string>(HISTORY_EVENT_KINDS);

export function isHistoryEventKind(kind: unknown): kind is HistoryEventKind {
  return KINDS.has(kind);
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const round1 = (v: number) => Math.round(v * 10) / 10;

// Number.isFinite and Number.isSafeInteger are false for anything that is not a number.
function finiteOrNull(v: unknown): v is number | null {
  return v === null || (Number.isFinite(v) && (v as number) >= 0);
}

function countOrNull(v: unknown): v is number | null {
  return v === null || isTime(v);
}

/** A time (ms since the epoch) or a count: a whole, non-negative, safe number. */
function isTime(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

/** Throws a RangeError naming the field: bad values never reach the disk. */
export function checkPoint(p: HistoryPoint): void {
  if (!Number.isSafeInteger(p.at) || p.at < 0) throw new RangeError(`history point: bad time ${p.at}`);
  if (!finiteOrNull(p.hashrate)) throw new RangeError(`history point: bad hashrate ${p.hashrate}`);
  if (!finiteOrNull(p.cpu)) throw new RangeError(`history point: bad CPU ${p.cpu}`);
  if (!countOrNull(p.accepted)) throw new RangeError(`history point: bad accepted count ${p.accepted}`);
  if (!countOrNull(p.rejected)) throw new RangeError(`history point: bad rejected count ${p.rejected}`);
}

export function checkEvent(e: HistoryEvent): void {
  if (!Number.isSafeInteger(e.at) || e.at < 0) throw new RangeError(`history event: bad time ${e.at}`);
  if (!KINDS.has(e.kind)) throw new RangeError(`history event: unknown kind ${String(e.kind)}`);
  if (typeof e.text !== 'string') throw new RangeError('history event: text must be a string');
}

export function encodePoint(p: HistoryPoint): string {
  return JSON.stringify([
    p.at,
    p.hashrate === null ? null : round2(p.hashrate),
    p.cpu === null ? null : round1(p.cpu),
    p.accepted,
    p.rejected,
  ]);
}

export function encodeEvent(e: HistoryEvent): string {
  const text = e.text.length > MAX_EVENT_TEXT ? `${e.text.slice(0, MAX_EVENT_TEXT - 1)}…` : e.text;
  return JSON.stringify({ at: e.at, kind: e.kind, text });
}

function decodePoint(v: unknown[]): HistoryPoint | null {
  if (v.length !== 5) return null;
  const [at, hashrate, cpu, accepted, rejected] = v;
  if (!isTime(at)) return null;
  if (!finiteOrNull(hashrate) || !finiteOrNull(cpu) || !countOrNull(accepted) || !countOrNull(rejected)) {
    return null;
  }
  return { at, hashrate, cpu, accepted, rejected };
}

function decodeEvent(v: Record<string, unknown>): HistoryEvent | null {
  const { at, kind, text } = v;
  if (!isTime(at) || !isHistoryEventKind(kind) || typeof text !== 'string') return null;
  return { at, kind, text };
}

/** Adds one record to `points`/`events`; false when the value is not one of ours. */
function decode(value: unknown, points: HistoryPoint[], events: HistoryEvent[]): boolean {
  if (Array.isArray(value)) {
    const p = decodePoint(value);
    if (p) points.push(p);
    return p !== null;
  }
  // Destructuring a number, string or boolean reads undefined fields (refused below); only null throws.
  const e = value === null ? null : decodeEvent(value as Record<string, unknown>);
  if (e) events.push(e);
  return e !== null;
}

export interface ParsedDay {
  points: HistoryPoint[];
  events: HistoryEvent[];
  /** 1-based numbers of complete lines that are not valid records: the file is corrupt. */
  badLines: number[];
  /** The last line has no newline and is not a valid record (a write cut short, e.g. a power cut). */
  tornTail: boolean;
  /** Byte length of the text up to the last newline (where a torn tail starts). */
  completeBytes: number;
}

/** Line by line: the slow path, used when the whole-file parse fails. `body` ends with a newline. */
function parseLines(body: string, out: ParsedDay): void {
  let start = 0;
  let lineNo = 0;
  while (start < body.length) {
    const end = body.indexOf('\n', start);
    lineNo++;
    const line = body.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = null; // not JSON: decode refuses null like any other value that is not ours
    }
    if (!decode(value, out.points, out.events)) out.badLines.push(lineNo);
  }
}

/** The whole-file fast path: all complete lines as one JSON array; false when any line is not a record. */
// Stryker disable next-line BlockStatement: equivalent, without the fast path parseLines reads the same records
function parseFast(body: string, out: ParsedDay): boolean {
  let all: unknown[];
  try {
    all = JSON.parse(`[${body.slice(0, -1).replaceAll('\n', ',')}]`) as unknown[];
  } catch {
    return false;
  }
  // Stryker disable next-line ArrowFunction: equivalent, a refused fast path falls back to the same records
  return all.every((value) => decode(value, out.points, out.events));
}

/**
 * Parses a day file. Fast path: the complete lines joined into one JSON array (one native parse for a
 * whole day); any failure falls back to line by line, which names the bad lines.
 */
export function parseDay(text: string): ParsedDay {
  const lastNewline = text.lastIndexOf('\n');
  const body = text.slice(0, lastNewline + 1);
  const tail = text.slice(lastNewline + 1);
  const out: ParsedDay = {
    points: [],
    events: [],
    badLines: [],
    tornTail: false,
    completeBytes: Buffer.byteLength(body),
  };
  if (!parseFast(body, out)) {
    out.points = [];
    out.events = [];
    parseLines(body, out);
  }
  if (tail.trim() !== '') {
    // A complete record that only lacks its newline is kept; anything else is a torn write.
    try {
      out.tornTail = !decode(JSON.parse(tail), out.points, out.events);
    } catch {
      out.tornTail = true;
    }
  }
  return out;
}

/** UTC day of a time, as the file name stem: 2024-03-09. */
export function dayKey(at: number): string {
  return new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Start of the UTC day named by a key, or null for a name that is not a day. */
export function dayStart(key: string): number | null {
  // Only a real day written exactly as dayKey writes it survives the round trip.
  const t = Date.parse(`${key}T00:00:00.000Z`);
  return Number.isNaN(t) || dayKey(t) !== key ? null : t;
}
