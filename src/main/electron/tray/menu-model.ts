// The tray as plain data: which icon, which tooltip and which menu items, computed from the miners alone.
// Pure and serialisable, so every branch is unit-tested and tray.ts only turns it into Electron objects.
import type { MinerSnapshot } from '../../../shared/model';
import type { MinerType } from '../../../shared/schemas';
import { countOf, formatHashrate, truncate } from './format';

export type TrayIcon = 'idle' | 'mining' | 'paused' | 'error';

export interface TrayItem {
  id: string;
  label: string;
  enabled: boolean;
  type?: 'separator' | 'checkbox' | 'radio';
  checked?: boolean;
}

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  items: TrayItem[];
}

export interface TrayState {
  miners: MinerSnapshot[];
  /** The profile "Start" would run (the last one used, else the newest); null when there are none. */
  startProfileName: string | null;
  windowVisible: boolean;
}

export const CPU_PRESETS = [25, 50, 75, 100] as const;
export type CpuPreset = (typeof CPU_PRESETS)[number];

export const TRAY_IDS = {
  status: 'status',
  attention: 'attention',
  showWindow: 'show-window',
  hideWindow: 'hide-window',
  start: 'start-last',
  stopAll: 'stop-all',
  pauseAll: 'pause-all',
  resumeAll: 'resume-all',
  /** "Mine anyway for 1 hour" for the miners a pause rule holds (not the GPU temperature). */
  mineAnyway: 'mine-anyway',
  cpuHeader: 'cpu-header',
  quit: 'quit',
} as const;

export const cpuPresetId = (percent: CpuPreset): `cpu-${CpuPreset}` => `cpu-${percent}`;

/** The preset an item id stands for, or null when the id is not a CPU preset. */
export function cpuPresetOf(id: string): CpuPreset | null {
  return CPU_PRESETS.find((p) => cpuPresetId(p) === id) ?? null;
}

/** Windows refuses tray tooltips longer than 127 characters. */
export const TOOLTIP_MAX = 127;
const PROFILE_NAME_MAX = 40;
const APP = 'HashDeck';

// ---------- which miners each action targets (shared with actions.ts so menu and action agree) ----------

/**
 * Miner families that can pause. TT-Miner has no pause command (its adapter says supportsPause: false and
 * the engine refuses), so the tray must not offer to pause it; test/shell pins this table to the adapters.
 */
export const CAN_PAUSE: Readonly<Record<MinerType, boolean>> = {
  xmrig: true,
  ttminer: false,
  simulated: true,
};
const TYPE_NAMES: Readonly<Record<MinerType, string>> = {
  xmrig: 'XMRig',
  ttminer: 'TT-Miner',
  simulated: 'Simulated miner',
};

/** Miners a "Stop all" stops: those starting or running; stopping ones are already on their way. */
export const stoppable = (m: MinerSnapshot): boolean => m.state === 'starting' || m.state === 'running';
const hashing = (m: MinerSnapshot): boolean => m.state === 'running' && !m.paused;
export const pausable = (m: MinerSnapshot): boolean => hashing(m) && CAN_PAUSE[m.minerType];
export const resumable = (m: MinerSnapshot): boolean => m.state === 'running' && m.paused;
/** Miners a CPU preset applies to: running XMRig or simulated miners (TT-Miner has no CPU hint). */
export const cpuThrottleable = (m: MinerSnapshot): boolean =>
  m.state === 'running' && (m.minerType === 'xmrig' || m.minerType === 'simulated');

/** Miners a pause rule holds now. */
export const ruleHeld = (m: MinerSnapshot): boolean => m.paused && m.control?.pausedBy?.by === 'rule';
/** The ones "Mine anyway" can release: the GPU temperature protects the hardware and is never overridden. */
export const mineAnywayable = (m: MinerSnapshot): boolean =>
  ruleHeld(m) && m.control?.pausedBy?.by === 'rule' && m.control.pausedBy.rule !== 'gpuTemperature';
