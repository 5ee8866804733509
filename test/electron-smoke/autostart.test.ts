// Smoke: "Start with the computer" in the built desktop app writes the login entry that starts this very
// app (with its data folder) and removes it again; "resume the miners" brings back, after a quit and a new
// launch, the miner that was running, and the page is told so (nothing starts hidden).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useShells } from './support';

const launch = useShells();
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-smoke-autostart-'));
  temps.push(dir);
  return dir;
}

interface View {
  startWithComputer: boolean;
  startWithComputerSupport?: { available: boolean };
}

describe('desktop autostart and resume (built out/main/index.js, emulated Electron)', () => {
  it('"Start with the computer" adds and removes the login entry for this app and data folder', async () => {
    const xdg = await tempDir();
    const app = await launch({ env: { XDG_CONFIG_HOME: xdg } });
    await app.waitFor('page-loaded');
    expect((await app.run<View>('getSettings')).startWithComputerSupport).toEqual({
      available: true,
      reason: null,
    });
    const saved = await app.run<View>('saveSettings', { startWithComputer: true });
    expect(saved.startWithComputer).toBe(true);
    const entry = await readFile(join(xdg, 'autostart', 'hashdeck.desktop'), 'utf8');
    expect(entry).toContain(`"--data-dir" "${app.appDataDir}"`);
    expect(entry).toContain(process.execPath);
    expect((await app.run<View>('saveSettings', { startWithComputer: false })).startWithComputer).toBe(false);
    expect(existsSync(join(xdg, 'autostart', 'hashdeck.desktop'))).toBe(false);
  });

  it('resumes the miner that was running at quit, and tells the page', async () => {
    const dir = await tempDir();
    const first = await launch({ dataDir: dir });
    await first.waitFor('page-loaded');
    await first.run('saveSettings', { resumeMiners: true });
    await first.run('startMiner', { name: 'Resumed rig', minerType: 'simulated', config: { threads: 1 } });
    await first.call('trayClick', { id: 'quit' });
    expect((await first.exit()).code).toBe(0);

    const second = await launch({ dataDir: dir });
    const notice = await second.waitFor(
      'page-message',
      (d) =>
        d.channel === 'evt:notice' && String((d.payload as { message?: string }).message).includes('Resumed'),
    );
    expect((notice.data.payload as { message: string }).message).toContain('Resumed rig');
    const snapshot = await second.run<{ miners: { name: string; state: string }[] }>('getSnapshot');
    expect(snapshot.miners).toEqual([expect.objectContaining({ name: 'Resumed rig', state: 'running' })]);
  });
});
