// The watchdog end to end with the fake XMRig as a real child process: a crashing miner is restarted
// with backoff until the crash loop; a hung API and a miner stuck at 0 H/s are restarted; a slow warm-up
// and a paused miner are left alone; a user stop calls a pending restart off. Short watchdog settings
// (below the UI's minimums) keep each case to a few seconds of real time.
import { describe, expect, it } from 'vitest';
import type { ManagerEvents } from '../../src/main/core/manager-events';
import type { MinerState } from '../../src/shared/model';
import { watchdogSettingsSchema, type WatchdogSettings } from '../../src/shared/watchdog-settings';
import { harnessPerTest, isAlive, sleep, tickUntil, waitFor, xmrigRequest, type Harness } from './helpers';

const harness = harnessPerTest();

/** Fast settings for real time; the schema's minimums are for users, the engine takes any. */
function fast(overrides: Partial<WatchdogSettings> = {}): WatchdogSettings {
  return {
    ...watchdogSettingsSchema.parse({}),
    backoffInitialMs: 300,
    backoffMaxMs: 2000,
    crashLoopCount: 3,
    crashLoopWindowMs: 60_000,
    hangTimeoutMs: 60_000,
    zeroHashrateSamples: 3,
    zeroHashrateMinMs: 600,
    warmupGraceMs: 60_000,
    resumeGraceMs: 1000,
    ...overrides,
  };
}

async function supervised(watchdog: WatchdogSettings) {
  const h = await harness({
    watchdog,
    watchdogCheckIntervalMs: 200,
    statsIntervalMs: 200,
    statsTimeoutMs: 500,
  });
  const states: { state: MinerState; generation: number; at: number }[] = [];
  const alerts: ManagerEvents['alert'][] = [];
  h.manager.on('state', (s) => {
    const last = states.at(-1);
    if (last?.state !== s.state || last.generation !== s.generation)
      states.push({ state: s.state, generation: s.generation, at: Date.now() });
  });
  h.manager.on('alert', (a) => alerts.push(a));
  return { h, manager: h.manager, states, alerts };
}

const watchdogMarks = (h: Harness, id: string) =>
  h.manager
    .getEvents(id, 0, Date.now() + 1000)
    .filter((e) => e.kind === 'watchdog')
    .map((e) => e.text);

