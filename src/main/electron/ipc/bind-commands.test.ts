import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../../shared/contract';
import { MinerError } from '../../../shared/errors';
import { FakeIpcMain, FakeService, senderEvent } from '../testing/fakes';
import { bindCommands } from './bind-commands';
import { createSenderGuard } from './trusted-sender';
import { RENDERER_FILE_URL } from '../testing/fakes';

function setup() {
  const ipcMain = new FakeIpcMain();
  const service = new FakeService();
  const onForbidden = vi.fn();
  const isTrusted = createSenderGuard({
    webContentsId: () => 1,
    allowed: { fileUrl: RENDERER_FILE_URL, devServerUrl: null },
  });
  const unbind = bindCommands({ ipcMain, service, isTrusted, onForbidden });
  return { ipcMain, service, onForbidden, unbind };
}

describe('bindCommands', () => {
  it('registers one cmd:<name> handler per contract command', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(COMMAND_NAMES.map((n) => `cmd:${n}`).sort());
  });

  it('passes the payload to service.invoke and wraps the value as { ok: true, value }', async () => {
    const { ipcMain, service } = setup();
    service.respond = (name, input) => ({ echoed: name, input });
    const reply = await ipcMain.invoke('cmd:stopMiner', senderEvent(), { id: 'm1' });
    expect(reply).toEqual({ ok: true, value: { echoed: 'stopMiner', input: { id: 'm1' } } });
    expect(service.calls).toEqual([{ name: 'stopMiner', input: { id: 'm1' } }]);
  });

  it('ignores arguments after the payload', async () => {
    const { ipcMain, service } = setup();
    await ipcMain.invoke('cmd:getSnapshot', senderEvent(), {}, 'extra', 42);
    expect(service.calls).toEqual([{ name: 'getSnapshot', input: {} }]);
  });

  it('turns a MinerError into { ok: false, error } with code, message and details', async () => {
    const { ipcMain, service } = setup();
    const details = [{ path: 'config.pool', message: 'Pool URL is required' }];
    service.respond = () => {
      throw new MinerError('INVALID_INPUT', 'Pool URL is required', details);
    };
    const reply = await ipcMain.invoke('cmd:startMiner', senderEvent(), { minerType: 'xmrig' });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Pool URL is required', details },
    });
  });

  it('turns an async rejection the same way', async () => {
    const { ipcMain, service } = setup();
    service.respond = () => Promise.reject(new MinerError('NOT_FOUND', 'No miner "x"'));
    await expect(ipcMain.invoke('cmd:stopMiner', senderEvent(), { id: 'x' })).resolves.toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No miner "x"' },
    });
  });

  it('reports unexpected errors as INTERNAL without a stack', async () => {
    const { ipcMain, service } = setup();
    service.respond = () => {
      throw new TypeError('boom');
    };
    const reply = await ipcMain.invoke('cmd:getSnapshot', senderEvent(), {});
    expect(reply).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('never rejects, whatever the service throws', async () => {
    const { ipcMain, service } = setup();
    service.respond = () => {
      throw 'a string';
    };
    await expect(ipcMain.invoke('cmd:getSettings', senderEvent(), {})).resolves.toMatchObject({ ok: false });
  });

  it('answers an untrusted sender with FORBIDDEN and never reaches the service', async () => {
    const { ipcMain, service, onForbidden } = setup();
    const reply = await ipcMain.invoke('cmd:startMiner', senderEvent({ url: 'https://evil.example/' }), {
      profileId: 'p',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(service.calls).toEqual([]);
    expect(onForbidden).toHaveBeenCalledWith('startMiner', 'https://evil.example/');
  });

  it('refuses a subframe and another window the same way', async () => {
    const { ipcMain, service } = setup();
    await expect(
      ipcMain.invoke('cmd:getSnapshot', senderEvent({ subframe: true }), {}),
    ).resolves.toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    await expect(ipcMain.invoke('cmd:getSnapshot', senderEvent({ id: 7 }), {})).resolves.toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    expect(service.calls).toEqual([]);
  });

  it('removes every handler when unbound', () => {
    const { ipcMain, unbind } = setup();
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
