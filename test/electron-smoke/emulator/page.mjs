// The renderer side of one page load: runs the real preload bundle in a sandboxed-preload-like context
// (a limited `require('electron')` with contextBridge and ipcRenderer), keeps what it exposed to the page
// and records every message main sends. A crash or a new load kills it; its replies then go nowhere.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { report } from './control.mjs';

const MAX_RECORDED = 5000;
// Batched every tick; counted, not reported one by one.
const QUIET_CHANNELS = new Set(['evt:stats', 'evt:log']);

function clone(args) {
  try {
    return structuredClone(args);
  } catch {
    throw new Error('An object could not be cloned.');
  }
}

class RendererIpc extends EventEmitter {
  #page;
  constructor(page) {
    super();
    this.#page = page;
  }
  invoke(channel, ...args) {
    return this.#page.toMain('invoke', this.#page.mainFrame, channel, args);
  }
  send(channel, ...args) {
    void this.#page.toMain('send', this.#page.mainFrame, channel, args);
  }
  sendSync() {
    throw new Error('sendSync is not used by HashDeck and not emulated');
  }
}

export class Page {
  alive = true;
  /** What the preload put on `window` with contextBridge.exposeInMainWorld. */
  mainWorld = {};
  /** Every message main sent to this page: { channel, args }. */
  received = [];
  counts = new Map();
  #domListeners = [];

  constructor(contents, url, preloadPath, mainFrame) {
    this.contents = contents;
    this.url = url;
    this.mainFrame = mainFrame;
    this.ipc = new RendererIpc(this);
    this.preloadPath = preloadPath;
  }

  /** Runs the preload the way a sandboxed preload runs: a wrapper with a limited require. */
  runPreload() {
    if (!this.preloadPath) return;
    const code = readFileSync(this.preloadPath, 'utf8');
    const context = vm.createContext({
      console,
      addEventListener: (type, listener) => this.#domListeners.push({ type, listener }),
      removeEventListener: () => undefined,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      queueMicrotask,
      structuredClone,
      URL,
    });
    const wrapper = vm.runInContext(
      `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {${code}\n})`,
      context,
      { filename: this.preloadPath },
    );
    const electron = {
      ipcRenderer: this.ipc,
      contextBridge: {
        exposeInMainWorld: (key, api) => {
          if (key in this.mainWorld) {
            throw new Error('Cannot bind an API on top of an existing property on the window object');
          }
          this.mainWorld[key] = api;
        },
      },
    };
    const sandboxRequire = (id) => {
      if (id === 'electron') return electron;
      throw new Error(`module not found: ${id}`);
    };
    const module = { exports: {} };
    const limitedProcess = {
      platform: process.platform,
      type: 'renderer',
      env: {},
      versions: process.versions,
    };
    wrapper(
      sandboxRequire,
      limitedProcess,
      Buffer,
      context,
      setImmediate,
      clearImmediate,
      module.exports,
      module,
    );
  }

  domContentLoaded() {
    const listeners = this.#domListeners.filter((l) => l.type === 'DOMContentLoaded');
    this.#domListeners = this.#domListeners.filter((l) => l.type !== 'DOMContentLoaded');
    for (const { listener } of listeners) listener();
  }

  /** A message or invoke from this page's frame to main, cloned like Electron's IPC. */
  toMain(kind, frame, channel, args) {
    let cloned;
    try {
      cloned = clone(args);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.contents.receiveFromFrame(kind, this, frame, channel, cloned);
  }

  deliver(channel, args) {
    if (!this.alive) return;
    this.received.push({ channel, args });
    if (this.received.length > MAX_RECORDED) this.received.shift();
    this.counts.set(channel, (this.counts.get(channel) ?? 0) + 1);
    if (!QUIET_CHANNELS.has(channel)) {
      report('page-message', { webContentsId: this.contents.id, channel, payload: args[0] ?? null });
    }
    this.ipc.emit(channel, { sender: this.ipc, senderId: 0, ports: [] }, ...args);
  }

  kill() {
    this.alive = false;
    this.ipc.removeAllListeners();
  }
}
