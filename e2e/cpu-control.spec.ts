// CPU control in a browser against the headless server and the fake XMRig: a thread change applied live
// (pending → applied, the same process), a change saved to the profile, a "while these programs run"
// pause rule that fires when a program of that name runs here, the card saying why, "Mine anyway";
// the new UI scanned with axe in both themes. Screenshots land in test-results/screenshots/.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import type { Profile, Snapshot } from '../src/shared/contract';
import type { MinerSnapshot } from '../src/shared/model';
import { HashDeck } from './pages/hashdeck';
import { seriousViolations, smallText } from './support/axe';
import { FAST_FAKES, WALLET } from './support/env';
import { api, isAlive, startHeadless, type Headless } from './support/headless';

let h: Headless;
let program: ChildProcess | null = null;

test.beforeAll(async () => {
  // four pretend cores, so one and two threads are both well inside what the fake may run
  h = await startHeadless({ ...FAST_FAKES, FAKE_XMRIG_CORES: '4' });
});

test.afterAll(async () => {
  if (program && program.exitCode === null) program.kill('SIGKILL');
  await h?.stop();
});

async function miner(id: string): Promise<MinerSnapshot> {
  const found = (await api<Snapshot>(h, 'getSnapshot')).miners.find((m) => m.id === id);
  if (!found) throw new Error(`no miner ${id}`);
  return found;
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const found = await seriousViolations(page);
    expect(found, `${where} (${theme}): ${JSON.stringify(found, null, 2)}`).toEqual([]);
    expect(await smallText(page), `${where} (${theme}): text under 12 px`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A program that does nothing for a minute, under a name no other process here has. */
function runProgram(name: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
    argv0: name,
    stdio: 'ignore',
  });
  child.unref();
  return child;
}

