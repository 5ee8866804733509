// The pause rules as a pure function: each rule, their order, the schedule across midnight, GPU
// temperature hysteresis and cool-down, the "mine anyway" override, and what headless cannot know.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAUSE_RULES, type PauseRulesSettings } from '../../../../shared/contract';
import {
  evaluateRules,
  insideSchedule,
  ruleAvailability,
  type RuleMiner,
  type RuleObservation,
} from './engine';

const miner = (id: string, extra: Partial<RuleMiner> = {}): RuleMiner => ({
  id,
  gpuMaxCelsius: null,
  gpuReadingAt: null,
  mineAnywayUntil: null,
  pausedByRule: null,
  pausedAt: null,
  ...extra,
});

const obs = (extra: Partial<RuleObservation> = {}): RuleObservation => ({
  now: 1_000_000,
  local: { day: 3, minutes: 12 * 60 },
  idleSeconds: 999,
  onBattery: false,
  programs: new Set(),
  miners: [miner('cpu'), miner('gpu', { gpuMaxCelsius: 70, gpuReadingAt: 999_000 })],
  ...extra,
});

const rules = (patch: Partial<PauseRulesSettings>): PauseRulesSettings => ({
  ...DEFAULT_PAUSE_RULES,
  ...patch,
});

describe('evaluateRules', () => {
  it('nothing enabled: every miner mines', () => {
    expect(
      evaluateRules(DEFAULT_PAUSE_RULES, obs({ idleSeconds: 0, onBattery: true })).every((d) => !d.pause),
    ).toBe(true);
  });

  it('pauses every miner while the computer is in use, resumes after the idle time', () => {
    const s = rules({ userActive: { enabled: true, idleSeconds: 60 } });
    const busy = evaluateRules(s, obs({ idleSeconds: 5 }));
    expect(busy.map((d) => [d.id, d.pause, d.rule])).toEqual([
      ['cpu', true, 'userActive'],
      ['gpu', true, 'userActive'],
    ]);
    expect(busy[0]!.detail).toMatch(/in use/);
    expect(evaluateRules(s, obs({ idleSeconds: 60 })).every((d) => !d.pause)).toBe(true);
    // headless: idle time unknown, the rule cannot act (and says why)
    expect(evaluateRules(s, obs({ idleSeconds: null })).every((d) => !d.pause)).toBe(true);
    expect(ruleAvailability({ idleSeconds: null, onBattery: null }).userActive).toMatchObject({
      available: false,
    });
  });

  it('on battery, and while a listed program runs (case and .exe ignored)', () => {
    expect(evaluateRules(rules({ onBattery: { enabled: true } }), obs({ onBattery: true }))[0]).toMatchObject(
      {
        pause: true,
        rule: 'onBattery',
      },
    );
    const s = rules({ processes: { enabled: true, names: ['Game.exe', 'zoom'] } });
    expect(evaluateRules(s, obs({ programs: new Set(['game']) }))[0]).toMatchObject({
      pause: true,
      rule: 'processes',
      detail: 'Game.exe is running',
    });
    expect(evaluateRules(s, obs({ programs: new Set(['bash']) }))[0]!.pause).toBe(false);
  });

  it('a weekly schedule: mine only inside the windows, overnight windows included', () => {
    const night = [{ days: [5], start: '22:00', end: '06:00' }]; // Friday night
    expect(insideSchedule(night, { day: 5, minutes: 23 * 60 })).toBe(true);
    expect(insideSchedule(night, { day: 6, minutes: 5 * 60 })).toBe(true); // Saturday early morning
    expect(insideSchedule(night, { day: 6, minutes: 7 * 60 })).toBe(false);
    expect(insideSchedule(night, { day: 4, minutes: 23 * 60 })).toBe(false);
    const s = rules({ schedule: { enabled: true, windows: night } });
    expect(evaluateRules(s, obs())[0]).toMatchObject({
      pause: true,
      rule: 'schedule',
      detail: 'outside the mining schedule (Wednesday 12:00)',
    });
  });

  it('GPU temperature pauses only the hot GPU miner; resumes below T - 10, or after the cool-down when it reads nothing', () => {
    const s = rules({ gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 60 } });
    const hot = evaluateRules(
      s,
      obs({ miners: [miner('cpu'), miner('gpu', { gpuMaxCelsius: 85, gpuReadingAt: 999_000 })] }),
    );
    expect(hot.map((d) => [d.id, d.pause, d.rule])).toEqual([
      ['cpu', false, null],
      ['gpu', true, 'gpuTemperature'],
    ]);
    const paused = { pausedByRule: 'gpuTemperature' as const, pausedAt: 990_000 };
    // still reads 75: between T - 10 and T, stays paused
    expect(
      evaluateRules(
        s,
        obs({ miners: [miner('gpu', { ...paused, gpuMaxCelsius: 75, gpuReadingAt: 999_000 })] }),
      )[0]!.pause,
    ).toBe(true);
    expect(
      evaluateRules(
        s,
        obs({ miners: [miner('gpu', { ...paused, gpuMaxCelsius: 69, gpuReadingAt: 999_000 })] }),
      )[0]!.pause,
    ).toBe(false);
    // stopped to pause (TT-Miner): no reading since; paused for the cool-down, then allowed to run again
    const stopped = miner('gpu', { ...paused, gpuMaxCelsius: 85, gpuReadingAt: 980_000 });
    expect(evaluateRules(s, obs({ miners: [stopped] }))[0]!.pause).toBe(true);
    expect(evaluateRules(s, obs({ now: 990_000 + 61_000, miners: [stopped] }))[0]!.pause).toBe(false);
  });

  it('"mine anyway" overrides every rule but GPU temperature until it expires', () => {
    const s = rules({
      userActive: { enabled: true, idleSeconds: 60 },
      gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 60 },
    });
    const until = 1_000_000 + 3_600_000;
    const o = obs({
      idleSeconds: 0,
      miners: [
        miner('cpu', { mineAnywayUntil: until }),
        miner('gpu', { mineAnywayUntil: until, gpuMaxCelsius: 90, gpuReadingAt: 999_000 }),
      ],
    });
    expect(evaluateRules(s, o).map((d) => [d.pause, d.rule])).toEqual([
      [false, null],
      [true, 'gpuTemperature'],
    ]);
    expect(evaluateRules(s, { ...o, now: until + 1 })[0]).toMatchObject({ pause: true, rule: 'userActive' });
  });
});
