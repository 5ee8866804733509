// Builds the `window.mining` client from ipcRenderer: one named function per command and a checked `on`.
// Failures reject with a plain `{ name, code, message, details }` object, because contextBridge keeps
// only the message of an Error; the renderer turns that object back into a MinerError.
import type { CommandClient, EventName, EventPayloads, MiningClient, WireResult } from '../shared/contract';
import { commandChannel, eventChannel, READY_CHANNEL } from './channels';
import { COMMAND_NAMES as COMMANDS, isEventName } from '../shared/names';

type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** The slice of Electron's ipcRenderer the client uses, so tests can pass a fake. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: RendererListener): unknown;
  removeListener(channel: string, listener: RendererListener): unknown;
}

/** What a failed command rejects with; plain data so it crosses contextBridge intact. */
export interface BridgeError {
  name: 'MinerError';
  code: string;
  message: string;
  details?: unknown;
}

function bridgeError(code: string, message: string, details?: unknown): BridgeError {
  return details === undefined
    ? { name: 'MinerError', code, message }
    : { name: 'MinerError', code, message, details };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isWireResult(value: unknown): value is WireResult<unknown> {
  if (!isRecord(value) || typeof value.ok !== 'boolean') return false;
  if (value.ok) return 'value' in value;
  return (
    isRecord(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string'
  );
}

async function call(ipc: IpcRendererLike, name: (typeof COMMANDS)[number], input: unknown): Promise<unknown> {
  let reply: unknown;
  try {
    reply = await ipc.invoke(commandChannel(name), input);
  } catch (err) {
    // Only reached when IPC itself failed (no handler yet, payload not cloneable), never for a command error.
    const message = err instanceof Error ? err.message : String(err);
    throw bridgeError('INTERNAL', `Cannot reach HashDeck (${message})`);
  }
  if (!isWireResult(reply)) throw bridgeError('INTERNAL', `Malformed reply to ${name}`);
  if (reply.ok) return reply.value;
  throw bridgeError(reply.error.code, reply.error.message, reply.error.details);
}

export function createMiningApi(ipc: IpcRendererLike): MiningClient {
  // One function per command; the cast is where the mapped type meets the runtime list.
  const commands = Object.fromEntries(
    COMMANDS.map((name) => [name, (input: unknown) => call(ipc, name, input)]),
  ) as unknown as CommandClient;

  const handlers = new Map<EventName, Set<(payload: unknown) => void>>();
  const relays = new Map<EventName, RendererListener>();

  function dispatch(event: EventName, payload: unknown): void {
    for (const handler of [...(handlers.get(event) ?? [])]) {
      try {
        handler(payload);
      } catch (err) {
        // One broken subscriber must not starve the others.
        console.error(`mining.on('${event}') handler threw`, err);
      }
    }
  }

  function on<E extends EventName>(event: E, handler: (payload: EventPayloads[E]) => void): () => void {
    if (!isEventName(event)) throw new TypeError(`Unknown event "${String(event)}"`);
    if (typeof handler !== 'function') throw new TypeError('Event handler must be a function');
    let set = handlers.get(event);
    if (!set) {
      set = new Set();
      handlers.set(event, set);
      // One relay per channel; it passes only the payload on, never Electron's event (it holds `sender`).
      const relay: RendererListener = (_event, payload) => dispatch(event, payload);
      relays.set(event, relay);
      ipc.on(eventChannel(event), relay);
    }
    const wrapped = handler as (payload: unknown) => void;
    set.add(wrapped);
    return () => {
      const current = handlers.get(event);
      if (!current?.delete(wrapped) || current.size > 0) return;
      handlers.delete(event);
      const relay = relays.get(event);
      relays.delete(event);
      if (relay) ipc.removeListener(eventChannel(event), relay);
    };
  }

  return { ...commands, on };
}

/** Tells main the page can take events; main flushes what it queued while the page loaded. */
export function signalReady(ipc: Pick<IpcRendererLike, 'send'>): void {
  ipc.send(READY_CHANNEL);
}