test('threads live, a change saved to the profile, a pause rule and "Mine anyway"', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new HashDeck(page);
  const profile = await api<Profile>(h, 'saveProfile', {
    name: 'CPU rig',
    minerType: 'xmrig',
    config: { pool: 'stratum+tcp://127.0.0.1:3333', wallet: WALLET, binaryId: h.xmrigId, threads: 0 },
  });
  const started = await api<MinerSnapshot>(h, 'startMiner', { profileId: profile.id });
  const id = started.id;
  await app.open(h.url);
  await app.expectDashboardFirst();
  await app.expectState(id, 'running');

  await test.step('the card shows the miner’s CPU as a share of this computer', async () => {
    await expect(app.byId(`miner-cpu-${id}`)).toHaveText(/^CPU \d+(\.\d)? % of this computer$/);
    await expect(app.byId(`miner-cpu-details-${id}`)).toContainText('cores busy');
    await expect(app.byId('total-cpu')).toHaveText(/^\d+(\.\d)? %$/);
  });

  await test.step('two threads, only for this run: pending, then applied, same process', async () => {
    const pid = (await miner(id)).pid;
    expect(pid).toEqual(expect.any(Number));
    await app.go('miners');
    await app.byId(`throttle-threads-${id}`).fill('2');
    await expect(app.byId(`throttle-scope-run-${id}`)).toBeChecked();
    await app.byId(`throttle-apply-${id}`).click();
    const result = app.byId(`throttle-result-${id}`);
    await expect(result).toHaveAttribute('data-state', 'applied');
    await expect(result).toHaveText('Applied live: XMRig confirmed it.');
    await expect(app.byId(`throttle-saved-${id}`)).toHaveText(
      'Only for this run: the profile “CPU rig” keeps its own settings.',
    );
    await expect(app.byId(`throttle-effective-${id}`)).toHaveText(/^2 threads · /);
    const after = await miner(id);
    expect(after.pid).toBe(pid);
    expect(after.control?.throttle).toMatchObject({ state: 'applied', target: { threads: 2 } });
    const saved = (await api<Profile[]>(h, 'listProfiles')).find((p) => p.id === profile.id);
    expect(saved?.config.threads).toBe(0);
    await app.screenshot('cpu-throttle-applied');
  });

  await test.step('one thread, also saved to the profile', async () => {
    await app.byId(`throttle-threads-${id}`).fill('1');
    await app.byId(`throttle-scope-profile-${id}`).check();
    await app.byId(`throttle-apply-${id}`).click();
    await expect(app.byId(`throttle-saved-${id}`)).toHaveText(
      'Also saved to the profile “CPU rig”: the next start uses it too.',
    );
    await expect(app.byId(`throttle-result-${id}`)).toHaveAttribute('data-state', 'applied');
    await expect(app.byId(`throttle-profile-${id}`)).toHaveText(/^1 thread · /);
    const saved = (await api<Profile[]>(h, 'listProfiles')).find((p) => p.id === profile.id);
    expect(saved?.config.threads).toBe(1);
    await expectAccessible(page, 'miners page with throttle results');
    // the Profiles page shows it in the profile's form
    await app.go('profiles');
    await app.byId(`profile-edit-${profile.id}`).click();
    await expect(app.byId('profile-form').getByLabel('Threads', { exact: true })).toHaveValue('1');
    await app.page.keyboard.press('Escape');
  });

  const name = `hd-e2e-${randomBytes(4).toString('hex')}`;
  await test.step('a program on the list runs: the rule pauses the miner and the card says why', async () => {
    await app.go('settings');
    await expect(app.byId('rule-userActive-unavailable')).toContainText('headless mode');
    await app.byId('rule-processes-enabled').check();
    await app.byId('rule-processes-names').fill(`${name}\n`);
    await app.byId('pauseRules-save').click();
    await expect(app.byId('pauseRules-saved')).toBeVisible();
    await expectAccessible(page, 'settings with the CPU budget and pause rules');
    await app.screenshot('cpu-settings');

    program = runProgram(name);
    await app.go('dashboard');
    await expect(app.byId(`miner-paused-by-${id}`)).toHaveText('Paused: a listed program is running');
    await expect(app.byId(`miner-paused-${id}`)).toContainText(`${name} is running`);
    await expect(app.state(id)).toHaveAttribute('data-display', 'paused');
    await expect(app.byId('status-rule-held')).toContainText('Paused: a listed program is running');
    expect((await miner(id)).control?.pausedBy).toMatchObject({ by: 'rule', rule: 'processes' });
    await expectAccessible(page, 'dashboard with a miner paused by a rule');
    await app.screenshot('cpu-rule-paused');
  });

  await test.step('"Mine anyway for 1 hour" resumes it while the program still runs', async () => {
    await app.byId(`mine-anyway-${id}`).click();
    await expect(app.byId(`miner-mine-anyway-${id}`)).toContainText('Mining anyway until');
    await expect(app.state(id)).not.toHaveAttribute('data-display', 'paused');
    const snap = await miner(id);
    expect(snap.paused).toBe(false);
    expect(snap.control?.mineAnywayUntil).toBeGreaterThan(Date.now() + 55 * 60_000);
    await app.screenshot('cpu-mine-anyway');
  });

  await test.step('the chart shows the measured CPU as a second series', async () => {
    await app.byId('metric-cpu').click();
    const chart = app.byId('hashrate-chart');
    await expect(chart).toHaveAttribute('data-metric', 'cpu');
    await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(0);
    // the value axis is labelled in % ("0 %", "2 %"), not in H/s
    await expect(chart.locator('svg.recharts-surface').first()).toContainText(/\d %/);
    await expect(chart.locator('svg.recharts-surface').first()).not.toContainText('H/s');
    await app.screenshot('cpu-chart');
    await app.byId('metric-hashrate').click();
  });

  await test.step('stop', async () => {
    const pid = (await miner(id)).pid as number;
    await api(h, 'stopMiner', { id });
    await expect.poll(() => isAlive(pid)).toBe(false);
    program?.kill('SIGKILL');
  });
});
