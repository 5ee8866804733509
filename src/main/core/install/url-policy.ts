// Where the installer may fetch from: https anywhere, plain http only on loopback (tests, local mirrors).
// The signature check makes a hostile server harmless; this keeps what the user downloads private too.
import { InstallError } from './errors';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Parses and checks a URL the installer is about to contact; `what` names it in the error. */
export function checkUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InstallError('INVALID_INPUT', 'bad-url', `${what} is not a valid URL: ${raw}`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new InstallError(
    'INVALID_INPUT',
    'bad-url',
    `${what} must use https (plain http only on loopback): ${url.origin}`,
    { url: url.origin },
  );
}
