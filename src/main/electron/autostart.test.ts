// "Start with the computer": Electron's login item on macOS/Windows (with the app's path and arguments),
// an XDG autostart entry on Linux (quoted Exec, removed when turned off, honouring XDG_CONFIG_HOME).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginItem, desktopEntry, type LoginItemApp } from './autostart';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

function fakeApp(): LoginItemApp & { calls: unknown[]; open: boolean } {
  return {
    calls: [],
    open: false,
    getLoginItemSettings(options) {
      this.calls.push(['get', options]);
      return { openAtLogin: this.open };
    },
    setLoginItemSettings(settings) {
      this.calls.push(['set', settings]);
      this.open = settings.openAtLogin;
    },
  };
}

describe('login item', () => {
  it('on macOS and Windows sets Electron’s login item for this executable and its arguments', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const app = fakeApp();
      const item = createLoginItem({
        app,
        platform,
        execPath: '/Apps/HashDeck',
        args: ['--data-dir', '/d'],
        env: {},
        home: '/h',
      });
      expect(item.get()).toBe(false);
      item.set(true);
      expect(item.get()).toBe(true);
      expect(app.calls).toContainEqual([
        'set',
        { openAtLogin: true, path: '/Apps/HashDeck', args: ['--data-dir', '/d'] },
      ]);
    }
  });

  it('on Linux writes an XDG autostart entry (Electron’s login item does nothing there) and removes it', async () => {
    const config = await mkdtemp(join(tmpdir(), 'hashdeck-xdg-'));
    dirs.push(config);
    const app = fakeApp();
    const item = createLoginItem({
      app,
      platform: 'linux',
      execPath: '/opt/Hash Deck/hashdeck',
      args: ['/opt/app', '--data-dir', '/home/u/$HOME "x"'],
      env: { XDG_CONFIG_HOME: config },
      home: '/nowhere',
    });
    const file = join(config, 'autostart', 'hashdeck.desktop');
    expect(item.get()).toBe(false);
    await item.set(true);
    expect(item.get()).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('[Desktop Entry]');
    expect(text).toContain(
      'Exec="/opt/Hash Deck/hashdeck" "/opt/app" "--data-dir" "/home/u/\\$HOME \\"x\\""',
    );
    await item.set(false);
    expect(existsSync(file)).toBe(false);
    expect(item.get()).toBe(false);
    expect(app.calls).toEqual([]);
  });

  it('reads an entry the user disabled in the desktop’s settings (Hidden=true) as off', async () => {
    const config = await mkdtemp(join(tmpdir(), 'hashdeck-xdg-'));
    dirs.push(config);
    const item = createLoginItem({
      app: fakeApp(),
      platform: 'linux',
      execPath: '/x',
      args: [],
      env: { XDG_CONFIG_HOME: config },
      home: '/h',
    });
    await item.set(true);
    const file = join(config, 'autostart', 'hashdeck.desktop');
    await writeFile(file, `${desktopEntry('/x', [])}Hidden=true\n`);
    expect(item.get()).toBe(false);
  });
});
