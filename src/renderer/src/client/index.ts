// Picks the transport once: the preload's `window.mining` inside Electron, the HTTP + SSE client when
// the UI is served by the headless server to a browser. Everything else sees only MiningClient.
import type { MiningClient } from '../../../shared/contract';
import { createHttpClient } from './http';
import { wrapPreloadClient } from './preload';

let client: MiningClient | null = null;

/** Where this page runs: behind the Electron preload (desktop) or served over HTTP (browser). */
export function hostOf(): 'desktop' | 'browser' {
  return typeof window !== 'undefined' && window.mining ? 'desktop' : 'browser';
}

export function getClient(): MiningClient {
  if (!client) {
    const preload = typeof window !== 'undefined' ? window.mining : undefined;
    client = preload ? wrapPreloadClient(preload) : createHttpClient();
  }
  return client;
}

/** True inside the desktop app (the preload bridge exists); false in a browser served by headless mode. */
export function isDesktop(): boolean {
  return typeof window !== 'undefined' && window.mining !== undefined;
}
