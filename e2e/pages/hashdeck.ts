// Page object for the HashDeck UI served by the headless server: navigation, the profile form, miner
// controls and per-page screenshots. Locators use the renderer's data-testids only.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { ROOT } from '../support/headless';

export const SCREENSHOT_DIR = join(ROOT, 'test-results/screenshots');

export type PageName = 'dashboard' | 'miners' | 'profiles' | 'console' | 'settings';

export interface ProfileFields {
  name: string;
  minerType?: 'xmrig' | 'ttminer' | 'simulated';
  pool?: string;
  wallet?: string;
}

export class HashDeck {
  constructor(readonly page: Page) {}

  /** Opens the printed URL (the server trades ?token= for a cookie) and waits for the first snapshot. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByTestId('app-loading')).toHaveCount(0);
    await expect(this.page).not.toHaveURL(/token=/);
  }

  /** The guided first run shows only for an empty app (no profiles, no miners); leave it for the dashboard. */
  async skipFirstRun(): Promise<void> {
    await expect(this.byId('firstrun')).toBeVisible();
    await this.byId('firstrun-skip').click();
    await expect(this.byId('page-dashboard')).toBeVisible();
  }

  /** With miners already running, the app opens on the dashboard: mining is never hidden. */
  async expectDashboardFirst(): Promise<void> {
    await expect(this.byId('page-dashboard')).toBeVisible();
    await expect(this.byId('firstrun')).toHaveCount(0);
  }

  byId(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  async go(name: PageName): Promise<void> {
    await this.byId(`nav-${name}`).click();
    await expect(this.byId(`page-${name}`)).toBeVisible();
  }

  async screenshot(name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  /** Fills the profile form (already open); fields left undefined keep their defaults. */
  async fillProfile(p: ProfileFields): Promise<void> {
    const form = this.byId('profile-form');
    await expect(form).toBeVisible();
    await this.byId('profile-name').fill(p.name);
    if (p.minerType) await this.byId('profile-minerType').selectOption(p.minerType);
    if (p.pool !== undefined) await this.byId('profile-pool').fill(p.pool);
    if (p.wallet !== undefined) await this.byId('profile-wallet').fill(p.wallet);
  }

  state(id: string): Locator {
    return this.byId(`miner-state-${id}`);
  }

  async expectState(id: string, state: string): Promise<void> {
    await expect(this.state(id)).toHaveAttribute('data-state', state);
  }
}
