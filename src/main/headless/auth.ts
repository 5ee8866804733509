// Access control for the headless server: a random token (Bearer header or an HttpOnly SameSite=Strict
// cookie set from the printed URL), a Host allow-list against DNS rebinding, and same-origin only.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'hashdeck_token';

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export function presentedToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return readCookie(req.headers.cookie, COOKIE_NAME);
}

/**
 * Host names this server answers to: loopback names plus the bound host. A wildcard bind ("0.0.0.0",
 * "::") answers to any Host; the token and the same-origin rule still apply.
 */
export function allowedHosts(boundHost: string, port: number): Set<string> | 'any' {
  if (boundHost === '0.0.0.0' || boundHost === '::') return 'any';
  const names = new Set([
    '127.0.0.1',
    'localhost',
    '[::1]',
    boundHost.includes(':') ? `[${boundHost}]` : boundHost,
  ]);
  return new Set([...names].map((h) => `${h}:${port}`.toLowerCase()));
}

export type AccessDecision =
  { ok: true } | { ok: false; status: 401 | 403; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string };

export function checkAccess(req: IncomingMessage, token: string, hosts: Set<string> | 'any'): AccessDecision {
  const host = (req.headers.host ?? '').toLowerCase();
  if (hosts !== 'any' && !hosts.has(host)) {
    return { ok: false, status: 403, code: 'FORBIDDEN', message: `Host "${host}" is not served here` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost = '';
    try {
      const url = new URL(origin);
      originHost = url.protocol === 'http:' ? url.host.toLowerCase() : '';
    } catch {
      originHost = '';
    }
    // Same-origin only: the page that calls us must have been served by us under this Host.
    if (originHost !== host) {
      return { ok: false, status: 403, code: 'FORBIDDEN', message: 'Cross-origin requests are refused' };
    }
  } else if (origin === 'null') {
    return { ok: false, status: 403, code: 'FORBIDDEN', message: 'Cross-origin requests are refused' };
  }
  const presented = presentedToken(req);
  if (!presented || !tokensEqual(presented, token)) {
    return {
      ok: false,
      status: 401,
      code: 'UNAUTHORIZED',
      message:
        'Missing or wrong access token: open the URL printed by the server, or send Authorization: Bearer <token>',
    };
  }
  return { ok: true };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\./.test(host);
}
