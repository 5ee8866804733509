// Before/after screenshots of the first run, the dashboard and its chart: starts a built headless
// server (out/main) serving a renderer build (SHOT_STATIC, default out/renderer) with fake miners, drives a stop/restart, a crash and an error through
// the API, and writes PNGs to SHOT_DIR (default test-results/screenshots-after). Run: npx tsx <this>.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import playwrightConfig, { CHROMIUM_PATH } from '../../playwright.config';
import { FAST_FAKES, WALLET } from './env';
import { ROOT, trustFake } from './headless';

const STATIC = resolve(process.env.SHOT_STATIC ?? join(ROOT, 'out/renderer'));
const DIR = resolve(process.env.SHOT_DIR ?? join(ROOT, 'test-results/screenshots-after'));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  await mkdir(DIR, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), 'hashdeck-shots-'));
  const xmrigId = await trustFake(join(ROOT, 'out/main/headless.js'), dataDir, 'xmrig', FAST_FAKES);
  const child = spawn(
    process.execPath,
    [join(ROOT, 'out/main/headless.js'), '--port', '0', '--data-dir', dataDir, '--static', STATIC],
    {
      cwd: ROOT,
      env: { ...process.env, HASHDECK_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const url = await new Promise<string>((res, rej) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /Open: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) res(m[1]);
    });
    child.once('exit', (code) => rej(new Error(`server exited ${code}`)));
  });
  const u = new URL(url);
  const token = u.searchParams.get('token') ?? '';
  const api = async (cmd: string, body: unknown = {}) => {
    const res = await fetch(`${u.origin}/api/${cmd}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: playwrightConfig.use?.launchOptions?.args,
  });
  const shoot = async (page: Page, name: string, selector?: string) => {
    const path = join(DIR, `${name}.png`);
    if (selector) await page.locator(selector).first().screenshot({ path });
    else await page.screenshot({ path, fullPage: true });
    console.log(`  ${path}`);
  };
  try {
    for (const theme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
      await page.goto(url);
      await page.getByTestId('firstrun').waitFor();
      await sleep(300);
      await shoot(page, `firstrun-${theme}`);
      // The guided path's CPU step, where the build has one (the "before" build has a plain form).
      if ((await page.getByTestId('firstrun-setup').count()) > 0) {
        await page.getByTestId('firstrun-setup').click();
        if ((await page.getByTestId('firstrun-next').count()) > 0) {
          await page.getByTestId('firstrun-next').click();
          await page.getByTestId('firstrun-pool').fill('stratum+tcp://127.0.0.1:3333');
          await page.getByTestId('firstrun-wallet').fill(WALLET);
          await page.getByTestId('firstrun-next').click();
          await page.getByTestId('firstrun-cpu-balanced').waitFor();
        }
        await shoot(page, `firstrun-setup-${theme}`);
      }
      await page.close();
    }

    const xmrig = { pool: 'stratum+tcp://127.0.0.1:3333', wallet: WALLET, binaryId: xmrigId };
    await api('startMiner', { name: 'Demo', minerType: 'simulated', config: {} });
    await api('startMiner', { name: 'Small demo', minerType: 'simulated', config: { threads: 1 } });
    await api('startMiner', { name: 'CPU rig', minerType: 'xmrig', config: xmrig });
    await api('startMiner', { name: 'Crashy', minerType: 'xmrig', config: xmrig });
    await api('startMiner', {
      name: 'Missing binary',
      minerType: 'xmrig',
      // a binary that is not (or no longer) trusted: the start fails and the card shows the error
      config: { ...xmrig, binaryId: 'xmrig-00000000' },
    });
    await sleep(6000);
    await api('stopMiner', { id: 'small-demo' });
    await api('pauseMiner', { id: 'crashy' });
    await sleep(6000);
    await api('restartMiner', { id: 'small-demo' });
    const snap = (await api('getSnapshot')) as { miners: { id: string; pid: number | null }[] };
    const pid = snap.miners.find((m) => m.id === 'crashy')?.pid;
    if (pid) process.kill(pid, 'SIGKILL');
    await api('pauseMiner', { id: 'demo' });
    await sleep(6000);

    for (const theme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
      await page.goto(url);
      await page.getByTestId('page-dashboard').waitFor();
      await sleep(1500);
      await shoot(page, `dashboard-${theme}`);
      await shoot(page, `chart-${theme}`, '[data-testid="hashrate-chart"]');
      if (theme === 'light' && (await page.getByTestId('view-split').count()) > 0) {
        await page.getByTestId('view-split').click();
        await sleep(500);
        await shoot(page, 'chart-per-miner-light', '[data-testid="hashrate-chart"]');
        await page.getByTestId('view-log').click();
        await sleep(500);
        await shoot(page, 'chart-log-light', '[data-testid="hashrate-chart"]');
      }
      await page.close();
    }
    const small = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await small.goto(url);
    await small.getByTestId('page-dashboard').waitFor();
    await sleep(1500);
    await shoot(small, 'dashboard-800x600');
    await small.close();
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
