import { describe, expect, it, vi } from 'vitest';
import type { EventName } from '../shared/contract';
import { createMiningApi, signalReady, type IpcRendererLike } from './api';
import { COMMAND_NAMES as COMMANDS } from '../shared/names';

type Listener = (event: unknown, ...args: unknown[]) => void;

class FakeIpcRenderer implements IpcRendererLike {
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly listeners = new Map<string, Set<Listener>>();
  reply: (channel: string, input: unknown) => unknown = () => ({ ok: true, value: null });

  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.reply(channel, args[0]);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  on(channel: string, listener: Listener): this {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
  push(channel: string, payload: unknown): void {
    // Electron passes its event first; it holds `sender` and must never reach the page.
    const electronEvent = { sender: 'ipcRenderer itself' };
    for (const l of [...(this.listeners.get(channel) ?? [])]) l(electronEvent, payload);
  }
}

function setup() {
  const ipc = new FakeIpcRenderer();
  return { ipc, api: createMiningApi(ipc) };
}

describe('createMiningApi', () => {
  it('exposes one function per command plus on, and nothing generic', () => {
    const { api } = setup();
    expect(Object.keys(api).sort()).toEqual([...COMMANDS, 'on'].sort());
    for (const key of Object.keys(api))
      expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
    expect(api).not.toHaveProperty('send');
    expect(api).not.toHaveProperty('invoke');
  });

  it('invokes cmd:<name> with the input and resolves to the unwrapped value', async () => {
    const { ipc, api } = setup();
    ipc.reply = (channel, input) => ({ ok: true, value: { channel, input } });
    await expect(api.stopMiner({ id: 'm1' })).resolves.toEqual({
      channel: 'cmd:stopMiner',
      input: { id: 'm1' },
    });
    expect(ipc.invocations).toEqual([{ channel: 'cmd:stopMiner', args: [{ id: 'm1' }] }]);
  });

  it('rejects with a plain { name, code, message, details } object that survives contextBridge', async () => {
    const { ipc, api } = setup();
    const details = [{ path: 'config.pool', message: 'Pool URL is required' }];
    ipc.reply = () => ({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Pool URL is required', details },
    });
    const err: unknown = await api.startMiner({ profileId: 'p' }).catch((e: unknown) => e);
    expect(err).toEqual({
      name: 'MinerError',
      code: 'INVALID_INPUT',
      message: 'Pool URL is required',
      details,
    });
    // A native Error would lose code and details crossing the bridge.
    expect(err).not.toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
  });

  it('leaves details out when the error has none', async () => {
    const { ipc, api } = setup();
    ipc.reply = () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No miner "x"' } });
    await expect(api.stopMiner({ id: 'x' })).rejects.toEqual({
      name: 'MinerError',
      code: 'NOT_FOUND',
      message: 'No miner "x"',
    });
  });

  it('turns an IPC failure into an INTERNAL error', async () => {
    const { ipc, api } = setup();
    ipc.reply = () => {
      throw new Error("No handler registered for 'cmd:getSnapshot'");
    };
    await expect(api.getSnapshot({})).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('No handler registered'),
    });
  });

  it('rejects a malformed reply instead of passing it on', async () => {
    const { ipc, api } = setup();
    for (const reply of [undefined, null, 'ok', { ok: true }, { ok: false, error: 'x' }, { value: 1 }]) {
      ipc.reply = () => reply;
      await expect(api.getSettings({})).rejects.toMatchObject({ code: 'INTERNAL' });
    }
  });

  describe('on', () => {
    it('delivers the payload of evt:<name> only, never the Electron event', () => {
      const { ipc, api } = setup();
      const handler = vi.fn();
      api.on('stats', handler);
      ipc.push('evt:stats', { at: 1, miners: [] });
      expect(handler.mock.calls).toEqual([[{ at: 1, miners: [] }]]);
    });

    it('keeps one IPC listener per event however many subscribers', () => {
      const { ipc, api } = setup();
      const a = vi.fn();
      const b = vi.fn();
      const offA = api.on('log', a);
      const offB = api.on('log', b);
      expect(ipc.count('evt:log')).toBe(1);
      ipc.push('evt:log', { id: 'm', lines: [] });
      expect(a).toHaveBeenCalledOnce();
      expect(b).toHaveBeenCalledOnce();
      offA();
      expect(ipc.count('evt:log')).toBe(1);
      offB();
      expect(ipc.count('evt:log')).toBe(0);
    });

    it('returns an unsubscribe that can be called twice', () => {
      const { ipc, api } = setup();
      const handler = vi.fn();
      const off = api.on('notice', handler);
      off();
      off();
      ipc.push('evt:notice', { level: 'info', message: 'x' });
      expect(handler).not.toHaveBeenCalled();
    });

    it('keeps delivering to others when one handler throws', () => {
      const { ipc, api } = setup();
      const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const good = vi.fn();
      api.on('settings', () => {
        throw new Error('bad subscriber');
      });
      api.on('settings', good);
      ipc.push('evt:settings', {});
      expect(good).toHaveBeenCalledOnce();
      spy.mockRestore();
    });

    it('refuses unknown event names and non-function handlers', () => {
      const { ipc, api } = setup();
      expect(() => api.on('cmd:startMiner' as EventName, vi.fn())).toThrow(/Unknown event/);
      expect(() => api.on('__proto__' as EventName, vi.fn())).toThrow(/Unknown event/);
      expect(() => api.on('stats', 'nope' as never)).toThrow(/must be a function/);
      expect(ipc.listeners.size).toBe(0);
    });
  });
});

describe('signalReady', () => {
  it('sends renderer-ready', () => {
    const ipc = new FakeIpcRenderer();
    signalReady(ipc);
    expect(ipc.sent).toEqual([{ channel: 'renderer-ready', args: [] }]);
  });
});
