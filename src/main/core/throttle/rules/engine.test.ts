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

describe('ruleAvailability', () => {
  it('every rule can act where idle time and the power source are known; each missing one says why', () => {
    const yes = { available: true, reason: null };
    expect(ruleAvailability({ idleSeconds: 0, onBattery: false })).toEqual({
      userActive: yes,
      onBattery: yes,
      schedule: yes,
      processes: yes,
      gpuTemperature: yes,
    });
    expect(ruleAvailability({ idleSeconds: null, onBattery: null })).toEqual({
      userActive: {
        available: false,
        reason: 'Idle time is unavailable here (headless mode has no desktop session)',
      },
      onBattery: { available: false, reason: 'The power source cannot be read on this computer' },
      schedule: yes,
      processes: yes,
      gpuTemperature: yes,
    });
  });
});

describe('insideSchedule: window edges', () => {
  const at = (day: number, hhmm: string) => ({
    day,
    minutes: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)),
  });

  it('a same-day window includes its start minute and excludes its end minute, on its days only', () => {
    const w = [{ days: [1], start: '08:30', end: '17:15' }];
    expect(insideSchedule(w, at(1, '08:29'))).toBe(false);
    expect(insideSchedule(w, at(1, '08:30'))).toBe(true);
    expect(insideSchedule(w, at(1, '17:10'))).toBe(true); // minutes of the end count (17:15, not 16:45)
    expect(insideSchedule(w, at(1, '17:14'))).toBe(true);
    expect(insideSchedule(w, at(1, '17:15'))).toBe(false);
    expect(insideSchedule(w, at(1, '20:00'))).toBe(false);
    expect(insideSchedule(w, at(2, '12:00'))).toBe(false);
    expect(insideSchedule(w, at(2, '03:00'))).toBe(false);
  });

  it('inside any one of several windows is inside', () => {
    const w = [
      { days: [1], start: '08:00', end: '09:00' },
      { days: [1], start: '18:00', end: '19:00' },
    ];
    expect(insideSchedule(w, at(1, '18:30'))).toBe(true);
    expect(insideSchedule(w, at(1, '12:00'))).toBe(false);
  });

  it('an overnight window starts at its start on its own day and ends at its end the next morning', () => {
    const night = [{ days: [5], start: '22:00', end: '06:00' }];
    expect(insideSchedule(night, at(5, '21:59'))).toBe(false);
    expect(insideSchedule(night, at(5, '22:00'))).toBe(true);
    expect(insideSchedule(night, at(6, '05:59'))).toBe(true);
    expect(insideSchedule(night, at(6, '06:00'))).toBe(false);
  });

  it('a window whose start equals its end covers the whole of its day', () => {
    const allDay = [{ days: [3], start: '00:00', end: '00:00' }];
    expect(insideSchedule(allDay, at(3, '00:00'))).toBe(true);
    expect(insideSchedule(allDay, at(3, '23:59'))).toBe(true);
    expect(insideSchedule(allDay, at(4, '00:00'))).toBe(false);
  });
});

describe('evaluateRules: each rule acts only when enabled and its condition holds', () => {
  it('battery: pauses only when running on battery, with that reason', () => {
    const s = rules({ onBattery: { enabled: true } });
    expect(evaluateRules(s, obs({ onBattery: true }))[0]).toEqual({
      id: 'cpu',
      pause: true,
      rule: 'onBattery',
      detail: 'running on battery',
    });
    expect(evaluateRules(s, obs({ onBattery: false }))[0]!.pause).toBe(false);
    expect(evaluateRules(s, obs({ onBattery: null }))[0]!.pause).toBe(false);
  });

  it('programs: only when the rule is on and the list could be read; only a trailing .exe is dropped', () => {
    const names = ['Tool.exec', 'game.exe'];
    const on = rules({ processes: { enabled: true, names } });
    expect(evaluateRules(on, obs({ programs: new Set(['tool.exec']) }))[0]).toMatchObject({
      pause: true,
      detail: 'Tool.exec is running',
    });
    expect(evaluateRules(on, obs({ programs: new Set(['toolc']) }))[0]!.pause).toBe(false);
    // the listing failed (or the rule is off): nothing to match, mining goes on
    expect(evaluateRules(on, obs({ programs: null }))[0]!.pause).toBe(false);
    const off = rules({ processes: { enabled: false, names } });
    expect(evaluateRules(off, obs({ programs: new Set(['game']) }))[0]!.pause).toBe(false);
  });
});

