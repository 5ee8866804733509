// The `app` module: ready/whenReady, the quit sequence (before-quit -> close windows -> will-quit -> quit)
// versus exit(), paths, and a single-instance lock that works across processes like Chromium's.
import { EventEmitter } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir, hostname, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { report, reportAndFlush } from './control.mjs';
import { ElectronEvent, world } from './world.mjs';

/** The app path Electron's default app uses for `electron <path>`: a folder as is, a script's folder. */
function defaultAppPath() {
  const entry = resolve(process.argv[1] ?? '.');
  try {
    return statSync(entry).isDirectory() ? entry : dirname(entry);
  } catch {
    return dirname(entry);
  }
}

function appName(appPath) {
  try {
    const pkg = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8'));
    return pkg.productName ?? pkg.name ?? 'Electron';
  } catch {
    return 'Electron'; // the default app's name when the app folder has no package.json
  }
}

function defaultPaths(name) {
  const home = homedir();
  const appData =
    process.platform === 'win32'
      ? (process.env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : process.platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (process.env.XDG_CONFIG_HOME ?? join(home, '.config'));
  const userData = join(appData, name);
  return new Map([
    ['home', home],
    ['appData', appData],
    ['userData', userData],
    ['sessionData', userData],
    ['temp', tmpdir()],
    ['exe', process.execPath],
    ['module', process.execPath],
    ['desktop', join(home, 'Desktop')],
    ['documents', join(home, 'Documents')],
    ['downloads', join(home, 'Downloads')],
    ['music', join(home, 'Music')],
    ['pictures', join(home, 'Pictures')],
    ['videos', join(home, 'Videos')],
    ['logs', join(userData, 'logs')],
    ['crashDumps', join(userData, 'Crashpad')],
  ]);
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Children of this process still alive at exit (Linux /proc; null elsewhere): proves quit waited for them. */
export function liveChildren() {
  if (process.platform !== 'linux') return null;
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || fields[0] === 'Z') continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      children.push({ pid: Number(entry), cmd });
    } catch {
      // gone while we looked
    }
  }
  return children;
}

class SingleInstance {
  #lockPath = null;
  #server = null;

  get held() {
    return this.#lockPath !== null;
  }

