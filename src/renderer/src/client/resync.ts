// An optional capability beside MiningClient: transports that can lose events (HTTP + SSE) announce
// a fresh snapshot after reconnecting so the store can replace what it may have missed.
import type { MiningClient, Snapshot } from '../../../shared/contract';

export interface ResyncSource {
  onResync(handler: (snapshot: Snapshot) => void): () => void;
}

export function canResync(client: MiningClient): client is MiningClient & ResyncSource {
  return typeof (client as Partial<ResyncSource>).onResync === 'function';
}
