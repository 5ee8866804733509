import type { BrowserWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createBinaryPicker, type ShowOpenDialog } from './binary-picker';

vi.mock('electron', () => ({ dialog: { showOpenDialog: vi.fn() } }));

function fakeWindow(state: { destroyed?: boolean; visible?: boolean } = {}): BrowserWindow {
  return {
    isDestroyed: () => state.destroyed ?? false,
    isVisible: () => state.visible ?? true,
  } as unknown as BrowserWindow;
}

function answering(result: OpenDialogReturnValue) {
  const calls: { parent: BrowserWindow | null; options: OpenDialogOptions }[] = [];
  const show: ShowOpenDialog = async (parent, options) => {
    calls.push({ parent, options });
    return result;
  };
  return { show, calls };
}

describe('createBinaryPicker', () => {
  it('opens a single-file dialog on the main window with the title and returns the chosen path', async () => {
    const win = fakeWindow();
    const { show, calls } = answering({ canceled: false, filePaths: ['/opt/xmrig/xmrig'] });
    const pick = createBinaryPicker({ parent: () => win, showOpenDialog: show });
    await expect(pick({ minerType: 'xmrig', title: 'Choose the XMRig program' })).resolves.toBe(
      '/opt/xmrig/xmrig',
    );
    expect(calls).toEqual([
      { parent: win, options: { title: 'Choose the XMRig program', properties: ['openFile'] } },
    ]);
  });

  it('returns null when the user cancels', async () => {
    const { show } = answering({ canceled: true, filePaths: [] });
    const pick = createBinaryPicker({ parent: () => fakeWindow(), showOpenDialog: show });
    await expect(pick({ minerType: 'ttminer', title: 't' })).resolves.toBeNull();
  });

  it('opens an unparented dialog when the window is gone or hidden', async () => {
    const { show, calls } = answering({ canceled: false, filePaths: ['/x'] });
    let win: BrowserWindow | null = fakeWindow({ destroyed: true });
    const pick = createBinaryPicker({ parent: () => win, showOpenDialog: show });
    await pick({ minerType: 'xmrig', title: 't' });
    win = fakeWindow({ visible: false });
    await pick({ minerType: 'xmrig', title: 't' });
    win = null;
    await pick({ minerType: 'xmrig', title: 't' });
    expect(calls.map((c) => c.parent)).toEqual([null, null, null]);
  });

  it('refuses a second dialog while one is open, and allows one again after it closed', async () => {
    let answer: (value: OpenDialogReturnValue) => void = () => undefined;
    const show: ShowOpenDialog = () => new Promise((resolve) => (answer = resolve));
    const pick = createBinaryPicker({ parent: () => null, showOpenDialog: show });
    const first = pick({ minerType: 'xmrig', title: 't' });
    await expect(pick({ minerType: 'xmrig', title: 't' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    answer({ canceled: false, filePaths: ['/a'] });
    await expect(first).resolves.toBe('/a');
    const third = pick({ minerType: 'xmrig', title: 't' });
    answer({ canceled: true, filePaths: [] });
    await expect(third).resolves.toBeNull();
  });

  it('is free again after the dialog failed', async () => {
    const show = vi
      .fn<ShowOpenDialog>()
      .mockRejectedValueOnce(new Error('no display'))
      .mockResolvedValueOnce({ canceled: false, filePaths: ['/b'] });
    const pick = createBinaryPicker({ parent: () => null, showOpenDialog: show });
    await expect(pick({ minerType: 'xmrig', title: 't' })).rejects.toThrow('no display');
    await expect(pick({ minerType: 'xmrig', title: 't' })).resolves.toBe('/b');
  });
});
