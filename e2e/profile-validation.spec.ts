// Invalid profile input is refused field by field in the form and nothing reaches the store.
import { expect, test } from '@playwright/test';
import type { Profile } from '../src/shared/contract';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES } from './support/env';
import { api, startHeadless, type Headless } from './support/headless';

let h: Headless;

test.beforeAll(async () => {
  h = await startHeadless(FAST_FAKES);
});

test.afterAll(async () => {
  await h?.stop();
});

test('a bad pool and an empty wallet show errors under the fields and save nothing', async ({ page }) => {
  const app = new HashDeck(page);
  await app.open(h.url);
  await app.skipFirstRun();
  await app.go('profiles');
  await app.byId('profile-new').click();
  await app.fillProfile({ name: 'Broken', minerType: 'xmrig', pool: 'not a pool', wallet: '' });
  await app.byId('profile-save').click();

  const poolError = app.byId('error-config.pool');
  const walletError = app.byId('error-config.wallet');
  await expect(poolError).toBeVisible();
  await expect(poolError).toHaveText(/stratum\+tcp:\/\/host:port/);
  await expect(walletError).toBeVisible();
  await expect(walletError).toHaveText('Wallet address is required');
  // Each message sits in its own field and is wired to the input for screen readers.
  await expect(app.byId('profile-pool')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.byId('profile-wallet')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.byId('profile-pool')).toHaveAttribute(
    'aria-describedby',
    new RegExp(`\\b${(await poolError.getAttribute('id')) ?? 'missing'}\\b`),
  );
  await expect(page.locator('.field', { has: app.byId('profile-pool') })).toContainText(
    (await poolError.textContent()) ?? '',
  );
  await expect(app.byId('error-name')).toHaveCount(0);
  await expect(app.byId('profile-form')).toBeVisible();
  await expect(app.byId('profile-pool')).toBeFocused();

  expect(await api<Profile[]>(h, 'listProfiles')).toEqual([]);
  await expect(page.locator('[data-testid^="profile-row-"]')).toHaveCount(0);

  // The server refuses the same input too, naming the same fields.
  const res = await fetch(`${h.origin}/api/saveProfile`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Broken', minerType: 'xmrig', config: { pool: 'not a pool', wallet: '' } }),
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
  expect(body.error.code).toBe('INVALID_INPUT');
  expect(body.error.details.map((d) => d.path)).toEqual(
    expect.arrayContaining(['config.pool', 'config.wallet']),
  );
  expect(await api<Profile[]>(h, 'listProfiles')).toEqual([]);
});
