// From a machine with no miner to a hashrate in the browser: the headless server is pointed (locally, with
// --xmrig-releases-url and --xmrig-key-file) at a loopback release signed by a test key whose "xmrig" is
// the fake XMRig. The install UI comes later, so this spec installs through the HTTP API (`installMiner`,
// then `listInstalled`), then creates the profile and starts it in the browser like a user would.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { InstallStatus, InstalledMiners, InstallationCheck } from '../src/shared/contract';
import { FakeReleaseServer, buildRelease } from '../test/install/support/fake-release';
import { makeTestKey } from '../test/install/support/keys';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES, HASHRATE_WITH_UNIT, WALLET } from './support/env';
import { api, startHeadless, type Headless } from './support/headless';

let h: Headless;
let releases: FakeReleaseServer;
let keyDir: string;

test.beforeAll(async () => {
  const key = await makeTestKey();
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

test('a fresh machine installs XMRig (verified, over the API) and mines with it from the browser', async ({
  page,
}) => {
  const app = new HashDeck(page);

  await test.step('nothing is trusted yet, and the server says what can be done', async () => {
    const check = await api<InstallationCheck>(h, 'checkInstallation', { minerType: 'xmrig' });
    expect(check.found).toBe(false);
    expect(check.message).toContain('npm run headless -- install xmrig');
    await app.open(h.url);
    await expect(app.byId('firstrun')).toBeVisible();
  });

  await test.step('installMiner answers at once; the install finishes in the background', async () => {
    const started = await api<InstallStatus>(h, 'installMiner', { minerType: 'xmrig' });
    expect(started).toMatchObject({ state: 'running', phase: 'resolving', requested: null });
    await expect
      .poll(async () => (await api<InstalledMiners>(h, 'listInstalled')).last?.state ?? 'running', {
        timeout: 30_000,
      })
      .toBe('succeeded');
    const installed = await api<InstalledMiners>(h, 'listInstalled');
    expect(installed.versions).toEqual([
      expect.objectContaining({ version: '6.26.0', verified: true, status: 'tested', isDefault: true }),
    ]);
    expect(installed.versions[0]!.folder).toBe(join(h.dataDir, 'miners', 'xmrig', '6.26.0'));
    expect(installed.last?.installId).toBe(started.installId);
  });

  await test.step('the profile form offers the installed binary', async () => {
    await app.skipFirstRun();
    await app.go('profiles');
    await app.byId('profile-new').click();
    await app.fillProfile({
      name: 'Installed XMRig',
      minerType: 'xmrig',
      pool: 'stratum+tcp://127.0.0.1:3333',
      wallet: WALLET,
    });
    await expect(app.byId('profile-binaryId')).toContainText('XMRig 6.26.0');
    await app.byId('profile-save').click();
    await expect(app.byId('profile-form')).toHaveCount(0);
  });

  await test.step('start it and see a hashrate on the dashboard', async () => {
    await app.go('miners');
    await app.byId('start-profile-select').selectOption({ label: 'Installed XMRig' });
    await app.byId('start-button').click();
    const id = 'installed-xmrig';
    await app.expectState(id, 'running');
    await app.go('dashboard');
    await expect(app.byId(`miner-hashrate-${id}`)).toHaveText(HASHRATE_WITH_UNIT);
    await expect(app.byId('total-hashrate')).toHaveText(HASHRATE_WITH_UNIT);
    await app.screenshot('installed-xmrig-dashboard');
    const list = await api<InstalledMiners>(h, 'listInstalled');
    expect(list.versions[0]!.usedBy.runningMiners).toEqual([{ id, name: 'Installed XMRig' }]);
  });
});
