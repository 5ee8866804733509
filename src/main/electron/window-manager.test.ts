import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { GoneDetails } from './renderer-recovery';
import { createWindowManager, type WindowLike } from './window-manager';

let nextId = 0;

class FakeContents extends EventEmitter {
  readonly id = ++nextId;
  crashed = false;
  reloads = 0;
  isCrashed(): boolean {
    return this.crashed;
  }
  reload(): void {
    this.reloads += 1;
    this.crashed = false;
  }
  crash(details: GoneDetails = { reason: 'crashed', exitCode: 139 }): void {
    this.crashed = true;
    this.emit('render-process-gone', {}, details);
  }
}

class FakeWindow extends EventEmitter implements WindowLike {
  readonly webContents = new FakeContents();
  destroyed = false;
  visible: boolean;
  minimized = false;
  focused = 0;
  constructor(readonly showOnReady: boolean) {
    super();
    this.visible = showOnReady;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    if (!this.minimized) return;
    this.minimized = false;
    this.emit('restore');
  }
  minimize(): void {
    this.minimized = true;
    this.emit('minimize');
  }
  show(): void {
    this.visible = true;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
    this.emit('hide');
  }
  focus(): void {
    this.focused += 1;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
  /** What a click on the title bar's X does: `close`, and the window goes unless it was prevented. */
  userClose(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }
}

function setup(options: { closeToTray?: boolean; quitting?: boolean; mining?: boolean } = {}) {
  const created: FakeWindow[] = [];
  const state = { closeToTray: options.closeToTray ?? true, quitting: options.quitting ?? false };
  const notices: string[] = [];
  const notifications: { title: string; body: string }[] = [];
  const onVisibilityChange = vi.fn();
  const viewers: number[] = [];
  const windows = createWindowManager<FakeWindow>({
    create: (show) => {
      const w = new FakeWindow(show);
      created.push(w);
      return w;
    },
    closeToTray: () => state.closeToTray,
    quitting: () => state.quitting,
    isMining: () => options.mining ?? false,
    notice: (message) => notices.push(message),
    notify: (title, body) => notifications.push({ title, body }),
    onVisibilityChange,
    onViewersChange: (count) => viewers.push(count),
    log: () => undefined,
  });
  return { windows, created, state, notices, notifications, onVisibilityChange, viewers };
}

describe('createWindowManager', () => {
  it('creates one window and reuses it while it lives', () => {
    const { windows, created } = setup();
    windows.ensure(true);
    windows.ensure(true);
    windows.show();
    expect(created).toHaveLength(1);
    expect(windows.current()).toBe(created[0]);
    expect(created[0]?.focused).toBe(1);
  });

  it('hides to the tray on close and says so once, mentioning mining', () => {
    const { windows, created, notifications } = setup({ mining: true });
    windows.ensure(true);
    const w = created[0]!;
    w.userClose();
    w.show();
    w.userClose();
    expect(w.destroyed).toBe(false);
    expect(w.visible).toBe(false);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.body).toContain('Mining continues');
    expect(windows.userClosed).toBe(false);
  });

  it('lets the window close with close-to-tray off and records that the user closed it', () => {
    const { windows, created } = setup({ closeToTray: false });
    windows.ensure(true);
    created[0]!.userClose();
    expect(created[0]?.destroyed).toBe(true);
    expect(windows.current()).toBeNull();
    expect(windows.userClosed).toBe(true);
  });

  it('lets the window close while quitting without counting it as a user close', () => {
    const { windows, created, state } = setup();
    windows.ensure(true);
    state.quitting = true;
    created[0]!.userClose();
    expect(created[0]?.destroyed).toBe(true);
    expect(windows.userClosed).toBe(false);
  });

  it('reloads a visible window whose renderer crashed and tells the reloaded page', () => {
    const { windows, created, notices } = setup();
    windows.ensure(true);
    created[0]!.webContents.crash();
    expect(created[0]?.webContents.reloads).toBe(1);
    expect(created).toHaveLength(1);
    expect(notices).toEqual([
      'The window stopped unexpectedly (crashed, exit code 139) and was reloaded. Mining was not affected.',
    ]);
  });

  it('replaces the window on a second crash soon after, creating the new one before dropping the old', () => {
    const { windows, created, notices } = setup();
    windows.ensure(true);
    const first = created[0]!;
    first.webContents.crash();
    let windowsWhenOldWentAway = -1;
    first.on('closed', () => (windowsWhenOldWentAway = created.filter((w) => !w.destroyed).length));
    first.webContents.crash();
    expect(created).toHaveLength(2);
    expect(first.destroyed).toBe(true);
    expect(windowsWhenOldWentAway).toBe(1);
    expect(windows.current()).toBe(created[1]);
    expect(created[1]?.showOnReady).toBe(true);
    expect(notices.at(-1)).toContain('opened anew');
  });

  it('gives up after the third crash in a minute: closes the window and notifies from the tray', () => {
    const { windows, created, notifications } = setup();
    windows.ensure(true);
    created[0]!.webContents.crash();
    created[0]!.webContents.crash();
    created[1]!.webContents.crash();
    expect(created.every((w) => w.destroyed)).toBe(true);
    expect(windows.current()).toBeNull();
    expect(notifications.at(-1)?.title).toBe('The HashDeck window keeps crashing');
    windows.show();
    expect(created).toHaveLength(3);
    expect(windows.current()).toBe(created[2]);
  });

  it('drops a hidden window whose renderer crashed and tells the next one', () => {
    const { windows, created, notices } = setup();
    windows.ensure(false);
    created[0]!.webContents.crash({ reason: 'killed' });
    expect(created[0]?.destroyed).toBe(true);
    expect(notices).toEqual([]);
    windows.show();
    expect(created).toHaveLength(2);
    expect(notices).toEqual([
      'The window stopped unexpectedly while hidden (killed) and was opened anew. Mining was not affected.',
    ]);
  });

  it('never shows a window whose page is dead: Show window builds a new one', () => {
    const { windows, created } = setup();
    windows.ensure(true);
    created[0]!.webContents.crashed = true; // gone without (yet) an event, e.g. during start-up
    windows.show();
    expect(created).toHaveLength(2);
    expect(created[0]?.destroyed).toBe(true);
    expect(windows.current()).toBe(created[1]);
  });

  it('ignores a crash while quitting and a late crash of a replaced window', () => {
    const { windows, created, state } = setup();
    windows.ensure(true);
    const first = created[0]!;
    state.quitting = true;
    first.webContents.crash();
    expect(first.webContents.reloads).toBe(0);
    state.quitting = false;
    first.webContents.crashed = true;
    windows.show();
    first.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(created).toHaveLength(2);
    expect(created[1]?.webContents.reloads).toBe(0);
  });

  it('reports visibility changes for the tray', () => {
    const { windows, created, onVisibilityChange } = setup();
    windows.ensure(true);
    created[0]!.hide();
    created[0]!.show();
    expect(onVisibilityChange).toHaveBeenCalledTimes(2);
    expect(windows.isVisible()).toBe(true);
    windows.hide();
    expect(windows.isVisible()).toBe(false);
  });

  it('counts the window as a viewer of live stats only while it is visible and not minimised', () => {
    const { windows, created, viewers } = setup();
    windows.ensure(false); // start minimised: built hidden, so nobody watches from the start
    expect(viewers).toEqual([0]);
    const w = created[0]!;
    w.show();
    expect(viewers).toEqual([0, 1]);
    w.minimize();
    expect(viewers).toEqual([0, 1, 0]);
    windows.show(); // restores it
    expect(viewers).toEqual([0, 1, 0, 1]);
    w.hide();
    w.hide();
    expect(viewers).toEqual([0, 1, 0, 1, 0]); // reported on change only
    w.show();
    w.destroy();
    expect(viewers).toEqual([0, 1, 0, 1, 0, 1, 0]);
  });
});
