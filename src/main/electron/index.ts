// The desktop entry: one instance, the mining service, typed IPC, tray and window, and a quit that
// waits for every miner to stop. Thin on purpose: each decision lives in a module with its own tests.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, dialog, powerMonitor, session } from 'electron';
import { createMiningService } from '../service/mining-service';
import { resolveInstallSource, type InstallSourceOverrides } from '../service/install-source';
import { parseArgs } from './args';
import { createBinaryPicker } from './binary-picker';
import { prepareDataDir } from './data-dir';
import { bindCommands } from './ipc/bind-commands';
import { connectRenderer } from './ipc/connect-renderer';
import { electronIpcMain } from './ipc/electron-ipc';
import { createEventSender, forwardServiceEvents } from './ipc/event-sender';
import { createSenderGuard } from './ipc/trusted-sender';
import { createQuitController } from './lifecycle';
import { missingResources, resourcesDir } from './resources';
import { createAppTray, type AppTray } from './tray/tray';
import type { DesktopService } from './types';
import { createMainWindow, installSessionSecurity, type RendererSource } from './window';
import { createWindowManager } from './window-manager';

const here = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const rendererFile = join(here, '../renderer/index.html');
// electron-vite sets this while `npm run dev` serves the renderer; a packaged app never trusts it.
const devServerUrl = app.isPackaged ? null : (process.env['ELECTRON_RENDERER_URL'] ?? null);
const rendererSource: RendererSource =
  devServerUrl !== null ? { kind: 'url', url: devServerUrl } : { kind: 'file', path: rendererFile };

const CANNOT_START = 'HashDeck cannot start';

/**
 * Says why HashDeck cannot start, then exits 1. Before `ready`, Electron on Linux prints an error box to
 * stderr instead of showing it, and whoever launched the app from a shortcut never sees stderr: so the
 * dialog waits for `ready`.
 */
function failToStart(message: string): void {
  console.error(`${CANNOT_START}: ${message}`);
  void app.whenReady().then(() => {
    dialog.showErrorBox(CANNOT_START, message);
    app.exit(1);
  });
}

function start(): void {
  const args = parseArgs(process.argv, process.cwd());
  if (!args.ok) return failToStart(args.error);
  const dataDir = args.dataDir ?? app.getPath('userData');
  // Chromium's profile (and with it the single-instance lock) follows an explicit data dir, so two data
  // dirs can run side by side (e2e runs) while one data dir never gets two writers.
  const userData = args.dataDir !== null ? join(args.dataDir, 'electron') : dataDir;
  // Checked before the lock, which lives in userData: a folder that cannot hold it made the lock fail and
  // the app quit silently with 0, as if another instance were running. (setPath also wants it to exist.)
  for (const dir of new Set([dataDir, userData])) {
    const check = prepareDataDir(dir);
    if (!check.ok) return failToStart(check.error);
  }
  if (args.dataDir !== null) app.setPath('userData', userData);

  const resources = resourcesDir({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    bundleDir: here,
  });
  const missing = missingResources(resources);
  if (missing.length > 0) {
    const message = `Icons missing in ${resources}: ${missing.join(', ')}.`;
    // A developer must notice at once; a broken package still mines (with a blank tray icon) and logs it.
    if (!app.isPackaged) return failToStart(`${message} Run \`node scripts/make-icons.mjs\` to create them.`);
    console.error(message);
  }

  if (!app.requestSingleInstanceLock()) {
    // The folder is usable, so the lock is held by the HashDeck already running on it; that one gets
    // `second-instance` and shows its window.
    app.quit();
    return;
  }
  run(dataDir, resources, args.install);
}

