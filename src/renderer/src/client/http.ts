// The browser transport of the contract: every command is POST /api/<command> with a JSON body, events
// arrive as named Server-Sent Events from GET /api/events, and a reconnect triggers a snapshot resync.
import type {
  CommandClient,
  CommandName,
  EventName,
  EventPayloads,
  MiningClient,
  Snapshot,
} from '../../../shared/contract';
import { MinerError } from '../../../shared/errors';
import { errorFromResponse } from './httpErrors';
import { COMMAND_NAMES, EVENT_NAMES, isEventName } from '../../../shared/names';
import { rawPost, takePrefetched, takePrefetchedEvents, type RawAnswer } from './prefetch';
import type { ConnectionSource, ConnectionState, ResyncSource } from './resync';

type EventSourceCtor = new (url: string, init?: EventSourceInit) => EventSource;

export interface HttpClientOptions {
  /** Prefix for /api (same origin by default). */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: EventSourceCtor;
  /** First delay before re-creating an EventSource the browser gave up on; doubles up to 30 s. */
  retryDelayMs?: number;
}

export type HttpMiningClient = MiningClient & ResyncSource & ConnectionSource & { close(): void };

const MAX_RETRY_MS = 30_000;

export function createHttpClient(options: HttpClientOptions = {}): HttpMiningClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource;
  const firstRetryMs = options.retryDelayMs ?? 1000;

  async function send(name: CommandName, input: unknown): Promise<RawAnswer> {
    const early = base === '' ? takePrefetched(name, input) : null;
    if (early) {
      try {
        return await early;
      } catch {
        // Not prefetched after all, or the head start failed: ask now.
      }
    }
    return rawPost(doFetch, `${base}/api/${name}`, input);
  }

  async function call(name: CommandName, input: unknown): Promise<unknown> {
    let answer: RawAnswer;
    try {
      answer = await send(name, input);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new MinerError('INTERNAL', `Cannot reach HashDeck (${why})`);
    }
    if (answer.status < 200 || answer.status >= 300) throw errorFromResponse(answer.status, answer.body);
    return answer.body;
  }

  // One function per command name; the cast is the single place the mapped type meets runtime keys.
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((name) => [name, (input: unknown) => call(name, input)]),
  ) as unknown as CommandClient;

  const handlers = new Map<EventName, Set<(payload: unknown) => void>>();
  const resyncHandlers = new Set<(snapshot: Snapshot) => void>();
  const connectionHandlers = new Set<(state: ConnectionState) => void>();
  let source: EventSource | null = null;
  let opens = 0;
  let retryMs = firstRetryMs;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function dispatch(name: EventName, ev: Event): void {
    const data = (ev as MessageEvent<unknown>).data;
    if (typeof data !== 'string') return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const h of [...(handlers.get(name) ?? [])]) {
      try {
        h(payload);
      } catch (err) {
        // One broken subscriber must not starve the others.
        console.error(`on('${name}') handler threw`, err);
      }
    }
  }

  function resync(): void {
    call('getSnapshot', {}).then(
      (snapshot) => {
        // Online once the state is known again: the snapshot's handlers can say what changed.
        for (const h of resyncHandlers) h(snapshot as Snapshot);
        report({ online: true, refused: false });
      },
      (err: unknown) => {
        if (err instanceof MinerError && (err.code === 'UNAUTHORIZED' || err.code === 'FORBIDDEN')) {
          report({ online: false, refused: true });
          return;
        }
        // The stream is back but the snapshot failed: try again while the stream stays open.
        if (closed || !source) return;
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (source) resync();
        }, firstRetryMs);
      },
    );
  }

  function report(state: ConnectionState): void {
    for (const h of connectionHandlers) h(state);
  }

  /** Why the stream was closed for good: a refused session (401/403) or an unreachable server. */
  async function probe(): Promise<void> {
    try {
      const res = await doFetch(`${base}/api/getSettings`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: '{}',
      });
      if (res.status === 401 || res.status === 403) report({ online: false, refused: true });
    } catch {
      // Unreachable: already reported as offline.
    }
  }

  function onOpen(): void {
    opens += 1;
    retryMs = firstRetryMs;
    if (opens > 1) resync();
    else report({ online: true, refused: false });
  }

  function open(): void {
    if (source || closed || !EventSourceImpl) return;
    // The head start's stream, if the page opened one and it is still usable; else a new one.
    const early = base === '' && opens === 0 ? takePrefetchedEvents() : null;
    const adopted = early && early.source.readyState !== 2 ? early : null;
    if (early && !adopted) early.source.close();
    const es = adopted?.source ?? new EventSourceImpl(`${base}/api/events`);
    source = es;
    for (const name of EVENT_NAMES) es.addEventListener(name, (ev) => dispatch(name, ev));
    es.addEventListener('open', onOpen);
    if (adopted) {
      if (es.readyState === 1) onOpen();
      // Events that arrived before anyone listened, delivered once the subscribers are in place.
      queueMicrotask(() => {
        for (const ev of adopted.buffered) if (isEventName(ev.type)) dispatch(ev.type, ev);
      });
    }
    es.addEventListener('error', () => {
      if (source !== es) return;
      report({ online: false, refused: false });
      // EventSource retries by itself unless the server refused the stream (readyState CLOSED).
      if (es.readyState !== 2) return;
      void probe();
      es.close();
      source = null;
      if (closed) return;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        open();
      }, retryMs);
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    });
  }

  function on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void {
    let set = handlers.get(event);
    if (!set) {
      set = new Set();
      handlers.set(event, set);
    }
    const wrapped = handler as (payload: unknown) => void;
    set.add(wrapped);
    open();
    return () => {
      handlers.get(event)?.delete(wrapped);
    };
  }

  function onResync(handler: (snapshot: Snapshot) => void): () => void {
    resyncHandlers.add(handler);
    open();
    return () => {
      resyncHandlers.delete(handler);
    };
  }

  function onConnection(handler: (state: ConnectionState) => void): () => void {
    connectionHandlers.add(handler);
    open();
    return () => {
      connectionHandlers.delete(handler);
    };
  }

  function close(): void {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    source?.close();
    source = null;
  }

  return { ...commands, on, onResync, onConnection, close };
}