export const ruleHeldId = (index: number): string => `rule-held-${index}`;
const RULE_LINES_MAX = 4;
const RULE_LINE_MAX = 80;

/**
 * One line per reason a rule paused mining, in the rule's own words ("Paused: running on battery"); a
 * line per miner when their reasons differ. Stable while the pause lasts (the detail is kept from the
 * moment it paused), so the menu is not rebuilt every second.
 */
export function ruleHeldLines(miners: MinerSnapshot[]): string[] {
  const held = miners.filter(ruleHeld);
  const detailOf = (m: MinerSnapshot) =>
    m.control?.pausedBy?.by === 'rule' ? m.control.pausedBy.detail : '';
  const details = [...new Set(held.map(detailOf))];
  const lines =
    details.length === 1 ? [`Paused: ${details[0]}`] : held.map((m) => `${m.name} paused: ${detailOf(m)}`);
  const shown = lines.slice(0, RULE_LINES_MAX).map((l) => truncate(l, RULE_LINE_MAX));
  if (lines.length > RULE_LINES_MAX)
    shown.push(`… and ${lines.length - RULE_LINES_MAX} more paused by a rule`);
  return shown;
}

const isLive = (m: MinerSnapshot): boolean =>
  m.state === 'starting' || m.state === 'running' || m.state === 'stopping';
const isFailed = (m: MinerSnapshot): boolean => m.state === 'crashed' || m.state === 'errored';

// ---------- summary ----------

interface Summary {
  live: MinerSnapshot[];
  active: MinerSnapshot[];
  paused: MinerSnapshot[];
  failed: MinerSnapshot[];
}

function summarise(miners: MinerSnapshot[]): Summary {
  return {
    live: miners.filter(isLive),
    active: miners.filter(stoppable),
    paused: miners.filter(resumable),
    failed: miners.filter(isFailed),
  };
}

export function trayIcon(miners: MinerSnapshot[]): TrayIcon {
  const s = summarise(miners);
  if (s.failed.length > 0) return 'error';
  if (s.live.length === 0) return 'idle';
  if (s.live.every(resumable)) return 'paused';
  return 'mining';
}

/**
 * Total 10 s hashrate of the miners that hash now (running, not paused); the 60 s rate stands in when
 * the 10 s one is missing. null when none of them reports a rate yet (warming up).
 */
export function totalHashrate(miners: MinerSnapshot[]): number | null {
  let total: number | null = null;
  for (const m of miners) {
    if (!hashing(m) || m.stats === null) continue;
    const rate = m.stats.hashrate[0] ?? m.stats.hashrate[1];
    if (rate == null || !Number.isFinite(rate)) continue;
    total = (total ?? 0) + rate;
  }
  return total;
}

function activityText(s: Summary, miners: MinerSnapshot[]): string {
  if (s.live.length === 0) return 'idle';
  if (s.active.length === 0) return `stopping (${countOf(s.live.length, 'miner')})`;
  if (s.paused.length === s.active.length) return `paused (${countOf(s.active.length, 'miner')})`;
  const rate = totalHashrate(miners);
  const head = rate === null ? 'mining, warming up' : `mining ${formatHashrate(rate)}`;
  const pausedNote = s.paused.length > 0 ? `, ${s.paused.length} paused` : '';
  return `${head} (${countOf(s.active.length, 'miner')}${pausedNote})`;
}

function failedText(count: number): string {
  return `${countOf(count, 'miner')} stopped with an error`;
}

export function trayTooltip(miners: MinerSnapshot[]): string {
  const s = summarise(miners);
  const failed = s.failed.length > 0 ? `; ${failedText(s.failed.length)}` : '';
  return truncate(`${APP} — ${activityText(s, miners)}${failed}`, TOOLTIP_MAX);
}

// The status line stays free of hashrates: the menu is rebuilt only when its items change, and a
// number that moves every second would rebuild it (and close it on some desktops) every tick.
function statusLabel(s: Summary): string {
  if (s.live.length === 0) return 'Not mining';
  if (s.active.length === 0) return `Stopping ${countOf(s.live.length, 'miner')}`;
  if (s.paused.length === s.active.length) return `Paused: ${countOf(s.active.length, 'miner')}`;
  const pausedNote = s.paused.length > 0 ? ` (${s.paused.length} paused)` : '';
  return `Mining with ${countOf(s.active.length, 'miner')}${pausedNote}`;
}

