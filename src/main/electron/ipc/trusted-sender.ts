// Decides whether an IPC message may act on the miners: only the main frame of our own window, showing
// our own renderer (the built file or the dev server), is trusted (GitHub Desktop's trusted-ipc-sender).
import type { IpcSenderEvent } from './ipc-main';

export interface TrustedRenderer {
  /** file:// URL of the built renderer's index.html; null when the dev server serves the UI. */
  fileUrl: string | null;
  /** Dev server URL (ELECTRON_RENDERER_URL); null in packaged or preview builds. */
  devServerUrl: string | null;
}

/** The URL, or null when there is none: an unset address (null becomes "null", no URL) or a malformed one. */
function parse(url: string | null): URL | null {
  try {
    return new URL(String(url));
  } catch {
    return null;
  }
}

/** True when `url` is our renderer: the exact index.html file, or a page of the dev server's origin. */
export function isTrustedSender(url: string, allowed: TrustedRenderer): boolean {
  const target = parse(url);
  if (!target) return false;
  if (target.protocol === 'file:') {
    const file = parse(allowed.fileUrl);
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
    const dev = parse(allowed.devServerUrl);
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
    // No window (null) matches no sender: a sender id is always a number.
    if (event.sender.id !== ours) return false;
    return isTrustedSender(frame.url, options.allowed);
  };
}
