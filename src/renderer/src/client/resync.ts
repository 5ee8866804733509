// Optional capabilities beside MiningClient, for transports that can lose the connection (HTTP + SSE):
// a fresh snapshot after reconnecting, so the store can replace what it may have missed, and the
// connection's state for the banner.
import type { MiningClient, Snapshot } from '../../../shared/contract';

export interface ResyncSource {
  onResync(handler: (snapshot: Snapshot) => void): () => void;
}

export interface ConnectionState {
  online: boolean;
  /** The server answered but refused this session (it restarted with a new token). */
  refused: boolean;
}

export interface ConnectionSource {
  /** Called when the event stream drops (online: false) and when it is open again (online: true). */
  onConnection(handler: (state: ConnectionState) => void): () => void;
}

export function canResync(client: MiningClient): client is MiningClient & ResyncSource {
  return typeof (client as Partial<ResyncSource>).onResync === 'function';
}

export function reportsConnection(client: MiningClient): client is MiningClient & ConnectionSource {
  return typeof (client as Partial<ConnectionSource>).onConnection === 'function';
}
