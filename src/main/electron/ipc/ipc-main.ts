// The slice of Electron's ipcMain (and of its events) that the typed wrappers use, so tests pass a fake
// (Rancher Desktop's ipcMain wrapper idea) and nothing outside this folder touches raw channels.

/** What a handler needs to judge the sender: Electron's WebFrameMain has both fields. */
export interface SenderFrameLike {
  readonly url: string;
  /** null for a main frame; anything else means the message came from a subframe. */
  readonly parent: unknown;
}

/** Electron's IpcMainEvent and IpcMainInvokeEvent are both assignable to this. */
export interface IpcSenderEvent {
  readonly sender: { readonly id: number };
  /** null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: SenderFrameLike | null;
}

export type IpcInvokeListener = (event: IpcSenderEvent, ...args: unknown[]) => unknown;
export type IpcListener = (event: IpcSenderEvent, ...args: unknown[]) => void;

export interface IpcMainLike {
  handle(channel: string, listener: IpcInvokeListener): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}
