// The dashboard against the fake XMRig: a stopped miner shows "stopped" with its last rate marked and no
// live numbers; started again, its chart line has a gap where it did not run (two drawn segments, not a
// line across the stop) and markers for the stop and the new start.
import { expect, test } from '@playwright/test';
import type { MinerSnapshot } from '../src/shared/model';
import { HashDeck } from './pages/hashdeck';
import { FAST_FAKES, HASHRATE_WITH_UNIT, WALLET } from './support/env';
import { api, startHeadless, type Headless } from './support/headless';

let h: Headless;

test.beforeAll(async () => {
  h = await startHeadless(FAST_FAKES);
});

test.afterAll(async () => {
  await h?.stop();
});

/** How many separately drawn pieces the miner's line has (each starts with an SVG "M" command). */
async function segmentsOf(app: HashDeck, id: string): Promise<number> {
  const d = await app.page.locator(`.chart-line-${id} path.recharts-line-curve`).first().getAttribute('d');
  return (d?.match(/M/g) ?? []).length;
}

test('stop shows a stopped card; starting again leaves a gap and markers on the chart', async ({ page }) => {
  const started = await api<MinerSnapshot>(h, 'startMiner', {
    name: 'Gap rig',
    minerType: 'xmrig',
    config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: WALLET, binaryId: h.xmrigId },
  });
  const id = started.id;
  const app = new HashDeck(page);
  await app.open(h.url);
  await app.expectDashboardFirst();
  const chart = app.byId('hashrate-chart');

  await test.step('hashing: live numbers and one unbroken line', async () => {
    await expect(app.state(id)).toHaveAttribute('data-display', 'hashing');
    await expect(app.byId(`miner-hashrate-${id}`)).toHaveText(HASHRATE_WITH_UNIT);
    await expect(app.byId('total-hashrate')).toHaveText(HASHRATE_WITH_UNIT);
    await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(2);
    expect(await segmentsOf(app, id)).toBe(1);
  });

  await test.step('stopped from its card: state, last rate, no live values, nothing in the total', async () => {
    await app.byId(`stop-${id}`).click();
    await app.expectState(id, 'stopped');
    await expect(app.byId(`miner-last-${id}`)).toHaveText(/^last: \d+(\.\d+)? (H|kH|MH)\/s$/);
    await expect(app.byId(`miner-hashrate-${id}`)).toHaveCount(0);
    await expect(app.byId(`miner-uptime-${id}`)).toHaveCount(0);
    await expect(app.byId('total-hashrate')).toHaveText('—');
    await expect(app.byId('status-verdict')).toHaveText('Not mining');
  });

  await test.step('started again: the line breaks at the stop, with markers', async () => {
    await app.byId(`restart-${id}`).click();
    await expect(app.state(id)).toHaveAttribute('data-display', 'hashing');
    await expect.poll(() => segmentsOf(app, id), { timeout: 20_000 }).toBe(2);
    expect(Number(await chart.getAttribute('data-breaks'))).toBeGreaterThanOrEqual(1);
    expect(Number(await chart.getAttribute('data-markers'))).toBeGreaterThanOrEqual(3);
    await expect(page.locator('.chart-marker')).not.toHaveCount(0);
    await chart.locator('[data-testid="chart-events"] summary').click();
    await expect(chart.locator('[data-testid="chart-events"] li[data-kind="stop"]')).toHaveCount(1);
    await expect(chart.locator('[data-testid="chart-events"] li[data-kind="start"]')).toHaveCount(2);
    await app.screenshot('chart-gap');
  });

  await test.step('the legend hides the line and shows it again', async () => {
    await app.byId(`legend-${id}`).click();
    await expect(page.locator(`.chart-line-${id}`)).toHaveCount(0);
    await app.byId(`legend-${id}`).click();
    await expect(page.locator(`.chart-line-${id}`)).toHaveCount(1);
  });
});
