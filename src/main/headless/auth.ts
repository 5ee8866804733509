// Access rules of the headless server that need no state: the master token's format and comparison,
// cookie and Bearer parsing that never throws, the Host allow-list against DNS rebinding, same-origin only.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** The master token is as good as a shell on this machine: short ones are guessable, so refused. */
export const MIN_TOKEN_LENGTH = 32;

/** Why a token cannot be used, or null when it can. */
export function tokenProblem(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH)
    return `the access token must be at least ${MIN_TOKEN_LENGTH} characters long (got ${token.length})`;
  if (!/^[\x21-\x7e]+$/.test(token))
    return 'the access token may only contain visible ASCII characters (no spaces or control characters)';
  return null;
}

/** SHA-256 of the string's UTF-8 bytes (Node's encoding for strings). */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time in the content and the length: both sides are hashed to 32 bytes first. */
export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** One cookie's value, or null when it is absent or not decodable (a malformed header is not an error). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** The Bearer credential, '' for a Bearer header without one, or null when none was sent. */
export function bearerToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth === undefined) return null;
  // The header is trimmed, and `\s+` takes all the space after the scheme: the credential needs no trim.
  const match = /^Bearer\s+(.*)$/i.exec(auth.trim());
  return match?.[1] ?? '';
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}

export function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0';
}

/** A host name or IP literal as it appears in a Host header (IPv6 in brackets), lower-cased. */
export function hostHeaderName(name: string): string {
  const bare = name.replace(/^\[|\]$/g, '').toLowerCase();
  return isIP(bare) === 6 ? `[${bare}]` : bare;
}

/** Why a value cannot be an --allow-host name, or null. Names only: no scheme, port, path or wildcard. */
export function allowHostProblem(name: string): string | null {
  const bare = name.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) return isWildcard(bare) ? `"${name}" is a wildcard address, not a name` : null;
  if (
    !/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(
      name,
    )
  )
    return `"${name}" is not a host name (give only the name, like rig.lan or 192.168.1.20)`;
  return null;
}

export interface HostRules {
  /** Exact Host header values accepted (name:port, plus the bare name on the scheme's default port). */
  allowed: ReadonlySet<string>;
  /** 'https:' when serving TLS: the only Origin scheme that can be ours. */
  scheme: 'http:' | 'https:';
}

/**
 * Host names this server answers to: the loopback names, the bound address when it is a specific one,
 * and the names the user allowed. A wildcard bind (0.0.0.0, ::) implies no name at all: the machine's
 * other addresses are reachable only when listed with --allow-host, so a rebinding DNS name never is.
 */
export function hostRules(
  boundHost: string,
  port: number,
  extra: readonly string[],
  tls: boolean,
): HostRules {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (!isWildcard(boundHost)) names.add(hostHeaderName(boundHost));
  for (const name of extra) names.add(hostHeaderName(name));
  const defaultPort = tls ? 443 : 80;
  const allowed = new Set<string>();
  for (const name of names) {
    allowed.add(`${name}:${port}`);
    if (port === defaultPort) allowed.add(name);
  }
  return { allowed, scheme: tls ? 'https:' : 'http:' };
}

export interface Refusal {
  status: 401 | 403 | 429;
  code: 'UNAUTHORIZED' | 'FORBIDDEN';
  message: string;
}

const CROSS_ORIGIN: Refusal = {
  status: 403,
  code: 'FORBIDDEN',
  message: 'Cross-origin requests are refused',
};

/**
 * The checks every request passes before any credential is looked at, the token swap included: a Host
 * we serve (DNS rebinding), and no Origin but our own (a page elsewhere, or a sandboxed one: "null").
 */
export function checkHostAndOrigin(req: IncomingMessage, rules: HostRules): Refusal | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!rules.allowed.has(host)) {
    return { status: 403, code: 'FORBIDDEN', message: `Host "${host}" is not served here` };
  }
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    // Also the "null" of a sandboxed frame, a data: URL or a file:// page: it does not parse as a URL.
    return CROSS_ORIGIN;
  }
  // Same-origin only: the page that calls us must have been served by us, under this Host and scheme.
  return url.protocol === rules.scheme && url.host.toLowerCase() === host ? null : CROSS_ORIGIN;
}
