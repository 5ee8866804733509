// Owns the one main window: builds it on demand, hides it to the tray on close, and recovers when its
// renderer dies (reload, a new window, or give up and say so). "Show window" never reuses a dead window.
import { decideClose } from './lifecycle';
import {
  createRecoveryPolicy,
  describeGone,
  giveUpNotice,
  recoveryNotice,
  type GoneDetails,
  type RecoveryPolicy,
} from './renderer-recovery';

/** The part of Electron's BrowserWindow used here; one overload per event keeps it assignable. */
export interface WindowLike {
  readonly webContents: {
    readonly id: number;
    isCrashed(): boolean;
    reload(): void;
    on(event: 'render-process-gone', listener: (event: unknown, details: GoneDetails) => void): unknown;
  };
  isDestroyed(): boolean;
  isVisible(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  hide(): void;
  focus(): void;
  destroy(): void;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'show', listener: () => void): unknown;
  on(event: 'hide', listener: () => void): unknown;
  on(event: 'minimize', listener: () => void): unknown;
  on(event: 'restore', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
}

export interface WindowManagerOptions<W extends WindowLike> {
  /** A new window, wired to the event sender; shown on ready-to-show when `show`. */
  create(show: boolean): W;
  closeToTray(): boolean;
  quitting(): boolean;
  isMining(): boolean;
  /** A notice for the page: queued until the (re)loaded page can show it. */
  notice(message: string): void;
  /** A desktop notification (the tray's), for when there is no page to tell. */
  notify(title: string, body: string): void;
  /** The window appeared, disappeared or went away: the tray's Show/Hide item follows. */
  onVisibilityChange(): void;
  /**
   * How many windows show live stats now: 1 while the window is visible and not minimised, else 0 (the
   * service then polls the miners less often). Called with the first count and on every change.
   */
  onViewersChange?(count: number): void;
  policy?: RecoveryPolicy;
  log?: (message: string) => void;
}

export interface WindowManager<W extends WindowLike> {
  /** The live window, or null when there is none. */
  current(): W | null;
  /** Makes sure a working window exists; a new one shows itself when `show`. */
  ensure(show: boolean): void;
  show(): void;
  hide(): void;
  isVisible(): boolean;
  /** True once the user closed the window for real (close-to-tray off): all windows closed then means quit. */
  readonly userClosed: boolean;
}

export function createWindowManager<W extends WindowLike>(
  options: WindowManagerOptions<W>,
): WindowManager<W> {
  const policy = options.policy ?? createRecoveryPolicy();
  const log = options.log ?? ((message: string) => console.warn(message));
  let win: W | null = null;
  let userClosed = false;
  let trayNoticeShown = false;
  // Told in the next window: a hidden window that crashed is dropped and rebuilt only when asked for.
  let pendingNotice: string | null = null;
  let viewers: number | null = null;

  const live = (): W | null => (win !== null && !win.isDestroyed() ? win : null);

  function reportViewers(): void {
    const current = live();
    const count = current !== null && current.isVisible() && !current.isMinimized() ? 1 : 0;
    if (count === viewers) return;
    viewers = count;
    options.onViewersChange?.(count);
  }

  function onClose(current: W, event: { preventDefault(): void }): void {
    const quitting = options.quitting();
    if (decideClose({ quitting, closeToTray: options.closeToTray() }) === 'close') {
      if (!quitting) userClosed = true;
      return;
    }
    event.preventDefault();
    current.hide();
    if (trayNoticeShown) return;
    trayNoticeShown = true;
    options.notify(
      'HashDeck is still running',
      options.isMining()
        ? 'Mining continues in the tray. Use Quit in the tray menu to stop every miner.'
        : 'HashDeck keeps running in the tray. Use Quit in the tray menu to exit.',
    );
  }

  function onGone(current: W, details: GoneDetails): void {
    if (options.quitting() || current !== win || current.isDestroyed()) return;
    const action = policy.decide({ visible: current.isVisible() });
    log(`the window's renderer is gone (${describeGone(details)}); recovery: ${action}`);
    switch (action) {
      case 'reload':
        current.webContents.reload();
        options.notice(recoveryNotice('reload', details));
        return;
      case 'recreate':
        // The new window first, so there is never a moment without one (that would read as "quit").
        build(true);
        current.destroy();
        options.notice(recoveryNotice('recreate', details));
        return;
      case 'discard':
        pendingNotice = recoveryNotice('discard', details);
        drop(current);
        return;
      case 'give-up': {
        drop(current);
        const { title, body } = giveUpNotice(details);
        options.notify(title, body);
        return;
      }
    }
  }

  function drop(current: W): void {
    if (win === current) win = null;
    if (!current.isDestroyed()) current.destroy();
  }

  function build(show: boolean): W {
    const current = options.create(show);
    win = current;
    current.on('close', (event) => onClose(current, event));
    current.on('show', () => {
      options.onVisibilityChange();
      reportViewers();
    });
    current.on('hide', () => {
      options.onVisibilityChange();
      reportViewers();
    });
    current.on('minimize', reportViewers);
    current.on('restore', reportViewers);
    current.on('closed', () => {
      if (win === current) win = null;
      options.onVisibilityChange();
      reportViewers();
    });
    current.webContents.on('render-process-gone', (_event, details) => onGone(current, details));
    if (pendingNotice !== null) {
      options.notice(pendingNotice);
      pendingNotice = null;
    }
    // A window built hidden (start minimised) shows nothing: say so at once, not at its first event.
    reportViewers();
    return current;
  }

  function ensure(show: boolean): { window: W; created: boolean } {
    const current = live();
    if (current !== null && !current.webContents.isCrashed()) return { window: current, created: false };
    const fresh = build(show);
    // A window whose page died and was not rebuilt yet is never shown again.
    if (current !== null) current.destroy();
    return { window: fresh, created: true };
  }

  return {
    current: live,
    ensure(show) {
      ensure(show);
    },
    show() {
      const { window, created } = ensure(true);
      if (created) return; // it shows itself on ready-to-show
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    hide() {
      live()?.hide();
    },
    isVisible() {
      return live()?.isVisible() ?? false;
    },
    get userClosed() {
      return userClosed;
    },
  };
}
