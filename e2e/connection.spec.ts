// Browser mode when the server goes away: the page shows a connection banner at once, reconnects by
// itself when the server is back on the same port and data folder, and says what changed meanwhile
// (here: the miners that ran were stopped by the server's shutdown).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { MinerSnapshot } from '../src/shared/model';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES } from './support/env';
import { api, startHeadless, type Headless } from './support/headless';

let dataDir = '';
const servers: Headless[] = [];

test.beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hashdeck-e2e-conn-'));
});

test.afterAll(async () => {
  for (const s of servers) await s.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('a lost server shows a banner; after it returns the page says what changed', async ({ page }) => {
  // The same token across the restart: the page's session cookie stays valid.
  const env = { ...FAST_FAKES, HASHDECK_TOKEN: `e2e-connection-${process.pid}-${Date.now()}` };
  const first = await startHeadless(env, { dataDir });
  servers.push(first);
  const port = Number(new URL(first.url).port);
  const miner = await api<MinerSnapshot>(first, 'startMiner', {
    name: 'Night shift',
    minerType: 'simulated',
    config: {},
  });
  const app = new HashDeck(page);
  await app.open(first.url);
  await app.expectDashboardFirst();
  await expect(app.state(miner.id)).toHaveAttribute('data-display', 'hashing');
  await expect(app.byId('connection-banner')).toHaveCount(0);

  await test.step('the server stops: a banner, without any click', async () => {
    await first.stop();
    const banner = app.byId('connection-banner');
    await expect(banner).toHaveAttribute('data-state', 'offline');
    await expect(banner).toContainText('Lost the connection to HashDeck');
    await app.screenshot('connection-lost');
  });

  await test.step('the server is back on the same port and data folder: reconnected, with the changes', async () => {
    const second = await startHeadless(env, { dataDir, port });
    servers.push(second);
    const banner = app.byId('connection-banner');
    await expect(banner).toHaveAttribute('data-state', 'reconnected', { timeout: 30_000 });
    await expect(app.byId('connection-changes')).toContainText(
      'Night shift was stopped when HashDeck shut down.',
    );
    await expect(app.byId(`miner-card-${miner.id}`)).toHaveCount(0);
    await app.screenshot('connection-back');
    await app.byId('connection-dismiss').click();
    await expect(banner).toHaveCount(0);
  });

  await test.step('the page works again without a reload', async () => {
    const second = servers.at(-1) as Headless;
    const again = await api<MinerSnapshot>(second, 'startMiner', {
      name: 'Day shift',
      minerType: 'simulated',
      config: {},
    });
    await expect(app.state(again.id)).toHaveAttribute('data-state', 'running');
  });
});
