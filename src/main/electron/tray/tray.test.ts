import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { FakeService, miner, profile, stats } from '../testing/fakes';

const electron = vi.hoisted(() => {
  class FakeTray {
    static last: FakeTray | null = null;
    images: string[] = [];
    tooltips: string[] = [];
    menus: MenuItemConstructorOptions[][] = [];
    balloons: { title: string; content: string }[] = [];
    clickHandlers: (() => void)[] = [];
    destroyed = false;
    constructor(image: { path: string }) {
      this.images.push(image.path);
      FakeTray.last = this;
    }
    setImage(image: { path: string }): void {
      this.images.push(image.path);
    }
    setToolTip(text: string): void {
      this.tooltips.push(text);
    }
    setContextMenu(menu: MenuItemConstructorOptions[]): void {
      this.menus.push(menu);
    }
    displayBalloon(options: { title: string; content: string }): void {
      this.balloons.push(options);
    }
    on(event: string, handler: () => void): void {
      if (event === 'click') this.clickHandlers.push(handler);
    }
    destroy(): void {
      this.destroyed = true;
    }
  }
  const notifications: { title: string; body: string }[] = [];
  const notificationSupport = { value: true };
  class FakeNotification {
    constructor(private readonly options: { title: string; body: string }) {}
    static isSupported(): boolean {
      return notificationSupport.value;
    }
    show(): void {
      notifications.push({ title: this.options.title, body: this.options.body });
    }
  }
  return { FakeTray, FakeNotification, notifications, notificationSupport };
});

vi.mock('electron', () => ({
  Tray: electron.FakeTray,
  Notification: electron.FakeNotification,
  // The menu is the template itself, so tests can read labels and click items.
  Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => template },
  nativeImage: { createFromPath: (path: string) => ({ path, isEmpty: () => false }) },
}));

const { createAppTray } = await import('./tray');