describe('evaluateRules: GPU temperature edges and messages', () => {
  const s = rules({ gpuTemperature: { enabled: true, maxCelsius: 80, cooldownSeconds: 60 } });
  const gpu = (extra: Partial<RuleMiner>) => evaluateRules(s, obs({ miners: [miner('gpu', extra)] }))[0]!;
  const paused = { pausedByRule: 'gpuTemperature' as const, pausedAt: 990_000 };

  it('off: a hot GPU keeps mining', () => {
    const off = rules({ gpuTemperature: { enabled: false, maxCelsius: 80, cooldownSeconds: 60 } });
    const hot = miner('gpu', { gpuMaxCelsius: 100, gpuReadingAt: 999_000 });
    expect(evaluateRules(off, obs({ miners: [hot] }))[0]!.pause).toBe(false);
  });

  it('pauses at the limit exactly, not below it, naming the reading and the limit', () => {
    expect(gpu({ gpuMaxCelsius: 80, gpuReadingAt: 999_000 })).toEqual({
      id: 'gpu',
      pause: true,
      rule: 'gpuTemperature',
      detail: 'GPU at 80 °C (limit 80 °C)',
    });
    expect(gpu({ gpuMaxCelsius: 79, gpuReadingAt: 999_000 }).pause).toBe(false);
    expect(gpu({ gpuMaxCelsius: null, gpuReadingAt: null }).pause).toBe(false);
  });

  it('once paused, a fresh reading at T - 10 still holds it, below T - 10 resumes', () => {
    expect(gpu({ ...paused, gpuMaxCelsius: 70, gpuReadingAt: 999_000 })).toEqual({
      id: 'gpu',
      pause: true,
      rule: 'gpuTemperature',
      detail: 'GPU at 70 °C, resumes below 70 °C',
    });
    expect(gpu({ ...paused, gpuMaxCelsius: 69, gpuReadingAt: 999_000 }).pause).toBe(false);
  });

  it('a reading taken at the pause itself (or with no known pause time) is not fresh: the cool-down applies', () => {
    const coolingDown = {
      id: 'gpu',
      pause: true,
      rule: 'gpuTemperature',
      detail: 'GPU over 80 °C, cooling down for 60 s',
    };
    expect(gpu({ ...paused, gpuMaxCelsius: 50, gpuReadingAt: 990_000 })).toEqual(coolingDown);
    expect(gpu({ ...paused, pausedAt: null, gpuMaxCelsius: 50, gpuReadingAt: 999_000 })).toEqual(coolingDown);
    // no reading at all since (a miner stopped to pause reports nothing)
    expect(gpu({ ...paused, gpuMaxCelsius: null, gpuReadingAt: null })).toEqual(coolingDown);
  });

  it('the cool-down ends exactly cooldownSeconds after the pause', () => {
    const stopped = miner('gpu', { ...paused, gpuMaxCelsius: 85, gpuReadingAt: 980_000 });
    expect(evaluateRules(s, obs({ now: 990_000 + 59_999, miners: [stopped] }))[0]!.pause).toBe(true);
    expect(evaluateRules(s, obs({ now: 990_000 + 60_000, miners: [stopped] }))[0]!.pause).toBe(false);
  });
});

describe('evaluateRules: "mine anyway" expiry', () => {
  it('overrides strictly before its end time only; no override means the rule holds', () => {
    const s = rules({ userActive: { enabled: true, idleSeconds: 60 } });
    const at = (until: number | null) =>
      evaluateRules(s, obs({ idleSeconds: 0, miners: [miner('cpu', { mineAnywayUntil: until })] }))[0]!.pause;
    expect(at(1_000_001)).toBe(false);
    expect(at(1_000_000)).toBe(true);
    expect(at(null)).toBe(true);
  });
});