describe('watchdog with the fake XMRig', () => {
  it('restarts a crashing miner with growing delays, then stops in crash-loop and alerts', async () => {
    const t = await supervised(fast());
    const bin = await t.h.fakeBinary('xmrig-crashy', 'xmrig', {
      FAKE_CRASH_AFTER_MS: '200',
      FAKE_SHARE_MS: '0',
      FAKE_XMRIG_PRINT_MS: '0',
    });
    const first = await t.manager.start(xmrigRequest('crashy', bin));
    expect(first.state).toBe('running');
    await waitFor(() => t.manager.get('crashy').state === 'crash-loop', 'the crash loop', 15_000);
    const snap = t.manager.get('crashy');
    expect(snap.pid).toBeNull();
    expect(snap.generation).toBe(3);
    expect(snap.reason).toContain('thread #0 crashed: illegal instruction');
    expect(snap.reason).toContain('3 failures');
    expect(t.alerts).toHaveLength(1);
    // crash -> backoff 300 ms -> restart -> crash -> backoff 600 ms -> restart -> crash -> crash-loop
    const seq = t.states.map((s) => s.state);
    expect(seq.filter((s) => s === 'backoff')).toHaveLength(2);
    const restarts = t.states.filter((s) => s.state === 'starting').map((s) => s.at);
    const backoffs = t.states.filter((s) => s.state === 'backoff').map((s) => s.at);
    expect(restarts[1]! - backoffs[0]!).toBeGreaterThanOrEqual(280);
    expect(restarts[2]! - backoffs[1]!).toBeGreaterThanOrEqual(580);
    expect(watchdogMarks(t.h, 'crashy')).toEqual([
      expect.stringContaining('restarting in 0 s (attempt 1)'),
      expect.stringContaining('restarting (attempt 1)'),
      expect.stringContaining('restarting in 1 s (attempt 2)'),
      expect.stringContaining('restarting (attempt 2)'),
      expect.stringContaining('crash loop'),
    ]);
    // Nothing more happens until the user acts.
    await sleep(1000);
    expect(t.manager.get('crashy')).toMatchObject({ state: 'crash-loop', generation: 3 });
  });

  it('a user stop calls off the restart that is waiting', async () => {
    const t = await supervised(fast({ backoffInitialMs: 1500 }));
    const bin = await t.h.fakeBinary('xmrig-crash-once', 'xmrig', { FAKE_CRASH_AFTER_MS: '200' });
    await t.manager.start(xmrigRequest('once', bin));
    await waitFor(() => t.manager.get('once').state === 'backoff', 'backoff', 5000);
    expect((await t.manager.stop('once')).state).toBe('stopped');
    await sleep(2000);
    expect(t.manager.get('once')).toMatchObject({ state: 'stopped', generation: 1 });
    expect(watchdogMarks(t.h, 'once').at(-1)).toContain('the pending restart is called off');
  });

  it('restarts a miner whose stats API hangs (FAKE_API_HANG) and kills the hung process', async () => {
    const t = await supervised(fast({ hangTimeoutMs: 1500 }));
    const bin = await t.h.fakeBinary('xmrig-hang', 'xmrig', { FAKE_API_HANG: '1' });
    const first = await t.manager.start(xmrigRequest('hang', bin));
    t.manager.startCollector();
    await waitFor(() => t.manager.get('hang').generation === 2, 'a restart', 10_000);
    expect(isAlive(first.pid!)).toBe(false);
    expect(t.states.map((s) => s.state)).not.toContain('crashed');
    expect(watchdogMarks(t.h, 'hang')[0]).toMatch(
      /the stats API has not answered in the \d+ s since the start/,
    );
  });

  it('restarts a miner stuck at 0 H/s once its warm-up grace is over (FAKE_ZERO_RATE)', async () => {
    const t = await supervised(fast({ warmupGraceMs: 1500 }));
    const bin = await t.h.fakeBinary('xmrig-zero', 'xmrig', { FAKE_ZERO_RATE: '1' });
    await t.manager.start(xmrigRequest('zero', bin));
    t.manager.startCollector();
    await waitFor(() => t.manager.get('zero').generation === 2, 'a restart', 10_000);
    expect(watchdogMarks(t.h, 'zero')[0]).toMatch(/0 H\/s for \d+ samples .* after the start/);
  });

  it('leaves a slowly warming miner alone: no verdict before its first hashrate', async () => {
    // 0 H/s rules that would restart at once (3 samples, 600 ms) if warm-up were not known.
    const t = await supervised(fast({ warmupGraceMs: 60_000 }));
    const bin = await t.h.fakeBinary('xmrig-slow', 'xmrig', { FAKE_WARMUP_MS: '3000' });
    await t.manager.start(xmrigRequest('slow', bin));
    t.manager.startCollector();
    await waitFor(() => (t.manager.get('slow').stats?.hashrate[0] ?? 0) > 0, 'the first hashrate', 10_000);
    expect(t.manager.get('slow').generation).toBe(1);
    expect(watchdogMarks(t.h, 'slow')).toEqual([]);
  });

  it('never restarts a paused miner for its 0 H/s', async () => {
    const t = await supervised(fast());
    const bin = await t.h.fakeBinary('xmrig-paused', 'xmrig');
    await t.manager.start(xmrigRequest('paused', bin));
    await tickUntil(t.manager, 'paused', (s) => (s.stats?.hashrate[0] ?? 0) > 0, 'a hashrate');
    await t.manager.pause('paused');
    t.manager.startCollector();
    // Well past 3 samples and 600 ms of 0 H/s.
    await sleep(2500);
    expect(t.manager.get('paused')).toMatchObject({ state: 'running', paused: true, generation: 1 });
    expect(watchdogMarks(t.h, 'paused')).toEqual([]);
  });
});
