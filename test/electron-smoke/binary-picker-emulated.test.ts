// Smoke, in-process: the desktop binary picker against the emulated Electron dialog (the same emulation
// the built app runs on): a modal single-file dialog on the main window, the chosen path back, null on cancel.
import type * as Electron from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { world } from './emulator/world.mjs';

vi.mock('electron', async () => await import('./emulator/electron.mjs'));

const { app, BrowserWindow } = (await import('electron')) as typeof Electron;
const { createBinaryPicker } = await import('../../src/main/electron/binary-picker');

describe('binary picker on the emulated dialog', () => {
  it('shows the dialog on the main window and returns the chosen path, or null when cancelled', async () => {
    await app.whenReady();
    const win = new BrowserWindow({ show: true });
    const pick = createBinaryPicker({ parent: () => win });

    world.openDialogAnswers.push({ canceled: false, filePaths: ['/opt/xmrig-6.26.0/xmrig'] });
    await expect(pick({ minerType: 'xmrig', title: 'Choose the XMRig binary you trust' })).resolves.toBe(
      '/opt/xmrig-6.26.0/xmrig',
    );
    expect(world.openDialogs).toEqual([
      { windowId: win.id, options: { title: 'Choose the XMRig binary you trust', properties: ['openFile'] } },
    ]);

    world.openDialogAnswers.push({ canceled: true, filePaths: [] });
    await expect(
      pick({ minerType: 'ttminer', title: 'Choose the TT-Miner binary you trust' }),
    ).resolves.toBeNull();

    win.hide();
    world.openDialogAnswers.push({ canceled: false, filePaths: ['/opt/tt/TT-Miner'] });
    await expect(pick({ minerType: 'ttminer', title: 't' })).resolves.toBe('/opt/tt/TT-Miner');
    expect(world.openDialogs.at(-1)?.windowId).toBeNull();
  });
});
