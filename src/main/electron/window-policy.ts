// Pure rules behind the window's hardening: the CSP header, which navigations may proceed and which
// links leave the app for the browser. window.ts applies them; tests pin them without Electron.

/** Same policy as the renderer's meta tag; the header also covers anything the meta tag cannot. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

/** Response headers with our CSP in place of any the server sent (header names are case-insensitive). */
export function withCsp(headers: Record<string, string | string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [CSP];
  return out;
}

function withoutHash(url: string): string | null {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href;
  } catch {
    return null;
  }
}

/** A navigation may proceed only when it stays on the current document (a hash route change). */
export function isSameDocument(currentUrl: string, targetUrl: string): boolean {
  const current = withoutHash(currentUrl);
  return current !== null && current === withoutHash(targetUrl);
}

/** Links that may open in the user's browser: https only; everything else is simply denied. */
export function shouldOpenExternally(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

// Writing to the clipboard (copy a wallet or a log line) is the one web permission the UI may use.
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission);
}
