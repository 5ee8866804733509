// Smoke: the tray tells the truth and its clicks act: a saved profile is offered (not "no profile yet")
// and starts; "Pause all" is not offered while only a TT-Miner (which cannot pause) runs, and pauses only
// what can; Stop all stops every miner; Show/Hide window follow the window.
import { describe, expect, it } from 'vitest';
import { isAlive } from './driver';
import { miners, running, startFake, startSimulated } from './miners';
import { useShells, waitDead } from './support';

const launch = useShells();

describe('desktop tray', () => {
  it('offers a saved profile before any was started, starts it, and stops it', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    expect(await app.trayItem('start-last')).toMatchObject({
      label: 'Start mining (no profile yet)',
      enabled: false,
    });
    await app.run('saveProfile', { name: 'Demo rig', minerType: 'simulated', config: { threads: 1 } });
    const start = await app.until(
      () => app.trayItem('start-last'),
      (item) => item?.enabled === true,
      'the tray offering the saved profile',
    );
    expect(start?.label).toBe('Start "Demo rig"');

    await app.call('trayClick', { id: 'start-last' });
    await running(app, 'Demo rig');
    const stop = await app.until(
      () => app.trayItem('stop-all'),
      (i) => i?.enabled === true,
      'Stop all',
    );
    expect(stop?.label).toBe('Stop all');
    expect((await app.state()).trays[0]?.image).toMatchObject({ empty: false });
    expect((await app.state()).trays[0]?.image.path).toMatch(/tray-(mining|paused)\.png$/);

    await app.call('trayClick', { id: 'stop-all' });
    await app.until(
      () => miners(app),
      (ms) => ms.every((m) => m.state === 'stopped'),
      'every miner stopped',
    );
    await app.until(
      () => app.trayItem('start-last'),
      (i) => i?.enabled === true,
      'Start offered again',
    );
    expect((await app.state()).notifications).toEqual([]);
  });

  it('offers no "Pause all" while only a TT-Miner runs, and pauses only the miners that can', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    const gpu = await startFake(app, 'ttminer', 'gpu');
    expect(gpu.pid).toEqual(expect.any(Number));
    await app.until(
      () => app.trayItem('stop-all'),
      (i) => i?.enabled === true,
      'Stop all for the TT-Miner',
    );
    expect(await app.trayItem('pause-all')).toBeUndefined();

    await startSimulated(app, 'cpu');
    const pause = await app.until(
      () => app.trayItem('pause-all'),
      (i) => i !== undefined,
      'Pause offered',
    );
    expect(pause?.label).toBe('Pause 1 miner (TT-Miner cannot pause)');
    await app.call('trayClick', { id: 'pause-all' });
    const after = await app.until(
      () => miners(app),
      (ms) => ms.some((m) => m.name === 'cpu' && m.paused),
      'the simulated miner paused',
    );
    expect(after.find((m) => m.name === 'gpu')).toMatchObject({ state: 'running', paused: false });
    await app.until(
      () => app.trayItem('resume-all'),
      (i) => i !== undefined,
      'Resume all offered',
    );
    expect(await app.trayItem('pause-all')).toBeUndefined();
    // Nothing failed, so the tray had nothing to report.
    expect((await app.state()).notifications).toEqual([]);

    await app.call('trayClick', { id: 'stop-all' });
    await app.until(
      () => miners(app),
      (ms) => ms.every((m) => m.state === 'stopped'),
      'every miner stopped',
    );
    await waitDead(gpu.pid as number);
    expect(isAlive(gpu.pid as number)).toBe(false);
  });

  it('Hide window and Show window follow the window', async () => {
    const app = await launch();
    await app.waitFor('window-shown');
    await app.until(
      () => app.trayItem('hide-window'),
      (i) => i !== undefined,
      'Hide window offered',
    );
    await app.call('trayClick', { id: 'hide-window' });
    await app.waitFor('window-hidden');
    await app.until(
      () => app.trayItem('show-window'),
      (i) => i !== undefined,
      'Show window offered',
    );
    const shown = app.waitForNext('window-shown');
    await app.call('trayClick', { id: 'show-window' });
    await shown;
    const state = await app.state();
    expect(state.windows).toMatchObject([{ id: 1, visible: true }]);
    expect(state.counts.windowsCreated).toBe(1);
  });
});
