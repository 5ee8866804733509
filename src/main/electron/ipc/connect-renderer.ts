// Ties one window's webContents to the event sender: queue while the page loads or reloads, flush when
// the preload says `renderer-ready` (or the page finished loading), forget the window when it is destroyed.
import { READY_CHANNEL } from './channels';
import type { EventSender, EventSink } from './event-sender';
import type { IpcListener, IpcMainLike, IpcSenderEvent } from './ipc-main';

/** The part of Electron's WebContents used here; one overload per event keeps it assignable. */
export interface RendererContentsLike extends EventSink {
  readonly id: number;
  on(event: 'did-start-loading', listener: () => void): unknown;
  on(event: 'did-finish-load', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: () => void): unknown;
  on(event: 'destroyed', listener: () => void): unknown;
}

export interface ConnectRendererOptions {
  ipcMain: IpcMainLike;
  contents: RendererContentsLike;
  sender: EventSender;
  isTrusted: (event: IpcSenderEvent) => boolean;
}

export function connectRenderer(options: ConnectRendererOptions): () => void {
  const { ipcMain, contents, sender, isTrusted } = options;
  sender.attach(contents);

  const onReady: IpcListener = (event) => {
    if (event.sender.id === contents.id && isTrusted(event)) sender.ready(contents);
  };
  ipcMain.on(READY_CHANNEL, onReady);
  contents.on('did-start-loading', () => sender.unready(contents));
  contents.on('did-finish-load', () => sender.ready(contents));
  contents.on('render-process-gone', () => sender.unready(contents));

  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    ipcMain.removeListener(READY_CHANNEL, onReady);
    sender.detach(contents);
  };
  contents.on('destroyed', dispose);
  return dispose;
}
