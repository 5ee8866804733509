// What the smoke test can do to the running app, each the way a user, the OS or a renderer would:
// release `ready`, read the state, call the page's client, click the tray, close, minimise or restore the
// window, set idle time and battery, crash the renderer, navigate, open a link, queue a file-dialog answer,
// ask the session about headers and permissions.
import { app } from './app.mjs';
import { onCommand } from './control.mjs';
import { clickMenuItem } from './tray-menu.mjs';
import { BrowserWindow } from './windows.mjs';
import { world } from './world.mjs';

function windowFor(args) {
  const win =
    args.windowId !== undefined ? BrowserWindow.fromId(args.windowId) : BrowserWindow.getAllWindows()[0];
  if (!win) throw new Error('no window');
  return win;
}

function liveTray() {
  const tray = world.trays.find((t) => !t.isDestroyed());
  if (!tray) throw new Error('no tray');
  return tray;
}

function livePage(args) {
  const page = windowFor(args).webContents.page;
  if (!page?.alive) throw new Error('the window has no live page');
  return page;
}

export function installCommands() {
  onCommand('ready', () => {
    app.emitReady();
    return null;
  });
  // `ready`, then app.quit() in the same task: the app's whenReady callbacks run after the quit began.
  onCommand('readyThenQuit', () => {
    app.emitReady();
    app.quit();
    return null;
  });
  onCommand('quit', () => {
    app.quit();
    return null;
  });
  onCommand('activate', () => {
    app.emit(
      'activate',
      { preventDefault() {} },
      BrowserWindow.getAllWindows().some((w) => w.isVisible()),
    );
    return null;
  });

  onCommand('state', () => ({
    ready: world.ready,
    windows: BrowserWindow.getAllWindows().map((w) => w.describe()),
    trays: world.trays.map((t) => t.describe()),
    handlers: [...world.handlers.keys()],
    listeners: world.ipcMain.eventNames().filter((n) => typeof n === 'string'),
    counts: { ...world.counts },
    errorBoxes: world.errorBoxes,
    notifications: world.notifications,
    openDialogs: world.openDialogs,
    externalUrls: world.externalUrls,
    sessionSecured: world.session.headersListener !== null,
  }));

  // The page's own client (window.mining), as the React UI calls it.
  onCommand('invoke', async (args) => {
    const api = livePage(args).mainWorld.mining;
    if (!api || typeof api[args.command] !== 'function')
      throw new Error(`window.mining.${args.command} is missing`);
    try {
      return { ok: true, value: await api[args.command](args.payload) };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? { message: err.message } : err };
    }
  });
  // Raw ipcRenderer.invoke from a frame that is not our page: an iframe or a foreign document.
  onCommand('foreignInvoke', async (args) => {
    try {
      const value = await windowFor(args).webContents.invokeFromForeignFrame(
        args.url,
        args.subframe === true,
        args.channel,
        args.args ?? [],
      );
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: { message: err instanceof Error ? err.message : String(err) } };
    }
  });
  onCommand('pageMessages', (args) => {
    const page = livePage(args);
    return {
      received: page.received.filter((m) => !args.channel || m.channel === args.channel),
      counts: Object.fromEntries(page.counts),
    };
  });

  onCommand('trayClick', (args) => {
    const menu = liveTray().contextMenu;
    const item = menu?.getMenuItemById(args.id);
    if (!item) throw new Error(`the tray menu has no item "${args.id}"`);
    clickMenuItem(item);
    return null;
  });
  onCommand('trayIconClick', () => {
    liveTray().emit('click', { preventDefault() {} }, { x: 0, y: 0, width: 16, height: 16 });
    return null;
  });

  // The OS: the user minimises or restores the window, touches the keyboard, unplugs the charger.
  onCommand('minimizeWindow', (args) => {
    windowFor(args).minimize();
    return null;
  });
  onCommand('restoreWindow', (args) => {
    windowFor(args).restore();
    return null;
  });
  onCommand('setPower', (args) => {
    if (typeof args.idleSeconds === 'number') world.power.idleSeconds = args.idleSeconds;
    if (typeof args.onBattery === 'boolean') world.power.onBattery = args.onBattery;
    return { ...world.power };
  });

  onCommand('closeWindow', (args) => {
    windowFor(args).close();
    return null;
  });
  onCommand('crashRenderer', (args) => {
    windowFor(args).webContents.crash({ reason: args.reason ?? 'crashed', exitCode: args.exitCode ?? 139 });
    return null;
  });
  onCommand('navigate', (args) => windowFor(args).webContents.userNavigate(args.url));
  onCommand('openWindow', (args) => windowFor(args).webContents.userOpenWindow(args.url));

  onCommand('answerOpenDialog', (args) => {
    world.openDialogAnswers.push({ canceled: args.canceled === true, filePaths: args.filePaths ?? [] });
    return null;
  });
  onCommand('responseHeaders', (args) => {
    const listener = world.session.headersListener;
    if (!listener) throw new Error('no onHeadersReceived listener');
    return new Promise((resolve) =>
      listener(
        { url: args.url, responseHeaders: args.headers ?? {}, resourceType: 'mainFrame' },
        (response) => resolve(response),
      ),
    );
  });
  onCommand('permission', (args) => {
    const handler = world.session.permissionRequest;
    const check = world.session.permissionCheck;
    const contents = windowFor(args).webContents;
    return new Promise((resolve) => {
      if (!handler)
        return resolve({ requested: true, checked: check ? check(contents, args.permission, '', {}) : true });
      handler(contents, args.permission, (granted) =>
        resolve({ requested: granted, checked: check ? check(contents, args.permission, '', {}) : true }),
      );
    });
  });
}
