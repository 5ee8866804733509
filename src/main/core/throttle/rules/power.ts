// What headless mode can observe without a desktop session: no idle time at all, and on Linux the power
// source from /sys/class/power_supply (a desktop with no battery is "not on battery").
import { readdirSync, readFileSync } from 'node:fs';
import type { SystemObservation } from '../governor';

function read(path: string): string | null {
  let text: string | null = null;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    // missing or unreadable: null
  }
  return text;
}

export function linuxOnBattery(root = '/sys/class/power_supply'): boolean | null {
  let supplies: string[];
  try {
    supplies = readdirSync(root);
  } catch {
    return null;
  }
  let mains: boolean | null = null;
  let battery = false;
  for (const s of supplies) {
    const type = read(`${root}/${s}/type`);
    if (type === 'Mains') mains = (mains ?? false) || read(`${root}/${s}/online`) === '1';
    else if (type === 'Battery') battery = true;
  }
  if (mains !== null) return !mains && battery;
  return battery ? null : false;
}

/** The observation source of headless mode (Electron passes powerMonitor's instead). */
export async function headlessObserve(
  platform: NodeJS.Platform = process.platform,
): Promise<SystemObservation> {
  return { idleSeconds: null, onBattery: platform === 'linux' ? linuxOnBattery() : null };
}
