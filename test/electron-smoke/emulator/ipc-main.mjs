// ipcMain as documented: `on` for send(), `handle` for invoke() with one handler per channel (a second
// one throws), removeHandler; events carry `sender` (the webContents) and `senderFrame`.
import { EventEmitter } from 'node:events';
import { report } from './control.mjs';
import { world } from './world.mjs';

class IpcMain extends EventEmitter {
  constructor() {
    super();
    this.on('newListener', (channel) => {
      world.counts.listenersAdded += 1;
      report('ipc-listener', { channel });
    });
  }
  handle(channel, listener) {
    if (world.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    if (typeof listener !== 'function') throw new TypeError('Expected handler to be a function');
    world.handlers.set(channel, listener);
    world.counts.handlersRegistered += 1;
  }
  handleOnce(channel, listener) {
    this.handle(channel, (...args) => {
      this.removeHandler(channel);
      return listener(...args);
    });
  }
  removeHandler(channel) {
    world.handlers.delete(channel);
  }
}

export const ipcMain = new IpcMain();
world.ipcMain = ipcMain;
