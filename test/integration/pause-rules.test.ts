// Each pause rule against real fake miners (fake-xmrig pauses in place, fake-ttminer is stopped and
// started again), on a fake clock: who is paused, by which rule, who resumes, the notices, the
// "mine anyway" override that expires, and a user's pause that no rule undoes.
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PAUSE_RULES, type PauseRulesSettings } from '../../src/shared/contract';
import type { SystemObservation } from '../../src/main/core/throttle/governor';
import type { LocalTime } from '../../src/main/core/throttle/rules/engine';
import { harnessPerTest, tickUntil, ttminerRequest, waitForXmrigApi, xmrigRequest } from './helpers';
import { governorOnFakeClock } from '../support/governor-clock';

const harness = harnessPerTest();

const WEDNESDAY_NOON: LocalTime = { day: 3, minutes: 12 * 60 };

describe('pause rules', () => {
  it(
    'each rule pauses and resumes the right miners and says which rule did it',
    { timeout: 60_000 },
    async () => {
      const h = await harness();
      const { manager } = h;
      const cpuBin = await h.fakeBinary('xmrig-rules', 'xmrig');
      const gpuBin = await h.fakeBinary('tt-rules', 'ttminer');
      await manager.start(xmrigRequest('cpu', cpuBin));
      await manager.start(ttminerRequest('gpu', gpuBin));
      await waitForXmrigApi(manager, 'cpu');
      await tickUntil(manager, 'gpu', (s) => (s.stats?.gpus.length ?? 0) > 0, 'GPU stats');

      let rules: PauseRulesSettings = DEFAULT_PAUSE_RULES;
      let system: SystemObservation = { idleSeconds: 999, onBattery: false };
      let programs = new Set<string>();
      let local = WEDNESDAY_NOON;
      const { notices, step } = governorOnFakeClock(manager, {
        pauseRules: () => rules,
        observe: async () => system,
        programs: async () => programs,
        localTime: () => local,
      });
      const pausedBy = (id: string) => {
        const s = manager.get(id);
        return s.paused
          ? s.control?.pausedBy?.by === 'rule'
            ? s.control.pausedBy.rule
            : s.control?.pausedBy?.by
          : null;
      };
      // A resumed TT-Miner is a new process: `starting` until the OS says it owns its API port, so wait
      // for that readiness (slow under instrumentation or load) rather than expect it at once.
      const bothMine = () =>
        vi.waitFor(
          () => {
            expect(manager.get('cpu')).toMatchObject({ state: 'running', paused: false });
            expect(manager.get('gpu')).toMatchObject({ state: 'running', paused: false });
          },
          { timeout: 20_000, interval: 50 },
        );

      // when I use the computer: both pause (TT-Miner by stopping), both resume once idle long enough
      rules = { ...DEFAULT_PAUSE_RULES, userActive: { enabled: true, idleSeconds: 60 } };
      system = { idleSeconds: 3, onBattery: false };
      await step();
      expect([pausedBy('cpu'), pausedBy('gpu')]).toEqual(['userActive', 'userActive']);
      expect(manager.get('cpu').stats?.paused).toBe(true); // the miner itself says so
      expect(manager.get('gpu')).toMatchObject({
        state: 'stopped',
        pid: null,
        control: { pauseKind: 'stop' },
      });
      expect(manager.get('cpu').control?.pausedBy).toMatchObject({ detail: expect.stringMatching(/in use/) });
      expect(notices).toEqual(
        expect.arrayContaining(['cpu paused: the computer is in use (resumes after 60 s without input)']),
      );
      system = { idleSeconds: 61, onBattery: false };
      await step();
      await bothMine();
      expect(notices.at(-1)).toMatch(/resumed: using the computer no longer applies/);

      // on battery
      rules = { ...DEFAULT_PAUSE_RULES, onBattery: { enabled: true } };
      system = { idleSeconds: 0, onBattery: true };
      await step();
      expect([pausedBy('cpu'), pausedBy('gpu')]).toEqual(['onBattery', 'onBattery']);
      system = { idleSeconds: 0, onBattery: false };
      await step();
      await bothMine();

      // while a listed program runs (the list is re-read every 5 s)
      rules = { ...DEFAULT_PAUSE_RULES, processes: { enabled: true, names: ['Steam.exe'] } };
      programs = new Set(['steam', 'bash']);
      await step(6000);
      expect([pausedBy('cpu'), pausedBy('gpu')]).toEqual(['processes', 'processes']);
      programs = new Set(['bash']);
      await step(6000);
      await bothMine();

      // a weekly schedule: weekdays 09:00-17:00 only
      rules = {
        ...DEFAULT_PAUSE_RULES,
        schedule: { enabled: true, windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] },
      };
      local = { day: 6, minutes: 12 * 60 };
      await step();
      expect([pausedBy('cpu'), pausedBy('gpu')]).toEqual(['schedule', 'schedule']);
      local = WEDNESDAY_NOON;
      await step();
      await bothMine();

      // GPU temperature: only the GPU miner; stopped, so it gets the cool-down, then runs again
      await tickUntil(manager, 'gpu', (s) => (s.stats?.gpus.length ?? 0) > 0, 'GPU stats again');
      rules = {
        ...DEFAULT_PAUSE_RULES,
        gpuTemperature: { enabled: true, maxCelsius: 50, cooldownSeconds: 30 },
      };
      await step();
      expect([pausedBy('cpu'), pausedBy('gpu')]).toEqual([null, 'gpuTemperature']);
      await step(10_000);
      expect(pausedBy('gpu')).toBe('gpuTemperature');
      await step(21_000);
      await bothMine();
    },
  );

  it(
    '"mine anyway" resumes a rule-paused miner until it expires; a user pause is never undone by a rule',
    { timeout: 30_000 },
    async () => {
      const h = await harness();
      const { manager } = h;
      const bin = await h.fakeBinary('xmrig-override', 'xmrig');
      await manager.start(xmrigRequest('cpu', bin));
      await waitForXmrigApi(manager, 'cpu');
      let system: SystemObservation = { idleSeconds: 0, onBattery: null };
      const g = governorOnFakeClock(manager, {
        pauseRules: () => ({ ...DEFAULT_PAUSE_RULES, userActive: { enabled: true, idleSeconds: 60 } }),
        observe: async () => system,
      });
      await g.step(0);
      expect(manager.get('cpu').control?.pausedBy).toMatchObject({ by: 'rule', rule: 'userActive' });

      const until = g.governor.mineAnyway('cpu', 60);
      expect(until).toBe(g.now() + 3_600_000);
      await manager.resume('cpu');
      await g.step(1000);
      expect(manager.get('cpu')).toMatchObject({ paused: false, control: { mineAnywayUntil: until } });
      await g.step(59 * 60_000);
      expect(manager.get('cpu').paused).toBe(false);
      // the hour is over: the rule applies again and the override is gone
      await g.step(61_000);
      expect(manager.get('cpu')).toMatchObject({ paused: true, control: { mineAnywayUntil: null } });

      // the user pauses over the rule; the rule ending does not resume it
      await manager.pause('cpu');
      system = { idleSeconds: 999, onBattery: null };
      await g.step(1000);
      expect(manager.get('cpu')).toMatchObject({ paused: true, control: { pausedBy: { by: 'user' } } });
    },
  );
});
