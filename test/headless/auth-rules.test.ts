// The stateless access rules at their edges (found by mutation testing): which cookie and Bearer values are
// read, which names count as loopback or wildcard, what --allow-host accepts, and the exact Host/Origin refusals.
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import {
  allowHostProblem,
  bearerToken,
  checkHostAndOrigin,
  hostHeaderName,
  hostRules,
  isLoopback,
  isWildcard,
  readCookie,
} from '../../src/main/headless/auth';

const req = (headers: Record<string, string | undefined>) => ({ headers }) as unknown as IncomingMessage;

describe('readCookie', () => {
  it('needs a "name=" pair: a part without "=" is no cookie, even when its text starts with the name', () => {
    expect(readCookie('sid', 'si')).toBeNull();
    expect(readCookie('sidx; sid=ok', 'sid')).toBe('ok');
  });

  it('reads a cookie with an empty name like any other', () => {
    expect(readCookie('=v; a=b', '')).toBe('v');
    expect(readCookie('=v; a=b', 'a')).toBe('b');
  });

  it('trims the value, and stops at the first cookie of that name even when it cannot be decoded', () => {
    expect(readCookie('sid=  abc  ; other=1', 'sid')).toBe('abc');
    expect(readCookie('sid=%E0%A4%A; sid=second', 'sid')).toBeNull();
  });
});

describe('bearerToken', () => {
  const bearer = (authorization: string) => bearerToken(req({ authorization }));

  it('reads the credential after "Bearer" and any run of spaces, and "" for a bare scheme', () => {
    expect(bearer('Bearer abc')).toBe('abc');
    expect(bearer('Bearer \t  abc')).toBe('abc');
    expect(bearer('  Bearer abc  ')).toBe('abc');
    expect(bearer('Bearer')).toBe('');
    expect(bearer('Bearer   ')).toBe('');
  });

  it('takes the whole header or nothing: no scheme in the middle, no second line, no other scheme', () => {
    expect(bearer('Basic Bearer abc')).toBe('');
    expect(bearer('Bearer abc\nX-Other: 1')).toBe('');
    expect(bearer('Bearerabc')).toBe('');
    expect(bearer('Token abc')).toBe('');
  });
});

describe('isLoopback and isWildcard', () => {
  it('knows the loopback names and addresses, bracketed or not, in any case', () => {
    for (const host of [
      'localhost',
      'LocalHost',
      '::1',
      '[::1]',
      '127.0.0.1',
      '127.10.200.30',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopback(host), host).toBe(true);
    expect(isLoopback('[::ffff:127.0.0.1]')).toBe(true);
  });

  it('refuses look-alikes: other addresses, names that merely contain a loopback one, stray brackets', () => {
    for (const host of [
      '0.0.0.0',
      '192.168.1.5',
      'x127.0.0.1',
      '127.0.0.1.evil.example',
      '127.0.0',
      'a::ffff:127.0.0.1',
      'local[host',
      'local]host',
      'localhost.evil.example',
      '::2',
    ])
      expect(isLoopback(host), host).toBe(false);
  });

  it('knows the wildcard binds, bracketed or not, and nothing else', () => {
    for (const host of ['0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '[0:0:0:0:0:0:0:0]'])
      expect(isWildcard(host), host).toBe(true);
    for (const host of ['127.0.0.1', '::1', '0.0.0.1', ':[:', ':]:', 'x::', '0.0.0.0.0'])
      expect(isWildcard(host), host).toBe(false);
  });
});

describe('hostHeaderName', () => {
  it('lower-cases names and puts IPv6 literals in brackets, bracketed or not', () => {
    expect(hostHeaderName('Rig.LAN')).toBe('rig.lan');
    expect(hostHeaderName('::1')).toBe('[::1]');
    expect(hostHeaderName('[FE80::1]')).toBe('[fe80::1]');
    expect(hostHeaderName('192.168.1.5')).toBe('192.168.1.5');
  });

  it('strips only enclosing brackets', () => {
    expect(hostHeaderName('ho[st')).toBe('ho[st');
    expect(hostHeaderName('ho]st')).toBe('ho]st');
  });
});

describe('allowHostProblem', () => {
  it('accepts host names of one or many labels, of one character or many, with a final dot', () => {
    for (const name of ['rig', 'a', 'a.b', 'rig.a', 'rig-01.home.lan', 'x.y.z.', `${'a'.repeat(63)}.lan`])
      expect(allowHostProblem(name), name).toBeNull();
  });

  it('refuses labels over 63 characters, names over 253, and leading or trailing dashes', () => {
    const long = `${'abcdefghi.'.repeat(25)}abcd`; // 254 characters of valid labels
    expect(long).toHaveLength(254);
    expect(allowHostProblem(long)).toMatch(/is not a host name/);
    expect(allowHostProblem(long.slice(1))).toBeNull(); // 253 is still a name
    expect(allowHostProblem(`${'a'.repeat(64)}.lan`)).toMatch(/is not a host name/);
    expect(allowHostProblem('-rig.lan')).toMatch(/is not a host name/);
    expect(allowHostProblem('rig-.lan')).toMatch(/is not a host name/);
  });

  it('takes IP literals only whole: brackets enclose, they are not stripped from inside', () => {
    expect(allowHostProblem('[::1]')).toBeNull();
    expect(allowHostProblem('a[::1]')).toBe(
      '"a[::1]" is not a host name (give only the name, like rig.lan or 192.168.1.20)',
    );
    expect(allowHostProblem('[::1]b')).toMatch(/is not a host name/);
    expect(allowHostProblem('[::]')).toBe('"[::]" is a wildcard address, not a name');
  });
});

describe('checkHostAndOrigin', () => {
  const rules = hostRules('127.0.0.1', 8080, [], false);

  it('names the Host it refuses, an absent one included', () => {
    expect(checkHostAndOrigin(req({ host: 'Evil.example:8080' }), rules)).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Host "evil.example:8080" is not served here',
    });
    expect(checkHostAndOrigin(req({}), rules)).toEqual({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Host "" is not served here',
    });
  });

  it('serves our own origin under any of our names, whatever its case', () => {
    expect(
      checkHostAndOrigin(req({ host: 'localhost:8080', origin: 'http://LOCALHOST:8080' }), rules),
    ).toBeNull();
    expect(
      checkHostAndOrigin(req({ host: 'LocalHost:8080', origin: 'http://localhost:8080' }), rules),
    ).toBeNull();
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:8080' }), rules)).toBeNull();
  });

  it('refuses another origin, "null" and an unparsable one with the same answer', () => {
    const refusal = { status: 403, code: 'FORBIDDEN', message: 'Cross-origin requests are refused' };
    for (const origin of [
      'http://evil.example',
      'https://localhost:8080',
      'http://localhost:8081',
      'null',
      'not a url',
    ])
      expect(checkHostAndOrigin(req({ host: 'localhost:8080', origin }), rules), origin).toEqual(refusal);
  });
});
