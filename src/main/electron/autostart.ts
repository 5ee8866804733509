// "Start with the computer" for the desktop app: Electron's login item on macOS and Windows, an XDG
// autostart entry on Linux (where Electron's login items do nothing). Thin: the service decides when.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoginItemControl } from '../service/mining-service';

/** The part of Electron's `app` this needs (injected, so tests pass a fake). */
export interface LoginItemApp {
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

export interface AutostartOptions {
  app: LoginItemApp;
  platform: NodeJS.Platform;
  /** The executable that starts the app (process.execPath). */
  execPath: string;
  /** Arguments it needs (the app folder when not packaged, an explicit --data-dir). */
  args: string[];
  env: NodeJS.ProcessEnv;
  home: string;
}

const DESKTOP_FILE = 'hashdeck.desktop';

/** A desktop-entry Exec argument, quoted as the spec asks (backslash, quote, backtick and dollar escaped). */
function quoteExec(arg: string): string {
  return `"${arg.replace(/([\\"`$])/g, '\\$1')}"`;
}

export function desktopEntry(execPath: string, args: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=HashDeck',
    'Comment=Miner manager (started with the computer; mining starts only as set in HashDeck)',
    `Exec=${[execPath, ...args].map(quoteExec).join(' ')}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

/** The login item behind the setting, for this platform. */
export function createLoginItem(o: AutostartOptions): LoginItemControl {
  if (o.platform === 'linux') {
    const dir = join(o.env['XDG_CONFIG_HOME'] || join(o.home, '.config'), 'autostart');
    const file = join(dir, DESKTOP_FILE);
    return {
      get: () => existsSync(file) && !/^Hidden\s*=\s*true\s*$/m.test(readFileSync(file, 'utf8')),
      set: (enabled) => {
        if (!enabled) {
          rmSync(file, { force: true });
          return;
        }
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, desktopEntry(o.execPath, o.args), { mode: 0o644 });
      },
    };
  }
  const item = { path: o.execPath, args: o.args };
  return {
    get: () => o.app.getLoginItemSettings(item).openAtLogin,
    set: (enabled) => o.app.setLoginItemSettings({ openAtLogin: enabled, ...item }),
  };
}
