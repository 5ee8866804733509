// Smoke: the whole desktop session end to end (start-up, IPC, tray, close-to-tray, quit while a fake
// XMRig runs: the quit waits until no miner process is left, then exits 0 with the tray gone), a quit
// during start-up that builds nothing, and SIGTERM before and after `ready`.
import { describe, expect, it } from 'vitest';
import { isAlive } from './driver';
import { miners, startFake } from './miners';
import { useShells, waitDead } from './support';

const launch = useShells();

describe('desktop lifecycle', () => {
  it('start-up → IPC → tray → close-to-tray → Quit while a fake XMRig runs: waits for it, exit 0', async () => {
    const app = await launch();
    await app.waitFor('window-shown');
    const rig = await startFake(app, 'xmrig', 'rig');
    const pid = rig.pid as number;
    expect(isAlive(pid)).toBe(true);
    await app.until(
      () => app.trayItem('status'),
      (i) => i?.label === 'Mining with 1 miner',
      'tray status',
    );
    expect((await app.state()).trays[0]?.image.path).toMatch(/tray-mining\.png$/);

    // Closing the window hides it to the tray, says so once, and mining goes on.
    const hidden = app.waitForNext('window-hidden');
    await app.call('closeWindow');
    await hidden;
    const told = await app.waitFor('notification');
    expect(told.data).toMatchObject({ title: 'HashDeck is still running' });
    expect(told.data.body).toContain('Mining continues');
    expect((await app.state()).windows).toMatchObject([{ id: 1, visible: false, destroyed: false }]);
    expect(isAlive(pid)).toBe(true);

    // Show window brings back the same window.
    await app.until(
      () => app.trayItem('show-window'),
      (i) => i !== undefined,
      'Show window offered',
    );
    const shown = app.waitForNext('window-shown');
    await app.call('trayClick', { id: 'show-window' });
    await shown;
    expect((await app.state()).windows).toMatchObject([{ id: 1, visible: true }]);

    // Quit from the tray: the miner must be gone before the app exits.
    await app.call('trayClick', { id: 'quit' });
    const { code, report } = await app.exit();
    expect(code).toBe(0);
    expect(report.liveChildren).toEqual([]);
    expect(report.liveTrays).toBe(0);
    expect(isAlive(pid)).toBe(false);
    const order = app.events.map((e) => (e.name === 'app-event' ? String(e.data.name) : e.name));
    expect(order.indexOf('before-quit')).toBeLessThan(order.indexOf('tray-destroyed'));
    expect(order.indexOf('tray-destroyed')).toBeLessThan(order.indexOf('exit-called'));
  });

  it('a quit before ready builds nothing (no IPC handlers, tray or window) and exits 0', async () => {
    const app = await launch({ holdReady: true });
    await app.waitFor('holding-ready');
    await app.call('quit');
    void app.call('ready').catch(() => undefined); // the app may be gone before it answers
    const { code, report } = await app.exit();
    expect(code).toBe(0);
    expect(report.counts).toEqual({
      windowsCreated: 0,
      traysCreated: 0,
      handlersRegistered: 0,
      listenersAdded: 0,
    });
    expect(report.handlers).toEqual([]);
  });

  it('a quit in the same moment as ready builds nothing either', async () => {
    const app = await launch({ holdReady: true });
    await app.waitFor('holding-ready');
    void app.call('readyThenQuit').catch(() => undefined);
    const { code, report } = await app.exit();
    expect(code).toBe(0);
    expect(report.counts).toEqual({
      windowsCreated: 0,
      traysCreated: 0,
      handlersRegistered: 0,
      listenersAdded: 0,
    });
  });

  it('SIGTERM before ready exits 0 (a stop that was asked for and done), building nothing', async () => {
    const app = await launch({ holdReady: true });
    await app.waitFor('holding-ready');
    app.child.kill('SIGTERM');
    const { code, report } = await app.exit();
    expect(code).toBe(0);
    expect(report.counts).toMatchObject({ windowsCreated: 0, traysCreated: 0, handlersRegistered: 0 });
    expect(app.events.some((e) => e.data.name === 'ready')).toBe(false);
  });

  it('SIGTERM while a TT-Miner runs stops it before exiting 0', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    const gpu = await startFake(app, 'ttminer', 'gpu');
    app.child.kill('SIGTERM');
    const { code, report } = await app.exit();
    expect(code).toBe(0);
    expect(report.liveChildren).toEqual([]);
    await waitDead(gpu.pid as number);
  });

  it('closing the window with close-to-tray off quits the app', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    await app.run('saveSettings', { closeToTray: false });
    expect((await miners(app)).length).toBe(0);
    await app.call('closeWindow');
    const { code, report } = await app.exit();
    expect(code).toBe(0);
    expect(report.liveTrays).toBe(0);
    expect(app.events.some((e) => e.data.name === 'window-all-closed')).toBe(true);
  });
});
