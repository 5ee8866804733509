// The preload script exposes the typed client as `window.mining` (Electron); it is absent when the
// same UI is served to a browser by the headless server.
import type { MiningClient } from '../../../shared/contract';

declare global {
  interface Window {
    mining?: MiningClient;
  }
}

export {};
