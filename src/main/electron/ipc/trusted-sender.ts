// Decides whether an IPC message may act on the miners: only the main frame of our own window, showing
// our own renderer (the built file or the dev server), is trusted (GitHub Desktop's trusted-ipc-sender).
import type { IpcSenderEvent } from './ipc-main';

export interface TrustedRenderer {
  /** file:// URL of the built renderer's index.html; null when the dev server serves the UI. */
  fileUrl: string | null;
  /** Dev server URL (ELECTRON_RENDERER_URL); null in packaged or preview builds. */
  devServerUrl: string | null;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True when `url` is our renderer: the exact index.html file, or a page of the dev server's origin. */
export function isTrustedSender(url: string, allowed: TrustedRenderer): boolean {
  const target = parse(url);
  if (!target) return false;
  if (target.protocol === 'file:') {
    // Stryker disable next-line ConditionalExpression: equivalent, parse(null) is null too ("null" is no URL)
    const file = allowed.fileUrl === null ? null : parse(allowed.fileUrl);
    // Compare the normalised path, not the string: query and hash (client-side routes) do not change
    // which document is loaded, and `..` segments are resolved by the URL parser.
    return (
      file !== null &&
      file.protocol === 'file:' &&
      file.host === target.host &&
      file.pathname === target.pathname
    );
  }
  if (target.protocol === 'http:' || target.protocol === 'https:') {
    // Stryker disable next-line ConditionalExpression: equivalent, parse(null) is null too ("null" is no URL)
    const dev = allowed.devServerUrl === null ? null : parse(allowed.devServerUrl);
    return dev !== null && dev.origin === target.origin;
  }
  return false;
}

export interface SenderGuardOptions {
  /** id of our window's webContents, or null while there is no window. */
  webContentsId: () => number | null;
  allowed: TrustedRenderer;
}

/** Builds the check every handler runs: our webContents, its main frame, our renderer's URL. */
export function createSenderGuard(options: SenderGuardOptions): (event: IpcSenderEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (frame === null || frame.parent !== null) return false;
    const ours = options.webContentsId();
    // Stryker disable next-line ConditionalExpression: equivalent, a sender id is a number, never equal to null
    if (ours === null || event.sender.id !== ours) return false;
    return isTrustedSender(frame.url, options.allowed);
  };
}
