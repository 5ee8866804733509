// The sandboxed preload: exposes the typed client as `window.mining` and nothing else, then tells main
// the page is ready for events. Built as CommonJS; it may import only electron and type-only modules.
import { contextBridge, ipcRenderer } from 'electron';
import { createMiningApi, signalReady } from './api';

contextBridge.exposeInMainWorld('mining', createMiningApi(ipcRenderer));

// The node project has no DOM lib; the preload's global is the page's (isolated-world) window.
interface PageGlobal {
  addEventListener?: (type: 'DOMContentLoaded', listener: () => void, options?: { once?: boolean }) => void;
}

(globalThis as PageGlobal).addEventListener?.('DOMContentLoaded', () => signalReady(ipcRenderer), {
  once: true,
});
