// Smoke: "pick a binary" in the desktop app: the renderer asks, the MAIN process opens the native file
// dialog on the main window, and the chosen file comes back trusted; a cancelled dialog trusts nothing.
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAKE_XMRIG } from './driver';
import { useShells } from './support';

const launch = useShells();

describe('desktop binary picker', () => {
  it('opens the native dialog in main on the window and trusts the chosen file', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    await app.call('answerOpenDialog', { filePaths: [FAKE_XMRIG] });
    const picked = await app.invoke<{ path: string; sha256: string; minerType: string }>('pickBinary', {
      minerType: 'xmrig',
    });
    expect(picked).toMatchObject({
      ok: true,
      value: { path: realpathSync(FAKE_XMRIG), minerType: 'xmrig' },
    });
    const [dialog] = (await app.state()).openDialogs;
    expect(dialog?.windowId).toBe(1);
    expect(dialog?.options.properties).toEqual(['openFile']);
    expect(dialog?.options.title).toMatch(/XMRig/);

    await app.call('answerOpenDialog', { canceled: true });
    expect(await app.invoke('pickBinary', { minerType: 'ttminer' })).toEqual({ ok: true, value: null });
  });
});
