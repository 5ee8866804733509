// Picks the transport once: the preload's `window.mining` inside Electron, the HTTP + SSE client when
// the UI is served by the headless server to a browser. Everything else sees only MiningClient.
import type { MiningClient } from '../../../shared/contract';
import { createHttpClient } from './http';

let client: MiningClient | null = null;

export function getClient(): MiningClient {
  client ??= typeof window !== 'undefined' && window.mining ? window.mining : createHttpClient();
  return client;
}
