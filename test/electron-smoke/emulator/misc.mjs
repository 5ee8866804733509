// dialog, Notification, session, shell and powerMonitor as far as a desktop shell uses them: an error box
// before `ready` on Linux only reaches stderr; file dialogs answer what the test queued (else: cancelled);
// session.defaultSession exists only after `ready`.
import { EventEmitter } from 'node:events';
import { report } from './control.mjs';
import { BrowserWindow } from './windows.mjs';
import { world } from './world.mjs';

export const dialog = {
  /**
   * Documented: "If called before the app ready event on Linux, the message will be emitted to stderr,
   * and no GUI dialog will appear."
   */
  showErrorBox(title, content) {
    const shown = world.ready || process.platform !== 'linux';
    if (!shown) process.stderr.write(`${title}\n${content}\n`);
    world.errorBoxes.push({ title, content, shown });
    report('error-box', { title, content, shown });
  },
  async showOpenDialog(windowOrOptions, maybeOptions) {
    const parent = windowOrOptions instanceof BrowserWindow ? windowOrOptions : null;
    const options = parent ? maybeOptions : windowOrOptions;
    if (parent?.isDestroyed()) throw new TypeError('Object has been destroyed');
    if (options === null || typeof options !== 'object') throw new TypeError('Options must be an object');
    const call = { windowId: parent?.id ?? null, options: structuredClone(options) };
    world.openDialogs.push(call);
    report('open-dialog', call);
    const answer = world.openDialogAnswers.shift() ?? { canceled: true, filePaths: [] };
    return { canceled: answer.canceled, filePaths: answer.canceled ? [] : answer.filePaths };
  },
  async showSaveDialog() {
    return { canceled: true, filePath: '' };
  },
  async showMessageBox(windowOrOptions, maybeOptions) {
    const options = windowOrOptions instanceof BrowserWindow ? maybeOptions : windowOrOptions;
    report('message-box', { message: options?.message ?? '' });
    return { response: options?.cancelId ?? 0, checkboxChecked: false };
  },
};

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  #options;
  constructor(options = {}) {
    super();
    this.#options = options;
  }
  show() {
    const shown = { title: this.#options.title ?? '', body: this.#options.body ?? '' };
    world.notifications.push(shown);
    report('notification', shown);
    this.emit('show');
  }
  close() {
    this.emit('close');
  }
}

class Session {
  webRequest = {
    onHeadersReceived(filterOrListener, maybeListener) {
      world.session.headersListener =
        typeof filterOrListener === 'function' ? filterOrListener : (maybeListener ?? null);
    },
    onBeforeRequest() {},
    onBeforeSendHeaders() {},
  };
  setPermissionRequestHandler(handler) {
    world.session.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler) {
    world.session.permissionCheck = handler;
  }
  setDevicePermissionHandler() {}
  async clearCache() {}
  async clearStorageData() {}
}

const defaultSession = new Session();
world.sessionObject = defaultSession;

export const session = {
  get defaultSession() {
    if (!world.ready) throw new Error('Session can only be received when app is ready');
    return defaultSession;
  },
  fromPartition() {
    if (!world.ready) throw new Error('Session can only be received when app is ready');
    return new Session();
  },
};

export const shell = {
  async openExternal(url) {
    world.externalUrls.push(url);
    report('open-external', { url });
  },
  async openPath() {
    return '';
  },
  showItemInFolder() {},
};

/** Reports what the test set in world.power (documented: idle time in seconds, battery as a boolean). */
class PowerMonitor extends EventEmitter {
  getSystemIdleState(threshold) {
    return world.power.idleSeconds >= threshold ? 'idle' : 'active';
  }
  getSystemIdleTime() {
    return world.power.idleSeconds;
  }
  isOnBatteryPower() {
    return world.power.onBattery;
  }
  get onBatteryPower() {
    return world.power.onBattery;
  }
}

export const powerMonitor = new PowerMonitor();

export const screen = {
  getPrimaryDisplay: () => ({ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 }),
  getAllDisplays: () => [screen.getPrimaryDisplay()],
};
