// BrowserWindow and webContents as documented: ids, loadFile/loadURL, did-start-loading/dom-ready/
// did-finish-load, ready-to-show once, show/hide/close (preventable) /closed, destroy(), a renderer that
// can crash (`render-process-gone`, isCrashed, reload restarts it), navigation and window.open handlers.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app } from './app.mjs';
import { report } from './control.mjs';
import { toImage } from './native-image.mjs';
import { Page } from './page.mjs';
import { ElectronEvent, destroyedError, world } from './world.mjs';

let nextWindowId = 1;
let nextContentsId = 1;
let nextRoutingId = 1;
/** Id of the focused window, or null. */
let focusedId = null;
const allContents = new Map();

/** A frame as WebFrameMain shows it: url, parent (null for a main frame), ids. */
class Frame {
  constructor(contents, parent, url = null) {
    this.contents = contents;
    this.parent = parent;
    this.routingId = nextRoutingId++;
    this.processId = 1000 + contents.id;
    this.name = '';
    this.fixedUrl = url;
  }
  get url() {
    return this.fixedUrl ?? this.contents.getURL();
  }
  get top() {
    return this.parent === null ? this : this.parent.top;
  }
  get frames() {
    return [];
  }
}

export class WebContents extends EventEmitter {
  #window;
  #prefs;
  #url = '';
  #page = null;
  #crashed = false;
  #loading = false;
  #destroyed = false;
  #loadSeq = 0;
  #openHandler = null;

  constructor(window, prefs) {
    super();
    this.id = nextContentsId++;
    this.#window = window;
    this.#prefs = prefs;
    this.mainFrame = new Frame(this, null);
    allContents.set(this.id, this);
  }

  get session() {
    return world.sessionObject;
  }
  get page() {
    return this.#page;
  }

  #check() {
    if (this.#destroyed) throw destroyedError();
  }

  getURL() {
    this.#check();
    return this.#url;
  }
  getTitle() {
    return 'HashDeck';
  }
  isLoading() {
    return this.#loading;
  }
  isCrashed() {
    this.#check();
    return this.#crashed;
  }
  isDestroyed() {
    return this.#destroyed;
  }
  getOSProcessId() {
    return this.#page ? this.mainFrame.processId : 0;
  }
  focus() {}
  setWindowOpenHandler(handler) {
    this.#openHandler = handler;
  }

