// The power source from a fake /sys/class/power_supply tree.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headlessObserve, linuxOnBattery } from './power';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tree(supplies: Record<string, { type: string; online?: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'hashdeck-power-'));
  dirs.push(root);
  for (const [name, s] of Object.entries(supplies)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'type'), `${s.type}\n`);
    if (s.online !== undefined) writeFileSync(join(root, name, 'online'), `${s.online}\n`);
  }
  return root;
}

describe('linuxOnBattery', () => {
  it('on battery only when no mains supply is online and a battery exists', () => {
    expect(linuxOnBattery(tree({ AC: { type: 'Mains', online: '0' }, BAT0: { type: 'Battery' } }))).toBe(
      true,
    );
    expect(linuxOnBattery(tree({ AC: { type: 'Mains', online: '1' }, BAT0: { type: 'Battery' } }))).toBe(
      false,
    );
    // a desktop: no battery at all
    expect(linuxOnBattery(tree({}))).toBe(false);
    expect(linuxOnBattery(tree({ AC: { type: 'Mains', online: '1' } }))).toBe(false);
    // a battery but no mains entry: cannot tell
    expect(linuxOnBattery(tree({ BAT0: { type: 'Battery' } }))).toBeNull();
    expect(linuxOnBattery('/nonexistent/power_supply')).toBeNull();
  });
});

describe('linuxOnBattery: several supplies', () => {
  it('any one mains supply online means not on battery, whatever order the supplies are listed in', () => {
    const supplies = { AC0: { type: 'Mains', online: '1' }, AC1: { type: 'Mains', online: '0' } };
    expect(linuxOnBattery(tree({ ...supplies, BAT0: { type: 'Battery' } }))).toBe(false);
    expect(linuxOnBattery(tree({ AC1: supplies.AC1, AC0: supplies.AC0, BAT0: { type: 'Battery' } }))).toBe(
      false,
    );
  });

  it('a USB or UPS supply is not a battery of this computer', () => {
    expect(linuxOnBattery(tree({ usb: { type: 'USB' }, ups: { type: 'UPS' } }))).toBe(false);
  });
});

describe('headlessObserve', () => {
  it('knows no idle time; reads the power source from /sys on Linux only', async () => {
    expect(await headlessObserve()).toEqual({
      idleSeconds: null,
      onBattery: process.platform === 'linux' ? linuxOnBattery('/sys/class/power_supply') : null,
    });
    expect(await headlessObserve('darwin')).toEqual({ idleSeconds: null, onBattery: null });
  });

  it('a mains supply whose online state cannot be read counts as not online', () => {
    expect(linuxOnBattery(tree({ AC: { type: 'Mains' }, BAT0: { type: 'Battery' } }))).toBe(true);
    expect(linuxOnBattery(tree({ AC: { type: 'Mains' } }))).toBe(false);
  });
});
