// Browser mode's head start: the page's first tiny module opens the event stream and asks for the
// snapshot and the default chart range's history while the app's large bundle still downloads and
// parses; the HTTP client then takes these answers (once) instead of asking again. Desktop: nothing.
import type { CommandName } from '../../../shared/contract';
import { EVENT_NAMES } from '../../../shared/names';

/** A command's answer as received: the status and the parsed JSON body (undefined when not JSON). */
export interface RawAnswer {
  status: number;
  body: unknown;
}

export interface Prefetched {
  /** When the requests were made. */
  at: number;
  snapshot: Promise<RawAnswer>;
  /** getHistory answers by miner id, for [at - rangeMs, at]. */
  histories: Promise<Map<string, Promise<RawAnswer>>>;
  rangeMs: number;
  snapshotTaken: boolean;
  /** The event stream, opened before the snapshot was asked for, with the events it delivered so far. */
  events: EventSource | null;
  buffered: MessageEvent[];
  stopBuffering: () => void;
}

/** The chart's default range (5 minutes): what the dashboard asks for first. */
export const PREFETCH_RANGE_MS = 5 * 60_000;
/** A later request this close to the prefetched window is the same question. */
const SAME_WINDOW_MS = 15_000;

let prefetched: Prefetched | null = null;

export async function rawPost(doFetch: typeof fetch, url: string, input: unknown): Promise<RawAnswer> {
  const res = await doFetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(input ?? {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

interface PrefetchOptions {
  fetch?: typeof fetch;
  EventSource?: new (url: string) => EventSource;
  now?: () => number;
}

/** Starts the requests; a no-op inside the desktop app (the preload's IPC needs no head start). */
export function startPrefetch(options: PrefetchOptions = {}): void {
  if (typeof window === 'undefined' || window.mining || prefetched) return;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource;
  const at = (options.now ?? Date.now)();
  const buffered: MessageEvent[] = [];
  const events = EventSourceImpl ? new EventSourceImpl('/api/events') : null;
  const buffer = (ev: Event): void => {
    buffered.push(ev as MessageEvent);
  };
  for (const name of EVENT_NAMES) events?.addEventListener(name, buffer);
  const stopBuffering = (): void => {
    for (const name of EVENT_NAMES) events?.removeEventListener(name, buffer);
  };
  const snapshot = rawPost(doFetch, '/api/getSnapshot', {});
  // Failures are the client's to report when it asks: a rejected head start just asks again.
  snapshot.catch(() => undefined);
  const histories = snapshot.then(
    (answer) => {
      const out = new Map<string, Promise<RawAnswer>>();
      const miners = (answer.body as { miners?: { id?: unknown }[] } | undefined)?.miners;
      if (answer.status !== 200 || !Array.isArray(miners)) return out;
      for (const m of miners) {
        if (typeof m.id !== 'string') continue;
        const request = rawPost(doFetch, '/api/getHistory', {
          id: m.id,
          from: at - PREFETCH_RANGE_MS,
          to: at,
        });
        request.catch(() => undefined);
        out.set(m.id, request);
      }
      return out;
    },
    () => new Map<string, Promise<RawAnswer>>(),
  );
  prefetched = {
    at,
    snapshot,
    histories,
    rangeMs: PREFETCH_RANGE_MS,
    snapshotTaken: false,
    events,
    buffered,
    stopBuffering,
  };
}

/**
 * The prefetched answer to this command, taken once: the first getSnapshot, and a getHistory for a
 * prefetched miner over (nearly) the same window. null means: ask the server.
 */
export function takePrefetched(name: CommandName, input: unknown): Promise<RawAnswer> | null {
  const p = prefetched;
  if (!p) return null;
  if (name === 'getSnapshot') {
    // Taken once: a later snapshot (a retry, a resync) must be fresh.
    if (p.snapshotTaken) return null;
    p.snapshotTaken = true;
    return p.snapshot;
  }
  if (name !== 'getHistory') return null;
  const q = input as { id?: unknown; from?: unknown; to?: unknown };
  if (typeof q.id !== 'string' || typeof q.from !== 'number' || typeof q.to !== 'number') return null;
  if (Math.abs(q.to - q.from - p.rangeMs) > 1 || Math.abs(q.to - p.at) > SAME_WINDOW_MS) return null;
  const id = q.id;
  return p.histories.then((map) => {
    const answer = map.get(id);
    map.delete(id);
    if (!answer) throw new NotPrefetched();
    return answer;
  });
}

/** Thrown by a prefetched lookup that found nothing: the caller asks the server instead. */
export class NotPrefetched extends Error {}

/** The event stream the head start opened, with what it buffered; taken once by the HTTP client. */
export function takePrefetchedEvents(): { source: EventSource; buffered: MessageEvent[] } | null {
  const p = prefetched;
  if (!p?.events) return null;
  const source = p.events;
  p.events = null;
  p.stopBuffering();
  return { source, buffered: p.buffered.splice(0) };
}

/** Forgets the head start (tests). */
export function resetPrefetch(): void {
  prefetched?.events?.close();
  prefetched = null;
}
