// Quitting: SIGTERM to the headless server stops every miner it started, so no process outlives it.
import { expect, test } from '@playwright/test';
import type { Snapshot } from '../src/shared/contract';
import type { MinerSnapshot } from '../src/shared/model';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES, WALLET } from './support/env';
import { api, isAlive, startHeadless, type Headless } from './support/headless';

let h: Headless | undefined;

test.afterAll(async () => {
  await h?.stop();
});

test('SIGTERM stops both running miners: no orphans', async ({ page }) => {
  h = await startHeadless(FAST_FAKES);
  const config = { pool: 'stratum+tcp://127.0.0.1:3333', wallet: WALLET, binaryId: h!.xmrigId };
  await Promise.all(
    ['rig-a', 'rig-b'].map((name) =>
      api<MinerSnapshot>(h!, 'startMiner', { name, minerType: 'xmrig', config }),
    ),
  );
  const app = new HashDeck(page);
  await app.open(h.url);
  await app.expectDashboardFirst();
  await app.expectState('rig-a', 'running');
  await app.expectState('rig-b', 'running');
  await expect(app.byId('total-running')).toHaveText('2');

  const pids = (await api<Snapshot>(h, 'getSnapshot')).miners.map((m) => m.pid);
  expect(pids).toHaveLength(2);
  for (const pid of pids) {
    expect(pid).toEqual(expect.any(Number));
    expect(isAlive(pid as number)).toBe(true);
  }

  const server = h.process;
  await h.stop();
  expect(server.exitCode).toBe(0);
  expect(h.output()).toContain('SIGTERM: stopping every miner');
  for (const pid of pids) await expect.poll(() => isAlive(pid as number), { timeout: 5000 }).toBe(false);
});
