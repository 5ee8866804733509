// A miner killed from outside (SIGKILL by pid, as the OOM killer or a user would) shows as crashed
// with a reason on the dashboard and the Miners page, without any action in the UI.
import { expect, test } from '@playwright/test';
import type { Snapshot } from '../src/shared/contract';
import type { MinerSnapshot } from '../src/shared/model';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES, WALLET } from './support/env';
import { api, isAlive, startHeadless, type Headless } from './support/headless';

let h: Headless;

test.beforeAll(async () => {
  h = await startHeadless(FAST_FAKES);
});

test.afterAll(async () => {
  await h?.stop();
});

test('SIGKILL of a running miner shows crashed with a reason', async ({ page }) => {
  const started = await api<MinerSnapshot>(h, 'startMiner', {
    name: 'victim',
    minerType: 'xmrig',
    config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: WALLET, binaryId: h.xmrigId },
  });
  const id = started.id;
  const app = new HashDeck(page);
  await app.open(h.url);
  await app.expectDashboardFirst();
  await app.expectState(id, 'running');

  const pid = (await api<Snapshot>(h, 'getSnapshot')).miners.find((m) => m.id === id)?.pid;
  expect(pid).toEqual(expect.any(Number));
  expect(isAlive(pid as number)).toBe(true);
  process.kill(pid as number, 'SIGKILL');

  await app.expectState(id, 'crashed');
  const reason = app.byId(`miner-reason-${id}`);
  await expect(reason).toBeVisible();
  await expect(reason).toContainText('killed by SIGKILL');
  await expect(app.byId('total-running')).toHaveText('0');

  await app.go('miners');
  await app.expectState(id, 'crashed');
  await expect(app.byId(`miner-reason-${id}`)).toContainText('killed by SIGKILL');
  await expect(app.byId(`restart-${id}`)).toHaveText('Start again');

  const after = (await api<Snapshot>(h, 'getSnapshot')).miners.find((m) => m.id === id);
  expect(after).toMatchObject({ state: 'crashed', pid: null, lastExit: { signal: 'SIGKILL' } });
});