  loadURL(url) {
    this.#check();
    return this.#navigate(url);
  }
  loadFile(path, options = {}) {
    this.#check();
    const url = pathToFileURL(path);
    if (options.hash) url.hash = options.hash;
    if (options.search) url.search = options.search;
    return this.#navigate(url.href);
  }
  reload() {
    this.#check();
    if (this.#url) void this.#navigate(this.#url).catch(() => undefined);
  }

  /** A new document: the old renderer page goes away, a new one runs the preload. */
  #navigate(url) {
    const seq = ++this.#loadSeq;
    this.#page?.kill();
    this.#page = null;
    this.#crashed = false;
    this.#url = url;
    this.#loading = true;
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (this.#destroyed || seq !== this.#loadSeq) {
          reject(new Error(`ERR_ABORTED (-3) loading '${url}'`));
          return;
        }
        this.emit('did-start-loading');
        if (url.startsWith('file:') && !existsSync(fileURLToPath(url))) {
          this.#loading = false;
          this.emit('did-fail-load', new ElectronEvent(), -6, 'ERR_FILE_NOT_FOUND', url, true);
          this.emit('did-stop-loading');
          reject(new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`));
          return;
        }
        const page = new Page(this, url, this.#prefs.preload, this.mainFrame);
        this.#page = page;
        try {
          page.runPreload();
        } catch (err) {
          report('preload-error', { webContentsId: this.id, message: String(err?.stack ?? err) });
          this.emit('preload-error', new ElectronEvent(), this.#prefs.preload, err);
        }
        setImmediate(() => {
          if (this.#destroyed || seq !== this.#loadSeq || !page.alive) return;
          page.domContentLoaded();
          this.emit('dom-ready', new ElectronEvent());
          this.#loading = false;
          this.emit('did-finish-load');
          this.emit('did-stop-loading');
          report('page-loaded', { webContentsId: this.id, windowId: this.#window.id, url });
          this.#window.pageLoaded();
          resolve();
        });
      });
    });
  }

  /** Electron's webContents.send: structured clone, delivered only to a live renderer. */
  send(channel, ...args) {
    this.#check();
    let cloned;
    try {
      cloned = structuredClone(args);
    } catch {
      throw new Error('An object could not be cloned.');
    }
    const page = this.#page;
    if (page === null || !page.alive) {
      report('send-dropped', { webContentsId: this.id, channel });
      return;
    }
    setImmediate(() => page.deliver(channel, cloned));
  }

  /** IPC from a frame of this contents to main (ipcMain.handle / ipcMain.on). */
  receiveFromFrame(kind, page, frame, channel, args) {
    return new Promise((resolve, reject) => {
      setImmediate(async () => {
        // A message from a renderer that died meanwhile never arrives.
        if (!page.alive || this.#destroyed) return;
        const event = new ElectronEvent({
          type: 'frame',
          sender: this,
          senderFrame: frame,
          frameId: frame.routingId,
          processId: frame.processId,
          ports: [],
        });
        if (kind === 'send') {
          event.reply = (replyChannel, ...replyArgs) => this.send(replyChannel, ...replyArgs);
          world.ipcMain.emit(channel, event, ...args);
          resolve(undefined);
          return;
        }
        const handler = world.handlers.get(channel);
        if (!handler) {
          reject(
            new Error(
              `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`,
            ),
          );
          return;
        }
        try {
          const result = await handler(event, ...args);
          if (page.alive) resolve(structuredClone(result));
        } catch (err) {
          if (page.alive) reject(new Error(`Error invoking remote method '${channel}': ${err}`));
        }
      });
    });
  }

  /** A raw IPC call from a frame that is not our page's main frame (an iframe, or a page we never loaded). */
  invokeFromForeignFrame(url, subframe, channel, args) {
    this.#check();
    if (!this.#page) throw new Error('no renderer to send from');
    const frame = subframe ? new Frame(this, this.mainFrame, url) : new Frame(this, null, url);
    return this.receiveFromFrame('invoke', this.#page, frame, channel, structuredClone(args));
  }

  /** The renderer process dies: `render-process-gone` on the contents and on app. */
  crash(details) {
    this.#check();
    if (this.#page === null) throw new Error('no renderer is running');
    this.#page.kill();
    this.#page = null;
    this.#crashed = true;
    this.#loading = false;
    setImmediate(() => {
      if (this.#destroyed) return;
      report('render-process-gone', { webContentsId: this.id, ...details });
      const event = new ElectronEvent();
      this.emit('render-process-gone', event, details);
      app.emit('render-process-gone', event, this, details);
    });
  }
  forcefullyCrashRenderer() {
    this.crash({ reason: 'crashed', exitCode: 139 });
  }

  /** A link click or location change in the page: `will-navigate`, and the navigation unless prevented. */
  userNavigate(url) {
    this.#check();
    const event = new ElectronEvent({ url, isMainFrame: true, isSameDocument: false, frame: this.mainFrame });
    this.emit('will-navigate', event, url, false, true, this.mainFrame.processId, this.mainFrame.routingId);
    if (!event.defaultPrevented) void this.#navigate(url).catch(() => undefined);
    return { prevented: event.defaultPrevented, url: this.#url };
  }

  /** window.open / target=_blank in the page: the window open handler decides. */
  userOpenWindow(url) {
    this.#check();
    const details = {
      url,
      frameName: '',
      features: '',
      disposition: 'foreground-tab',
      referrer: { url: this.#url, policy: 'default' },
    };
    const result = this.#openHandler ? this.#openHandler(details) : { action: 'allow' };
    return { action: result?.action ?? 'allow' };
  }

  destroyContents() {
    if (this.#destroyed) return;
    this.#page?.kill();
    this.#page = null;
    this.#destroyed = true;
    allContents.delete(this.id);
    this.emit('destroyed');
  }
}

export const webContents = {
  getAllWebContents: () => [...allContents.values()],
  fromId: (id) => allContents.get(id),
  getFocusedWebContents: () => BrowserWindow.getFocusedWindow()?.webContents ?? null,
};

export class BrowserWindow extends EventEmitter {
  #visible = false;
  #minimized = false;
  #destroyed = false;
  #readyToShowSent = false;
  #contents;
  #icon;
  #title;

  static getAllWindows() {
    return [...world.windows.values()];
  }
  static getFocusedWindow() {
    return focusedId === null ? null : (world.windows.get(focusedId) ?? null);
  }
  static fromId(id) {
    return world.windows.get(id) ?? null;
  }
  static fromWebContents(contents) {
    return [...world.windows.values()].find((w) => w.webContents === contents) ?? null;
  }

  constructor(options = {}) {
    super();
    if (!world.ready) throw new Error('Cannot create BrowserWindow before app is ready');
    this.id = nextWindowId++;
    this.#title = options.title ?? app.getName();
    this.#icon = options.icon === undefined ? null : toImage(options.icon);
    this.#contents = new WebContents(this, options.webPreferences ?? {});
    world.windows.set(this.id, this);
    world.counts.windowsCreated += 1;
    report('window-created', {
      id: this.id,
      webContentsId: this.#contents.id,
      show: options.show !== false,
      icon: this.#icon === null ? null : { path: this.#icon.path, empty: this.#icon.isEmpty() },
      webPreferences: { ...(options.webPreferences ?? {}) },
    });
    if (options.show !== false) this.show();
  }

  #check() {
    if (this.#destroyed) throw destroyedError();
  }

  get webContents() {
    this.#check();
    return this.#contents;
  }

  /** Summary for the test's `state` command. */
  describe() {
    return {
      id: this.id,
      webContentsId: this.#contents.id,
      visible: this.#visible,
      minimized: this.#minimized,
      focused: focusedId === this.id,
      destroyed: this.#destroyed,
      url: this.#contents.isDestroyed() ? null : this.#contents.getURL(),
      crashed: this.#contents.isDestroyed() ? false : this.#contents.isCrashed(),
      pageAlive: this.#contents.page?.alive ?? false,
      icon: this.#icon === null ? null : { path: this.#icon.path, empty: this.#icon.isEmpty() },
    };
  }

  pageLoaded() {
    if (this.#readyToShowSent || this.#destroyed) return;
    this.#readyToShowSent = true;
    this.emit('ready-to-show');
  }

  isDestroyed() {
    return this.#destroyed;
  }
  isVisible() {
    this.#check();
    return this.#visible;
  }
  isMinimized() {
    this.#check();
    return this.#minimized;
  }
  isFocused() {
    this.#check();
    return focusedId === this.id;
  }
  getTitle() {
    this.#check();
    return this.#title;
  }
  setTitle(title) {
    this.#check();
    this.#title = title;
  }
  setIcon(icon) {
    this.#check();
    this.#icon = toImage(icon);
  }
  setMenuBarVisibility() {}
  setAutoHideMenuBar() {}
  loadURL(url) {
    return this.webContents.loadURL(url);
  }
  loadFile(path, options) {
    return this.webContents.loadFile(path, options);
  }
  reload() {
    this.webContents.reload();
  }

  show() {
    this.#check();
    if (!this.#visible || this.#minimized) {
      this.#visible = true;
      this.#minimized = false;
      report('window-shown', { id: this.id });
      this.emit('show');
    }
    this.focus();
  }
  showInactive() {
    this.#check();
    if (this.#visible) return;
    this.#visible = true;
    this.emit('show');
  }
  hide() {
    this.#check();
    if (!this.#visible) return;
    this.#visible = false;
    if (focusedId === this.id) focusedId = null;
    report('window-hidden', { id: this.id });
    this.emit('hide');
  }
  minimize() {
    this.#check();
    if (this.#minimized) return;
    this.#minimized = true;
    report('window-minimized', { id: this.id });
    this.emit('minimize');
  }
  restore() {
    this.#check();
    if (!this.#minimized) return;
    this.#minimized = false;
    report('window-restored', { id: this.id });
    this.emit('restore');
  }
  focus() {
    this.#check();
    if (focusedId === this.id) return;
    focusedId = this.id;
    this.emit('focus');
  }
  blur() {
    this.#check();
    if (focusedId === this.id) focusedId = null;
  }

  /** As if the user clicked the close button: `close` may be prevented; otherwise the window goes. */
  close() {
    if (this.#destroyed) return;
    const event = new ElectronEvent();
    this.emit('close', event);
    if (event.defaultPrevented) {
      report('window-close-prevented', { id: this.id });
      app.windowCloseCancelled();
      return;
    }
    this.destroy();
  }

  /** No `close` event, no beforeunload; `closed` is guaranteed. */
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#visible = false;
    if (focusedId === this.id) focusedId = null;
    this.#contents.destroyContents();
    world.windows.delete(this.id);
    report('window-closed', { id: this.id });
    this.emit('closed');
    if (world.windows.size === 0) app.allWindowsClosed();
  }
}