  /** Chromium's ProcessSingleton on Linux: a SingletonLock symlink to `host-pid` plus a socket. */
  acquire(userData, app, additionalData) {
    // Electron creates the folder first ("the user_dir may not have been created yet") and ignores a
    // failure; the lock then fails, exactly like a lock held by another instance.
    try {
      mkdirSync(userData, { recursive: true });
    } catch {
      // reported through the lock's failure below
    }
    const lockPath = join(userData, 'SingletonLock');
    const socketPath = join(userData, 'SingletonSocket');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        symlinkSync(`${hostname()}-${process.pid}`, lockPath);
      } catch (err) {
        if (err.code !== 'EEXIST') return false;
        let owner = 0;
        try {
          owner = Number(/-(\d+)$/.exec(readlinkSync(lockPath))?.[1] ?? 0);
        } catch {
          return false;
        }
        if (owner > 0 && owner !== process.pid && isAlive(owner)) {
          this.#notify(socketPath, additionalData);
          return false;
        }
        try {
          unlinkSync(lockPath); // stale: its owner is gone
        } catch {
          return false;
        }
        continue;
      }
      this.#lockPath = lockPath;
      this.#listen(socketPath, app);
      process.on('exit', () => this.release());
      return true;
    }
    return false;
  }

  #listen(socketPath, app) {
    try {
      unlinkSync(socketPath);
    } catch {
      // no stale socket
    }
    this.#server = createServer((socket) => {
      let buffer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        buffer += chunk;
        const end = buffer.indexOf('\n');
        if (end < 0) return;
        const message = JSON.parse(buffer.slice(0, end));
        socket.end('ACK\n');
        report('app-event', { name: 'second-instance', argv: message.argv });
        app.emit('second-instance', new ElectronEvent(), message.argv, message.cwd, message.additionalData);
      });
      socket.on('error', () => undefined);
    });
    this.#server.unref();
    this.#server.listen(socketPath);
  }

  #notify(socketPath, additionalData) {
    const task = new Promise((done) => {
      const socket = createConnection(socketPath);
      socket.setEncoding('utf8');
      socket.on('connect', () =>
        socket.write(`${JSON.stringify({ argv: process.argv, cwd: process.cwd(), additionalData })}\n`),
      );
      socket.on('data', () => socket.end());
      socket.on('close', () => done());
      socket.on('error', () => done());
    });
    world.exitTasks.add(task);
  }

  release() {
    this.#server?.close();
    this.#server = null;
    if (this.#lockPath === null) return;
    try {
      unlinkSync(this.#lockPath);
    } catch {
      // already gone
    }
    this.#lockPath = null;
  }
}

export class App extends EventEmitter {
  #ready = false;
  #readyPromise;
  #resolveReady;
  #quitting = false;
  #exiting = false;
  #shutdown = false;
  #terminating = false;
  #appPath = defaultAppPath();
  #name = appName(this.#appPath);
  #paths = defaultPaths(this.#name);
  #sessionDataSet = false;
  #lock = new SingleInstance();

  commandLine = {
    switches: new Map(),
    appendSwitch(name, value = '') {
      this.switches.set(name, value);
    },
    appendArgument() {},
    hasSwitch(name) {
      return this.switches.has(name);
    },
    getSwitchValue(name) {
      return this.switches.get(name) ?? '';
    },
    removeSwitch(name) {
      this.switches.delete(name);
    },
  };

  constructor() {
    super();
    this.#readyPromise = new Promise((resolveReady) => (this.#resolveReady = resolveReady));
  }

  get isPackaged() {
    return process.env.HASHDECK_EMU_PACKAGED === '1';
  }

  /** Fires `will-finish-launching`, then `ready`; never after the app began to shut down. */
  emitReady() {
    if (this.#ready || this.#shutdown || this.#terminating) return;
    this.emit('will-finish-launching');
    this.#ready = true;
    world.ready = true;
    report('app-event', { name: 'ready' });
    this.emit('ready', new ElectronEvent(), {});
    this.#resolveReady();
  }

  isReady() {
    return this.#ready;
  }
  whenReady() {
    return this.#readyPromise;
  }

  getAppPath() {
    return this.#appPath;
  }
  setAppPath(path) {
    this.#appPath = path;
  }
  getName() {
    return this.#name;
  }
  setName(name) {
    this.#name = name;
  }
  getVersion() {
    try {
      return JSON.parse(readFileSync(join(this.#appPath, 'package.json'), 'utf8')).version;
    } catch {
      return '41.0.0';
    }
  }
  getLocale() {
    return 'en-US';
  }
  setAppUserModelId() {}
  focus() {}
  show() {}
  hide() {}

  getPath(name) {
    const path = this.#paths.get(name);
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  }
  setPath(name, path) {
    if (!this.#paths.has(name)) throw new Error(`Failed to set path: unknown name '${name}'`);
    if (!isAbsolute(path)) throw new Error('Path must be absolute');
    // Documented: "If the path specifies a directory that does not exist, an Error is thrown."
    if (!existsSync(path)) throw new Error('Failed to set path');
    this.#paths.set(name, path);
    if (name === 'sessionData') this.#sessionDataSet = true;
    if (name === 'userData' && !this.#sessionDataSet) this.#paths.set('sessionData', path);
  }

  requestSingleInstanceLock(additionalData) {
    if (this.#lock.held) return true;
    const ok = this.#lock.acquire(this.getPath('userData'), this, additionalData);
    report('app-event', { name: 'single-instance-lock', ok });
    return ok;
  }
  hasSingleInstanceLock() {
    return this.#lock.held;
  }
  releaseSingleInstanceLock() {
    this.#lock.release();
  }

  /**
   * Electron's Browser::Quit: `before-quit` (preventable); then every window is asked to close (one
   * that refuses cancels the quit); once none is left, `will-quit` (preventable), `quit`, exit code 0.
   * A second call while a quit is under way does nothing.
   */
  quit() {
    if (this.#quitting) return;
    const event = new ElectronEvent();
    report('app-event', { name: 'before-quit' });
    this.emit('before-quit', event);
    this.#quitting = !event.defaultPrevented;
    if (!this.#quitting) return;
    if (world.windows.size === 0) this.#notifyAndShutdown();
    else for (const win of [...world.windows.values()]) win.close();
  }

  /**
   * Exits with `code` without `before-quit`/`will-quit` and without asking the windows (they are
   * destroyed). Before `ready` there is no message loop yet and the process ends at once.
   */
  exit(code = 0) {
    report('app-event', { name: 'exit-called', code, ready: this.#ready });
    if (!this.#ready) {
      this.#terminate(code);
      return;
    }
    this.#exiting = true;
    this.#quitting = true;
    for (const win of [...world.windows.values()]) win.destroy();
    this.#doShutdown(code);
  }

  /** A window refused to close (its `close` was prevented) while quitting: the quit is off. */
  windowCloseCancelled() {
    this.#quitting = false;
  }

  /** Called by BrowserWindow when the last window is gone. */
  allWindowsClosed() {
    if (this.#exiting) return;
    if (this.#quitting) {
      this.#notifyAndShutdown();
      return;
    }
    // "If you do not subscribe to this event and all windows are closed, the default behavior is to quit."
    if (this.listenerCount('window-all-closed') === 0) {
      this.quit();
      return;
    }
    report('app-event', { name: 'window-all-closed' });
    this.emit('window-all-closed');
  }

  #notifyAndShutdown() {
    if (this.#shutdown) return;
    const event = new ElectronEvent();
    report('app-event', { name: 'will-quit' });
    this.emit('will-quit', event);
    if (event.defaultPrevented) {
      this.#quitting = false;
      return;
    }
    this.#doShutdown(0);
  }

  #doShutdown(code) {
    if (this.#shutdown) return;
    this.#shutdown = true;
    report('app-event', { name: 'quit', code });
    this.emit('quit', new ElectronEvent(), code);
    // The message loop ends once the current task is done; before `ready` it ends as soon as it starts.
    setImmediate(() => this.#terminate(code));
  }

  async #terminate(code) {
    if (this.#terminating) return;
    this.#terminating = true;
    let timer;
    await Promise.race([
      Promise.allSettled([...world.exitTasks]),
      new Promise((r) => (timer = setTimeout(r, 2000))),
    ]);
    clearTimeout(timer);
    await reportAndFlush('exit', {
      code,
      liveChildren: liveChildren(),
      liveTrays: world.trays.filter((t) => !t.isDestroyed()).length,
      liveWindows: world.windows.size,
      counts: { ...world.counts },
      handlers: [...world.handlers.keys()],
    });
    process.exit(code);
  }
}

export const app = new App();
