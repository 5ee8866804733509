// Shared state of the emulated Electron: what exists (windows, trays, handlers), what was shown (dialogs,
// notifications) and the answers a test queued for dialogs. One per process, like Electron's browser process.
export const world = {
  ready: false,
  /** Live windows by id. */
  windows: new Map(),
  trays: [],
  /** ipcMain.handle channels -> handler. */
  handlers: new Map(),
  counts: { windowsCreated: 0, traysCreated: 0, handlersRegistered: 0, listenersAdded: 0 },
  errorBoxes: [],
  notifications: [],
  openDialogs: [],
  /** Answers for dialog.showOpenDialog, oldest first; none queued means the user cancels. */
  openDialogAnswers: [],
  externalUrls: [],
  /** Work to finish before the process exits (a second instance telling the first one). */
  exitTasks: new Set(),
  session: { headersListener: null, permissionRequest: null, permissionCheck: null },
  /** What powerMonitor reports (a test sets it: the user at the keyboard, on battery). */
  power: { idleSeconds: 0, onBattery: false },
};

/** Electron's Event: preventDefault() sets defaultPrevented. */
export class ElectronEvent {
  constructor(fields = {}) {
    Object.assign(this, fields);
    this.defaultPrevented = false;
  }
  preventDefault() {
    this.defaultPrevented = true;
  }
}

/** What Electron throws when a destroyed object is used. */
export function destroyedError() {
  return new TypeError('Object has been destroyed');
}