/** The common CPU hint of the running CPU miners, or null when none runs or they differ. */
export function commonCpuHint(miners: MinerSnapshot[]): number | null {
  const hints = new Set(miners.filter(cpuThrottleable).map((m) => m.config.cpuMaxThreadsHint));
  if (hints.size !== 1) return null;
  const [hint] = hints;
  return hint ?? null;
}

/**
 * "Pause all" when every hashing miner can pause; a count that names the rest when some cannot (so the
 * click does what it says); null when none can, because the item would only fail.
 */
export function pauseAllLabel(miners: MinerSnapshot[]): string | null {
  const targets = miners.filter(pausable);
  if (targets.length === 0) return null;
  const others = miners.filter((m) => hashing(m) && !pausable(m));
  if (others.length === 0) return 'Pause all';
  const names = [...new Set(others.map((m) => TYPE_NAMES[m.minerType]))].join(', ');
  return `Pause ${countOf(targets.length, 'miner')} (${names} cannot pause)`;
}

// ---------- the model ----------

const separator = (id: string): TrayItem => ({ id, label: '', enabled: true, type: 'separator' });

export function buildTrayModel(state: TrayState): TrayModel {
  const s = summarise(state.miners);
  const items: TrayItem[] = [{ id: TRAY_IDS.status, label: statusLabel(s), enabled: false }];
  if (s.failed.length > 0) {
    items.push({ id: TRAY_IDS.attention, label: failedText(s.failed.length), enabled: false });
  }
  ruleHeldLines(state.miners).forEach((label, i) => items.push({ id: ruleHeldId(i), label, enabled: false }));
  items.push(separator('sep-window'));
  items.push(
    state.windowVisible
      ? { id: TRAY_IDS.hideWindow, label: 'Hide window', enabled: true }
      : { id: TRAY_IDS.showWindow, label: 'Show window', enabled: true },
  );
  items.push(separator('sep-mining'));

  if (s.live.length === 0) {
    const name = state.startProfileName;
    items.push({
      id: TRAY_IDS.start,
      label: name !== null ? `Start "${truncate(name, PROFILE_NAME_MAX)}"` : 'Start mining (no profile yet)',
      enabled: name !== null,
    });
  } else {
    // Only stopping miners left: the command would change nothing, so say what is happening instead.
    const canStop = s.active.length > 0;
    items.push({ id: TRAY_IDS.stopAll, label: canStop ? 'Stop all' : 'Stopping…', enabled: canStop });
  }
  const pauseLabel = pauseAllLabel(state.miners);
  if (pauseLabel !== null) items.push({ id: TRAY_IDS.pauseAll, label: pauseLabel, enabled: true });
  if (s.paused.length > 0) items.push({ id: TRAY_IDS.resumeAll, label: 'Resume all', enabled: true });
  if (state.miners.some(mineAnywayable)) {
    items.push({ id: TRAY_IDS.mineAnyway, label: 'Mine anyway for 1 hour', enabled: true });
  }

  items.push(separator('sep-cpu'));
  const cpuEnabled = state.miners.some(cpuThrottleable);
  const hint = commonCpuHint(state.miners);
  items.push({ id: TRAY_IDS.cpuHeader, label: 'CPU limit', enabled: false });
  for (const percent of CPU_PRESETS) {
    items.push({
      id: cpuPresetId(percent),
      label: `${percent} %`,
      enabled: cpuEnabled,
      type: 'radio',
      checked: hint === percent,
    });
  }

  items.push(separator('sep-quit'));
  items.push({ id: TRAY_IDS.quit, label: 'Quit HashDeck', enabled: true });

  return { icon: trayIcon(state.miners), tooltip: trayTooltip(state.miners), items };
}