function setup(platform: NodeJS.Platform = 'linux') {
  const service = new FakeService();
  service.profileList = [profile('main', 'Main rig')];
  service.settingsView = { ...service.settingsView, lastProfileId: 'main' };
  const win = { visible: false, isVisible: () => win.visible, show: vi.fn(), hide: vi.fn() };
  const quit = vi.fn();
  const tray = createAppTray({ service, resourcesDir: '/res', window: win, quit, platform });
  const fake = electron.FakeTray.last;
  if (!fake) throw new Error('no tray created');
  const menu = () => fake.menus.at(-1) ?? [];
  const click = (id: string) => (menu().find((i) => i.id === id)?.click as (() => void) | undefined)?.();
  return { service, win, quit, tray, fake, menu, click };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('createAppTray', () => {
  beforeEach(() => {
    electron.notifications.length = 0;
    electron.notificationSupport.value = true;
  });
  afterEach(() => vi.useRealTimers());

  it('starts idle with its menu, tooltip and the idle icon', () => {
    const { fake, menu } = setup();
    expect(fake.images).toEqual(['/res/tray-idle.png']);
    expect(fake.tooltips).toEqual(['HashDeck — idle']);
    expect(menu().find((i) => i.id === 'start-last')?.label).toBe('Start "Main rig"');
  });

  it('switches icon and menu on a minerState event', () => {
    const { service, fake, menu } = setup();
    service.minerList = [miner({ id: 'a', state: 'running' })];
    service.emit('minerState', service.minerList[0]!);
    expect(fake.images.at(-1)).toBe('/res/tray-mining.png');
    expect(menu().some((i) => i.id === 'stop-all')).toBe(true);
  });

  it('does not rebuild the menu when only the tooltip changes', () => {
    vi.useFakeTimers();
    const { service, fake } = setup();
    service.minerList = [miner({ id: 'a', stats: stats({ hashrate: [100, null, null] }) })];
    service.emit('minerState', service.minerList[0]!);
    const menus = fake.menus.length;
    vi.advanceTimersByTime(5000);
    service.minerList = [miner({ id: 'a', stats: stats({ hashrate: [2000, null, null] }) })];
    service.emit('stats', { at: 1, miners: [] });
    expect(fake.tooltips.at(-1)).toBe('HashDeck — mining 2.00 kH/s (1 miner)');
    expect(fake.menus.length).toBe(menus);
  });

  it('updates the tooltip from stats at most once a second', () => {
    vi.useFakeTimers();
    const { service, fake } = setup();
    service.minerList = [miner({ id: 'a', stats: stats({ hashrate: [1, null, null] }) })];
    service.emit('minerState', service.minerList[0]!);
    vi.advanceTimersByTime(2000);
    const before = fake.tooltips.length;
    for (let i = 2; i < 12; i += 1) {
      service.minerList = [miner({ id: 'a', stats: stats({ hashrate: [i, null, null] }) })];
      service.emit('stats', { at: i, miners: [] });
    }
    expect(fake.tooltips.length).toBe(before + 1);
    vi.advanceTimersByTime(1000);
    expect(fake.tooltips.length).toBe(before + 2);
    expect(fake.tooltips.at(-1)).toBe('HashDeck — mining 11.0 H/s (1 miner)');
  });

  it('follows profile and settings changes', () => {
    const { service, menu } = setup();
    service.profileList = [profile('main', 'Main rig'), profile('eco', 'Eco')];
    service.settingsView = { ...service.settingsView, lastProfileId: 'eco' };
    service.emit('settings', service.settingsView);
    expect(menu().find((i) => i.id === 'start-last')?.label).toBe('Start "Eco"');
  });

  it('offers the newest profile when the last one was deleted', async () => {
    const { service, menu, click } = setup();
    service.profileList = [
      { ...profile('old', 'Old'), updatedAt: 1 },
      { ...profile('new', 'New'), updatedAt: 5 },
    ];
    service.emit('profiles', service.profileList);
    expect(menu().find((i) => i.id === 'start-last')).toMatchObject({ label: 'Start "New"', enabled: true });
    click('start-last');
    await flush();
    expect(service.calls).toEqual([{ name: 'startMiner', input: { profileId: 'new' } }]);
  });

  it('offers a saved profile before any was started (not "no profile yet")', () => {
    const { service, menu } = setup();
    service.settingsView = { ...service.settingsView, lastProfileId: null };
    service.emit('settings', service.settingsView);
    expect(menu().find((i) => i.id === 'start-last')).toMatchObject({
      label: 'Start "Main rig"',
      enabled: true,
    });
  });

  it('says "no profile yet" only when there is none', () => {
    const { service, menu } = setup();
    service.profileList = [];
    service.emit('profiles', service.profileList);
    expect(menu().find((i) => i.id === 'start-last')).toMatchObject({
      label: 'Start mining (no profile yet)',
      enabled: false,
    });
  });

  it('runs the action behind a clicked item and rebuilds the menu afterwards', async () => {
    const { service, fake, click } = setup();
    service.minerList = [miner({ id: 'x', state: 'running', cpuHint: 100 })];
    service.emit('minerState', service.minerList[0]!);
    const menus = fake.menus.length;
    click('cpu-25');
    await flush();
    expect(service.calls).toEqual([{ name: 'setThrottle', input: { id: 'x', cpuMaxThreadsHint: 25 } }]);
    // Forced rebuild: Electron flipped the radio locally, the menu must show what really applied.
    expect(fake.menus.length).toBe(menus + 1);
  });

  it('starts the last profile from the menu', async () => {
    const { service, click } = setup();
    click('start-last');
    await flush();
    expect(service.calls).toEqual([{ name: 'startMiner', input: { profileId: 'main' } }]);
  });

  it('shows the window, quits, and offers Hide when the window is visible', async () => {
    const { win, quit, click, tray, menu } = setup();
    click('show-window');
    click('quit');
    expect(win.show).toHaveBeenCalledOnce();
    expect(quit).toHaveBeenCalledOnce();
    win.visible = true;
    tray.refresh();
    expect(menu().some((i) => i.id === 'hide-window')).toBe(true);
  });

  it('brings the window back on a left click on Windows only', () => {
    const windows = setup('win32');
    windows.fake.clickHandlers.forEach((h) => h());
    expect(windows.win.show).toHaveBeenCalledOnce();
    expect(setup('darwin').fake.clickHandlers).toHaveLength(0);
  });

  it('reports failed actions as a notification', async () => {
    const { service, click } = setup();
    service.respond = () => {
      throw new Error('XMRig is not installed');
    };
    click('start-last');
    await flush();
    expect(electron.notifications).toEqual([
      { title: 'Could not start mining', body: 'XMRig is not installed' },
    ]);
  });

  it('falls back to a balloon on Windows without notification support', () => {
    electron.notificationSupport.value = false;
    const { tray, fake } = setup('win32');
    tray.notify('HashDeck is still running', 'Mining continues in the tray.');
    expect(fake.balloons).toEqual([
      { title: 'HashDeck is still running', content: 'Mining continues in the tray.' },
    ]);
  });

  it('unsubscribes and destroys the tray on destroy', () => {
    const { service, tray, fake } = setup();
    tray.destroy();
    tray.destroy();
    expect(fake.destroyed).toBe(true);
    expect(service.listenerCount('minerState')).toBe(0);
    expect(service.listenerCount('stats')).toBe(0);
    const images = fake.images.length;
    service.minerList = [miner()];
    tray.refresh();
    expect(fake.images.length).toBe(images);
  });
});
