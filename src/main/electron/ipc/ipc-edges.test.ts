// IPC plumbing at its edges (found by mutation testing): refusals without a logger or a frame, unbinding only
// our channels, the event sender's state before any window and after an old one, the queue's drop order.
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../../shared/contract';
import { FakeIpcMain, FakeService, senderEvent } from '../testing/fakes';
import { bindCommands, FORBIDDEN_RESULT } from './bind-commands';
import { connectRenderer, type RendererContentsLike } from './connect-renderer';
import { createEventSender, pickVictim, type EventSender, type EventSink } from './event-sender';

class Sink implements EventSink {
  readonly sent: string[] = [];
  destroyed = false;
  send(channel: string): void {
    this.sent.push(channel);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

class Contents extends EventEmitter implements RendererContentsLike {
  readonly sent: string[] = [];
  constructor(readonly id: number) {
    super();
  }
  send(channel: string): void {
    this.sent.push(channel);
  }
  isDestroyed(): boolean {
    return false;
  }
}

const notice = { level: 'info' as const, message: 'x' };

describe('bindCommands refusals', () => {
  it('refuses an untrusted sender even when nobody listens for refusals', async () => {
    const ipcMain = new FakeIpcMain();
    const service = new FakeService();
    bindCommands({ ipcMain, service, isTrusted: () => false });
    await expect(ipcMain.invoke('cmd:getSnapshot', senderEvent(), {})).resolves.toEqual(FORBIDDEN_RESULT);
    expect(service.calls).toEqual([]);
  });

  it('reports a refused sender whose frame is already gone with no URL', async () => {
    const ipcMain = new FakeIpcMain();
    const onForbidden = vi.fn();
    bindCommands({ ipcMain, service: new FakeService(), isTrusted: () => false, onForbidden });
    await expect(
      ipcMain.invoke('cmd:stopMiner', senderEvent({ frameGone: true }), { id: 'a' }),
    ).resolves.toEqual(FORBIDDEN_RESULT);
    expect(onForbidden).toHaveBeenCalledWith('stopMiner', null);
  });

  it('removes exactly the channels it registered, each once', () => {
    const ipcMain = new FakeIpcMain();
    const removed = vi.spyOn(ipcMain, 'removeHandler');
    const unbind = bindCommands({ ipcMain, service: new FakeService(), isTrusted: () => true });
    unbind();
    expect(removed.mock.calls.map(([channel]) => channel).sort()).toEqual(
      COMMAND_NAMES.map((n) => `cmd:${n}`).sort(),
    );
  });
});

describe('connectRenderer dispose', () => {
  it('detaches the window once, however often it is disposed', () => {
    const ipcMain = new FakeIpcMain();
    const contents = new Contents(1);
    const real = createEventSender();
    const detach = vi.fn((target: EventSink) => real.detach(target));
    const removeListener = vi.spyOn(ipcMain, 'removeListener');
    const sender: EventSender = {
      send: real.send,
      attach: real.attach,
      ready: real.ready,
      unready: real.unready,
      detach,
      get queued() {
        return real.queued;
      },
      get dropped() {
        return real.dropped;
      },
      get isReady() {
        return real.isReady;
      },
    };
    const dispose = connectRenderer({ ipcMain, contents, sender, isTrusted: () => true });
    contents.emit('destroyed');
    dispose();
    dispose();
    expect(detach).toHaveBeenCalledTimes(1);
    expect(removeListener).toHaveBeenCalledTimes(1);
  });
});

describe('createEventSender state', () => {
  it('starts with no window: not ready, nothing queued', () => {
    const sender = createEventSender();
    expect(sender.isReady).toBe(false);
    expect(sender.queued).toBe(0);
    sender.send('notice', notice);
    expect(sender.queued).toBe(0);
  });

  it('an old window going unready does not hold up the current one', () => {
    const sender = createEventSender();
    const old = new Sink();
    const current = new Sink();
    sender.attach(old);
    sender.attach(current);
    sender.ready(current);
    sender.unready(old);
    expect(sender.isReady).toBe(true);
    sender.send('notice', notice);
    expect(current.sent).toEqual(['evt:notice']);
  });

  it('is not ready after its window is detached, and a new window starts unready', () => {
    const sender = createEventSender();
    const a = new Sink();
    sender.attach(a);
    sender.ready(a);
    sender.detach(a);
    expect(sender.isReady).toBe(false);
  });

  it('forgets a window found destroyed while flushing, and stops sending to it', () => {
    const sender = createEventSender();
    const a = new Sink();
    sender.attach(a);
    sender.send('notice', notice);
    sender.send('notice', notice);
    a.destroyed = true;
    sender.ready(a);
    expect(sender.isReady).toBe(false);
    expect(sender.queued).toBe(0);
    a.destroyed = false; // even if it looked alive again, it is no longer the window
    sender.send('notice', notice);
    expect(a.sent).toEqual([]);
    expect(sender.queued).toBe(0);
  });
});

describe('pickVictim', () => {
  const q = (...events: string[]) => events.map((event) => ({ event, payload: null })) as never;

  it('drops the oldest stats first, even at the head of the queue', () => {
    expect(pickVictim(q('stats', 'log', 'stats'))).toBe(0);
    expect(pickVictim(q('minerState', 'log', 'stats'))).toBe(2);
  });

  it('then the oldest log, then the oldest install progress, then the oldest entry', () => {
    expect(pickVictim(q('minerState', 'installProgress', 'log'))).toBe(2);
    expect(pickVictim(q('minerState', 'profiles', 'installProgress'))).toBe(2);
    expect(pickVictim(q('minerState', 'profiles'))).toBe(0);
  });
});
