import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CSP } from './window-policy';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  class FakeContents {
    listeners = new Map<string, Listener[]>();
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    url = 'file:///app/out/renderer/index.html';
    on(event: string, listener: Listener): void {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    }
    emit(event: string, ...args: unknown[]): void {
      for (const l of this.listeners.get(event) ?? []) l(...args);
    }
    getURL(): string {
      return this.url;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
      this.openHandler = handler;
    }
  }
  class FakeWindow {
    static last: FakeWindow | null = null;
    webContents = new FakeContents();
    shown = 0;
    loaded: string[] = [];
    handlers = new Map<string, Listener>();
    constructor(readonly options: Record<string, unknown>) {
      FakeWindow.last = this;
    }
    once(event: string, listener: Listener): void {
      this.handlers.set(event, listener);
    }
    show(): void {
      this.shown += 1;
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(path: string): Promise<void> {
      this.loaded.push(`file:${path}`);
      return Promise.resolve();
    }
  }
  const openExternal = vi.fn((_url: string) => Promise.resolve());
  return { FakeWindow, openExternal };
});

vi.mock('electron', () => ({
  BrowserWindow: electron.FakeWindow,
  shell: { openExternal: electron.openExternal },
}));

const { createMainWindow, installSessionSecurity } = await import('./window');

function create(show = true) {
  createMainWindow({
    preloadPath: '/app/out/preload/index.cjs',
    renderer: { kind: 'file', path: '/app/out/renderer/index.html' },
    show,
  });
  const win = electron.FakeWindow.last;
  if (!win) throw new Error('no window');
  return win;
}

describe('createMainWindow', () => {
  beforeEach(() => electron.openExternal.mockClear());

  it('locks the renderer down: isolated, sandboxed, no Node, web security on', () => {
    const win = create();
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });

  it('loads the built renderer file, or the dev server URL', () => {
    expect(create().loaded).toEqual(['file:/app/out/renderer/index.html']);
    createMainWindow({
      preloadPath: 'p',
      renderer: { kind: 'url', url: 'http://localhost:5173' },
      show: true,
    });
    expect(electron.FakeWindow.last?.loaded).toEqual(['http://localhost:5173']);
  });

  it('shows itself on ready-to-show, unless started minimized', () => {
    const win = create(true);
    win.handlers.get('ready-to-show')?.();
    expect(win.shown).toBe(1);
    const hidden = create(false);
    expect(hidden.handlers.has('ready-to-show')).toBe(false);
  });

  it('prevents navigation to another document but allows hash routes', () => {
    const win = create();
    const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();
    const route = { url: 'file:///app/out/renderer/index.html#/logs', preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', route);
    expect(route.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses webviews', () => {
    const win = create();
    const event = { preventDefault: vi.fn() };
    win.webContents.emit('will-attach-webview', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies every new window and opens only https links in the browser', () => {
    const win = create();
    const handler = win.webContents.openHandler;
    expect(handler?.({ url: 'https://xmrig.com/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'http://plain.example/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.openExternal.mock.calls).toEqual([['https://xmrig.com/']]);
  });
});

describe('installSessionSecurity', () => {
  it('sets the CSP header and denies permissions except clipboard writes', () => {
    let headers:
      ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void) | null = null;
    let request: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: ((wc: unknown, permission: string) => boolean) | null = null;
    const session = {
      webRequest: { onHeadersReceived: (l: typeof headers) => (headers = l) },
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    };
    installSessionSecurity(session as never);

    const reply = vi.fn();
    headers!({ responseHeaders: { 'content-type': ['text/html'] } }, reply);
    expect(reply).toHaveBeenCalledWith({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CSP] },
    });
    const answer = vi.fn();
    request!(null, 'media', answer);
    request!(null, 'clipboard-sanitized-write', answer);
    expect(answer.mock.calls).toEqual([[false], [true]]);
    expect(check!(null, 'geolocation')).toBe(false);
  });
});
