// "Pause for an hour" against real fake miners on a fake clock: the user's timed pause ends by itself
// (XMRig resumes in place, TT-Miner is started again), a rule that wants the miner paused at that moment
// takes the pause over instead of a resume, and anything that ends the pause first drops the timer.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAUSE_RULES, type PauseRulesSettings } from '../../src/shared/contract';
import { governorOnFakeClock } from '../support/governor-clock';
import { harnessPerTest, tickUntil, ttminerRequest, waitForXmrigApi, xmrigRequest } from './helpers';

const harness = harnessPerTest();

const HOUR = 3_600_000;

describe('timed pause', () => {
  it(
    'XMRig resumes in place and TT-Miner starts again once the hour is over, not before',
    { timeout: 30_000 },
    async () => {
      const h = await harness();
      const { manager } = h;
      await manager.start(xmrigRequest('cpu', await h.fakeBinary('xmrig-timed', 'xmrig')));
      await manager.start(ttminerRequest('gpu', await h.fakeBinary('tt-timed', 'ttminer')));
      await waitForXmrigApi(manager, 'cpu');
      await tickUntil(manager, 'gpu', (s) => (s.stats?.gpus.length ?? 0) > 0, 'GPU stats');
      const cpuPid = manager.get('cpu').pid;
      const g = governorOnFakeClock(manager, {
        pauseRules: () => DEFAULT_PAUSE_RULES,
        observe: async () => ({ idleSeconds: null, onBattery: null }),
      });

      for (const id of ['cpu', 'gpu']) {
        await manager.pause(id);
        g.governor.pauseFor(id, 60);
      }
      expect(manager.get('cpu')).toMatchObject({ paused: true, control: { pausedBy: { by: 'user' } } });
      expect(manager.get('cpu').control?.pausedUntil).toBeGreaterThan(Date.now() + HOUR - 5000);
      expect(manager.get('gpu')).toMatchObject({ state: 'stopped', paused: true, pid: null });

      await g.step(HOUR - 1000);
      expect(manager.get('cpu').paused).toBe(true);
      expect(manager.get('gpu').paused).toBe(true);

      await g.step(2000);
      expect(manager.get('cpu')).toMatchObject({
        paused: false,
        pid: cpuPid,
        control: { pausedUntil: null },
      });
      expect(manager.get('cpu').stats?.paused).toBe(false); // the miner itself says so
      expect(manager.get('gpu')).toMatchObject({ paused: false, control: { pausedUntil: null } });
      expect(['starting', 'running']).toContain(manager.get('gpu').state);
      expect(g.notices).toEqual(
        expect.arrayContaining(['cpu resumed: the timed pause ended', 'gpu resumed: the timed pause ended']),
      );
    },
  );

  it(
    'a rule that applies when the hour ends takes the pause over; a resume or a stop drops the timer',
    { timeout: 30_000 },
    async () => {
      const h = await harness();
      const { manager } = h;
      await manager.start(xmrigRequest('cpu', await h.fakeBinary('xmrig-timed-rule', 'xmrig')));
      await waitForXmrigApi(manager, 'cpu');
      let rules: PauseRulesSettings = DEFAULT_PAUSE_RULES;
      const g = governorOnFakeClock(manager, {
        pauseRules: () => rules,
        observe: async () => ({ idleSeconds: null, onBattery: true }),
      });

      await manager.pause('cpu');
      g.governor.pauseFor('cpu', 60);
      rules = { ...DEFAULT_PAUSE_RULES, onBattery: { enabled: true } };
      await g.step(1000);
      // while the hour runs, the user's pause stands
      expect(manager.get('cpu').control?.pausedBy).toEqual({ by: 'user' });
      await g.step(HOUR);
      expect(manager.get('cpu')).toMatchObject({
        paused: true,
        control: { pausedBy: { by: 'rule', rule: 'onBattery' }, pausedUntil: null },
      });
      expect(g.notices.at(-1)).toBe('cpu: the timed pause ended, still paused: running on battery');

      // a manual resume before the end drops the timer
      rules = DEFAULT_PAUSE_RULES;
      await g.step(1000);
      expect(manager.get('cpu').paused).toBe(false);
      await manager.pause('cpu');
      g.governor.pauseFor('cpu', 60);
      await manager.resume('cpu');
      expect(manager.get('cpu').control?.pausedUntil).toBeNull();

      // so does a stop, and a timer left behind on a miner that is not paused by the user is dropped
      await manager.pause('cpu');
      g.governor.pauseFor('cpu', 60);
      await manager.stop('cpu');
      expect(manager.get('cpu').control?.pausedUntil).toBeNull();
      manager.setControl('cpu', { pausedUntil: Date.now() });
      await g.step(1000);
      expect(manager.get('cpu')).toMatchObject({ state: 'stopped', control: { pausedUntil: null } });
    },
  );
});
