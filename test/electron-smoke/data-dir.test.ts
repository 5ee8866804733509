// Smoke: an unusable --data-dir, or a bad argument, is said in a dialog a person who launched HashDeck from
// a shortcut sees (after `ready`; before it Linux prints error boxes to stderr only), with exit code 1 and
// before the single-instance lock; a usable folder shared by two launches gives one app, not two.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Shell } from './driver';
import { useShells } from './support';

const launch = useShells();
const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hashdeck-smoke-'));
  temps.push(dir);
  return dir;
}

const isRoot = process.getuid?.() === 0;

/** The app refused to start: a shown dialog, exit 1, no lock taken, nothing built. */
async function expectCannotStart(app: Shell, text: string): Promise<void> {
  const box = await app.waitFor('error-box');
  expect(box.data).toMatchObject({ title: 'HashDeck cannot start', shown: true });
  expect(box.data.content).toContain(text);
  const { code, report } = await app.exit();
  expect(code).toBe(1);
  expect(report.counts).toMatchObject({ windowsCreated: 0, traysCreated: 0, handlersRegistered: 0 });
  expect(app.events.some((e) => e.data.name === 'single-instance-lock')).toBe(false);
  // The dialog came once Electron could show it: after `ready`.
  const ready = app.events.findIndex((e) => e.data.name === 'ready');
  expect(ready).toBeGreaterThanOrEqual(0);
  expect(app.events.indexOf(box)).toBeGreaterThan(ready);
  expect(app.output()).toContain('HashDeck cannot start');
}

describe('desktop data folder and arguments', () => {
  it('a --data-dir that is a file: the "cannot start" dialog, exit 1, not a silent 0', async () => {
    const file = join(await tempDir(), 'data');
    await writeFile(file, 'not a folder');
    const app = await launch({ dataDir: null, args: ['--data-dir', file] });
    await expectCannotStart(app, `"${file}" is a file, not a folder`);
  });

  it('a --data-dir below a file: the dialog names the file in the way', async () => {
    const file = join(await tempDir(), 'data');
    await writeFile(file, 'x');
    const app = await launch({ dataDir: null, args: ['--data-dir', join(file, 'hashdeck')] });
    await expectCannotStart(app, `"${file}" is a file, not a folder`);
  });

  it.skipIf(process.platform !== 'linux')(
    'a --data-dir HashDeck may not create: permission denied',
    async () => {
      // Root writes anywhere a mode allows, so as root the folder is one the kernel refuses to anyone (/sys).
      let target = '/sys/hashdeck-smoke-test';
      if (!isRoot) {
        const locked = join(await tempDir(), 'locked');
        await mkdir(locked);
        await chmod(locked, 0o500);
        target = join(locked, 'data');
      }
      const app = await launch({ dataDir: null, args: ['--data-dir', target] });
      await expectCannotStart(app, 'permission denied');
      expect(existsSync(target)).toBe(false);
    },
  );

  it('a --data-dir without a folder: the dialog, not only a line on stderr', async () => {
    const app = await launch({ dataDir: null, args: ['--data-dir'] });
    await expectCannotStart(app, '--data-dir needs a folder');
  });

  it('a second launch on the same folder exits 0 and the first one shows its window', async () => {
    const first = await launch();
    await first.waitFor('page-loaded');
    await first.call('closeWindow');
    await first.waitFor('window-hidden');
    const shown = first.waitForNext('window-shown');
    const second = await launch({ dataDir: null, args: ['--data-dir', first.appDataDir] });
    const { code, report } = await second.exit();
    expect(code).toBe(0);
    expect(report.counts).toMatchObject({ windowsCreated: 0, traysCreated: 0, handlersRegistered: 0 });
    await shown;
    const told = await first.waitFor('app-event', (d) => d.name === 'second-instance');
    expect(told.data.argv).toContain(first.appDataDir);
    expect((await first.state()).windows).toMatchObject([{ id: 1, visible: true, focused: true }]);
  });
});
