// From a machine with no miner to a hashrate, in the browser only: the headless server is pointed (locally,
// with --xmrig-releases-url and --xmrig-key-file) at a loopback release signed by a test key whose "xmrig"
// is the fake XMRig. The first run's "Install XMRig (verified)" shows its progress bar (the download is
// held halfway to see it, then cancelled), installs for real, continues to the profile with the installed
// binary preselected, starts it and shows a hashrate; the Miners page then lists what was installed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { InstalledMiners } from '../src/shared/contract';
import { FakeReleaseServer, LINUX_ASSET, buildRelease } from '../test/install/support/fake-release';
import { makeTestKey, type TestKey } from '../test/install/support/keys';
import { HashDeck, SCREENSHOT_DIR } from './pages/hashdeck';
import { seriousViolations, smallText } from './support/axe';
import { FAST_FAKES, HASHRATE_WITH_UNIT, WALLET } from './support/env';
import { api, startHeadless, type Headless } from './support/headless';

let h: Headless;
let releases: FakeReleaseServer;
let key: TestKey;
let keyDir: string;

// This machine's archive (the spec runs on Linux x64, like the rest of the suite).
const ASSET = LINUX_ASSET('6.26.0');

test.beforeAll(async () => {
  key = await makeTestKey();
  releases = await new FakeReleaseServer().start();
  releases.add(await buildRelease({ key, version: '6.26.0', fakeEnv: FAST_FAKES }));
  keyDir = await mkdtemp(join(tmpdir(), 'hashdeck-e2e-key-'));
  const keyFile = join(keyDir, 'release-key.asc');
  await writeFile(keyFile, key.armoredPublic);
  h = await startHeadless(FAST_FAKES, {
    trustFakes: false,
    args: ['--xmrig-releases-url', releases.releasesUrl, '--xmrig-key-file', keyFile],
  });
});

