// The main window, locked down: isolated, sandboxed preload, no Node, no navigation, no new windows,
// a CSP header on every response and no permission grants beyond the clipboard. Shown on ready-to-show unless asked not to.
import { BrowserWindow, shell, type Session } from 'electron';
import { isPermissionAllowed, isSameDocument, shouldOpenExternally, withCsp } from './window-policy';

export type RendererSource = { kind: 'url'; url: string } | { kind: 'file'; path: string };

export interface MainWindowOptions {
  preloadPath: string;
  renderer: RendererSource;
  /** false when settings.startMinimized: the window stays hidden and the tray shows what runs. */
  show: boolean;
  iconPath?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'HashDeck',
    autoHideMenuBar: true,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });

  if (options.show) win.once('ready-to-show', () => win.show());

  const contents = win.webContents;
  contents.on('will-navigate', (event) => {
    if (!isSameDocument(contents.getURL(), event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (shouldOpenExternally(url)) {
      shell.openExternal(url).catch((err: unknown) => console.warn(`could not open ${url}`, err));
    }
    return { action: 'deny' };
  });

  const loading =
    options.renderer.kind === 'url' ? win.loadURL(options.renderer.url) : win.loadFile(options.renderer.path);
  loading.catch((err: unknown) => console.error('the window could not load the UI', err));
  return win;
}

/** Session-wide rules, installed once before the first window: CSP header and no permission grants. */
export function installSessionSecurity(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  // The UI needs no camera, notifications, geolocation or the like; main shows notifications itself.
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(isPermissionAllowed(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
}
