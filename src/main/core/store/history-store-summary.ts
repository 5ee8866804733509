// Chart buckets from minute points, and the per-day summary (10-minute sums plus the day's events) kept
// beside each completed day file, so a 30-day chart reads 30 small summaries instead of 43,200 lines.
import type { HistoryEvent, HistoryPoint } from './history-store-format';
import { isHistoryEventKind, MINUTE_MS } from './history-store-format';

/** Summary resolution: 7 d and 30 d charts use multiples of it (1,008 and 4,320 buckets at most). */
export const SUMMARY_STEP_MS = 10 * MINUTE_MS;
const SUMMARY_VERSION = 1;

/** Sums of the minute points in one bucket: exact to merge into wider buckets, unlike means. */
export interface Sums {
  at: number;
  hs: number;
  hn: number;
  cs: number;
  cn: number;
  acc: number | null;
  rej: number | null;
}

export interface DaySummary {
  /** Byte size of the day file it was built from: a different size means it is stale. */
  srcBytes: number;
  sums: Sums[];
  events: HistoryEvent[];
}

/** Merges time-ordered sums into buckets of `stepMs` aligned to multiples of it. */
export function bucketSums(items: readonly Sums[], stepMs: number): Sums[] {
  const out: Sums[] = [];
  let cur: Sums | null = null;
  for (const s of items) {
    const b = Math.floor(s.at / stepMs) * stepMs;
    if (!cur || cur.at !== b) {
      cur = { at: b, hs: 0, hn: 0, cs: 0, cn: 0, acc: null, rej: null };
      out.push(cur);
    }
    cur.hs += s.hs;
    cur.hn += s.hn;
    cur.cs += s.cs;
    cur.cn += s.cn;
    if (s.acc !== null) cur.acc = (cur.acc ?? 0) + s.acc;
    if (s.rej !== null) cur.rej = (cur.rej ?? 0) + s.rej;
  }
  return out;
}

export function pointSums(p: HistoryPoint): Sums {
  return {
    at: p.at,
    hs: p.hashrate ?? 0,
    hn: p.hashrate === null ? 0 : 1,
    cs: p.cpu ?? 0,
    cn: p.cpu === null ? 0 : 1,
    acc: p.accepted,
    rej: p.rejected,
  };
}

export function sumsPoint(s: Sums): HistoryPoint {
  return {
    at: s.at,
    hashrate: s.hn > 0 ? s.hs / s.hn : null,
    cpu: s.cn > 0 ? s.cs / s.cn : null,
    accepted: s.acc,
    rejected: s.rej,
  };
}

export function gapPoint(at: number): HistoryPoint {
  return { at, hashrate: null, cpu: null, accepted: null, rejected: null };
}

/** One null point after each run of buckets followed by a hole wider than `stepMs` (chart breaks there). */
export function withGaps(points: readonly HistoryPoint[], stepMs: number): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let prev: HistoryPoint | undefined;
  for (const p of points) {
    if (prev && p.at - prev.at > 1.5 * stepMs) out.push(gapPoint(prev.at + stepMs));
    out.push(p);
    prev = p;
  }
  return out;
}

export function buildSummary(
  srcBytes: number,
  points: readonly HistoryPoint[],
  events: readonly HistoryEvent[],
) {
  const sorted = isSorted(points) ? points : [...points].sort((a, b) => a.at - b.at);
  return { srcBytes, sums: bucketSums(sorted.map(pointSums), SUMMARY_STEP_MS), events: [...events] };
}

export function encodeSummary(s: DaySummary): string {
  return JSON.stringify({
    v: SUMMARY_VERSION,
    src: s.srcBytes,
    step: SUMMARY_STEP_MS,
    sums: s.sums.map((x) => [x.at, x.hs, x.hn, x.cs, x.cn, x.acc, x.rej]),
    events: s.events,
  });
}

// Number.isFinite is false for anything that is not a number.
const num = (v: unknown): v is number => Number.isFinite(v) && (v as number) >= 0;
const numOrNull = (v: unknown): v is number | null => v === null || num(v);

/** A summary is only a cache: anything unexpected returns null and the day is summarised again. */
export function decodeSummary(text: string): DaySummary | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  // A number or string has none of the fields checked below; only null cannot be read from.
  if (raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (o.v !== SUMMARY_VERSION || o.step !== SUMMARY_STEP_MS || !num(o.src)) return null;
  if (!Array.isArray(o.sums) || !Array.isArray(o.events)) return null;
  const sums: Sums[] = [];
  for (const row of o.sums as unknown[]) {
    if (!Array.isArray(row) || row.length !== 7) return null;
    const [at, hs, hn, cs, cn, acc, rej] = row as unknown[];
    if (!num(at) || !num(hs) || !num(hn) || !num(cs) || !num(cn) || !numOrNull(acc) || !numOrNull(rej)) {
      return null;
    }
    sums.push({ at, hs, hn, cs, cn, acc, rej });
  }
  const events: HistoryEvent[] = [];
  for (const e of o.events as unknown[]) {
    if (e === null) return null;
    const { at, kind, text: t } = e as Record<string, unknown>;
    if (!num(at) || !isHistoryEventKind(kind) || typeof t !== 'string') return null;
    events.push({ at, kind, text: t });
  }
  return { srcBytes: o.src, sums, events };
}

export function isSorted(list: readonly { at: number }[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i]!.at < list[i - 1]!.at) return false;
  return true;
}
