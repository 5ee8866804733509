// The pause rules as one pure function of (settings, observations, clock) -> what each miner should do.
// Mining runs only while no rule says pause; the decision names the rule (and why) so the UI can say it.
import type { PauseRulesSettings } from '../../../../shared/contract';
import type { PauseRuleId } from '../../../../shared/model';

export interface LocalTime {
  /** 0 = Sunday .. 6 = Saturday. */
  day: number;
  /** Minutes since local midnight. */
  minutes: number;
}

export interface RuleMiner {
  id: string;
  /** Hottest GPU the miner reported, °C, and when (null: it reports none, or nothing yet). */
  gpuMaxCelsius: number | null;
  gpuReadingAt: number | null;
  /** "Mine anyway" until then (the user's override of every rule but GPU temperature). */
  mineAnywayUntil: number | null;
  /** The rule that paused it (null when no rule did), and since when. */
  pausedByRule: PauseRuleId | null;
  pausedAt: number | null;
}

export interface RuleObservation {
  now: number;
  local: LocalTime;
  /** Seconds since the last keyboard or mouse input; null = cannot be known here (headless). */
  idleSeconds: number | null;
  onBattery: boolean | null;
  /** Lower-case names of running programs; null = not listed (the rule is off or listing failed). */
  programs: ReadonlySet<string> | null;
  miners: readonly RuleMiner[];
}

export interface RuleDecision {
  id: string;
  pause: boolean;
  rule: PauseRuleId | null;
  detail: string | null;
}

/** Which rules could act here at all. */
export function ruleAvailability(
  obs: Pick<RuleObservation, 'idleSeconds' | 'onBattery'>,
): Record<PauseRuleId, { available: boolean; reason: string | null }> {
  const yes = { available: true, reason: null };
  return {
    userActive:
      obs.idleSeconds === null
        ? { available: false, reason: 'Idle time is unavailable here (headless mode has no desktop session)' }
        : yes,
    onBattery:
      obs.onBattery === null
        ? { available: false, reason: 'The power source cannot be read on this computer' }
        : yes,
    schedule: yes,
    processes: yes,
    gpuTemperature: yes,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Inside one of the windows? A window whose end is not after its start runs past midnight. */
export function insideSchedule(windows: PauseRulesSettings['schedule']['windows'], t: LocalTime): boolean {
  return windows.some((w) => {
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    if (start < end) return w.days.includes(t.day) && t.minutes >= start && t.minutes < end;
    // overnight (or a whole day when start == end): today from start, or yesterday's window until end
    const yesterday = (t.day + 6) % 7;
    return (w.days.includes(t.day) && t.minutes >= start) || (w.days.includes(yesterday) && t.minutes < end);
  });
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.exe$/, '');
}

/** Global rules, in the order the UI names them when several apply. */
function globalRule(s: PauseRulesSettings, o: RuleObservation): { rule: PauseRuleId; detail: string } | null {
  if (s.onBattery.enabled && o.onBattery === true) return { rule: 'onBattery', detail: 'running on battery' };
  if (s.userActive.enabled && o.idleSeconds !== null && o.idleSeconds < s.userActive.idleSeconds) {
    return {
      rule: 'userActive',
      detail: `the computer is in use (resumes after ${s.userActive.idleSeconds} s without input)`,
    };
  }
  if (s.processes.enabled && o.programs) {
    const running = s.processes.names.find((n) => o.programs!.has(normalise(n)));
    if (running) return { rule: 'processes', detail: `${running} is running` };
  }
  if (s.schedule.enabled && !insideSchedule(s.schedule.windows, o.local)) {
    return {
      rule: 'schedule',
      detail: `outside the mining schedule (${DAYS[o.local.day]} ${hhmm(o.local.minutes)})`,
    };
  }
  return null;
}

function gpuRule(
  s: PauseRulesSettings['gpuTemperature'],
  m: RuleMiner,
  now: number,
): { rule: PauseRuleId; detail: string } | null {
  if (!s.enabled) return null;
  const T = s.maxCelsius;
  // no reading is colder than any limit, and older than any pause
  const celsius = m.gpuMaxCelsius ?? -Infinity;
  const fresh = m.pausedAt !== null && (m.gpuReadingAt ?? -Infinity) > m.pausedAt;
  if (m.pausedByRule === 'gpuTemperature') {
    // Stay paused until it reads T - 10; a miner stopped to pause (TT-Miner) reads nothing, so it gets
    // the cool-down, then runs and is measured again.
    if (fresh && celsius >= T - 10) {
      return { rule: 'gpuTemperature', detail: `GPU at ${m.gpuMaxCelsius} °C, resumes below ${T - 10} °C` };
    }
    if (!fresh && now - (m.pausedAt ?? now) < s.cooldownSeconds * 1000) {
      return { rule: 'gpuTemperature', detail: `GPU over ${T} °C, cooling down for ${s.cooldownSeconds} s` };
    }
    return null;
  }
  if (celsius >= T) {
    return { rule: 'gpuTemperature', detail: `GPU at ${m.gpuMaxCelsius} °C (limit ${T} °C)` };
  }
  return null;
}

export function evaluateRules(settings: PauseRulesSettings, obs: RuleObservation): RuleDecision[] {
  const global = globalRule(settings, obs);
  return obs.miners.map((m) => {
    // GPU temperature protects the hardware: no override.
    const gpu = gpuRule(settings.gpuTemperature, m, obs.now);
    if (gpu) return { id: m.id, pause: true, ...gpu };
    const overridden = (m.mineAnywayUntil ?? -Infinity) > obs.now;
    if (global && !overridden) return { id: m.id, pause: true, ...global };
    return { id: m.id, pause: false, rule: null, detail: null };
  });
}
