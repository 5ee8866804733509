// The whole user journey in a browser against the headless server and the fake XMRig: first run,
// a profile, start, live dashboard, pause/resume, a live throttle, the console's `h` key, stop.
// Screenshots of every page land in test-results/screenshots/.
import { expect, test } from '@playwright/test';
import type { Snapshot } from '../src/shared/contract';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES, HASHRATE_WITH_UNIT, WALLET } from './support/env';
import { api, isAlive, startHeadless, type Headless } from './support/headless';

let h: Headless;

test.beforeAll(async () => {
  h = await startHeadless(FAST_FAKES);
});

test.afterAll(async () => {
  await h?.stop();
});

test('first run to a stopped miner, through every page', async ({ page }) => {
  const app = new HashDeck(page);
  let id = '';

  await test.step('the printed URL opens the first-run screen', async () => {
    await app.open(h.url);
    await expect(app.byId('firstrun')).toBeVisible();
    await expect(app.byId('firstrun-demo')).toBeVisible();
    await app.screenshot('firstrun');
    await app.skipFirstRun();
    await expect(app.byId('dashboard-empty')).toBeVisible();
  });

  await test.step('create an XMRig profile using the trusted (fake) binary', async () => {
    await app.go('profiles');
    await app.byId('profile-new').click();
    await app.fillProfile({
      name: 'E2E XMRig',
      minerType: 'xmrig',
      pool: 'stratum+tcp://127.0.0.1:3333',
      wallet: WALLET,
    });
    // The only trusted XMRig is the fake registered with `trust add`; the form offers it, never a path.
    await expect(app.byId('profile-binaryId')).toContainText('XMRig 6.26.0');
    await app.byId('profile-save').click();
    await expect(app.byId('profile-form')).toHaveCount(0);
    await expect(page.locator('[data-testid^="profile-row-"]')).toHaveCount(1);
    await expect(page.locator('[data-testid^="profile-row-"]')).toContainText('127.0.0.1:3333');
    await app.screenshot('profiles');
  });

  await test.step('start it on the Miners page', async () => {
    await app.go('miners');
    await app.byId('start-profile-select').selectOption({ label: 'E2E XMRig' });
    await app.byId('start-button').click();
    const row = page.locator('[data-testid^="miner-row-"]');
    await expect(row).toHaveCount(1);
    id = ((await row.getAttribute('data-testid')) ?? '').replace('miner-row-', '');
    expect(id).toBe('e2e-xmrig');
    await app.expectState(id, 'running');
  });

  await test.step('the dashboard shows a total, a running card and chart points', async () => {
    await app.go('dashboard');
    await expect(app.byId(`miner-card-${id}`)).toBeVisible();
    await app.expectState(id, 'running');
    await expect(app.byId('total-hashrate')).toHaveText(HASHRATE_WITH_UNIT);
    await expect(app.byId(`miner-hashrate-${id}`)).toHaveText(HASHRATE_WITH_UNIT);
    await expect
      .poll(async () => Number(await app.byId('hashrate-chart').getAttribute('data-points')))
      .toBeGreaterThan(0);
    await expect(app.byId('hashrate-chart').locator('svg.recharts-surface').first()).toBeVisible();
    await app.screenshot('dashboard');
  });

  await test.step('pause, then resume', async () => {
    await app.go('miners');
    await app.byId(`pause-${id}`).click();
    await expect(app.byId(`resume-${id}`)).toBeVisible();
    await app.go('dashboard');
    await expect(app.state(id)).toHaveAttribute('data-display', 'paused');
    await app.expectState(id, 'running');
    await expect(app.byId('total-hashrate')).toHaveText('—');
    await app.go('miners');
    await app.byId(`resume-${id}`).click();
    await expect(app.byId(`pause-${id}`)).toBeVisible();
    await expect(app.state(id)).not.toHaveAttribute('data-display', 'paused');
  });

  await test.step('the CPU % hint applies live', async () => {
    await app.byId(`throttle-preset-${id}-50`).click();
    await expect(app.byId(`throttle-hint-${id}`)).toHaveValue('50');
    await app.byId(`throttle-apply-${id}`).click();
    const result = app.byId(`throttle-result-${id}`);
    await expect(result).toHaveAttribute('data-mode', 'live');
    await expect(result).toHaveText('Applied live: XMRig confirmed it.');
    const snap = await api<Snapshot>(h, 'getSnapshot');
    expect(snap.miners.find((m) => m.id === id)?.config.cpuMaxThreadsHint).toBe(50);
    await app.screenshot('miners');
  });

  await test.step('the console streams output and answers the h key', async () => {
    await app.go('console');
    await expect(app.byId('console-miner-select')).toHaveValue(id);
    const lines = app.byId('console-line');
    await expect(lines.first()).toBeVisible();
    await expect(lines.filter({ hasText: 'speed 10s/60s/15m' }).first()).toBeVisible();
    const table = lines.filter({ hasText: 'CPU #' });
    await expect(table).toHaveCount(0);
    await app.byId('console-key-h').click();
    // XMRig answers `h` with its per-thread table (header "|    CPU # | AFFINITY | 10s H/s ...").
    await expect(table.first()).toBeVisible();
    await expect(table.first()).toContainText('10s H/s');
    await app.screenshot('console');
  });

  await test.step('the settings page shows the data folder', async () => {
    await app.go('settings');
    await expect(app.byId('settings-dataDir')).toHaveValue(h.dataDir);
    await app.screenshot('settings');
  });

  await test.step('stop', async () => {
    const pid = (await api<Snapshot>(h, 'getSnapshot')).miners.find((m) => m.id === id)?.pid;
    expect(pid).toEqual(expect.any(Number));
    await app.go('miners');
    await app.byId(`stop-${id}`).click();
    await app.expectState(id, 'stopped');
    await expect(app.byId(`stop-${id}`)).toHaveCount(0);
    await app.go('dashboard');
    await app.expectState(id, 'stopped');
    await expect(app.byId('total-running')).toHaveText('0');
    await expect.poll(() => isAlive(pid as number)).toBe(false);
  });
});