function run(dataDir: string, resources: string, installOverrides: InstallSourceOverrides): void {
  let service: DesktopService | null = null;
  let tray: AppTray | null = null;

  const quit = createQuitController({
    // A quit during start-up waits for the service, so the shutdown always reaches what it created.
    shutdown: () => pendingService.then((created) => created?.shutdown()),
    exit: (code) => {
      // Windows keeps a dead tray icon around until the mouse passes over it unless it is destroyed.
      tray?.destroy();
      tray = null;
      app.exit(code);
    },
  });
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
  // A signal asks HashDeck to stop, like Quit in the tray, and a stop that was asked for and done exits 0
  // (the headless mode does the same); 130 would tell a supervisor the app died of Ctrl+C. After `ready`
  // the quit waits for every miner; before it, no service or miner exists yet, so there is nothing to wait for.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => (app.isReady() ? app.quit() : app.exit(0)));
  }

  const events = createEventSender({
    onError: (event, err) => console.warn(`could not send "${event}" to the window`, err),
  });
  const isTrusted = createSenderGuard({
    webContentsId: () => windows.current()?.webContents.id ?? null,
    allowed: { fileUrl: pathToFileURL(rendererFile).href, devServerUrl },
  });
  const windows = createWindowManager({
    create: (show) => {
      const created = createMainWindow({
        preloadPath,
        renderer: rendererSource,
        show,
        iconPath: join(resources, 'icon.png'),
      });
      connectRenderer({ ipcMain: electronIpcMain, contents: created.webContents, sender: events, isTrusted });
      return created;
    },
    closeToTray: () => service?.settings().closeToTray ?? true,
    quitting: () => quit.quitting,
    isMining: () => (service?.miners() ?? []).some((m) => m.state === 'running' || m.state === 'starting'),
    notice: (message) => service?.notify('warning', message),
    notify: (title, body) => tray?.notify(title, body),
    onVisibilityChange: () => tray?.refresh(),
    // Nobody sees live stats while the window is hidden or minimised: the miners are polled less often.
    onViewersChange: (count) => service?.setViewers?.('window', count),
  });

  const pickBinaryFile = createBinaryPicker({ parent: () => windows.current() });

  // Nothing new is built once a quit has begun: the quit waits only for what already exists.
  const pendingService = app.whenReady().then(async () => {
    if (quit.quitting) return null;
    // The release source is the local user's alone (flags, HASHDECK_XMRIG_*); a bad one stops the start.
    const source = await resolveInstallSource(installOverrides, process.env);
    return createMiningService({
      dataDir,
      pickBinaryFile,
      install: { source },
      // What the "while I use the computer" and "on battery" pause rules see (headless has neither).
      observe: async () => ({
        idleSeconds: powerMonitor.getSystemIdleTime(),
        onBattery: powerMonitor.isOnBatteryPower(),
      }),
    });
  });

  app.on('second-instance', () => {
    if (service !== null) windows.show();
  });
  app.on('activate', () => {
    if (service !== null) windows.show();
  });
  app.on('window-all-closed', () => {
    // The user closed the window with close-to-tray off: that means quit, on every platform. A window
    // dropped after a renderer crash does not (the tray still offers Show window).
    if (windows.userClosed) app.quit();
  });

  pendingService.then(
    (created) => {
      if (created === null || quit.quitting) return; // the quit shuts the service down; build nothing more
      service = created;
      if (process.platform === 'win32') app.setAppUserModelId('app.hashdeck.desktop');
      installSessionSecurity(session.defaultSession);
      bindCommands({
        ipcMain: electronIpcMain,
        service: created,
        isTrusted,
        onForbidden: (name, url) =>
          console.warn(`refused "${name}" from untrusted sender ${url ?? '(gone)'}`),
      });
      forwardServiceEvents(created, events);
      created.manager.startCollector();
      // Whatever ends the process (a crash included), no miner outlives it.
      process.on('exit', () => created.manager.killAllSync());
      // The tray comes first: even with the window hidden, what mines is always visible.
      tray = createAppTray({
        service: created,
        resourcesDir: resources,
        window: windows,
        quit: () => app.quit(),
      });
      windows.ensure(!created.settings().startMinimized);
      // After the window exists: the event sender queues these until the page is ready to show them.
      for (const notice of created.startupNotices) {
        console.warn(`warning: ${notice}`);
        created.notify('warning', notice);
      }
    },
    (err: unknown) => failToStart(err instanceof Error ? err.message : String(err)),
  );
}

start();
