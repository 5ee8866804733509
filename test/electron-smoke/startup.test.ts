// Smoke: the built desktop main process starts under the emulated Electron: IPC, tray and window exist
// once `ready`, the icons are real images found from the bundle's location (development) or from
// process.resourcesPath (packaged), a missing icon stops a development start loudly, the page's own
// client works and every foreign frame is refused.
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/shared/names';
import { MAIN_ENTRY, ROOT } from './driver';
import { useShells } from './support';

const launch = useShells();
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-smoke-'));
  temps.push(dir);
  return dir;
}

const profile = { name: 'Demo rig', minerType: 'simulated', config: { threads: 1 } };

describe('desktop start-up (built out/main/index.js, emulated Electron)', () => {
  it('builds IPC, tray and a locked-down window once ready; icons are real images from resources/', async () => {
    const app = await launch();
    await app.waitFor('window-shown');
    const state = await app.state();
    expect([...state.handlers].sort()).toEqual(COMMAND_NAMES.map((n) => `cmd:${n}`).sort());
    expect(state.trays).toHaveLength(1);
    expect(state.trays[0]?.image).toEqual({
      path: join(ROOT, 'resources/tray-idle.png'),
      empty: false,
      scales: [1, 2],
    });
    expect(state.windows).toHaveLength(1);
    expect(state.windows[0]).toMatchObject({
      visible: true,
      url: pathToFileURL(join(ROOT, 'out/renderer/index.html')).href,
      icon: { path: join(ROOT, 'resources/icon.png'), empty: false },
    });
    const created = await app.waitFor('window-created');
    expect(created.data.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: join(ROOT, 'out/preload/index.cjs'),
    });
    // The session was secured before the page loaded: our CSP replaces any the response carried, and the
    // page may not ask for permissions beyond the clipboard.
    expect(state.sessionSecured).toBe(true);
    const headers = await app.call<{ responseHeaders: Record<string, string[]> }>('responseHeaders', {
      url: 'file:///x',
      headers: { 'content-security-policy': ['default-src *'] },
    });
    expect(headers.responseHeaders['Content-Security-Policy']?.[0]).toContain("default-src 'self'");
    expect(headers.responseHeaders['content-security-policy']).toBeUndefined();
    expect(await app.call('permission', { permission: 'notifications' })).toEqual({
      requested: false,
      checked: false,
    });
    expect(await app.call('permission', { permission: 'clipboard-sanitized-write' })).toEqual({
      requested: true,
      checked: true,
    });
  });

  it('serves the page through its preload client and pushes events to it once it said it is ready', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    const snapshot = await app.run<{ miners: unknown[]; settings: { dataDir: string } }>('getSnapshot');
    expect(snapshot.miners).toEqual([]);
    expect(snapshot.settings.dataDir).toBe(app.appDataDir);
    const saved = await app.run<{ id: string }>('saveProfile', profile);
    const pushed = await app.waitFor('page-message', (d) => d.channel === 'evt:profiles');
    expect(pushed.data.payload).toEqual([expect.objectContaining({ id: saved.id, name: 'Demo rig' })]);
    // A command error crosses as code + message, as the UI needs it.
    const bad = await app.invoke('stopMiner', { id: 'nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses IPC from an iframe, a foreign document and a foreign file without reaching the service', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    const attempts = [
      { url: 'https://evil.example/', subframe: true },
      { url: 'https://evil.example/', subframe: false },
      { url: 'file:///tmp/evil.html', subframe: false },
    ];
    for (const attempt of attempts) {
      const reply = await app.call('foreignInvoke', {
        ...attempt,
        channel: 'cmd:saveProfile',
        args: [profile],
      });
      expect(reply, JSON.stringify(attempt)).toMatchObject({
        ok: true,
        value: { ok: false, error: { code: 'FORBIDDEN' } },
      });
    }
    expect(await app.run('listProfiles')).toEqual([]);
    expect(app.output()).toContain('refused "saveProfile" from untrusted sender https://evil.example/');
    // The page cannot leave for another site or open windows; https links go to the user's browser.
    expect(await app.call('navigate', { url: 'https://evil.example/' })).toMatchObject({ prevented: true });
    expect(await app.call('openWindow', { url: 'https://xmrig.com/' })).toEqual({ action: 'deny' });
    expect(await app.call('openWindow', { url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect((await app.state()).externalUrls).toEqual(['https://xmrig.com/']);
  });

  it('packaged: finds the icons under process.resourcesPath/resources', async () => {
    const resourcesPath = await tempDir();
    await cp(join(ROOT, 'resources'), join(resourcesPath, 'resources'), { recursive: true });
    const app = await launch({
      env: { HASHDECK_EMU_PACKAGED: '1', HASHDECK_EMU_RESOURCES_PATH: resourcesPath },
    });
    await app.waitFor('page-loaded');
    const state = await app.state();
    expect(state.trays[0]?.image).toMatchObject({
      path: join(resourcesPath, 'resources/tray-idle.png'),
      empty: false,
    });
    expect(state.windows[0]?.icon).toEqual({ path: join(resourcesPath, 'resources/icon.png'), empty: false });
  });

  it('development: a missing icon stops start-up with a dialog naming it, exit 1, nothing built', async () => {
    const copy = await tempDir();
    await cp(resolve(MAIN_ENTRY, '../..'), join(copy, 'out'), { recursive: true });
    await cp(join(ROOT, 'resources'), join(copy, 'resources'), { recursive: true });
    await rm(join(copy, 'resources/tray-paused.png'));
    await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const app = await launch({ entry: join(copy, 'out/main/index.js') });
    const box = await app.waitFor('error-box');
    expect(box.data).toMatchObject({ title: 'HashDeck cannot start', shown: true });
    expect(box.data.content).toContain(join(copy, 'resources'));
    expect(box.data.content).toContain('tray-paused.png');
    const { code, report } = await app.exit();
    expect(code).toBe(1);
    expect(report.counts).toMatchObject({ windowsCreated: 0, traysCreated: 0, handlersRegistered: 0 });
  });
});
