// The CPU budget closed loop against fake-xmrig burning a real core per mining thread (like XMRig):
// measured CPU is driven into the band by live thread changes and pulses, in the same process.
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PAUSE_RULES, type CpuBudgetSettings } from '../../src/shared/contract';
import { Governor } from '../../src/main/core/throttle/governor';
import { makeHarness, sleep, tickUntil, waitForXmrigApi, xmrigRequest, type Harness } from './helpers';

let h: Harness | null = null;
let governor: Governor | null = null;
afterEach(async () => {
  governor?.stop();
  governor = null;
  await h?.dispose();
  h = null;
});

const cores = availableParallelism();

/** Mean measured CPU (% of the machine) over `seconds` of 1 Hz samples. */
async function meanUsage(id: string, seconds: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    // what the collector does every tick (the governor samples too while the budget is on; they share it)
    await h!.manager.sampleUsage();
    const u = h!.manager.get(id).control?.usage?.machineCpuPercent;
    if (u !== undefined) values.push(u);
  }
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

describe.runIf(process.platform === 'linux' && cores >= 2)('CPU budget (closed loop)', () => {
  it(
    'drives a miner burning every core into the budget band, live, without restarting it',
    { timeout: 90_000 },
    async () => {
      h = await makeHarness();
      const { manager } = h;
      const bin = await h.fakeBinary('xmrig-budget', 'xmrig', {
        FAKE_BURN: '1',
        FAKE_BURN_MAX_MS: '80000',
        FAKE_XMRIG_CORES: String(cores),
      });
      const started = await manager.start(xmrigRequest('b', bin));
      await waitForXmrigApi(manager, 'b');
      await tickUntil(
        manager,
        'b',
        (s) => (s.stats?.threads.length ?? 0) === cores,
        'all threads',
        8000,
        200,
      );

      // What it takes with no budget: a whole machine when idle, less on a busy test machine. The budget is
      // half of that, so the test shows the loop at work whatever else runs here.
      const budget: CpuBudgetSettings = { enabled: false, machinePercent: 50 };
      governor = new Governor({
        manager,
        settings: () => ({ cpuBudget: budget, pauseRules: DEFAULT_PAUSE_RULES }),
      });
      governor.start();
      await sleep(1500);
      const free = await meanUsage('b', 3);
      expect(free).toBeGreaterThan(5);
      budget.machinePercent = Math.max(5, Math.round(free / 2));
      budget.enabled = true;

      await tickUntil(
        manager,
        'b',
        (s) => s.control?.budget?.targetPercent === budget.machinePercent,
        'the hold',
        5000,
        200,
      );
      // settle, then the mean must sit in the band around the budget
      await sleep(8000);
      const held = await meanUsage('b', 6);
      const band = Math.max(6, budget.machinePercent * 0.35);
      const seen = `free ${free}, budget ${budget.machinePercent}, held ${held}`;
      // Never above the band: that part is the controller's alone. Below it, a machine that got busier
      // since `free` was measured (other test files, other processes) may leave the miner less than its
      // budget; the loop must still not strangle it, so it keeps at least a third of its share.
      expect(held, seen).toBeLessThan(budget.machinePercent + band);
      expect(held, seen).toBeGreaterThan(budget.machinePercent / 3);
      expect(held, seen).toBeLessThan(free);
      const snap = manager.get('b');
      // it took threads away and/or pulses: knobs of the running process, never the miner's own config
      expect(
        (snap.control?.effective?.threads ?? cores) < cores || (snap.control?.budget?.duty ?? 1) < 1,
      ).toBe(true);
      expect(snap.config.threads).toBe(0);
      expect(manager.getLogs('b').some((l) => l.text.startsWith('CPU budget:'))).toBe(true);

      // budget off: its own knobs back, pulses stopped, never restarted
      budget.enabled = false;
      await tickUntil(
        manager,
        'b',
        (s) => s.control?.budget === null && s.control.effective?.threads === null && !s.paused,
        'the miner to get its knobs back',
        10_000,
        250,
      );
      expect(manager.get('b')).toMatchObject({ pid: started.pid, generation: 1, state: 'running' });
      expect(manager.getLogs('b').filter((l) => /dataset ready/.test(l.text))).toHaveLength(1);
    },
  );
});
