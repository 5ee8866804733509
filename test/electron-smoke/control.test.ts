// Smoke: the desktop shell feeds CPU control: powerMonitor's idle time reaches the pause rules (the tray
// names the rule that paused mining and "Mine anyway for 1 hour" resumes it), and the miners are polled
// less often while the window is minimised or hidden, at full rate again once it shows.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAUSE_RULES, type SettingsView } from '../../src/shared/contract';
import type { Shell } from './driver';
import { miners, startSimulated } from './miners';
import { useShells } from './support';

const launch = useShells();

const STATS_CHANNEL = 'evt:stats';
/** Live: 4 stats events a second. In the background the service polls every 10 s. */
const LIVE_INTERVAL_MS = 250;
/** Long enough for 10 live events, well short of one background poll. */
const QUIET_WINDOW_MS = 2500;

async function statsReceived(app: Shell): Promise<number> {
  const messages = await app.call<{ counts: Record<string, number> }>('pageMessages', {
    channel: STATS_CHANNEL,
  });
  return messages.counts[STATS_CHANNEL] ?? 0;
}

/** Waits for `count` more stats events (an event-driven wait, no fixed sleep). */
async function statsFlow(app: Shell, count: number, what: string): Promise<void> {
  const start = await statsReceived(app);
  await app.until(
    () => statsReceived(app),
    (n) => n >= start + count,
    what,
  );
}

/** Stats events during a quiet window: proving an absence needs a wait, kept far from both rates. */
async function statsDuringQuietWindow(app: Shell): Promise<number> {
  const start = await statsReceived(app);
  await new Promise((r) => setTimeout(r, QUIET_WINDOW_MS));
  return (await statsReceived(app)) - start;
}

describe('desktop CPU control', () => {
  it('names the rule that paused mining in the tray, and "Mine anyway for 1 hour" resumes it', async () => {
    const app = await launch();
    await app.waitFor('page-loaded');
    await app.call('setPower', { idleSeconds: 0, onBattery: false }); // the user is at the keyboard
    const view = await app.run<SettingsView>('getSettings');
    // powerMonitor is wired: unlike headless mode, the idle-time rule works here
    expect(view.pauseRuleSupport?.userActive).toEqual({ available: true, reason: null });
    await app.run('saveSettings', {
      pauseRules: { ...DEFAULT_PAUSE_RULES, userActive: { enabled: true, idleSeconds: 60 } },
    });
    await startSimulated(app, 'cpu');

    const line = await app.until(
      () => app.trayItem('rule-held-0'),
      (i) => i !== undefined,
      'the tray naming the rule',
    );
    expect(line).toMatchObject({
      label: 'Paused: the computer is in use (resumes after 60 s without input)',
      enabled: false,
    });
    expect((await miners(app))[0]?.control?.pausedBy).toMatchObject({ by: 'rule', rule: 'userActive' });
    expect(await app.trayItem('mine-anyway')).toMatchObject({
      label: 'Mine anyway for 1 hour',
      enabled: true,
    });

    await app.call('trayClick', { id: 'mine-anyway' });
    const after = await app.until(
      () => miners(app),
      (ms) => ms[0]?.paused === false,
      'the miner mining anyway',
    );
    expect(after[0]?.control?.mineAnywayUntil).toBeGreaterThan(Date.now() + 55 * 60_000);
    await app.until(
      () => app.trayItem('rule-held-0'),
      (i) => i === undefined,
      'the rule line gone',
    );
    expect(await app.trayItem('mine-anyway')).toBeUndefined();
    expect((await app.state()).notifications).toEqual([]);
  });

  it('polls the miners less often while the window is minimised or hidden', { timeout: 60_000 }, async () => {
    const app = await launch();
    await app.waitFor('window-shown');
    await app.waitFor('page-loaded');
    await app.run('saveSettings', { statsIntervalMs: LIVE_INTERVAL_MS });
    await startSimulated(app, 'cpu');
    await statsFlow(app, 4, 'stats several times a second while the window shows');

    await app.call('minimizeWindow');
    await app.waitFor('window-minimized');
    // at most one in flight when it was minimised
    expect(await statsDuringQuietWindow(app)).toBeLessThanOrEqual(1);
    await app.call('restoreWindow');
    await statsFlow(app, 4, 'stats at the live rate again once restored');

    await app.call('trayClick', { id: 'hide-window' });
    await app.waitFor('window-hidden');
    expect(await statsDuringQuietWindow(app)).toBeLessThanOrEqual(1);
    await app.call('trayClick', { id: 'show-window' });
    await statsFlow(app, 4, 'stats at the live rate again once shown');
  });
});
