// Smoke: a renderer crash (`render-process-gone`) is recovered: the page is reloaded and told why, the
// event queue flows again, a second crash soon after gets a new window, a third gives up with a
// notification; a crash while hidden drops the window; "Show window" never reuses a dead window.
import { describe, expect, it } from 'vitest';
import type { Shell } from './driver';
import { useShells } from './support';

const launch = useShells();

const noticeMatching = (app: Shell, webContentsId: number, pattern: RegExp) =>
  app.waitFor(
    'page-message',
    (d) =>
      d.webContentsId === webContentsId &&
      d.channel === 'evt:notice' &&
      pattern.test(String((d.payload as { message?: string } | null)?.message)),
  );

async function crash(app: Shell, windowId?: number): Promise<void> {
  const gone = app.waitForNext('render-process-gone');
  await app.call('crashRenderer', windowId === undefined ? {} : { windowId });
  await gone;
}

describe('desktop renderer crash recovery', () => {
  it('reloads the crashed page, tells it why, and events reach it again', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    const reloaded = app.waitForNext('page-loaded');
    await crash(app);
    await reloaded;
    const notice = await noticeMatching(
      app,
      1,
      /stopped unexpectedly \(crashed, exit code 139\) and was reloaded/,
    );
    expect(notice.data.payload).toMatchObject({ level: 'warning' });
    const state = await app.state();
    expect(state.windows).toMatchObject([{ id: 1, crashed: false, pageAlive: true, visible: true }]);
    expect(state.counts.windowsCreated).toBe(1);
    // The queue is not stuck: a new change reaches the reloaded page.
    await app.run('saveProfile', { name: 'After crash', minerType: 'simulated', config: { threads: 1 } });
    await app.waitFor('page-message', (d) => d.webContentsId === 1 && d.channel === 'evt:profiles');
  });

  it('a second crash soon after opens a new window, a third gives up; Show window opens a fresh one', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    const reloaded = app.waitForNext('page-loaded');
    await crash(app);
    await reloaded;

    const created = app.waitForNext('window-created');
    await crash(app);
    const second = await created;
    const newId = second.data.id as number;
    expect(newId).toBe(2);
    await noticeMatching(app, second.data.webContentsId as number, /again .* opened anew/);
    let state = await app.state();
    expect(state.windows).toMatchObject([{ id: 2, visible: true, pageAlive: true }]);
    // The new window is the trusted one now: its page can command the service.
    expect(await app.invoke('listProfiles', {}, 2)).toEqual({ ok: true, value: [] });

    const closed = app.waitForNext('window-closed');
    await crash(app, 2);
    await closed;
    const told = await app.waitFor('notification', (d) => d.title === 'The HashDeck window keeps crashing');
    expect(told.data.body).toContain('Show window');
    state = await app.state();
    expect(state.windows).toEqual([]);
    // Still running: the tray works and nothing began to quit.
    expect(app.events.some((e) => e.data.name === 'before-quit')).toBe(false);
    await app.until(
      () => app.trayItem('show-window'),
      (i) => i !== undefined,
      'Show window offered',
    );

    const third = app.waitForNext('window-created');
    await app.call('trayClick', { id: 'show-window' });
    expect((await third).data.id).toBe(3);
    await app.waitFor('page-loaded', (d) => d.windowId === 3);
    expect(await app.invoke('listProfiles', {}, 3)).toEqual({ ok: true, value: [] });
  });

  it('a crash while hidden drops the window; Show window opens a new one that says what happened', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    const hidden = app.waitForNext('window-hidden');
    await app.call('closeWindow');
    await hidden;
    const closed = app.waitForNext('window-closed');
    await crash(app);
    await closed;
    expect((await app.state()).windows).toEqual([]);
    expect(app.events.some((e) => e.data.name === 'before-quit')).toBe(false);

    const created = app.waitForNext('window-created');
    await app.call('trayClick', { id: 'show-window' });
    const fresh = await created;
    await noticeMatching(app, fresh.data.webContentsId as number, /while hidden \(crashed, exit code 139\)/);
    const state = await app.state();
    expect(state.windows).toMatchObject([{ id: 2, visible: true, crashed: false }]);
  });
});
