// The desktop app itself through Playwright's Electron driver: the window opens on the first-run screen,
// the simulated demo starts and the dashboard shows it running. The Electron binary is not part of
// `npm ci` (scripts are disabled) and cannot be downloaded on an offline machine, so without it this
// spec is skipped with the reason rather than failing; everything else it covers runs in headless mode.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, expect, test } from '@playwright/test';
import { ROOT } from './support/headless';

const ELECTRON_DIR = join(ROOT, 'node_modules/electron');
const SKIP_REASON =
  'Electron binary not installed (it cannot be downloaded on this machine); run `npm start` once online to fetch it';

/** The binary the electron package would launch (path.txt + dist/), or null when it is not on disk. */
function electronBinary(): string | null {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (!relative) return null;
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(ELECTRON_DIR, 'dist');
  const binary = join(base, relative);
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();

test('desktop window: first run, simulated demo, dashboard', async () => {
  test.skip(binary === null, SKIP_REASON);
  const dataDir = await mkdtemp(join(tmpdir(), 'hashdeck-electron-'));
  const app = await _electron.launch({
    executablePath: binary as string,
    args: [join(ROOT, 'out/main/index.js'), '--data-dir', dataDir],
    cwd: ROOT,
    // The built renderer from out/, never a dev server a parent shell may point at.
    env: Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k !== 'ELECTRON_RENDERER_URL'),
    ) as Record<string, string>,
    timeout: 30_000,
  });
  try {
    const win = await app.firstWindow();
    await expect(win.getByTestId('firstrun')).toBeVisible();
    await win.getByTestId('firstrun-demo').click();
    await expect(win.getByTestId('page-dashboard')).toBeVisible();
    const card = win.locator('[data-testid^="miner-card-"]');
    await expect(card).toHaveCount(1);
    await expect(win.locator('[data-testid^="miner-state-"]')).toHaveAttribute('data-state', 'running');
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getName())).toBeTruthy();
    // Chromium's profile (and the single-instance lock) lives under the data folder it was given.
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(
      join(dataDir, 'electron'),
    );
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
