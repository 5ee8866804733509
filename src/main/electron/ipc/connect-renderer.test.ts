import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FakeIpcMain, senderEvent } from '../testing/fakes';
import { connectRenderer, type RendererContentsLike } from './connect-renderer';
import { createEventSender } from './event-sender';

class FakeContents extends EventEmitter implements RendererContentsLike {
  readonly sent: string[] = [];
  destroyed = false;
  constructor(readonly id: number) {
    super();
  }
  send(channel: string): void {
    this.sent.push(channel);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function setup(trusted = true) {
  const ipcMain = new FakeIpcMain();
  const contents = new FakeContents(1);
  const sender = createEventSender();
  const dispose = connectRenderer({ ipcMain, contents, sender, isTrusted: () => trusted });
  return { ipcMain, contents, sender, dispose };
}

const notice = { level: 'info' as const, message: 'x' };

describe('connectRenderer', () => {
  it('queues until the preload signals renderer-ready, then flushes', () => {
    const { ipcMain, contents, sender } = setup();
    contents.emit('did-start-loading');
    sender.send('notice', notice);
    expect(contents.sent).toEqual([]);
    ipcMain.emit('renderer-ready', senderEvent({ id: 1 }));
    expect(contents.sent).toEqual(['evt:notice']);
  });

  it('treats did-finish-load as ready too (a page without the preload signal)', () => {
    const { contents, sender } = setup();
    sender.send('notice', notice);
    contents.emit('did-finish-load');
    expect(contents.sent).toEqual(['evt:notice']);
  });

  it('ignores renderer-ready from another webContents or an untrusted frame', () => {
    const other = setup();
    other.sender.send('notice', notice);
    other.ipcMain.emit('renderer-ready', senderEvent({ id: 2 }));
    expect(other.contents.sent).toEqual([]);

    const untrusted = setup(false);
    untrusted.sender.send('notice', notice);
    untrusted.ipcMain.emit('renderer-ready', senderEvent({ id: 1 }));
    expect(untrusted.contents.sent).toEqual([]);
  });

  it('queues again while the page reloads and after a renderer crash', () => {
    const { ipcMain, contents, sender } = setup();
    ipcMain.emit('renderer-ready', senderEvent());
    contents.emit('did-start-loading');
    sender.send('notice', notice);
    expect(contents.sent).toEqual([]);
    ipcMain.emit('renderer-ready', senderEvent());
    expect(contents.sent).toEqual(['evt:notice']);

    contents.emit('render-process-gone');
    sender.send('notice', notice);
    expect(contents.sent).toHaveLength(1);
  });

  it('detaches and drops its ipc listener when the contents are destroyed', () => {
    const { ipcMain, contents, sender } = setup();
    contents.emit('destroyed');
    expect(ipcMain.listeners.get('renderer-ready')?.size ?? 0).toBe(0);
    sender.send('notice', notice);
    expect(sender.queued).toBe(0);
  });
});
