import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES as COMMANDS } from '../shared/names';

const electron = vi.hoisted(() => ({
  exposed: [] as { key: string; api: Record<string, unknown> }[],
  sent: [] as string[],
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, unknown>) => electron.exposed.push({ key, api }),
  },
  ipcRenderer: {
    invoke: vi.fn(),
    send: (channel: string) => electron.sent.push(channel),
    on: vi.fn(),
    removeListener: vi.fn(),
  },
}));

describe('preload entry', () => {
  afterEach(() => {
    delete (globalThis as { addEventListener?: unknown }).addEventListener;
  });

  it('exposes exactly one object, window.mining, and signals ready on DOMContentLoaded', async () => {
    const domListeners: { type: string; listener: () => void }[] = [];
    (globalThis as { addEventListener?: unknown }).addEventListener = (type: string, listener: () => void) =>
      domListeners.push({ type, listener });

    await import('./index');

    expect(electron.exposed).toHaveLength(1);
    expect(electron.exposed[0]?.key).toBe('mining');
    expect(Object.keys(electron.exposed[0]?.api ?? {}).sort()).toEqual([...COMMANDS, 'on'].sort());

    expect(domListeners.map((l) => l.type)).toEqual(['DOMContentLoaded']);
    expect(electron.sent).toEqual([]);
    domListeners[0]?.listener();
    expect(electron.sent).toEqual(['renderer-ready']);
  });
});
