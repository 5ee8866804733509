// Typed push of service events to the window: `send(event, payload)` becomes `webContents.send('evt:<name>')`
// once the renderer is ready; until then events wait in a bounded queue (Podman Desktop's getApiSender).
import { EVENT_NAMES, type EventName, type EventPayloads } from '../../../shared/contract';
import type { ServiceApi } from '../../service/types';
import { eventChannel } from './channels';

/** Where events go: Electron's WebContents satisfies this. */
export interface EventSink {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export interface EventSenderOptions {
  /** Most events held while the page loads; the oldest stats batches are dropped first. */
  maxQueue?: number;
  /** A send that threw (payload not cloneable, contents gone); reported, never rethrown. */
  onError?: (event: EventName, err: unknown) => void;
}

export interface EventSender {
  send<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  /** A new page: events queue until it is ready. Replaces any previous sink. */
  attach(sink: EventSink): void;
  /** The page can receive events: flush the queue in order, then send directly. */
  ready(sink: EventSink): void;
  /** The page is reloading or its renderer died: queue again. */
  unready(sink: EventSink): void;
  /** The window is gone: drop the queue; a later window calls getSnapshot itself. */
  detach(sink: EventSink): void;
  readonly queued: number;
  readonly dropped: number;
  readonly isReady: boolean;
}

interface Pending {
  event: EventName;
  payload: unknown;
}

export const DEFAULT_MAX_QUEUE = 500;

// Stats batches are superseded by the next tick and logs can be fetched again with getLogs, so they go
// first; then the oldest install progress (a newer one, or listInstalled, says the same); state, profile
// and settings changes are kept as long as possible.
const DROP_ORDER: readonly EventName[] = ['stats', 'log', 'installProgress'];

/** Index of the entry to drop from a full queue: oldest stats, then oldest log, then the oldest entry. */
export function pickVictim(queue: readonly Pending[]): number {
  for (const kind of DROP_ORDER) {
    const index = queue.findIndex((p) => p.event === kind);
    if (index >= 0) return index;
  }
  return 0;
}

export function createEventSender(options: EventSenderOptions = {}): EventSender {
  const maxQueue = Math.max(1, options.maxQueue ?? DEFAULT_MAX_QUEUE);
  const onError = options.onError ?? (() => undefined);
  let sink: EventSink | null = null;
  let ready = false;
  let queue: Pending[] = [];
  let dropped = 0;

  // Returns false when the sink is gone, so the caller can stop.
  function deliver(target: EventSink, item: Pending): boolean {
    if (target.isDestroyed()) return false;
    try {
      target.send(eventChannel(item.event), item.payload);
    } catch (err) {
      onError(item.event, err);
    }
    return true;
  }

  function enqueue(item: Pending): void {
    if (queue.length >= maxQueue) {
      queue.splice(pickVictim(queue), 1);
      dropped += 1;
    }
    queue.push(item);
  }

  function flush(target: EventSink): void {
    const pending = queue;
    queue = [];
    for (const item of pending) {
      if (!deliver(target, item)) {
        sink = null;
        ready = false;
        return;
      }
    }
  }

  return {
    send(event, payload) {
      if (sink === null) return; // no window: nobody to tell, and a new one starts from getSnapshot
      const item = { event, payload };
      if (!ready) {
        enqueue(item);
        return;
      }
      if (!deliver(sink, item)) {
        sink = null;
        ready = false;
      }
    },
    attach(next) {
      sink = next;
      ready = false;
      queue = [];
    },
    ready(target) {
      if (target !== sink || ready) return;
      ready = true;
      flush(target);
    },
    unready(target) {
      if (target === sink) ready = false;
    },
    detach(target) {
      if (target !== sink) return; // an old window's late `destroyed` must not cut off a newer one
      sink = null;
      ready = false;
      queue = [];
    },
    get queued() {
      return queue.length;
    },
    get dropped() {
      return dropped;
    },
    get isReady() {
      return ready;
    },
  };
}

/** Subscribes the sender to every service event; returns the unsubscribe. */
export function forwardServiceEvents(
  service: Pick<ServiceApi, 'on'>,
  sender: Pick<EventSender, 'send'>,
): () => void {
  // A generic helper keeps event and payload types paired for each name of the list.
  const forward = <E extends EventName>(event: E): (() => void) =>
    service.on(event, (payload) => sender.send(event, payload));
  const offs = EVENT_NAMES.map((event) => forward(event));
  return () => {
    for (const off of offs) off();
  };
}