test.afterAll(async () => {
  await h?.stop();
  await releases?.stop();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

/** No serious axe violation and no text under 12 px, in the light and the dark theme. */
async function expectClean(page: Page, where: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const found = await seriousViolations(page);
    expect(found, `${where} (${theme}): ${JSON.stringify(found, null, 2)}`).toEqual([]);
    expect(await smallText(page), `${where} (${theme}): text under 12 px`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('first run installs XMRig (verified) with a progress bar and mines with it, all in the browser', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = new HashDeck(page);

  await test.step('the guided path asks to get XMRig, since none is trusted yet', async () => {
    await app.open(h.url);
    await app.byId('firstrun-setup').click();
    await expect(app.byId('firstrun-progress')).toHaveText('Step 1 of 4');
    await app.byId('firstrun-next').click();
    await expect(app.byId('firstrun-form')).toHaveAttribute('data-step', 'binary');
    await expect(app.byId('firstrun-install')).toHaveText('Install XMRig (verified)');
    // A browser cannot open a file dialog of the machine: it shows the command instead.
    await expect(app.byId('firstrun-trust')).toContainText('npm run headless -- trust add /path/to/xmrig');
    await expect(app.byId('firstrun')).not.toContainText('<version>');
    await expectClean(page, 'first run, get XMRig');
  });

  await test.step('the download shows its progress; cancelling it installs nothing', async () => {
    const size = releases.releases[0]!.assets.get(ASSET)!.length;
    releases.faults.set(ASSET, { stallAt: Math.floor(size / 2) });
    await app.byId('firstrun-install').click();
    const progress = app.byId('firstrun-install-progress');
    await expect(progress).toHaveAttribute('data-phase', 'downloading');
    await expect(app.byId('firstrun-install-progress-phase')).toContainText('Downloading');
    await expect(app.byId('firstrun-install-progress-numbers')).toContainText(/ of .* · (49|50) %/);
    const value = Number(await app.byId('firstrun-install-progress-bar').getAttribute('value'));
    expect(value).toBeGreaterThan(40);
    expect(value).toBeLessThan(60);
    await app.screenshot('install-firstrun-progress');
    await expectClean(page, 'first run, installing');

    await app.byId('firstrun-install-progress-cancel').click();
    await expect(app.byId('firstrun-install-failure')).toContainText(
      'Install cancelled; nothing was installed.',
    );
    const list = await api<InstalledMiners>(h, 'listInstalled');
    expect(list.versions).toEqual([]);
    expect(list.last?.state).toBe('cancelled');
  });

  await test.step('installed for real, the profile step has it preselected', async () => {
    releases.faults.delete(ASSET);
    await app.byId('firstrun-install').click();
    await expect(app.byId('firstrun-form')).toHaveAttribute('data-step', 'pool', { timeout: 30_000 });
    await expect(app.byId('firstrun-binary-note')).toHaveText('XMRig 6.26.0 is installed and verified.');
    const selected = app.byId('firstrun-binaryId').locator('option:checked');
    await expect(selected).toContainText('XMRig 6.26.0');
    await expect(selected).toContainText('installed, verified');
    await app.screenshot('install-firstrun-profile-step');
    await app.byId('firstrun-pool').fill('stratum+tcp://127.0.0.1:3333');
    await app.byId('firstrun-wallet').fill(WALLET);
    await app.byId('firstrun-next').click();
    await expect(app.byId('firstrun-cpu-balanced')).toBeChecked();
    await app.byId('firstrun-next').click();
    await expect(app.byId('firstrun-saved')).toContainText('Saved “My XMRig”');
  });

  const id = 'my-xmrig';
  await test.step('start it and see a hashrate on the dashboard', async () => {
    await app.byId('firstrun-start').click();
    await expect(app.byId('page-dashboard')).toBeVisible();
    await expect(app.byId(`miner-hashrate-${id}`)).toHaveText(HASHRATE_WITH_UNIT);
    await expect(app.byId('total-hashrate')).toHaveText(HASHRATE_WITH_UNIT);
    await app.screenshot('install-firstrun-dashboard');
    const list = await api<InstalledMiners>(h, 'listInstalled');
    expect(list.versions).toEqual([
      expect.objectContaining({ version: '6.26.0', verified: true, status: 'tested', isDefault: true }),
    ]);
    expect(list.versions[0]!.folder).toBe(join(h.dataDir, 'miners', 'xmrig', '6.26.0'));
    expect(list.versions[0]!.usedBy.runningMiners).toEqual([{ id, name: 'My XMRig' }]);
  });

  await test.step('Miners installed: the version, its hash, a newer untested release, uninstall blocked', async () => {
    releases.add(await buildRelease({ key, version: '6.27.0', fakeEnv: FAST_FAKES }));
    await app.go('miners');
    const item = app.byId('installed-6.26.0');
    await expect(item).toContainText(join(h.dataDir, 'miners', 'xmrig', '6.26.0'));
    await expect(app.byId('installed-6.26.0-status')).toHaveText('tested with HashDeck');
    await expect(app.byId('installed-6.26.0-sha')).toHaveText(/^[0-9a-f]{12}…[0-9a-f]{6}$/);
    await expect(app.byId('installed-6.26.0-usage')).toHaveText(
      'Miner “My XMRig” runs it now; profile “My XMRig” follows the newest install.',
    );
    await expect(app.byId('installed-6.26.0-uninstall')).toBeDisabled();
    await expect(app.byId('installed-6.26.0-blocker')).toHaveText('In use: stop “My XMRig” first.');
    await app.byId('update-check-button').click();
    await expect(app.byId('update-status')).toHaveText(
      'Up to date: XMRig 6.26.0 is the newest version tested with HashDeck.',
    );
    await expect(app.byId('update-untested')).toContainText(
      'XMRig 6.27.0 is out: newer, not yet tested with HashDeck.',
    );
    await expect(app.byId('update-checked-at')).toContainText('Checked with GitHub at');
    // The install's notices would cover part of the panel in its picture.
    // (They also time out by themselves, so one may be gone before its click.)
    while ((await app.byId('toast-dismiss').count()) > 0) {
      await app
        .byId('toast-dismiss')
        .first()
        .click({ timeout: 2000 })
        .catch(() => undefined);
    }
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await app.byId('installed-panel').screenshot({ path: join(SCREENSHOT_DIR, 'install-panel.png') });
    await expectClean(page, 'miners installed');
  });
});
