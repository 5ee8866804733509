// The desktop entry: one instance, the mining service, typed IPC, tray and window, and a quit that
// waits for every miner to stop. Thin on purpose: each decision lives in a module with its own tests.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, dialog, ipcMain, session, type BrowserWindow } from 'electron';
import { createMiningService } from '../service/mining-service';
import { parseArgs } from './args';
import { bindCommands } from './ipc/bind-commands';
import { connectRenderer } from './ipc/connect-renderer';
import { createEventSender, forwardServiceEvents } from './ipc/event-sender';
import { createSenderGuard } from './ipc/trusted-sender';
import { createQuitController, decideClose } from './lifecycle';
import { createAppTray, type AppTray } from './tray/tray';
import type { DesktopService } from './types';
import { createMainWindow, installSessionSecurity, type RendererSource } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererFile = join(here, '../renderer/index.html');
// electron-vite sets this while `npm run dev` serves the renderer; a packaged app never trusts it.
const devServerUrl = app.isPackaged ? null : (process.env['ELECTRON_RENDERER_URL'] ?? null);
const rendererSource: RendererSource =
  devServerUrl !== null ? { kind: 'url', url: devServerUrl } : { kind: 'file', path: rendererFile };

function fail(title: string, message: string): void {
  console.error(`${title}: ${message}`);
  if (app.isReady()) dialog.showErrorBox(title, message);
  app.exit(1);
}

function start(): void {
  const args = parseArgs(process.argv, process.cwd());
  if (!args.ok) {
    fail('HashDeck cannot start', args.error);
    return;
  }
  const dataDir = args.dataDir ?? app.getPath('userData');
  // Chromium's profile (and with it the single-instance lock) follows an explicit data dir, so two
  // data dirs can run side by side (e2e runs) while one data dir never gets two writers.
  if (args.dataDir !== null) app.setPath('userData', join(args.dataDir, 'electron'));

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let service: DesktopService | null = null;
  let tray: AppTray | null = null;
  let win: BrowserWindow | null = null;
  let trayNoticeShown = false;
  const pendingService = app.whenReady().then(() => createMiningService({ dataDir }));

  const quit = createQuitController({
    // A quit during start-up waits for the service, so the shutdown always reaches what it created.
    shutdown: () => pendingService.then((s) => s.shutdown()),
    exit: (code) => app.exit(code),
  });
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => (app.isReady() ? app.quit() : app.exit(130)));
  }

  const sender = createEventSender({
    onError: (event, err) => console.warn(`could not send "${event}" to the window`, err),
  });
  const isTrusted = createSenderGuard({
    webContentsId: () => (win !== null && !win.isDestroyed() ? win.webContents.id : null),
    allowed: { fileUrl: pathToFileURL(rendererFile).href, devServerUrl },
  });

  function onWindowClose(current: BrowserWindow, event: { preventDefault(): void }): void {
    const closeToTray = service?.settings().closeToTray ?? true;
    if (decideClose({ quitting: quit.quitting, closeToTray }) === 'close') return;
    event.preventDefault();
    current.hide();
    if (trayNoticeShown) return;
    trayNoticeShown = true;
    const mining = (service?.miners() ?? []).some((m) => m.state === 'running' || m.state === 'starting');
    tray?.notify(
      'HashDeck is still running',
      mining
        ? 'Mining continues in the tray. Use Quit in the tray menu to stop every miner.'
        : 'HashDeck keeps running in the tray. Use Quit in the tray menu to exit.',
    );
  }

  function ensureWindow(show: boolean): { window: BrowserWindow; created: boolean } {
    if (win !== null && !win.isDestroyed()) return { window: win, created: false };
    const current = createMainWindow({
      preloadPath,
      renderer: rendererSource,
      show,
      iconPath: join(app.getAppPath(), 'resources', 'icon.png'),
    });
    win = current;
    connectRenderer({ ipcMain, contents: current.webContents, sender, isTrusted });
    current.on('close', (event) => onWindowClose(current, event));
    current.on('show', () => tray?.refresh());
    current.on('hide', () => tray?.refresh());
    current.on('closed', () => {
      if (win === current) win = null;
      tray?.refresh();
    });
    return { window: current, created: true };
  }

  function showWindow(): void {
    const { window, created } = ensureWindow(true);
    if (created) return; // it shows itself on ready-to-show
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  app.on('second-instance', () => {
    if (service !== null) showWindow();
  });
  app.on('activate', () => {
    if (service !== null) showWindow();
  });
  app.on('window-all-closed', () => {
    // Reached only when the window really closed (closeToTray off): that means quit, on every platform.
    app.quit();
  });

  pendingService.then(
    (created) => {
      service = created;
      if (process.platform === 'win32') app.setAppUserModelId('app.hashdeck.desktop');
      installSessionSecurity(session.defaultSession);
      bindCommands({
        ipcMain,
        service: created,
        isTrusted,
        onForbidden: (name, url) =>
          console.warn(`refused "${name}" from untrusted sender ${url ?? '(gone)'}`),
      });
      forwardServiceEvents(created, sender);
      created.manager.startCollector();
      // Whatever ends the process (a crash included), no miner outlives it.
      process.on('exit', () => created.manager.killAllSync());
      // The tray comes first: even with the window hidden, what mines is always visible.
      tray = createAppTray({
        service: created,
        resourcesDir: join(app.getAppPath(), 'resources'),
        window: {
          isVisible: () => win !== null && !win.isDestroyed() && win.isVisible(),
          show: showWindow,
          hide: () => win?.hide(),
        },
        quit: () => app.quit(),
      });
      ensureWindow(!created.settings().startMinimized);
      // After the window exists: the event sender queues these until the page is ready to show them.
      for (const notice of created.startupNotices) {
        console.warn(`warning: ${notice}`);
        created.notify('warning', notice);
      }
    },
    (err: unknown) => fail('HashDeck cannot start', err instanceof Error ? err.message : String(err)),
  );
}

start();
