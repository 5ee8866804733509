// The guided first run in a browser: miner → pool and wallet (errors shown, focused and cleared as they
// are fixed; an out-of-range port named) → how much CPU (Balanced by default) → saved, as the profile
// the server stores; then starting it from the confirmation lands on the dashboard.
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

test('first run: a guided path with an explicit CPU choice', async ({ page }) => {
  const app = new HashDeck(page);
  await app.open(h.url);
  await expect(app.byId('firstrun')).toBeVisible();
  // A browser tab has no tray: the welcome text does not promise one.
  await expect(app.byId('firstrun')).not.toContainText('tray');
  await app.screenshot('firstrun-welcome');

  await app.byId('firstrun-setup').click();
  await expect(app.byId('firstrun-progress')).toHaveText('Step 1 of 3');
  await app.byId('firstrun-miner-xmrig').check();
  await app.byId('firstrun-next').click();

  await test.step('pool and wallet: errors focus, name the port, clear as fixed', async () => {
    await app.byId('firstrun-pool').fill('127.0.0.1:99999');
    await app.byId('firstrun-next').click();
    await expect(app.byId('firstrun-error-config.pool')).toHaveText(
      'Pool port 99999 is out of range (1–65535)',
    );
    await expect(app.byId('firstrun-error-config.wallet')).toHaveText('Wallet address is required');
    await expect(app.byId('firstrun-pool')).toBeFocused();
    await app.byId('firstrun-pool').fill('stratum+tcp://127.0.0.1:3333');
    await expect(app.byId('firstrun-error-config.pool')).toHaveCount(0);
    await app.byId('firstrun-next').click();
    await expect(app.byId('firstrun-wallet')).toBeFocused();
    await app.byId('firstrun-wallet').fill(WALLET);
    await expect(app.byId('firstrun-error-config.wallet')).toHaveCount(0);
    await app.byId('firstrun-next').click();
  });

  await test.step('how much CPU: Balanced by default, each choice explained', async () => {
    await expect(app.byId('firstrun-progress')).toHaveText('Step 3 of 3');
    await expect(app.byId('firstrun-cpu-balanced')).toBeChecked();
    await expect(app.byId('firstrun-form')).toContainText('computer stays usable');
    await expect(app.byId('firstrun-form')).toContainText('Eco');
    await expect(app.byId('firstrun-form')).toContainText('Max');
    await app.screenshot('firstrun-cpu');
    await app.byId('firstrun-next').click();
  });

  await test.step('saved: confirmed, and stored with threads auto and half the CPU at low priority', async () => {
    await expect(app.byId('firstrun-saved')).toContainText('Saved “My XMRig”');
    const [profile] = await api<Profile[]>(h, 'listProfiles');
    expect(profile).toMatchObject({
      name: 'My XMRig',
      minerType: 'xmrig',
      config: {
        pool: 'stratum+tcp://127.0.0.1:3333',
        wallet: WALLET,
        threads: 0,
        cpuMaxThreadsHint: 50,
        cpuPriority: 1,
      },
    });
    await app.byId('firstrun-later').click();
    await expect(app.byId('page-dashboard')).toBeVisible();
    await expect(app.byId('start-profile')).toHaveText('Start “My XMRig”');
  });
});
