// The profile form shows the fields of the chosen miner type only (a Simulated profile has no TLS, huge
// pages, donate level, wallet or CLI arguments; TT-Miner has devices and intensity), saving confirms,
// and a profile row starts its miner.
import { expect, test } from '@playwright/test';
import type { Profile } from '../src/shared/contract';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES, WALLET } from './support/env';
import { api, startHeadless, type Headless } from './support/headless';

let h: Headless;

test.beforeAll(async () => {
  h = await startHeadless(FAST_FAKES);
});

test.afterAll(async () => {
  await h?.stop();
});

const XMRIG_ONLY = ['tls', 'hugePages', 'donateLevel', 'coin', 'cpuPriority'];

test('each miner type shows its own fields; save confirms; Start on the row', async ({ page }) => {
  const app = new HashDeck(page);
  await app.open(h.url);
  await app.skipFirstRun();
  await app.go('profiles');
  await app.byId('profile-new').click();
  const form = app.byId('profile-form');

  await test.step('XMRig', async () => {
    await app.byId('profile-minerType').selectOption('xmrig');
    for (const f of [...XMRIG_ONLY, 'wallet', 'cliArgs'])
      await expect(app.byId(`profile-${f}`)).toHaveCount(1);
    await expect(app.byId('profile-devices')).toHaveCount(0);
  });

  await test.step('Simulated', async () => {
    await app.byId('profile-minerType').selectOption('simulated');
    await expect(form).toHaveAttribute('data-miner-type', 'simulated');
    for (const f of [...XMRIG_ONLY, 'wallet', 'password', 'cliArgs', 'devices', 'intensity'])
      await expect(app.byId(`profile-${f}`)).toHaveCount(0);
    for (const f of ['pool', 'algo', 'threads', 'cpuMaxThreadsHint'])
      await expect(app.byId(`profile-${f}`)).toHaveCount(1);
    await app.screenshot('profile-form-simulated');
  });

  await test.step('TT-Miner', async () => {
    await app.byId('profile-minerType').selectOption('ttminer');
    for (const f of ['devices', 'intensity', 'wallet', 'password'])
      await expect(app.byId(`profile-${f}`)).toHaveCount(1);
    for (const f of [...XMRIG_ONLY, 'threads', 'cpuMaxThreadsHint'])
      await expect(app.byId(`profile-${f}`)).toHaveCount(0);
    await app.byId('profile-name').fill('GPU box');
    await app.byId('profile-pool').fill('127.0.0.1:4444');
    await app.byId('profile-wallet').fill(WALLET);
    await app.byId('profile-devices').fill('0,1');
    await app.byId('profile-save').click();
    await expect(app.byId('profile-saved')).toHaveText('Saved “GPU box”.');
    const saved = (await api<Profile[]>(h, 'listProfiles')).find((p) => p.name === 'GPU box');
    expect(saved).toMatchObject({ minerType: 'ttminer', config: { devices: '0,1', pool: '127.0.0.1:4444' } });
  });

  await test.step('a Simulated profile starts from its row', async () => {
    await app.byId('profile-new').click();
    await app.fillProfile({ name: 'Demo (light)', minerType: 'simulated' });
    await app.byId('profile-save').click();
    await expect(app.byId('profile-saved')).toHaveText('Saved “Demo (light)”.');
    const demo = (await api<Profile[]>(h, 'listProfiles')).find((p) => p.name === 'Demo (light)');
    await app.byId(`profile-start-${demo?.id ?? ''}`).click();
    await expect(app.byId(`profile-started-${demo?.id ?? ''}`)).toContainText('Started');
    await app.go('dashboard');
    await expect(page.locator('[data-testid^="miner-card-"]')).toHaveCount(1);
  });
});
